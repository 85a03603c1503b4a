// Image-quality metrics (core/metrics): SSIM and MSE against scikit-image,
// and the test-set summary against numpy.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "metrics/mse.h"
#include "metrics/ssim.h"
#include "metrics/summary.h"

#include <cmath>
#include <vector>

using namespace astrorim;
using namespace astrorim::metrics;

namespace {

// The test images, built identically by tests/reference/metrics_reference.py
// (which printed kReferences): row index i, column index j, float64.
struct Grid
{
    torch::Tensor i, j;
};

Grid grid(int64_t h, int64_t w)
{
    const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
    return {torch::arange(h, opts).unsqueeze(1), torch::arange(w, opts).unsqueeze(0)};
}

// A sin/cos grid plus a ramp, and the same with a deterministic ripple on top.
torch::Tensor waves(int64_t h, int64_t w)
{
    const auto [i, j] = grid(h, w);
    return (0.3 * i).sin() * (0.2 * j).cos() + 0.01 * i;
}

torch::Tensor wavesReconstructed(int64_t h, int64_t w)
{
    const auto [i, j] = grid(h, w);
    return waves(h, w) + 0.2 * (0.7 * i + 1.3 * j).cos();
}

// A Gaussian source on a ramp, and a shifted, shrunk, rippled copy.
torch::Tensor blob(int64_t h, int64_t w)
{
    const auto [i, j] = grid(h, w);
    const double hh = static_cast<double>(h), ww = static_cast<double>(w);
    const double s = 0.12 * hh;
    return (-((i - 0.45 * hh).square() + (j - 0.55 * ww).square()) / (2 * s * s)).exp() + 0.002 * (i + 2 * j);
}

torch::Tensor blobReconstructed(int64_t h, int64_t w)
{
    const auto [i, j] = grid(h, w);
    const double hh = static_cast<double>(h), ww = static_cast<double>(w);
    const double s = 0.11 * hh;
    return 0.9 * (-((i - 0.45 * hh - 0.7).square() + (j - 0.55 * ww).square()) / (2 * s * s)).exp()
           + 0.002 * (i + 2 * j) + 0.02 * (0.5 * i).sin() * (0.9 * j).sin();
}

struct Reference
{
    torch::Tensor (*truth)(int64_t, int64_t);
    torch::Tensor (*reconstruction)(int64_t, int64_t);
    int64_t h, w;
    double dataRange, ssim, mse;
};

// Produced by Debian 12's python3-skimage 0.19.3 (scipy 1.10.1, numpy 1.24.2):
//   s = skimage.metrics.structural_similarity(reconstruction, truth, gaussian_weights=True,
//           sigma=1.5, use_sample_covariance=False, data_range=dataRange)
//   m = skimage.metrics.mean_squared_error(reconstruction, truth)
// on the float64 numpy arrays of the functions above, printed with 17 digits.
const Reference kReferences[] = {
    {waves, wavesReconstructed, 32, 32, 2.0, 0.82154506008489292, 0.020005799722333177},
    {waves, wavesReconstructed, 96, 96, 2.0, 0.83300387160909684, 0.020000165896603066},
    {waves, wavesReconstructed, 20, 45, 2.0, 0.82460731299452938, 0.020006083710893911},
    {waves, wavesReconstructed, 11, 11, 2.0, 0.8334751386893039, 0.020105956897035513},
    {blob, blobReconstructed, 32, 32, 1.0, 0.91899392527513435, 0.0024314593122488305},
    {blob, blobReconstructed, 96, 96, 1.0, 0.92478169048765591, 0.0018391037356964063},
    {blob, blobReconstructed, 57, 13, 1.0, 0.92762202021528206, 0.0054309590175422801},
    {blob, blobReconstructed, 96, 96, 0.25, 0.71381731761040168, 0.0018391037356964063},
};

} // namespace

TEST_CASE(identicalImagesHaveSsimOne)
{
    const auto x = torch::stack({blob(32, 32), waves(32, 32)});
    const auto s = ssim(x, x, 1.0);
    CHECK(s.sizes() == torch::IntArrayRef({2}));
    CHECK(s.scalar_type() == torch::kFloat64);
    CHECK_NEAR(s[0].item<double>(), 1.0, 1e-15);
    CHECK_NEAR(s[1].item<double>(), 1.0, 1e-15);
    CHECK_NEAR(mse(x, x).abs().max().item<double>(), 0.0, 0.0);
}

// Agreement within 1e-6 is the requirement; float64 arithmetic gives ~1e-15.
TEST_CASE(ssimAndMseMatchScikitImage)
{
    for (const Reference &ref : kReferences) {
        const auto x = ref.reconstruction(ref.h, ref.w), y = ref.truth(ref.h, ref.w);
        const auto s = ssim(x, y, ref.dataRange);
        CHECK(s.sizes() == torch::IntArrayRef({1})); // [H, W] is a batch of one
        CHECK_NEAR(s.item<double>(), ref.ssim, 1e-6);
        CHECK_NEAR(s.item<double>(), ref.ssim, 1e-12);
        CHECK_NEAR(mse(x, y).item<double>(), ref.mse, 1e-15);
    }
}

TEST_CASE(ssimIsSymmetricAndPerImageInABatch)
{
    const auto x = torch::stack({wavesReconstructed(32, 32), blobReconstructed(32, 32), blob(32, 32)});
    const auto y = torch::stack({waves(32, 32), blob(32, 32), blob(32, 32)});
    const auto s = ssim(x, y, 2.0);
    CHECK(s.sizes() == torch::IntArrayRef({3}));
    CHECK_NEAR(s[0].item<double>(), kReferences[0].ssim, 1e-12);
    CHECK_NEAR(s[1].item<double>(), ssim(x[1], y[1], 2.0).item<double>(), 1e-15);
    CHECK_NEAR(s[2].item<double>(), 1.0, 1e-15);
    CHECK_NEAR((ssim(y, x, 2.0) - s).abs().max().item<double>(), 0.0, 1e-15);
    const auto m = mse(x, y);
    CHECK_NEAR(m[0].item<double>(), kReferences[0].mse, 1e-15);
    CHECK_NEAR(m[2].item<double>(), 0.0, 0.0);
}

// float32 images are promoted, so they score exactly as their float64 values.
TEST_CASE(float32ImagesAreComputedInFloat64)
{
    const auto x = blobReconstructed(40, 40).to(torch::kFloat32), y = blob(40, 40).to(torch::kFloat32);
    const auto s = ssim(x, y, 1.0);
    CHECK(s.scalar_type() == torch::kFloat64);
    CHECK_NEAR(s.item<double>(), ssim(x.to(torch::kFloat64), y.to(torch::kFloat64), 1.0).item<double>(), 0.0);
}

// Every term of SSIM, C1 and C2 included, scales as the square of a common
// factor applied to both images and the data range.
TEST_CASE(ssimOfScaledImagesWithScaledRangeIsUnchanged)
{
    const auto x = blobReconstructed(48, 48), y = blob(48, 48);
    CHECK_NEAR(ssim(4.0 * x, 4.0 * y, 4.0).item<double>(), ssim(x, y, 1.0).item<double>(), 1e-13);
}

TEST_CASE(badInputsAreRefused)
{
    const auto x = blob(32, 32);
    CHECK_THROWS_WITH(ssim(x, blob(32, 31), 1.0), "ssim", "shapes differ");
    CHECK_THROWS_WITH(ssim(x, x, 0.0), "ssim data range", "positive");
    CHECK_THROWS_WITH(ssim(x, x, std::nan("")), "ssim data range");
    CHECK_THROWS_WITH(ssim(blob(10, 32), blob(10, 32), 1.0), "ssim", "at least 11");
    CHECK_THROWS_WITH(ssim(x.view({1, 1, 32, 32}), x.view({1, 1, 32, 32}), 1.0), "ssim", "[B, H, W]");
    CHECK_THROWS_WITH(ssim(torch::Tensor(), x, 1.0), "ssim");
    CHECK_THROWS_WITH(mse(x, x.t().slice(0, 0, 31)), "mse", "shapes differ");
    CHECK_THROWS_WITH(mse(torch::zeros({2, 0, 5}), torch::zeros({2, 0, 5})), "mse", "no pixels");
}

// References from numpy 1.24.2 (Debian 12): v.mean(), v.std() (ddof=0),
// np.median(v), np.percentile(v, 5) (linear), v.min(), v.max(), len(v).
TEST_CASE(summaryMatchesNumpy)
{
    const std::vector<double> ssims{0.91, 0.87, 0.95, 0.42, 0.99, 0.78, 0.88, 0.93, 0.61, 0.97, 0.85};
    const Summary s = summarize(ssims);
    CHECK_EQ(s.count, std::size_t{11});
    CHECK_NEAR(s.mean, 0.8327272727272728, 1e-15);
    CHECK_NEAR(s.std, 0.16498434686582786, 1e-15);
    CHECK_NEAR(s.median, 0.88, 1e-15);
    CHECK_NEAR(s.percentile5, 0.515, 1e-15);
    CHECK_EQ(s.min, 0.42);
    CHECK_EQ(s.max, 0.99);

    const Summary even = summarize({3.0, -1.5, 2.25, 0.5});
    CHECK_NEAR(even.mean, 1.0625, 1e-15);
    CHECK_NEAR(even.std, 1.7354304221143526, 1e-15);
    CHECK_NEAR(even.median, 1.375, 1e-15);
    CHECK_NEAR(even.percentile5, -1.2, 1e-15);
    CHECK_EQ(even.min, -1.5);
    CHECK_EQ(even.max, 3.0);

    const Summary one = summarize({0.7});
    CHECK_EQ(one.count, std::size_t{1});
    CHECK_EQ(one.std, 0.0);
    CHECK_EQ(one.median, 0.7);
    CHECK_EQ(one.percentile5, 0.7);
}

TEST_CASE(percentileEndsAreMinAndMax)
{
    const std::vector<double> sorted{1.0, 2.0, 4.0, 8.0};
    CHECK_EQ(percentileOfSorted(sorted, 0.0), 1.0);
    CHECK_EQ(percentileOfSorted(sorted, 100.0), 8.0);
    CHECK_NEAR(percentileOfSorted(sorted, 50.0), 3.0, 1e-15);
    CHECK_THROWS_WITH(percentileOfSorted(sorted, 101.0), "percentile");
}

TEST_CASE(summaryRefusesEmptyAndNonFinite)
{
    CHECK_THROWS_WITH(summarize({}), "metric summary", "no values");
    CHECK_THROWS_WITH(summarize({0.9, std::nan(""), INFINITY}), "metric summary", "2 of 3");
}

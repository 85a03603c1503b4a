// Image-quality metrics (core/metrics): SSIM and MSE against scikit-image,
// the test-set summary against numpy, and the source-plane metrics
// (relative error, aligned relative error, support SSIM).

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "metrics/mse.h"
#include "metrics/source_error.h"
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

// ---- Source-plane metrics (metrics/source_error.h) ----

namespace {

// A round Gaussian clump centred at row r0, column c0, as gauss() in metrics_reference.py.
torch::Tensor gauss(int64_t h, int64_t w, double r0, double c0, double s, double amp = 1.0)
{
    const auto [i, j] = grid(h, w);
    return amp * (-((i - r0).square() + (j - c0).square()) / (2 * s * s)).exp();
}

// A source near the top edge (its support window is clipped), and the same
// blurred by a Gaussian of σ 1.2 px (flux kept) and moved by (+0.5, −0.3) px.
torch::Tensor clumps(int64_t h, int64_t w)
{
    return gauss(h, w, 6.0, 40.0, 3.0) + 0.6 * gauss(h, w, 12.0, 47.0, 1.5);
}

torch::Tensor clumpsBlurred(int64_t h, int64_t w)
{
    return gauss(h, w, 6.5, 39.7, std::sqrt(9 + 1.44), 9 / 10.44)
           + 0.6 * gauss(h, w, 12.5, 46.7, std::sqrt(2.25 + 1.44), 2.25 / 3.69);
}

// A tiny source near a corner: its window is grown to 11 rows and moved inward.
torch::Tensor speck(int64_t h, int64_t w) { return gauss(h, w, 2.0, 60.0, 0.6); }
torch::Tensor speckEstimate(int64_t h, int64_t w) { return gauss(h, w, 2.3, 59.6, 0.8, 0.7); }

// An irregular source, three clumps around (r, c), for the alignment tests.
torch::Tensor lumpy(double r, double c)
{
    return gauss(64, 64, r, c, 3.0) + 0.7 * gauss(64, 64, r + 4.0, c - 5.0, 1.8)
           + 0.4 * gauss(64, 64, r - 6.0, c + 2.0, 1.2);
}

// Printed by tests/reference/metrics_reference.py (Debian 12: numpy 1.24.2,
// python3-skimage 0.19.3, scipy 1.10.1), on the 64×64 float64 images above:
//   np.linalg.norm(x - y) / np.linalg.norm(y)
//   structural_similarity(x[window] / peak, y[window] / peak, gaussian_weights=True, sigma=1.5,
//                         use_sample_covariance=False, data_range=1.0)
// with x the estimate, y the truth, and the window found by an independent
// Python transcription of supportSsim's definition: rows 0–20, columns 27–55
// (clipped at the top) for clumps; rows 0–10, columns 53–63 (grown from 9
// rows to 11, then moved inward) for speck.
constexpr double kClumpsRelativeError = 0.18826159814070553;
constexpr double kClumpsSupportSsim = 0.88697411707257812;
constexpr double kSpeckRelativeError = 0.56503577984306363;
constexpr double kSpeckSupportSsim = 0.5331181948935374;

} // namespace

TEST_CASE(relativeErrorMatchesNumpy)
{
    const auto x = torch::stack({clumpsBlurred(64, 64), speckEstimate(64, 64)});
    const auto y = torch::stack({clumps(64, 64), speck(64, 64)});
    const auto e = relativeError(x, y);
    CHECK(e.sizes() == torch::IntArrayRef({2}));
    CHECK(e.scalar_type() == torch::kFloat64);
    CHECK_NEAR(e[0].item<double>(), kClumpsRelativeError, 1e-14);
    CHECK_NEAR(e[1].item<double>(), kSpeckRelativeError, 1e-14);
    CHECK_NEAR(relativeError(x[0], y[0]).item<double>(), kClumpsRelativeError, 1e-14); // [H, W]: a batch of one
    const auto e32 = relativeError(x.to(torch::kFloat32), y.to(torch::kFloat32));
    CHECK(e32.scalar_type() == torch::kFloat64);
    CHECK_NEAR(e32[0].item<double>(), kClumpsRelativeError, 1e-6); // float32 rounding of the inputs only
    // An empty reconstruction scores exactly 1, a perfect one exactly 0.
    CHECK_EQ(relativeError(torch::zeros_like(y), y)[0].item<double>(), 1.0);
    CHECK_EQ(relativeError(torch::zeros_like(y), y)[1].item<double>(), 1.0);
    CHECK_EQ(relativeError(y, y).abs().max().item<double>(), 0.0);
}

TEST_CASE(sourceMetricsRefuseBadInput)
{
    const auto y = clumps(64, 64);
    const auto zeroInBatch = torch::stack({y, torch::zeros_like(y)});
    CHECK_THROWS_WITH(relativeError(y, y.slice(0, 0, 63)), "relative error", "shapes differ");
    CHECK_THROWS_WITH(relativeError(zeroInBatch, zeroInBatch), "relative error", "all zero");
    CHECK_THROWS_WITH(alignedRelativeError(zeroInBatch, zeroInBatch, 1.0), "aligned relative error", "all zero");
    CHECK_THROWS_WITH(alignedRelativeError(y, y.t().slice(0, 0, 63), 1.0), "aligned relative error", "shapes differ");
    CHECK_THROWS_WITH(alignedRelativeError(y, y, -0.5), "aligned relative error", "non-negative");
    CHECK_THROWS_WITH(alignedRelativeError(y, y, std::nan("")), "aligned relative error", "finite");
    CHECK_THROWS_WITH(supportSsim(y, y.slice(1, 0, 32)), "support SSIM", "shapes differ");
    CHECK_THROWS_WITH(supportSsim(-y, -y), "support SSIM", "no positive pixel");
    CHECK_THROWS_WITH(supportSsim(y.slice(0, 0, 10), y.slice(0, 0, 10)), "support SSIM", "at least 11");
}

// The estimate is the truth moved by (−1.3, +0.7) px, so the best shift of the
// estimate is dx = +1.3 (columns), dy = −0.7 (rows); the second image of the
// batch, in float32, needs (−0.4, +0.9). Found: (1.297, −0.703) and
// (−0.398, 0.906); 0.05 px is the requirement. The aligned errors, 0.023 and
// 0.019 against 0.306 and 0.210 unaligned, are not 0 because bilinear
// interpolation at a fractional shift smooths the estimate.
TEST_CASE(alignedErrorRecoversAKnownShift)
{
    const auto truth = torch::stack({lumpy(30.0 - 0.7, 33.0 + 1.3), lumpy(28.0 + 0.9, 30.0 - 0.4)});
    const auto estimate = torch::stack({lumpy(30.0, 33.0), lumpy(28.0, 30.0)}).to(torch::kFloat32);
    const AlignedError a = alignedRelativeError(estimate, truth, 2.0);
    CHECK(a.error.sizes() == torch::IntArrayRef({2}));
    CHECK(a.dx.sizes() == a.error.sizes() && a.dy.sizes() == a.error.sizes());
    CHECK(a.error.scalar_type() == torch::kFloat64 && a.dx.scalar_type() == torch::kFloat64);
    CHECK_NEAR(a.dx[0].item<double>(), 1.3, 0.05);
    CHECK_NEAR(a.dy[0].item<double>(), -0.7, 0.05);
    CHECK_NEAR(a.dx[1].item<double>(), -0.4, 0.05);
    CHECK_NEAR(a.dy[1].item<double>(), 0.9, 0.05);
    const auto unaligned = relativeError(estimate, truth);
    for (int k = 0; k < 2; ++k) {
        CHECK_MSG(unaligned[k].item<double>() > 0.2, unaligned[k].item<double>());
        CHECK_MSG(a.error[k].item<double>() < 0.15 * unaligned[k].item<double>(),
                  a.error[k].item<double>() << " vs unaligned " << unaligned[k].item<double>());
    }
}

// Shift 0 is always a candidate and only strict improvements are taken.
TEST_CASE(alignedErrorNeverExceedsUnaligned)
{
    torch::manual_seed(7);
    const auto truth = torch::stack({clumps(64, 64), lumpy(32.0, 32.0), torch::rand({64, 64}, torch::kFloat64)});
    const auto estimate = torch::stack({clumpsBlurred(64, 64), torch::rand({64, 64}, torch::kFloat64),
                                        torch::rand({64, 64}, torch::kFloat64)});
    const auto aligned = alignedRelativeError(estimate, truth, 1.5).error;
    CHECK(((aligned <= relativeError(estimate, truth)).all().item<bool>()));
    CHECK(aligned[0].item<double>() < relativeError(estimate, truth)[0].item<double>()); // clumpsBlurred is moved

    // No room to move: exactly the unaligned error, at shift 0.
    const AlignedError none = alignedRelativeError(estimate, truth, 0.0);
    CHECK_EQ((none.error - relativeError(estimate, truth)).abs().max().item<double>(), 0.0);
    CHECK_EQ(none.dx.abs().max().item<double>() + none.dy.abs().max().item<double>(), 0.0);

    // A perfect estimate stays put; one needing 3 px is held at maxShift = 1
    // (dy then settles at ±0.055, not 0: at a fractional dy, bilinear smoothing
    // widens the misplaced estimate, which overlaps the truth slightly better).
    const AlignedError same = alignedRelativeError(truth, truth, 2.0);
    CHECK_EQ(same.error.abs().max().item<double>(), 0.0);
    CHECK_EQ(same.dx.abs().max().item<double>() + same.dy.abs().max().item<double>(), 0.0);
    const AlignedError far = alignedRelativeError(gauss(64, 64, 32.0, 29.0, 3.0), gauss(64, 64, 32.0, 32.0, 3.0), 1.0);
    CHECK_NEAR(far.dx.item<double>(), 1.0, 1e-12);
    CHECK_NEAR(far.dy.item<double>(), 0.0, 0.1);
}

// The point of the metric: on a compact source (σ = 2 px on 64×64) an empty
// reconstruction scores 0.936 in whole-frame SSIM but 0.009 in support SSIM,
// and blurring by σ 1.5 px costs 0.016 over the whole frame but 0.111 inside
// the support. References: the last lines of metrics_reference.py (skimage
// 0.19.3, as above).
TEST_CASE(supportSsimIgnoresTheEmptySky)
{
    const auto truth = gauss(64, 64, 30.0, 33.0, 2.0);
    const auto empty = torch::zeros_like(truth);
    const auto blurred = gauss(64, 64, 30.0, 33.0, 2.5, 4.0 / 6.25);
    CHECK_NEAR(ssim(empty, truth, 1.0).item<double>(), 0.93597053302014066, 1e-12);
    CHECK_NEAR(supportSsim(empty, truth).item<double>(), 0.0090020014445423048, 1e-12);
    CHECK(ssim(empty, truth, 1.0).item<double>() > 0.9);
    CHECK(supportSsim(empty, truth).item<double>() < 0.1);
    CHECK_NEAR(supportSsim(truth, truth).item<double>(), 1.0, 1e-15);
    CHECK_NEAR(ssim(blurred, truth, 1.0).item<double>(), 0.98435192377779024, 1e-12);
    CHECK_NEAR(supportSsim(blurred, truth).item<double>(), 0.88883643955844271, 1e-12);
    CHECK(supportSsim(blurred, truth).item<double>() < 0.9);
    // Peak normalization: scaling both images together changes nothing.
    CHECK_NEAR(supportSsim(7.0 * blurred, 7.0 * truth).item<double>(), 0.88883643955844271, 1e-12);
}

TEST_CASE(supportSsimMatchesScikitImage)
{
    const auto x = torch::stack({clumpsBlurred(64, 64), speckEstimate(64, 64)});
    const auto y = torch::stack({clumps(64, 64), speck(64, 64)});
    const auto s = supportSsim(x, y);
    CHECK(s.sizes() == torch::IntArrayRef({2}));
    CHECK(s.scalar_type() == torch::kFloat64);
    CHECK_NEAR(s[0].item<double>(), kClumpsSupportSsim, 1e-12);
    CHECK_NEAR(s[1].item<double>(), kSpeckSupportSsim, 1e-12);
    // The grown speck window is exactly rows 0–10, columns 53–63 (peak 1).
    auto window = [](const torch::Tensor &t) { return t.slice(0, 0, 11).slice(1, 53, 64); };
    CHECK_NEAR(s[1].item<double>(), ssim(window(x[1]), window(y[1]), 1.0).item<double>(), 1e-15);
}

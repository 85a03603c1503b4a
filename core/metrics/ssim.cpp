#include "metrics/ssim.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "metrics/image_pair.h"

#include <torch/torch.h>

#include <cmath>
#include <string>

namespace astrorim::metrics {

namespace {

constexpr double kK1 = 0.01;
constexpr double kK2 = 0.03;

// scipy.ndimage._gaussian_kernel1d: exp(−x²/2σ²) on x = −r…r, normalized to sum 1.
torch::Tensor gaussianWindow1d(const torch::TensorOptions &options)
{
    const auto x = torch::arange(-kSsimWindowRadius, kSsimWindowRadius + 1, options);
    const auto w = (-0.5 / (kSsimSigma * kSsimSigma) * x.square()).exp();
    return w / w.sum();
}

// Source index of each padded position for ndimage's mode='reflect' (half-sample
// symmetric: the edge pixel repeats). Folding with period 2n also covers pads
// longer than the image, which ndimage handles the same way.
torch::Tensor reflectIndices(int64_t n, int64_t pad, const torch::Device &device)
{
    auto i = torch::arange(-pad, n + pad, torch::TensorOptions().dtype(torch::kInt64).device(device));
    i = torch::remainder(i, 2 * n);
    return torch::where(i >= n, 2 * n - 1 - i, i);
}

// gaussian_filter(..., mode='reflect') on [N, H, W]: like ndimage, one 1-D
// correlation per axis, each axis reflected just before its own pass.
torch::Tensor gaussianFilter(const torch::Tensor &images)
{
    const int64_t r = kSsimWindowRadius;
    const auto w = gaussianWindow1d(images.options());
    const int64_t k = w.size(0);
    auto t = images.unsqueeze(1); // [N, 1, H, W] for conv2d
    t = t.index_select(2, reflectIndices(images.size(1), r, images.device()));
    t = torch::conv2d(t, w.view({1, 1, k, 1}));
    t = t.index_select(3, reflectIndices(images.size(2), r, images.device()));
    t = torch::conv2d(t, w.view({1, 1, 1, k}));
    return t.squeeze(1);
}

} // namespace

torch::Tensor ssim(const torch::Tensor &x, const torch::Tensor &y, double dataRange)
{
    const auto [a, b] = imagePairAsBatch(x, y, "ssim");
    const int64_t window = 2 * kSsimWindowRadius + 1;
    if (a.size(1) < window || a.size(2) < window)
        fail("ssim", "images must be at least " + std::to_string(window) + "×" + std::to_string(window)
                         + " pixels (the Gaussian window), got " + shapeText(x));
    if (!std::isfinite(dataRange) || dataRange <= 0.0)
        fail("ssim data range", "must be finite and positive, got " + std::to_string(dataRange));

    // One filter call for the five local moments.
    const int64_t batch = a.size(0);
    const auto moments = gaussianFilter(torch::cat({a, b, a * a, b * b, a * b})).split(batch);
    const auto &ux = moments[0], &uy = moments[1];
    const auto vx = moments[2] - ux * ux;
    const auto vy = moments[3] - uy * uy;
    const auto vxy = moments[4] - ux * uy;

    const double c1 = std::pow(kK1 * dataRange, 2);
    const double c2 = std::pow(kK2 * dataRange, 2);
    const auto map = (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux.square() + uy.square() + c1) * (vx + vy + c2));

    // skimage ignores the filter radius along every edge, where the window reaches into the reflection.
    const int64_t r = kSsimWindowRadius;
    return map.slice(1, r, map.size(1) - r).slice(2, r, map.size(2) - r).mean({1, 2});
}

} // namespace astrorim::metrics

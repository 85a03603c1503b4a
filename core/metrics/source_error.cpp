#include "metrics/source_error.h"

#include "common/error.h"
#include "metrics/image_pair.h"
#include "metrics/ssim.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace astrorim::metrics {

namespace {

constexpr double kCoarseStep = 0.25;
constexpr double kFinestStep = 0.005;

// The [B] L2 norm over each image; one function so that equal inputs give bitwise equal norms.
torch::Tensor norms(const torch::Tensor &images)
{
    return images.square().sum({1, 2}).sqrt();
}

torch::Tensor truthNorms(const torch::Tensor &truth, const std::string &metric)
{
    auto n = norms(truth);
    if ((n == 0).any().item<bool>())
        fail(metric, "a truth image is all zero, so its relative error is undefined");
    return n;
}

// Linear interpolation of [B, H, W] along `dim` (1 rows, 2 columns) at
// position index − shift[b], zero outside. At a zero fraction the weights are
// exactly 1 and 0, so integer shifts (0 included) reproduce the pixels exactly.
torch::Tensor shiftAlong(const torch::Tensor &images, const torch::Tensor &shift, int64_t dim)
{
    const int64_t n = images.size(dim);
    const auto source = -shift;
    const auto whole = source.floor(), fraction = source - whole;
    auto index = torch::arange(n, images.options().dtype(torch::kInt64)).unsqueeze(0)
                 + whole.to(torch::kInt64).unsqueeze(1); // [B, n]: the lower neighbour of each output pixel
    auto take = [&](const torch::Tensor &i) {
        const auto inside = (i >= 0) & (i < n);
        auto shape = std::vector<int64_t>{images.size(0), 1, 1};
        shape[dim] = n;
        const auto iv = i.clamp(0, n - 1).view(shape).expand_as(images);
        return images.gather(dim, iv) * inside.view(shape).to(images.scalar_type());
    };
    auto f = fraction.view({-1, 1, 1});
    return (1 - f) * take(index) + f * take(index + 1);
}

// Bilinear: linear along columns, then along rows (the tensor product).
torch::Tensor shifted(const torch::Tensor &images, const torch::Tensor &dx, const torch::Tensor &dy)
{
    return shiftAlong(shiftAlong(images, dx, 2), dy, 1);
}

// [lo, hi] grown symmetrically to at least `minimum` pixels, then moved inside [0, n) (n ≥ minimum).
std::pair<int64_t, int64_t> grownWindow(int64_t lo, int64_t hi, int64_t n, int64_t minimum)
{
    const int64_t missing = minimum - (hi - lo + 1);
    if (missing > 0) {
        lo -= missing / 2;
        hi += missing - missing / 2;
    }
    if (lo < 0)
        hi -= lo, lo = 0;
    if (hi > n - 1)
        lo -= hi - (n - 1), hi = n - 1;
    return {lo, hi};
}

} // namespace

torch::Tensor relativeError(const torch::Tensor &estimate, const torch::Tensor &truth)
{
    const auto [a, b] = imagePairAsBatch(estimate, truth, "relative error");
    return norms(a - b) / truthNorms(b, "relative error");
}

AlignedError alignedRelativeError(const torch::Tensor &estimate, const torch::Tensor &truth, double maxShift)
{
    const std::string metric = "aligned relative error";
    const auto [a, b] = imagePairAsBatch(estimate, truth, metric);
    if (!std::isfinite(maxShift) || maxShift < 0.0)
        fail(metric, "the largest shift must be finite and non-negative, got " + std::to_string(maxShift));
    const auto truthNorm = truthNorms(b, metric);
    auto errorAt = [&](const torch::Tensor &dx, const torch::Tensor &dy) {
        return norms(shifted(a, dx, dy) - b) / truthNorm;
    };

    auto dx = torch::zeros_like(truthNorm), dy = torch::zeros_like(truthNorm);
    auto best = norms(a - b) / truthNorm; // shift 0, as relativeError computes it
    // Keeps, per image, a candidate that strictly improves on the best so far.
    auto consider = [&](const torch::Tensor &cx, const torch::Tensor &cy) {
        const auto e = errorAt(cx, cy);
        const auto better = e < best;
        best = torch::where(better, e, best);
        dx = torch::where(better, cx, dx);
        dy = torch::where(better, cy, dy);
        return better;
    };

    // Coarse grid, symmetric about 0, with ±maxShift itself when off the grid.
    std::vector<double> offsets{0.0};
    for (int k = 1; k * kCoarseStep < maxShift; ++k)
        offsets.insert(offsets.end(), {k * kCoarseStep, -k * kCoarseStep});
    if (maxShift > 0.0)
        offsets.insert(offsets.end(), {maxShift, -maxShift});
    for (double oy : offsets)
        for (double ox : offsets)
            if (ox != 0.0 || oy != 0.0)
                consider(torch::full_like(dx, ox), torch::full_like(dy, oy));

    // Compass search from the grid's best: try the 8 neighbours at the current
    // step; an image that found no better one halves its step.
    auto step = torch::full_like(dx, std::min(kCoarseStep / 2, maxShift));
    for (int iteration = 0; iteration < 200 && (step >= kFinestStep).any().item<bool>(); ++iteration) {
        auto moved = torch::zeros_like(dx, torch::kBool);
        const auto cx0 = dx.clone(), cy0 = dy.clone();
        for (int oy = -1; oy <= 1; ++oy)
            for (int ox = -1; ox <= 1; ++ox)
                if (ox != 0 || oy != 0)
                    moved |= consider((cx0 + ox * step).clamp(-maxShift, maxShift),
                                      (cy0 + oy * step).clamp(-maxShift, maxShift));
        step = torch::where(moved, step, step / 2);
    }
    return {best, dx, dy};
}

torch::Tensor supportSsim(const torch::Tensor &estimate, const torch::Tensor &truth)
{
    const std::string metric = "support SSIM";
    const auto [a, b] = imagePairAsBatch(estimate, truth, metric);
    const int64_t window = 2 * kSsimWindowRadius + 1, h = b.size(1), w = b.size(2);
    if (h < window || w < window)
        fail(metric, "images must be at least " + std::to_string(window) + "×" + std::to_string(window) + " pixels");
    const auto peak = b.amax({1, 2});
    if ((peak <= 0).any().item<bool>())
        fail(metric, "a truth image has no positive pixel, so it has no support");

    const auto support = (b > kSupportThreshold * peak.view({-1, 1, 1})).cpu();
    std::vector<torch::Tensor> scores;
    for (int64_t k = 0; k < b.size(0); ++k) {
        // First and last row (column) holding a support pixel, padded, clipped, grown.
        auto bounds = [&](int64_t reduceDim, int64_t n) {
            const auto where = support[k].any(reduceDim).nonzero();
            const int64_t lo = where.min().item<int64_t>() - kSupportPadding;
            const int64_t hi = where.max().item<int64_t>() + kSupportPadding;
            return grownWindow(std::max<int64_t>(lo, 0), std::min(hi, n - 1), n, window);
        };
        const auto [r0, r1] = bounds(1, h);
        const auto [c0, c1] = bounds(0, w);
        const double p = peak[k].item<double>();
        auto crop = [&](const torch::Tensor &t) { return t[k].slice(0, r0, r1 + 1).slice(1, c0, c1 + 1) / p; };
        scores.push_back(ssim(crop(a), crop(b), 1.0));
    }
    return torch::cat(scores);
}

} // namespace astrorim::metrics

#include "metrics/image_pair.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

namespace astrorim::metrics {

std::pair<torch::Tensor, torch::Tensor> imagePairAsBatch(const torch::Tensor &x, const torch::Tensor &y,
                                                         const std::string &metric)
{
    if (!x.defined() || !y.defined() || (x.dim() != 2 && x.dim() != 3))
        fail(metric, "images must be [B, H, W] or [H, W] tensors, got " + shapeText(x) + " and " + shapeText(y));
    if (x.sizes() != y.sizes())
        fail(metric, "image shapes differ: " + shapeText(x) + " and " + shapeText(y));
    if (x.size(-1) == 0 || x.size(-2) == 0)
        fail(metric, "images have no pixels: " + shapeText(x));
    if (x.device() != y.device())
        fail(metric, "images are on " + x.device().str() + " and " + y.device().str());
    if (x.is_complex() || y.is_complex())
        fail(metric, "images must be real-valued");
    // float64 throughout: the SSIM of two close images is 1 − (small
    // difference of large terms), which float32 resolves only to ~1e-4.
    auto asBatch = [](const torch::Tensor &t) { return (t.dim() == 2 ? t.unsqueeze(0) : t).to(torch::kFloat64); };
    return {asBatch(x), asBatch(y)};
}

} // namespace astrorim::metrics

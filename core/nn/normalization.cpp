#include "nn/normalization.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

namespace astrorim::nn {

torch::Tensor peakScale(const torch::Tensor &images)
{
    if (!images.defined() || images.dim() != 3)
        fail("normalization", "images must be [B, N, N], got " + shapeText(images));
    const auto smoothed = torch::avg_pool2d(images.unsqueeze(1), 3, 1, 1, false, false);
    return std::get<0>(smoothed.flatten(1).max(1)).clamp_min(1e-20);
}

NormalizedObservation normalizeObservation(const torch::Tensor &images, const torch::Tensor &noiseMaps,
                                           const torch::Tensor &pixelScale, const torch::Tensor &psf)
{
    const auto scale = peakScale(images);
    const auto per = scale.view({-1, 1, 1});
    return {images / per, noiseMaps / per, pixelScale, psf, scale};
}

} // namespace astrorim::nn

#include "model/lens_light.h"

#include "model/image_grid.h"
#include "psf/convolution.h"

#include <torch/torch.h>

namespace astrorim::model {

torch::Tensor renderLensLight(const light::SersicTensor &light, const torch::Tensor &pixelScale,
                              const torch::Tensor &psf, int gridSize, int supersample)
{
    const int64_t batch = pixelScale.size(0);
    const auto offsets = subpixelOffsets(gridSize, supersample, pixelScale.options());
    const auto scale = pixelScale.view({batch, 1, 1});
    const auto fine = light::sersic(light, offsets.view({1, 1, -1}) * scale, offsets.view({1, -1, 1}) * scale);
    const auto binned = supersample == 1 ? fine : torch::avg_pool2d(fine.unsqueeze(1), supersample).squeeze(1);
    return psf::convolve(binned, psf);
}

} // namespace astrorim::model

#include "model/image_grid.h"

#include "common/error.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::model {

torch::Tensor subpixelOffsets(int gridSize, int supersample, torch::TensorOptions options)
{
    if (gridSize < 1 || supersample < 1)
        fail("image grid", "needs a positive size and supersampling, got " + std::to_string(gridSize) + " and " +
                               std::to_string(supersample));
    return (torch::arange(gridSize * supersample, options) + 0.5) / supersample - gridSize / 2.0;
}

torch::Tensor halfWidth(int gridSize, const torch::Tensor &pixelScale)
{
    return pixelScale * (gridSize / 2.0);
}

} // namespace astrorim::model

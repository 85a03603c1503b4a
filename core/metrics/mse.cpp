#include "metrics/mse.h"

#include "metrics/image_pair.h"

#include <torch/torch.h>

namespace astrorim::metrics {

torch::Tensor mse(const torch::Tensor &x, const torch::Tensor &y)
{
    const auto [a, b] = imagePairAsBatch(x, y, "mse");
    return (a - b).square().mean({1, 2});
}

} // namespace astrorim::metrics

#include "model/likelihood.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

namespace astrorim::model {

torch::Tensor chiSquared(const torch::Tensor &model, const torch::Tensor &data, const torch::Tensor &sigma)
{
    if (model.sizes() != data.sizes() || sigma.sizes() != data.sizes() || data.dim() != 3)
        fail("chi-squared", "model " + shapeText(model) + ", data " + shapeText(data) + " and sigma " +
                                shapeText(sigma) + " must share one [B, N, N] shape");
    return ((model - data) / sigma).square().sum({1, 2});
}

LikelihoodGradient likelihoodGradient(const std::function<torch::Tensor(const torch::Tensor &)> &forward,
                                      const torch::Tensor &source, const torch::Tensor &data,
                                      const torch::Tensor &sigma)
{
    torch::AutoGradMode enable(true);
    const auto s = source.detach().requires_grad_(true);
    const auto chi2 = chiSquared(forward(s), data, sigma);
    auto gradient = torch::autograd::grad({chi2.sum()}, {s})[0];
    const auto typical = std::get<0>(sigma.flatten(1).median(1)).view({-1, 1, 1});
    return {(gradient * (0.5 * typical.square())).detach(), chi2.detach()};
}

} // namespace astrorim::model

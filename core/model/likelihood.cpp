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

namespace {

/// ½ σ̃² per image, σ̃ the median noise: the RIM's gradient scale.
torch::Tensor gradientScale(const torch::Tensor &sigma)
{
    const auto typical = std::get<0>(sigma.flatten(1).median(1)).view({-1, 1, 1});
    return 0.5 * typical.square();
}

} // namespace

LikelihoodGradient likelihoodGradient(const std::function<torch::Tensor(const torch::Tensor &)> &forward,
                                      const torch::Tensor &source, const torch::Tensor &data,
                                      const torch::Tensor &sigma)
{
    torch::AutoGradMode enable(true);
    const auto s = source.detach().requires_grad_(true);
    const auto chi2 = chiSquared(forward(s), data, sigma);
    auto gradient = torch::autograd::grad({chi2.sum()}, {s})[0];
    return {(gradient * gradientScale(sigma)).detach(), chi2.detach()};
}

LikelihoodGradient backProjectedGradient(const std::function<torch::Tensor(const torch::Tensor &)> &forward,
                                         const std::function<torch::Tensor(const torch::Tensor &)> &backProject,
                                         const torch::Tensor &source, const torch::Tensor &data,
                                         const torch::Tensor &sigma)
{
    torch::NoGradGuard noGrad;
    const auto model = forward(source.detach());
    const auto chi2 = chiSquared(model, data, sigma);
    const auto gradient = backProject(2 * (model - data) / sigma.square());
    return {gradient * gradientScale(sigma), chi2};
}

} // namespace astrorim::model

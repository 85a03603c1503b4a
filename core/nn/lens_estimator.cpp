#include "nn/lens_estimator.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "nn/lens_parameters.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::nn {

namespace tnn = torch::nn;

namespace {

// Appends conv 3×3 → GroupNorm → SiLU; stride 2 halves the resolution.
void addBlock(tnn::Sequential &net, int64_t in, int64_t out, int64_t stride)
{
    net->push_back(tnn::Conv2d(tnn::Conv2dOptions(in, out, 3).stride(stride).padding(1)));
    net->push_back(tnn::GroupNorm(tnn::GroupNormOptions(std::min<int64_t>(8, out), out)));
    net->push_back(tnn::SiLU());
}

} // namespace

LensEstimatorImpl::LensEstimatorImpl(int64_t gridSize, int64_t width) : m_gridSize(gridSize)
{
    if (gridSize % 16 != 0)
        fail("lens estimator", "grid size must be divisible by 16, got " + std::to_string(gridSize));
    const int64_t w = width;
    tnn::Sequential features;
    // (in, out, stride): 96² → 48² → 24² → 12² → 6² at the default size.
    for (const auto &[in, out, stride] : {std::tuple<int64_t, int64_t, int64_t>{4, w, 1}, {w, 2 * w, 2}, {2 * w, 2 * w, 1},
                                          {2 * w, 4 * w, 2}, {4 * w, 4 * w, 1}, {4 * w, 6 * w, 2},
                                          {6 * w, 8 * w, 2}})
        addBlock(features, in, out, stride);
    m_features = register_module("features", features);
    const int64_t cells = (gridSize / 16) * (gridSize / 16);
    m_head = register_module("head", tnn::Sequential(tnn::Flatten(), tnn::Linear(8 * w * cells, 256), tnn::SiLU(),
                                                     tnn::Linear(256, 2 * ParameterCount)));
}

EstimatorOutput LensEstimatorImpl::forward(const torch::Tensor &data, const torch::Tensor &sigma)
{
    if (!data.defined() || data.dim() != 3 || data.size(1) != m_gridSize || data.size(2) != m_gridSize ||
        sigma.sizes() != data.sizes())
        fail("lens estimator", "data and sigma must be [B, " + std::to_string(m_gridSize) + ", " +
                                   std::to_string(m_gridSize) + "], got " + shapeText(data) + " and " +
                                   shapeText(sigma));
    const int64_t batch = data.size(0), n = m_gridSize;
    const auto ramp = (torch::arange(n, data.options()) + 0.5) * (2.0 / n) - 1.0;
    const auto x = ramp.view({1, 1, n}).expand({batch, n, n});
    const auto y = ramp.view({1, n, 1}).expand({batch, n, n});
    const auto out = m_head->forward(m_features->forward(torch::stack({data, sigma, x, y}, 1)));
    const auto parts = out.chunk(2, 1);
    // Bounded log-variance keeps the NLL from running away early in training.
    return {parts[0], parts[1].clamp(-14.0, 6.0)};
}

torch::Tensor estimatorLoss(const EstimatorOutput &output, const torch::Tensor &target, const torch::Tensor &mask)
{
    auto gaussianMask = mask.clone();
    gaussianMask.select(1, NfwLogit).zero_();
    gaussianMask.select(1, SisLogit).zero_();
    const auto nll = 0.5 * ((output.mean - target).square() * torch::exp(-output.logVar) + output.logVar);
    const auto gaussian = (nll * gaussianMask).sum(1);
    const auto presence = [&](int64_t i) {
        return torch::binary_cross_entropy_with_logits(output.mean.select(1, i),
                                                       (target.select(1, i) > 0).to(target.scalar_type()), {}, {},
                                                       at::Reduction::None);
    };
    return (gaussian + presence(NfwLogit) + presence(SisLogit)).mean();
}

} // namespace astrorim::nn

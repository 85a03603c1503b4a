#include "nn/rim.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "model/likelihood.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::nn {

namespace tnn = torch::nn;

namespace {

tnn::Conv2d conv3(int64_t in, int64_t out, int64_t stride = 1)
{
    return tnn::Conv2d(tnn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

torch::Tensor upsample2(const torch::Tensor &x)
{
    return torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
}

constexpr int64_t kInputChannels = 4; // estimate, gradient, data, sigma

} // namespace

RimCellImpl::RimCellImpl(RimConfig config) : m_config(config)
{
    const auto [c0, c1, c2] = std::tuple{config.channels0, config.channels1, config.channels2};
    if (c0 < 1 || c1 < 1 || c2 < 1)
        fail("RIM", "channel counts must be positive");
    m_in = register_module("in", conv3(kInputChannels, c0));
    m_down1 = register_module("down1", conv3(c0, c1, 2));
    m_gru1 = register_module("gru1", ConvGru(c1, c1));
    m_down2 = register_module("down2", conv3(c1, c2, 2));
    m_gru2 = register_module("gru2", ConvGru(c2, c2));
    // Decoder convolutions run at the coarser scale, then upsample: 4× cheaper.
    m_up2 = register_module("up2", conv3(c2, c1));
    m_merge1 = register_module("merge1", conv3(2 * c1, c1));
    m_up1 = register_module("up1", conv3(c1, c0));
    m_merge0 = register_module("merge0", conv3(2 * c0, c0));
    m_out = register_module("out", conv3(c0, 1));
}

RimState RimCellImpl::initialState(int64_t batch, int64_t gridSize, torch::TensorOptions options) const
{
    return {torch::zeros({batch, m_config.channels1, gridSize / 2, gridSize / 2}, options),
            torch::zeros({batch, m_config.channels2, gridSize / 4, gridSize / 4}, options)};
}

torch::Tensor RimCellImpl::forward(const torch::Tensor &estimate, const torch::Tensor &gradient,
                                   const torch::Tensor &data, const torch::Tensor &sigma, RimState &state)
{
    const auto input = torch::stack({estimate, gradient, data, sigma}, 1);
    const auto f0 = torch::silu(m_in->forward(input));
    const auto f1 = torch::silu(m_down1->forward(f0));
    state.half = m_gru1->forward(f1, state.half);
    const auto f2 = torch::silu(m_down2->forward(state.half));
    state.quarter = m_gru2->forward(f2, state.quarter);

    const auto u1 = upsample2(torch::silu(m_up2->forward(state.quarter)));
    const auto d1 = torch::silu(m_merge1->forward(torch::cat({u1, state.half}, 1)));
    const auto u0 = upsample2(torch::silu(m_up1->forward(d1)));
    const auto d0 = torch::silu(m_merge0->forward(torch::cat({u0, f0}, 1)));
    return estimate + m_out->forward(d0).squeeze(1);
}

LikelihoodFunction autogradLikelihood(ForwardFunction forward, torch::Tensor data, torch::Tensor sigma)
{
    return [forward = std::move(forward), data = std::move(data), sigma = std::move(sigma)](const torch::Tensor &s) {
        return model::likelihoodGradient(forward, s, data, sigma);
    };
}

std::vector<torch::Tensor> runRim(RimCell &cell, const LikelihoodFunction &likelihood, const torch::Tensor &data,
                                  const torch::Tensor &sigma, const torch::Tensor &start, int iterations,
                                  const IterationCallback &callback)
{
    if (iterations < 1)
        fail("RIM", "needs at least one iteration, got " + std::to_string(iterations));
    if (!data.defined() || data.dim() != 3 || data.size(1) != data.size(2) || data.size(1) % 4 != 0)
        fail("RIM", "data must be [B, N, N] with N divisible by 4, got " + shapeText(data));
    if (sigma.sizes() != data.sizes() || start.sizes() != data.sizes())
        fail("RIM", "sigma " + shapeText(sigma) + " and start " + shapeText(start) + " must match the data " +
                        shapeText(data));

    RimState state = cell->initialState(data.size(0), data.size(1), data.options());
    std::vector<torch::Tensor> iterates;
    iterates.reserve(static_cast<size_t>(iterations));
    torch::Tensor estimate = start;
    for (int t = 1; t <= iterations; ++t) {
        const auto fit = likelihood(estimate);
        estimate = cell->forward(estimate, fit.gradient, data, sigma, state);
        iterates.push_back(estimate);
        if (callback && !callback(t, estimate, fit.chi2))
            break;
    }
    return iterates;
}

} // namespace astrorim::nn

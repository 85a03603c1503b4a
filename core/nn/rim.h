#pragma once

// The Recurrent Inference Machine (Putzky & Welling 2017; for lensing
// Morningstar et al. 2019, Adam et al. 2023): a learned optimizer that
// refines the source estimate x_t with the gradient of the data likelihood,
//     x_{t+1} = x_t + g(x_t, ∇χ²(x_t), y, σ; h_t),
// where g is a small U-Net whose two coarse scales carry ConvGRU states
// between iterations (the multiscale cell of Censai). The likelihood
// gradient is the true autograd gradient through the forward operator.

#include "model/likelihood.h"
#include "nn/conv_gru.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <functional>
#include <vector>

namespace astrorim::nn {

struct RimConfig
{
    int64_t channels0 = 8;  ///< features at full resolution
    int64_t channels1 = 16; ///< features and GRU state at ½ resolution
    int64_t channels2 = 32; ///< features and GRU state at ¼ resolution
};

/// The recurrent state between iterations.
struct RimState
{
    torch::Tensor half, quarter; ///< [B, C1, N/2, N/2], [B, C2, N/4, N/4]
};

class RimCellImpl : public torch::nn::Module
{
public:
    explicit RimCellImpl(RimConfig config = {});

    /// One update. Inputs [B, N, N] in normalized units (N divisible by 4):
    /// the estimate, the scaled likelihood gradient, the data and its noise.
    /// Returns the new estimate; `state` is replaced by the new state.
    torch::Tensor forward(const torch::Tensor &estimate, const torch::Tensor &gradient, const torch::Tensor &data,
                          const torch::Tensor &sigma, RimState &state);

    /// Zero state for a batch of N×N images.
    [[nodiscard]] RimState initialState(int64_t batch, int64_t gridSize, torch::TensorOptions options) const;

    [[nodiscard]] const RimConfig &config() const { return m_config; }

private:
    RimConfig m_config;
    torch::nn::Conv2d m_in{nullptr}, m_down1{nullptr}, m_down2{nullptr};
    ConvGru m_gru1{nullptr}, m_gru2{nullptr};
    torch::nn::Conv2d m_up2{nullptr}, m_merge1{nullptr}, m_up1{nullptr}, m_merge0{nullptr}, m_out{nullptr};
};
TORCH_MODULE(RimCell);

/// The forward operator of a batch: s ↦ A(s).
using ForwardFunction = std::function<torch::Tensor(const torch::Tensor &)>;

/// What the RIM reads of the data term at an estimate s [B, N, N]: the
/// scaled χ² gradient and χ² itself (model/likelihood.h), both detached.
using LikelihoodFunction = std::function<model::LikelihoodGradient(const torch::Tensor &)>;

/// The true autograd gradient of χ² through `forward`, for `data` and `sigma`.
[[nodiscard]] LikelihoodFunction autogradLikelihood(ForwardFunction forward, torch::Tensor data, torch::Tensor sigma);

/// Called after each iteration with (iteration from 1, estimate [B, N, N],
/// χ² [B] of the estimate before the update). Returning false stops early.
using IterationCallback = std::function<bool(int, const torch::Tensor &, const torch::Tensor &)>;

/// Runs `iterations` RIM steps from `start` and returns every iterate
/// (x_1 … x_T). `likelihood` must describe the same data and sigma; its
/// gradient is always detached (no second derivatives), and with grad mode
/// on the iterates carry the graph through the cell for training. Throws
/// astrorim::Error on bad shapes.
std::vector<torch::Tensor> runRim(RimCell &cell, const LikelihoodFunction &likelihood, const torch::Tensor &data,
                                  const torch::Tensor &sigma, const torch::Tensor &start, int iterations,
                                  const IterationCallback &callback = {});

} // namespace astrorim::nn

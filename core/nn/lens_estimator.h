#pragma once

// The lens-parameter estimator: a CNN that maps a normalized observation and
// its noise map to the lens parameters (nn/lens_parameters.h) with a
// Gaussian uncertainty for each, trained by the Gaussian negative
// log-likelihood. Two coordinate channels (CoordConv) let it read positions.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace astrorim::nn {

struct EstimatorOutput
{
    torch::Tensor mean;   ///< [B, ParameterCount], normalized units
    torch::Tensor logVar; ///< [B, ParameterCount], log σ² of each entry
};

class LensEstimatorImpl : public torch::nn::Module
{
public:
    explicit LensEstimatorImpl(int64_t gridSize = 96, int64_t width = 16);

    /// data, sigma [B, N, N] normalized → parameters with uncertainties.
    EstimatorOutput forward(const torch::Tensor &data, const torch::Tensor &sigma);

private:
    int64_t m_gridSize;
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_head{nullptr};
};
TORCH_MODULE(LensEstimator);

/// Masked Gaussian negative log-likelihood of the targets, plus the binary
/// cross-entropy of the two presence logits; mean over the batch.
torch::Tensor estimatorLoss(const EstimatorOutput &output, const torch::Tensor &target, const torch::Tensor &mask);

} // namespace astrorim::nn

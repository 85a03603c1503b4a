#pragma once

// The data term the RIM descends: χ² = Σ ((A(s) − y)/σ)² per image.

#include <functional>

#include <torch/types.h>

namespace astrorim::model {

/// χ² of each image: model, data and sigma [B, N, N] (sigma > 0) → [B].
torch::Tensor chiSquared(const torch::Tensor &model, const torch::Tensor &data, const torch::Tensor &sigma);

/// The true autograd gradient ∂χ²/∂s of `forward` (s ↦ A(s)) at `source`
/// [B, N, N], returned detached, as the RIM's input: scaled by ½ σ̃², where
/// σ̃ is each image's median noise, so that it reads as the residual
/// back-projected onto the source plane in data units (of order the noise
/// once the fit is good) whatever the signal-to-noise. Also returns χ².
/// Works under NoGradGuard too (it enables grad mode locally).
struct LikelihoodGradient
{
    torch::Tensor gradient; ///< [B, N, N], detached
    torch::Tensor chi2;     ///< [B], detached
};
LikelihoodGradient likelihoodGradient(const std::function<torch::Tensor(const torch::Tensor &)> &forward,
                                      const torch::Tensor &source, const torch::Tensor &data,
                                      const torch::Tensor &sigma);

/// The same, with the gradient 2 Aᵀ((A(s) − y)/σ²) approximated by an
/// explicit back-projection instead of autograd: `backProject` maps the
/// weighted residual on the image plane to the source plane (for example
/// LensingOperator::inverseWarp, which skips the PSF and the correction).
/// Scaled by ½ σ̃² like likelihoodGradient; this is the ablation's baseline.
LikelihoodGradient backProjectedGradient(const std::function<torch::Tensor(const torch::Tensor &)> &forward,
                                         const std::function<torch::Tensor(const torch::Tensor &)> &backProject,
                                         const torch::Tensor &source, const torch::Tensor &data,
                                         const torch::Tensor &sigma);

} // namespace astrorim::model

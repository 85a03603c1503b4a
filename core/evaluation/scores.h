#pragma once

#include <torch/types.h>

namespace astrorim::evaluation {

/// Per-image scores of source reconstructions, [B] float64 each.
struct SourceScores
{
    torch::Tensor ssim, mse;
};

/// Scores estimates [B, N, N] against true sources [B, N, N]: both are
/// divided by the true source's peak, so the truth spans [0, 1], the data
/// range the SSIM is computed with (metrics/ssim.h: scikit-image's
/// structural_similarity, Gaussian weights, σ 1.5) and the scale the MSE is
/// in. This is AstroRIM's convention: images scaled to a peak of one.
SourceScores scoreSources(const torch::Tensor &estimates, const torch::Tensor &truths);

} // namespace astrorim::evaluation

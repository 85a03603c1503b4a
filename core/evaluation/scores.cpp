#include "evaluation/scores.h"

#include "metrics/ssim.h"

#include <torch/torch.h>

namespace astrorim::evaluation {

SourceScores scoreSources(const torch::Tensor &estimates, const torch::Tensor &truths)
{
    torch::NoGradGuard noGrad;
    const auto x = estimates.to(torch::kFloat64), y = truths.to(torch::kFloat64);
    const auto peak = std::get<0>(y.flatten(1).max(1)).clamp_min(1e-300).view({-1, 1, 1});
    const auto xs = x / peak, ys = y / peak;
    return {metrics::ssim(xs, ys, 1.0), (xs - ys).square().mean({1, 2})};
}

} // namespace astrorim::evaluation

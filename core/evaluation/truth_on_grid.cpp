#include "evaluation/truth_on_grid.h"

#include "light/tensor_light.h"

#include <torch/torch.h>

namespace astrorim::evaluation {

torch::Tensor trueSourceOnGrid(const simulation::SampledSystems &truth, int64_t b, const fit::SourceGrid &grid,
                               int supersample)
{
    torch::NoGradGuard noGrad;
    const auto pick = [b](const torch::Tensor &t) { return t.slice(0, b, b + 1).to(torch::kCPU, torch::kFloat64); };
    const int n = grid.size, m = n * supersample;
    const auto offsets = torch::tensor(fit::sampleOffsets(grid, supersample), torch::kFloat64);
    const auto x = (grid.centerX + offsets).view({1, 1, m});
    const auto y = (grid.centerY + offsets).view({1, m, 1});
    const auto &s = truth.source;
    const light::SersicTensor source{pick(s.amp),      pick(s.R_sersic), pick(s.n_sersic), pick(s.e1),
                                     pick(s.e2),       pick(s.center_x), pick(s.center_y)};
    auto fine = light::sersic(source, x, y);
    const auto &c = truth.clumps;
    if (c.amp.defined() && c.amp.numel() > 0)
        fine = fine + light::gaussianBlobs({pick(c.amp), pick(c.sigma), pick(c.center_x), pick(c.center_y)}, x, y);
    return fine.view({n, supersample, n, supersample}).mean({1, 3});
}

} // namespace astrorim::evaluation

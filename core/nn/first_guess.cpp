#include "nn/first_guess.h"

#include <torch/torch.h>

namespace astrorim::nn {

fit::ModelParameters toModelParameters(const LensEstimate &lens, int64_t b)
{
    const auto one = selectSystem(lens, b);
    const auto v = [](const torch::Tensor &t) { return t.item<double>(); };
    fit::ModelParameters p;
    p.layout.nfw = one.lens.hasNfw;
    p.layout.sis = one.lens.hasSis;
    p.layout.lightComponents = 1;
    const auto &l = one.lens;
    p.values = {v(l.sie.theta_E), v(l.sie.e1), v(l.sie.e2), v(l.sie.center_x), v(l.sie.center_y),
                v(l.shear.gamma1), v(l.shear.gamma2)};
    if (p.layout.nfw)
        p.values.insert(p.values.end(), {v(l.nfw.Rs), v(l.nfw.alpha_Rs), v(l.nfw.center_x), v(l.nfw.center_y)});
    if (p.layout.sis)
        p.values.insert(p.values.end(), {v(l.sis.theta_E), v(l.sis.center_x), v(l.sis.center_y)});
    const auto &g = one.lensLight;
    p.values.insert(p.values.end(), {v(g.R_sersic), v(g.n_sersic), v(g.e1), v(g.e2)});
    p.clampToDomain();
    return p;
}

} // namespace astrorim::nn

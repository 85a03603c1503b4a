#include "lensing/lenstronomy_kwargs.h"

#include <torch/torch.h>

namespace astrorim::lensing {

nlohmann::json lenstronomyLens(const LensSystemTensor &lens, std::int64_t b, bool nfw, bool sis)
{
    const auto at = [b](const torch::Tensor &t) { return t[b].item<double>(); };
    nlohmann::json models = {"SIE", "SHEAR"};
    nlohmann::json kwargs = {{{"theta_E", at(lens.sie.theta_E)},
                              {"e1", at(lens.sie.e1)},
                              {"e2", at(lens.sie.e2)},
                              {"center_x", at(lens.sie.center_x)},
                              {"center_y", at(lens.sie.center_y)}},
                             {{"gamma1", at(lens.shear.gamma1)}, {"gamma2", at(lens.shear.gamma2)},
                              {"ra_0", 0.0}, {"dec_0", 0.0}}};
    if (nfw) {
        models.push_back("NFW");
        kwargs.push_back({{"Rs", at(lens.nfw.Rs)},
                          {"alpha_Rs", at(lens.nfw.alpha_Rs)},
                          {"center_x", at(lens.nfw.center_x)},
                          {"center_y", at(lens.nfw.center_y)}});
    }
    if (sis) {
        models.push_back("SIS");
        kwargs.push_back({{"theta_E", at(lens.sis.theta_E)},
                          {"center_x", at(lens.sis.center_x)},
                          {"center_y", at(lens.sis.center_y)}});
    }
    return {{"lens_model_list", models}, {"kwargs_lens", kwargs}};
}

} // namespace astrorim::lensing

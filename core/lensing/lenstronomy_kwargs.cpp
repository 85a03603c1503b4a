#include "lensing/lenstronomy_kwargs.h"

#include "common/error.h"
#include "lensing/lens_model.h"

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

LensModel lensModelFromLenstronomy(const nlohmann::json &modelList, const nlohmann::json &kwargs,
                                   const std::string &source)
{
    if (!modelList.is_array() || !kwargs.is_array() || modelList.size() != kwargs.size())
        fail(source, "lens_model_list and kwargs_lens must be lists of the same length");
    LensModel model;
    for (size_t i = 0; i < modelList.size(); ++i) {
        const auto &k = kwargs[i];
        const auto number = [&](const char *name) {
            if (!k.is_object() || !k.contains(name) || !k[name].is_number())
                fail(source, "kwargs_lens[" + std::to_string(i) + "] lacks the number " + name);
            return k[name].get<double>();
        };
        const auto name = modelList[i].is_string() ? modelList[i].get<std::string>() : std::string("?");
        if (name == "SIE")
            model.components.push_back(
                SieParams{number("theta_E"), number("e1"), number("e2"), number("center_x"), number("center_y")});
        else if (name == "SIS")
            model.components.push_back(SisParams{number("theta_E"), number("center_x"), number("center_y")});
        else if (name == "NFW")
            model.components.push_back(
                NfwParams{number("Rs"), number("alpha_Rs"), number("center_x"), number("center_y")});
        else if (name == "SHEAR")
            model.components.push_back(ShearParams{number("gamma1"), number("gamma2"), k.value("ra_0", 0.0),
                                                   k.value("dec_0", 0.0)});
        else
            fail(source, "lens model '" + name + "' is not one AstroRIM reads (SIE, SIS, NFW, SHEAR)");
    }
    try {
        validate(model); // "SIS theta_E: must be …", said of this file
    } catch (const Error &e) {
        fail(source, e.what());
    }
    return model;
}

} // namespace astrorim::lensing

#include "analysis/mass_report.h"

#include "analysis/lensing_distances.h"
#include "analysis/mass_summary.h"

#include <cmath>

namespace astrorim::analysis {

nlohmann::ordered_json massReport(const lensing::LensModel &model, const Cosmology &cosmology, double zLens,
                                  double zSource, double thetaESigma)
{
    using json = nlohmann::ordered_json;
    const auto m = summarizeMass(model, cosmology, zLens, zSource);
    const auto optional = [](const std::optional<double> &v) { return v ? json(*v) : json(nullptr); };
    const auto &p = cosmology.params();
    json out = {
        {"cosmology", {{"name", p.name}, {"H0", p.H0}, {"Om0", p.Om0}, {"Tcmb0", p.Tcmb0}}},
        {"z_lens", zLens},
        {"z_source", zSource},
        {"D_l_Mpc", m.distances.D_l},
        {"D_s_Mpc", m.distances.D_s},
        {"D_ls_Mpc", m.distances.D_ls},
        {"kpc_per_arcsec", kpcPerArcsec(m.distances)},
        {"sigma_crit_Msun_per_arcsec2", m.sigmaCrit},
        {"sigma_crit_Msun_per_kpc2", criticalDensityMsunPerKpc2(m.distances)},
        {"theta_E_parameter_arcsec", optional(m.thetaEParameter)},
        {"einstein_radius_arcsec", optional(m.einsteinRadius)},
        {"einstein_mass_Msun", optional(m.einsteinMass)},
        {"sigma_v_kms", optional(m.velocityDispersion)},
        {"definitions", "Einstein radius: mean convergence 1 inside it, about the main lens centre; Einstein mass: "
                        "Sigma_crit times the integral of kappa inside it; sigma_v: the SIS relation "
                        "theta_E = 4 pi (sigma_v/c)^2 D_ls/D_s at that radius"}};
    if (std::isfinite(thetaESigma) && m.einsteinRadius && m.einsteinMass && m.velocityDispersion &&
        m.thetaEParameter && *m.thetaEParameter > 0) {
        const double relative = thetaESigma / *m.thetaEParameter;
        out["uncertainties_1sigma"] = {
            {"einstein_radius_arcsec", relative * *m.einsteinRadius},
            {"einstein_mass_Msun", 2 * relative * *m.einsteinMass},
            {"sigma_v_kms", 0.5 * relative * *m.velocityDispersion},
            {"method", "first-order propagation of the SIE theta_E's 1-sigma (M ~ theta_E^2, "
                       "sigma_v ~ theta_E^(1/2))"}};
    }
    return out;
}

} // namespace astrorim::analysis

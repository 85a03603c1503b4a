#include "inference/diagnostics.h"

#include "inference/reconstructor.h"
#include "lensing/lenstronomy_kwargs.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace astrorim::inference {

namespace {

using json = nlohmann::ordered_json;

std::vector<float> values(const torch::Tensor &map)
{
    const auto t = map.to(torch::kCPU, torch::kFloat32).contiguous();
    return {t.data_ptr<float>(), t.data_ptr<float>() + t.numel()};
}

/// `map` with NaN where there are no data (σ = +inf).
std::vector<float> withData(const torch::Tensor &map, const torch::Tensor &sigma)
{
    return values(torch::where(torch::isfinite(sigma), map, torch::full_like(map, NAN)));
}

std::string number(double v, const char *format = "%.4g")
{
    char text[64];
    std::snprintf(text, sizeof text, format, v);
    return text;
}

/// A JSON number as text, or "—" for null or a missing key.
std::string entry(const json &object, const char *key, const char *format = "%.4g", double factor = 1)
{
    if (!object.is_object() || !object.contains(key) || !object[key].is_number())
        return "—";
    return number(object[key].get<double>() * factor, format);
}

} // namespace

Diagnostics makeDiagnostics(const ReconstructionResult &r, const json &parameters)
{
    Diagnostics d;
    d.name = r.name;
    const auto n = static_cast<int>(r.data.size(0));
    d.grid = {n, n, r.prepared.cutout.pixelScale, 0.0, 0.0};
    d.observation = withData(r.data, r.sigma);
    d.forward = values(r.forward);
    d.residual = withData(r.residual, r.sigma);
    d.chi2 = withData(r.chi2, r.sigma);
    d.source = values(r.source);

    d.lens = lensing::lensModelFromLenstronomy(parameters.at("lens_model_list"), parameters.at("kwargs_lens"), r.name);
    d.parameters = parameters;
    analyseLens(d);
    return d;
}

void analyseLens(Diagnostics &d)
{
    d.centre = analysis::lensCenter(d.lens);
    const double half = 0.5 * std::min(d.grid.width, d.grid.height) * d.grid.pixelScale;
    if (const auto radius = analysis::einsteinRadius(d.lens, d.centre)) {
        d.einsteinRadius = *radius;
        d.einsteinRadiusFromKappa = true;
    } else {
        d.einsteinRadius = analysis::einsteinRadiusParameter(d.lens).value_or(0.5 * half);
    }

    d.kappa = analysis::convergenceMap(d.lens, d.grid);
    d.criticalCurves = analysis::criticalCurves(d.lens, {{d.grid.center_x, d.grid.center_y}, half,
                                                         2 * std::max(d.grid.width, d.grid.height)});

    // Out to the cutout's edge, and at least twice θ_E so that the profile
    // shows where κ falls through 1.
    const double rMax = std::max(half, 2 * d.einsteinRadius);
    const int bins = 48;
    d.radialProfile = analysis::radialProfile(d.lens, d.centre, rMax, bins);
    const int samples = 96;
    for (int i = 1; i <= samples; ++i) {
        const double radius = rMax * i / samples;
        const double inside = analysis::enclosedConvergence(d.lens, d.centre, radius);
        d.enclosedConvergence.push_back({radius, inside});
        d.meanKappaWithin.push_back({radius, inside / (std::numbers::pi * radius * radius)});
    }
    d.azimuthalProfile = analysis::azimuthalProfile(d.lens, d.centre, d.einsteinRadius, 360);
}

std::optional<double> criticalDensity(const json &parameters)
{
    const auto mass = parameters.find("mass");
    if (mass == parameters.end() || !mass->is_object())
        return std::nullopt;
    const auto sigma = mass->find("sigma_crit_Msun_per_arcsec2");
    if (sigma == mass->end() || !sigma->is_number())
        return std::nullopt;
    return sigma->get<double>();
}

std::vector<TableRow> parameterTable(const json &p)
{
    constexpr double degrees = 180.0 / std::numbers::pi;
    std::vector<TableRow> rows;
    const json none = json::object();
    const auto &kwargs = p.contains("kwargs_lens") && !p["kwargs_lens"].empty() ? p["kwargs_lens"][0] : none;
    const auto &sigma = p.contains("uncertainties_1sigma") ? p["uncertainties_1sigma"] : none;
    const auto &quantities = p.contains("astrorim_quantities") ? p["astrorim_quantities"] : none;

    rows.push_back({"θ_E (SIE)", entry(kwargs, "theta_E"), entry(sigma, "theta_E", "%.2g"), "arcsec"});
    rows.push_back({"axis ratio q", entry(quantities, "q", "%.3f"), "", ""});
    rows.push_back({"position angle φ", entry(quantities, "phi", "%.1f", degrees), "", "deg"});
    rows.push_back({"centre x", entry(kwargs, "center_x", "%.3f"), entry(sigma, "center_x", "%.2g"), "arcsec"});
    rows.push_back({"centre y", entry(kwargs, "center_y", "%.3f"), entry(sigma, "center_y", "%.2g"), "arcsec"});
    rows.push_back({"shear γ_ext", entry(quantities, "gamma", "%.3f"), "", ""});
    rows.push_back({"shear angle φ_ext", entry(quantities, "gamma_phi", "%.1f", degrees), "", "deg"});
    if (p.contains("perturber_probability")) {
        rows.push_back({"P(NFW perturber)", entry(p["perturber_probability"], "NFW", "%.2f"), "", ""});
        rows.push_back({"P(SIS perturber)", entry(p["perturber_probability"], "SIS", "%.2f"), "", ""});
    }

    if (const auto mass = p.find("mass"); mass != p.end() && mass->is_object()) {
        const auto &m = *mass;
        const auto &u = m.contains("uncertainties_1sigma") ? m["uncertainties_1sigma"] : none;
        const std::string cosmology = m.contains("cosmology") && m["cosmology"].contains("name")
                                          ? m["cosmology"]["name"].get<std::string>()
                                          : "—";
        rows.push_back({"z_lens / z_source", entry(m, "z_lens", "%.3f") + " / " + entry(m, "z_source", "%.3f"), "",
                        cosmology});
        rows.push_back({"D_l / D_s / D_ls", entry(m, "D_l_Mpc", "%.0f") + " / " + entry(m, "D_s_Mpc", "%.0f") + " / " +
                                                entry(m, "D_ls_Mpc", "%.0f"),
                        "", "Mpc"});
        rows.push_back({"Σ_crit", entry(m, "sigma_crit_Msun_per_arcsec2", "%.3e"), "", "M☉/arcsec²"});
        rows.push_back({"θ_E (mean κ = 1)", entry(m, "einstein_radius_arcsec"), entry(u, "einstein_radius_arcsec", "%.2g"),
                        "arcsec"});
        rows.push_back({"Einstein mass M_E", entry(m, "einstein_mass_Msun", "%.3e"), entry(u, "einstein_mass_Msun", "%.2e"),
                        "M☉"});
        rows.push_back({"σ_v (SIS)", entry(m, "sigma_v_kms", "%.0f"), entry(u, "sigma_v_kms", "%.0f"), "km/s"});
    } else {
        rows.push_back({"mass", "needs redshifts", "", ""});
    }

    const auto &fit = p.contains("fit") ? p["fit"] : none;
    rows.push_back({"reduced χ²", entry(fit, "reduced_chi2", "%.3g"), "", ""});
    rows.push_back({"RMS residual / peak", entry(fit, "rms_residual", "%.3g"), "", ""});
    rows.push_back({fit.value("mode", std::string("rim")) == "rim" ? "RIM iterations" : "fit steps",
                    entry(fit, "iterations_run", "%.0f"), "", ""});
    if (const auto flags = p.find("flags"); flags != p.end() && flags->is_object())
        for (const auto &[name, flag] : flags->items()) {
            const bool raised = flag.value("raised", false);
            rows.push_back({"flag " + name, entry(flag, "value", "%.3g"), "",
                            std::string(raised ? "RAISED" : "ok") + " (limit " + entry(flag, "threshold", "%.3g") + ")",
                            raised});
        }
    return rows;
}

} // namespace astrorim::inference

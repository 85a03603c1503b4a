#include "nn/lens_parameters.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "model/image_grid.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::nn {

namespace {

constexpr std::array<std::string_view, ParameterCount> kNames{
    "theta_E", "e1", "e2", "center_x", "center_y", "gamma1", "gamma2",
    "light_log_amp", "light_log_R_sersic", "light_n_sersic", "light_e1", "light_e2", "psf_log_fwhm_pixels",
    "nfw_logit", "nfw_log_Rs", "nfw_alpha_Rs", "nfw_center_x", "nfw_center_y",
    "sis_logit", "sis_theta_E", "sis_center_x", "sis_center_y"};

torch::Tensor presenceLogit(const torch::Tensor &present, torch::ScalarType dtype)
{
    // ±4 rather than ±∞: a finite target for the classifier's logit.
    return present.to(dtype) * 8.0 - 4.0;
}

} // namespace

std::string_view parameterName(int64_t index)
{
    if (index < 0 || index >= ParameterCount)
        fail("lens parameter", "index " + std::to_string(index) + " out of range");
    return kNames[static_cast<size_t>(index)];
}

EncodedParameters encodeParameters(const LensEstimate &truth, const torch::Tensor &hasNfw,
                                   const torch::Tensor &hasSis, const torch::Tensor &pixelScale,
                                   const torch::Tensor &dataScale, int gridSize)
{
    const auto half = model::halfWidth(gridSize, pixelScale);
    const auto &sie = truth.lens.sie;
    const auto &light = truth.lensLight;
    const auto &nfw = truth.lens.nfw;
    const auto &sis = truth.lens.sis;
    const auto values = torch::stack(
        {sie.theta_E / half, sie.e1, sie.e2, sie.center_x / half, sie.center_y / half, truth.lens.shear.gamma1,
         truth.lens.shear.gamma2, torch::log(light.amp / dataScale), torch::log(light.R_sersic / half),
         light.n_sersic, light.e1, light.e2, torch::log(truth.psfFwhm / pixelScale), presenceLogit(hasNfw, pixelScale.scalar_type()),
         torch::log(nfw.Rs.clamp_min(1e-6) / half), nfw.alpha_Rs / half, nfw.center_x / half, nfw.center_y / half,
         presenceLogit(hasSis, pixelScale.scalar_type()), sis.theta_E / half, sis.center_x / half, sis.center_y / half},
        1);
    auto mask = torch::ones_like(values);
    const auto nfwPresent = hasNfw.to(values.scalar_type()).unsqueeze(1);
    const auto sisPresent = hasSis.to(values.scalar_type()).unsqueeze(1);
    mask.slice(1, NfwLogRs, NfwY + 1).mul_(nfwPresent);
    mask.slice(1, SisThetaE, SisY + 1).mul_(sisPresent);
    return {values, mask};
}

LensEstimate decodeParameters(const torch::Tensor &values, const torch::Tensor &pixelScale,
                              const torch::Tensor &dataScale, int gridSize)
{
    if (!values.defined() || values.dim() != 2 || values.size(1) != ParameterCount)
        fail("lens parameters", "expected [B, " + std::to_string(ParameterCount) + "], got " + shapeText(values));
    const auto half = model::halfWidth(gridSize, pixelScale);
    const auto v = [&](int64_t i) { return values.select(1, i); };
    LensEstimate out;
    out.lens.sie = {v(ThetaE).clamp_min(1e-4) * half, v(E1), v(E2), v(CenterX) * half, v(CenterY) * half};
    out.lens.shear = {v(Gamma1), v(Gamma2)};
    out.nfwProbability = torch::sigmoid(v(NfwLogit));
    out.sisProbability = torch::sigmoid(v(SisLogit));
    const auto nfwPresent = out.nfwProbability > 0.5, sisPresent = out.sisProbability > 0.5;
    const auto nfwOn = nfwPresent.to(values.scalar_type());
    const auto sisOn = sisPresent.to(values.scalar_type());
    out.lens.nfw = {torch::exp(v(NfwLogRs)) * half, v(NfwAlphaRs).clamp_min(0) * half * nfwOn, v(NfwX) * half,
                    v(NfwY) * half};
    out.lens.sis = {v(SisThetaE).clamp_min(0) * half * sisOn, v(SisX) * half, v(SisY) * half};
    // A batch without any perturber skips its (zero) deflection on every ray.
    out.lens.hasNfw = nfwPresent.any().item<bool>();
    out.lens.hasSis = sisPresent.any().item<bool>();
    out.lensLight = {torch::exp(v(LightLogAmp)) * dataScale, torch::exp(v(LightLogR)) * half,
                     v(LightN).clamp(0.3, 8.0), v(LightE1), v(LightE2), out.lens.sie.center_x,
                     out.lens.sie.center_y};
    out.psfFwhm = torch::exp(v(PsfLogFwhm)) * pixelScale;
    return out;
}

torch::Tensor physicalParameter(const LensEstimate &e, int64_t index)
{
    switch (index) {
    case ThetaE: return e.lens.sie.theta_E;
    case E1: return e.lens.sie.e1;
    case E2: return e.lens.sie.e2;
    case CenterX: return e.lens.sie.center_x;
    case CenterY: return e.lens.sie.center_y;
    case Gamma1: return e.lens.shear.gamma1;
    case Gamma2: return e.lens.shear.gamma2;
    case LightLogAmp: return e.lensLight.amp;
    case LightLogR: return e.lensLight.R_sersic;
    case LightN: return e.lensLight.n_sersic;
    case LightE1: return e.lensLight.e1;
    case LightE2: return e.lensLight.e2;
    case PsfLogFwhm: return e.psfFwhm;
    case NfwLogRs: return e.lens.nfw.Rs;
    case NfwAlphaRs: return e.lens.nfw.alpha_Rs;
    case NfwX: return e.lens.nfw.center_x;
    case NfwY: return e.lens.nfw.center_y;
    case SisThetaE: return e.lens.sis.theta_E;
    case SisX: return e.lens.sis.center_x;
    case SisY: return e.lens.sis.center_y;
    default: fail("lens parameter", std::string(parameterName(index)) + " has no physical value");
    }
}

torch::Tensor physicalSigma(const torch::Tensor &mean, const torch::Tensor &logVar, const torch::Tensor &pixelScale,
                            const torch::Tensor &dataScale, int gridSize, int64_t index)
{
    auto shifted = mean.detach().clone();
    shifted.select(1, index) += (0.5 * logVar.detach().select(1, index)).exp();
    const auto at = physicalParameter(decodeParameters(mean.detach(), pixelScale, dataScale, gridSize), index);
    const auto moved = physicalParameter(decodeParameters(shifted, pixelScale, dataScale, gridSize), index);
    return (moved - at).abs();
}

LensEstimate selectSystem(const LensEstimate &batch, int64_t b)
{
    const auto one = [b](const torch::Tensor &t) {
        return t.defined() ? t.detach().slice(0, b, b + 1).to(torch::kCPU, torch::kFloat64) : t;
    };
    LensEstimate out;
    const auto &l = batch.lens;
    out.lens.sie = {one(l.sie.theta_E), one(l.sie.e1), one(l.sie.e2), one(l.sie.center_x), one(l.sie.center_y)};
    out.lens.shear = {one(l.shear.gamma1), one(l.shear.gamma2)};
    out.lens.nfw = {one(l.nfw.Rs), one(l.nfw.alpha_Rs), one(l.nfw.center_x), one(l.nfw.center_y)};
    out.lens.sis = {one(l.sis.theta_E), one(l.sis.center_x), one(l.sis.center_y)};
    const auto &g = batch.lensLight;
    out.lensLight = {one(g.amp), one(g.R_sersic), one(g.n_sersic), one(g.e1), one(g.e2), one(g.center_x),
                     one(g.center_y)};
    out.psfFwhm = one(batch.psfFwhm);
    out.nfwProbability = one(batch.nfwProbability);
    out.sisProbability = one(batch.sisProbability);
    out.lens.hasNfw = out.nfwProbability.defined() && out.nfwProbability.item<double>() > 0.5;
    out.lens.hasSis = out.sisProbability.defined() && out.sisProbability.item<double>() > 0.5;
    return out;
}

} // namespace astrorim::nn

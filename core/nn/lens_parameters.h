#pragma once

// The lens-parameter vector the estimator predicts, in the networks'
// normalized units, and its conversion to and from physical parameters
// (arcsec in the image frame, data units). Angles are divided by the half
// field width N s/2 (model/image_grid.h); scales that span decades are
// logarithms. A perturber's parameters only count where it is present.

#include "lensing/tensor_lens.h"
#include "light/tensor_light.h"

#include <torch/types.h>

#include <array>
#include <string_view>

namespace astrorim::nn {

/// Index of each entry of the normalized parameter vector.
enum LensParameter : int64_t {
    ThetaE,      ///< SIE θ_E / half width
    E1,          ///< SIE e1
    E2,          ///< SIE e2
    CenterX,     ///< SIE (and lens light) centre / half width
    CenterY,
    Gamma1,      ///< external shear
    Gamma2,
    LightLogAmp, ///< log(lens-light amp / data scale)
    LightLogR,   ///< log(lens-light R_sersic / half width)
    LightN,      ///< lens-light Sérsic index
    LightE1,
    LightE2,
    PsfLogFwhm,  ///< log(PSF FWHM in pixels)
    NfwLogit,    ///< logit of P(an NFW perturber is present)
    NfwLogRs,    ///< log(Rs / half width)
    NfwAlphaRs,  ///< alpha_Rs / half width
    NfwX,
    NfwY,
    SisLogit,    ///< logit of P(an SIS perturber is present)
    SisThetaE,   ///< SIS θ_E / half width
    SisX,
    SisY,
    ParameterCount
};

/// lenstronomy-style name of each entry, for logs and reports.
std::string_view parameterName(int64_t index);

/// Physical parameters of a batch, as the operator and the exports need them.
struct LensEstimate
{
    lensing::LensSystemTensor lens;
    light::SersicTensor lensLight; ///< [B], amp in data units
    torch::Tensor psfFwhm;         ///< [B] arcsec
    torch::Tensor nfwProbability, sisProbability; ///< [B]
};

/// The physical value ([B]) behind entry `index`: θ_E, e1, e2, centre,
/// shear, lens-light amplitude, R_sersic, n_sersic, e1, e2, PSF FWHM, NFW
/// Rs, alpha_Rs and centre, SIS θ_E and centre. The presence logits have
/// none: asking for them throws astrorim::Error.
torch::Tensor physicalParameter(const LensEstimate &lens, int64_t index);

/// The estimator's 1σ of entry `index` in physical units ([B]): how far the
/// physical value moves when the normalized entry moves by σ = exp(½ logVar).
torch::Tensor physicalSigma(const torch::Tensor &mean, const torch::Tensor &logVar, const torch::Tensor &pixelScale,
                            const torch::Tensor &dataScale, int gridSize, int64_t index);

/// System `b` of a batch as a batch of one, float64 on the CPU; an absent
/// perturber keeps its zero strength, and hasNfw/hasSis say whether it is present.
LensEstimate selectSystem(const LensEstimate &batch, int64_t b);

/// Normalized targets and which entries count, both [B, ParameterCount].
struct EncodedParameters
{
    torch::Tensor values;
    torch::Tensor mask; ///< 1 where the entry is defined (perturber present), else 0
};

/// Physical → normalized. pixelScale [B] arcsec/pixel, dataScale [B] (the
/// data were divided by it), hasNfw/hasSis [B] bool.
EncodedParameters encodeParameters(const LensEstimate &truth, const torch::Tensor &hasNfw,
                                   const torch::Tensor &hasSis, const torch::Tensor &pixelScale,
                                   const torch::Tensor &dataScale, int gridSize);

/// Normalized → physical. An absent perturber (probability < ½) gets zero
/// strength, and hasNfw/hasSis tell whether any system has one (a host
/// synchronization). Differentiable in `values`.
LensEstimate decodeParameters(const torch::Tensor &values, const torch::Tensor &pixelScale,
                              const torch::Tensor &dataScale, int gridSize);

} // namespace astrorim::nn

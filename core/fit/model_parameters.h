#pragma once

// The nonlinear parameters of a fit as one flat vector: the lens mass (SIE +
// external shear, optional NFW and SIS perturbers) and the shapes of the lens
// light's Sérsic components (their amplitudes are linear and solved by the
// inversion). Angles in arcsec in the cutout frame: x along columns, y along
// rows, origin at the cutout's centre. Names are lenstronomy's.
//
// The lens light shares the SIE's centre: on galaxy-scale lenses the light
// and mass centres agree to a few hundredths of an arcsec, and tying them
// removes a degeneracy with the source position.

#include "lensing/tensor_lens.h"
#include "light/tensor_light.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace astrorim::fit {

/// Which components a parameter vector holds.
struct ParameterLayout
{
    bool nfw = false;        ///< an NFW perturber: Rs, alpha_Rs, center_x, center_y
    bool sis = false;        ///< an SIS perturber: theta_E, center_x, center_y
    int lightComponents = 1; ///< Sérsic lens-light components, 0-2: R_sersic, n_sersic, e1, e2 each

    [[nodiscard]] int count() const { return 7 + (nfw ? 4 : 0) + (sis ? 3 : 0) + 4 * lightComponents; }
    /// Index of the first entry of each block (−1 where absent).
    [[nodiscard]] int nfwOffset() const { return nfw ? 7 : -1; }
    [[nodiscard]] int sisOffset() const { return sis ? 7 + (nfw ? 4 : 0) : -1; }
    [[nodiscard]] int lightOffset(int component) const { return 7 + (nfw ? 4 : 0) + (sis ? 3 : 0) + 4 * component; }
    bool operator==(const ParameterLayout &) const = default;
};

/// Indices of the always-present entries.
enum MassParameter : int { ThetaE = 0, E1, E2, CenterX, CenterY, Gamma1, Gamma2 };

struct ModelParameters
{
    ParameterLayout layout;
    std::vector<double> values; ///< layout.count() entries

    /// Name of entry `i`, e.g. "theta_E", "gamma1", "nfw.Rs", "light0.R_sersic".
    [[nodiscard]] std::string name(int i) const;
    /// Typical scale of entry `i` (arcsec or dimensionless), used to make
    /// optimizer steps and finite differences comparable across entries.
    [[nodiscard]] double scale(int i) const;
    /// scale(i) of every entry.
    [[nodiscard]] std::vector<double> scales() const;
    /// Throws astrorim::Error naming the first entry that is not finite or
    /// outside its domain (θ_E ≤ 0, |e| ≥ 1, R_sersic ≤ 0, n outside 0.2-8, Rs ≤ 0).
    void validate(const std::string &subject) const;
    /// Moves every entry into its domain (|e| ≤ 0.9, θ_E, R_sersic, Rs ≥ 1e-3,
    /// 0.3 ≤ n ≤ 8): optimizer steps may leave it.
    void clampToDomain();
};

/// The parameters as batch-of-one float64 tensors on `device`, built from
/// `values` ([count] float64, possibly requiring a gradient) so that results
/// are differentiable in it.
struct ParameterTensors
{
    lensing::LensSystemTensor lens;
    std::vector<light::SersicTensor> light; ///< amp = 1: the inversion scales them
};
ParameterTensors toTensors(const ParameterLayout &layout, const torch::Tensor &values);

} // namespace astrorim::fit

#include "lensing/lens_params.h"

namespace astrorim::fit {

/// The mass part as a double-precision lens model (SIE, SHEAR, then NFW and
/// SIS where present), for the analysis and the exports.
lensing::LensModel toLensModel(const ModelParameters &p);

} // namespace astrorim::fit

#pragma once

// The mass numbers of a lens model at known redshifts: Einstein radii, the
// Einstein mass M(<θ_E) = Σ_crit ∫_{r<θ_E} κ dA and the SIS velocity
// dispersion, about the main lens centre (lensCenter).

#include "analysis/lensing_distances.h"
#include "lensing/lens_params.h"

#include <optional>

namespace astrorim::analysis {

struct MassSummary
{
    lensing::Vec2 center;                     ///< arcsec, the main lens centre
    LensingDistances distances;               ///< Mpc
    double sigmaCrit = 0.0;                   ///< Σ_crit, M_sun/arcsec²
    std::optional<double> thetaEParameter;    ///< the SIE/SIS θ_E parameter, arcsec
    std::optional<double> einsteinRadius;     ///< radius of mean κ = 1, arcsec (empty: sub-critical)
    std::optional<double> einsteinMass;       ///< M_sun inside einsteinRadius
    std::optional<double> velocityDispersion; ///< km/s, SIS relation at einsteinRadius
    std::optional<double> velocityDispersionParameter; ///< km/s, SIS relation at thetaEParameter
};

/// M(<radius) = Σ_crit ∫_{r<radius} κ dA in M_sun, about `center` (arcsec).
/// Throws astrorim::Error for an invalid model or radius < 0.
double enclosedMassMsun(const lensing::LensModel &model, lensing::Vec2 center, double radius,
                        const LensingDistances &distances);

/// Throws astrorim::Error for an invalid model, a model without a mass
/// component, or bad redshifts (see lensingDistances).
MassSummary summarizeMass(const lensing::LensModel &model, const Cosmology &cosmology, double z_lens,
                          double z_source);

} // namespace astrorim::analysis

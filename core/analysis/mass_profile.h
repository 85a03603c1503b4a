#pragma once

// Convergence profiles and enclosed masses of a lens model about a centre:
// azimuthal averages in annuli, κ around a circle, ∫ κ dA inside a radius and
// the Einstein radius where the mean κ inside falls to 1. Positions and radii
// in arcsec, angles φ in radians counter-clockwise from +x, lenstronomy's frame.
//
// Masses come from Gauss's theorem: ∇·α = 2κ, so ∫_{r<R} κ dA = ½ ∮ α·n ds
// on the circle of radius R, integrated with the trapezoidal rule in φ
// (2048 angles). This is the area integral of κ done exactly in r: the
// boundary integrand stays smooth where κ is singular (every SIS, SIE and
// NFW centre, including subhaloes off the disc's centre), so masses are
// accurate to ~1e-12 relative unless a component's centre lies within a few
// thousandths of R of the circle itself.

#include "lensing/lens_params.h"

#include <optional>
#include <vector>

namespace astrorim::analysis {

/// The centre of the main lens: the first SIE, SIS or NFW component's centre.
/// Throws astrorim::Error when the model has no mass component.
lensing::Vec2 lensCenter(const lensing::LensModel &model);

/// The SIE or SIS θ_E parameter of the first such component, if any.
std::optional<double> einsteinRadiusParameter(const lensing::LensModel &model);

/// One annulus r_inner ≤ r < r_outer and its area-weighted mean κ.
struct RadialBin
{
    double r_inner = 0.0;
    double r_outer = 0.0;
    double kappa = 0.0;
};

/// κ(r) in `bins` equal-width annuli from 0 to r_max about `center`.
/// Throws astrorim::Error naming r_max or bins when r_max ≤ 0 or bins < 1.
std::vector<RadialBin> radialProfile(const lensing::LensModel &model, lensing::Vec2 center, double r_max,
                                     int bins);

/// κ at one radius and angle.
struct AzimuthalSample
{
    double phi = 0.0; ///< radians, counter-clockwise from +x
    double kappa = 0.0;
};

/// κ(φ) at `samples` equally spaced angles on the circle of `radius` about
/// `center`, starting at φ = 0. Throws for radius ≤ 0 or samples < 1.
std::vector<AzimuthalSample> azimuthalProfile(const lensing::LensModel &model, lensing::Vec2 center,
                                              double radius, int samples);

/// ∫ κ dA (arcsec²) inside the circle of `radius` about `center`; multiply by
/// Σ_crit in M_sun/arcsec² for the mass. Throws for radius < 0.
double enclosedConvergence(const lensing::LensModel &model, lensing::Vec2 center, double radius);

/// Mean κ inside the circle of `radius` > 0: enclosedConvergence / (π r²).
double meanConvergenceWithin(const lensing::LensModel &model, lensing::Vec2 center, double radius);

/// The Einstein radius of a general lens: the smallest radius (arcsec) at
/// which the mean κ inside falls to 1, searched outwards from 1e-4″ to r_max;
/// for an SIS it is θ_E. Empty when the mean κ never crosses 1 there
/// (a sub-critical lens). Accurate to ~1e-12 relative.
std::optional<double> einsteinRadius(const lensing::LensModel &model, lensing::Vec2 center,
                                     double r_max = 100.0);

} // namespace astrorim::analysis

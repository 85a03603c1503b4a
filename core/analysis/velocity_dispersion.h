#pragma once

// The singular isothermal sphere's relation between its Einstein radius and
// its one-dimensional velocity dispersion (Schneider, Ehlers & Falco 1992,
// eq. 8.34): θ_E = 4π (σ_v/c)² D_ls/D_s. For other lenses σ_v is the
// dispersion of the SIS with the same θ_E — a conventional, model-dependent
// summary, not a measured stellar dispersion.

#include "analysis/lensing_distances.h"

namespace astrorim::analysis {

/// σ_v (km/s) of the SIS with Einstein radius theta_E (arcsec). Throws
/// astrorim::Error naming theta_E when it is negative or not finite.
double velocityDispersionKms(double theta_E, const LensingDistances &d);

/// θ_E (arcsec) of the SIS with velocity dispersion sigma_v (km/s). Throws
/// astrorim::Error naming sigma_v when it is negative or not finite.
double einsteinRadiusFromVelocityDispersion(double sigma_v, const LensingDistances &d);

} // namespace astrorim::analysis

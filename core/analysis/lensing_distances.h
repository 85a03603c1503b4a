#pragma once

// The distances of a lens system and its critical surface density
// Σ_crit = c²/(4πG) · D_s/(D_l D_ls) (Schneider, Ehlers & Falco 1992, eq. 5.5):
// κ = Σ/Σ_crit, so a mass from κ is Σ_crit ∫ κ dA.

#include "analysis/cosmology.h"

namespace astrorim::analysis {

/// Angular diameter distances (Mpc) of a lens at z_lens and a source at z_source.
struct LensingDistances
{
    double z_lens = 0.0;
    double z_source = 0.0;
    double D_l = 0.0;  ///< observer to lens
    double D_s = 0.0;  ///< observer to source
    double D_ls = 0.0; ///< lens to source
};

/// Throws astrorim::Error naming z_lens or z_source when either is negative or
/// not finite, when z_lens = 0 (no lensing distance), or when z_source ≤ z_lens.
LensingDistances lensingDistances(const Cosmology &cosmology, double z_lens, double z_source);

/// Σ_crit in kg/m².
double criticalDensityKgPerM2(const LensingDistances &d);

/// Σ_crit in M_sun per kpc² (proper area at the lens).
double criticalDensityMsunPerKpc2(const LensingDistances &d);

/// Σ_crit in M_sun per arcsec² on the sky at the lens (× (D_l · 1″)²): the
/// factor that turns ∫ κ dA over arcsec² into solar masses.
double criticalDensityMsunPerArcsec2(const LensingDistances &d);

/// Proper length at the lens of one arcsecond, kpc.
double kpcPerArcsec(const LensingDistances &d);

} // namespace astrorim::analysis

#pragma once

// Navarro-Frenk-White halo, lenstronomy's "NFW", in double precision.
// Positions, Rs and alpha_Rs in arcsec, lenstronomy's frame.
//
// lenstronomy's parametrisation: the 3-D density ρ0 / ((r/Rs)(1 + r/Rs)²) with
// ρ0 = alpha_Rs / (4 Rs² (1 + ln ½)), so that alpha_Rs is the deflection at
// r = Rs. With X = r/Rs (Wright & Brainerd 2000; Golse & Kneib 2002):
//   α(r) = 4 ρ0 Rs² g(X)/X,   g(X) = ln(X/2) + G(X),
//   κ    = 2 ρ0 Rs F(X),      F(X) = (1 − G(X))/(X² − 1),
//   ψ    = 2 ρ0 Rs³ h(X),     h(X) = ln²(X/2) ∓ arccosh²(1/X) or + arccos²(1/X),
// G(X) = arccosh(1/X)/sqrt(1 − X²) for X < 1, arccos(1/X)/sqrt(X² − 1) for X > 1.
// The closed forms are rearranged where they cancel (X → 0 and X → 1); X is
// floored at 1e-8. Every function throws astrorim::Error for invalid parameters.

#include "lensing/lens_params.h"

namespace astrorim::lensing {

/// Throws astrorim::Error naming the parameter for Rs ≤ 0, alpha_Rs < 0 or any
/// non-finite value.
void validate(const NfwParams &p);

/// Radial deflection α (arcsec); 0 at the centre.
Vec2 deflection(const NfwParams &p, double x, double y);

/// H = (α/r) I + (2κ − 2α/r) r̂ r̂ᵀ, as for any circular profile.
Hessian hessian(const NfwParams &p, double x, double y);

/// Lensing potential (arcsec²) in lenstronomy's convention (its additive constant).
double potential(const NfwParams &p, double x, double y);

/// Convergence κ (lenstronomy's units, Σ_crit = 1).
double convergence(const NfwParams &p, double x, double y);

/// ρ0 of lenstronomy's parametrisation: alpha_Rs / (4 Rs² (1 + ln ½)).
double nfwRho0(const NfwParams &p);

} // namespace astrorim::lensing

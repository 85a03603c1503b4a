#pragma once

// Singular isothermal ellipsoid, lenstronomy's "SIE" (its NIE with a vanishing
// core), in double precision: the reference that the tensor form is tested
// against. Positions and angles in arcsec, lenstronomy's frame.
//
// In the frame rotated by φ = ½ atan2(e2, e1) about the centre,
// κ = ½ θ_E / sqrt(q x'² + y'²/q) with q = (1 − |e|)/(1 + |e|). The deflection
// is the closed form of Kormann, Schneider & Bartelmann (1994) in lenstronomy's
// normalisation b = θ_E √q; for |e| < 1e-8 its first-order expansion in
// (e1, e2) about the SIS is used instead (exact to |e|², and exactly the SIS at
// e = 0). Every function throws astrorim::Error for invalid parameters (see
// validate) and returns finite values at the centre (deflection 0 there).

#include "lensing/lens_params.h"

namespace astrorim::lensing {

/// Throws astrorim::Error naming the parameter for θ_E < 0, |e| ≥ 1 or any
/// non-finite value.
void validate(const SieParams &p);

/// Deflection α (arcsec) at (x, y).
Vec2 deflection(const SieParams &p, double x, double y);

/// Second derivatives of the potential (dimensionless). The potential is
/// homogeneous of degree 1 about the centre, so H = 2κ ê_θ ê_θᵀ.
Hessian hessian(const SieParams &p, double x, double y);

/// Lensing potential (arcsec²), ψ = (x − x_c)·α; zero at the centre.
double potential(const SieParams &p, double x, double y);

/// Convergence κ; finite (large) at the centre, where r is floored at 1e-10 arcsec.
double convergence(const SieParams &p, double x, double y);

} // namespace astrorim::lensing

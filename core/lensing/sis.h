#pragma once

// Singular isothermal sphere, lenstronomy's "SIS", in double precision:
// κ = θ_E/(2r), |α| = θ_E, ψ = θ_E r. Positions in arcsec, lenstronomy's frame.
// Every function throws astrorim::Error for invalid parameters (see validate)
// and returns finite values at the centre (deflection 0 there).

#include "lensing/lens_params.h"

namespace astrorim::lensing {

/// Throws astrorim::Error naming the parameter for θ_E < 0 or any non-finite value.
void validate(const SisParams &p);

/// α = θ_E (x − x_c, y − y_c)/r (arcsec); 0 at the centre.
Vec2 deflection(const SisParams &p, double x, double y);

/// H = 2κ ê_θ ê_θᵀ (the radial eigenvalue of a degree-1 homogeneous potential is 0).
Hessian hessian(const SisParams &p, double x, double y);

/// ψ = θ_E r (arcsec²).
double potential(const SisParams &p, double x, double y);

/// κ = θ_E/(2r); r is floored at 1e-10 arcsec, so the centre gives a large finite value.
double convergence(const SisParams &p, double x, double y);

} // namespace astrorim::lensing

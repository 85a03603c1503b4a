#pragma once

// External shear, lenstronomy's "SHEAR", in double precision:
// ψ = ½ γ1 (x² − y²) + γ2 x y about (ra_0, dec_0). Positions in arcsec,
// lenstronomy's frame. Every function throws astrorim::Error for non-finite
// parameters. The polar form (gamma_ext, psi_ext) is in ellipticity.h.

#include "lensing/lens_params.h"

namespace astrorim::lensing {

/// Throws astrorim::Error naming the parameter for any non-finite value.
void validate(const ShearParams &p);

/// α = (γ1 x + γ2 y, γ2 x − γ1 y), with x, y relative to (ra_0, dec_0).
Vec2 deflection(const ShearParams &p, double x, double y);

/// H = [[γ1, γ2], [γ2, −γ1]], the same everywhere.
Hessian hessian(const ShearParams &p, double x, double y);

/// ψ = ½ γ1 (x² − y²) + γ2 x y (arcsec²).
double potential(const ShearParams &p, double x, double y);

/// κ = 0: external shear carries no mass.
double convergence(const ShearParams &p, double x, double y);

} // namespace astrorim::lensing

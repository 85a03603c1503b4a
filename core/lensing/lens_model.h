#pragma once

// A LensModel (lenstronomy's lens_model_list with kwargs_lens) evaluated in
// double precision by summing its components. Positions in arcsec,
// lenstronomy's frame. Every function throws astrorim::Error naming the
// component and parameter when one is invalid; an empty model deflects nothing.
// convergence/shear/magnification from the Hessian are in lens_quantities.h.

#include "lensing/lens_params.h"
#include "lensing/lens_quantities.h"
#include "lensing/nfw.h"
#include "lensing/shear.h"
#include "lensing/sie.h"
#include "lensing/sis.h"

namespace astrorim::lensing {

/// Validates every component; throws astrorim::Error for the first invalid one.
void validate(const LensModel &model);

/// Sum of the components' deflections (arcsec).
Vec2 deflection(const LensModel &model, double x, double y);

/// Sum of the components' Hessians.
Hessian hessian(const LensModel &model, double x, double y);

/// Sum of the components' potentials (arcsec²).
double potential(const LensModel &model, double x, double y);

/// Sum of the components' convergences.
double convergence(const LensModel &model, double x, double y);

} // namespace astrorim::lensing

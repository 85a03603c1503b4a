#pragma once

// The estimator's lens (or a simulated truth in the same form) as the fit's
// parameter vector: the fit starts from it (DESIGN.md, data flow step 1).

#include "fit/model_parameters.h"
#include "nn/lens_parameters.h"

namespace astrorim::nn {

/// System `b` of `lens`: SIE + shear, an NFW or SIS perturber where its
/// probability exceeds ½, one lens-light Sérsic (the amplitude is left to
/// the inversion). Values are moved into the parameters' domain.
fit::ModelParameters toModelParameters(const LensEstimate &lens, int64_t b);

} // namespace astrorim::nn

#pragma once

// The mass analysis of a reconstructed lens as the exports state it, for
// NAME_parameters.json (reconstruct) and the analyze command.

#include "analysis/cosmology.h"
#include "lensing/lens_params.h"

#include <nlohmann/json.hpp>

namespace astrorim::analysis {

/// Distances, Σ_crit, the Einstein radius (mean κ = 1), the Einstein mass
/// and σ_v (SIS relation) of `model` at the given redshifts. `thetaESigma`
/// (arcsec, NaN when unknown) is the SIE θ_E's 1σ; it is propagated to first
/// order, M ∝ θ_E² and σ_v ∝ √θ_E, and stated as such. Throws
/// astrorim::Error for bad redshifts or a model without mass.
nlohmann::ordered_json massReport(const lensing::LensModel &model, const Cosmology &cosmology, double zLens,
                                  double zSource, double thetaESigma);

} // namespace astrorim::analysis

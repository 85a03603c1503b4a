#pragma once

// The lens of one system in lenstronomy's terms, as the exports write it:
// lens_model_list ["SIE", "SHEAR", ("NFW"), ("SIS")] and kwargs_lens with
// lenstronomy's parameter names, angles in arcsec in the frame the tensors
// use. One place, so the simulator's truth and the reconstruction's
// parameters are written alike.

#include "lensing/lens_params.h"
#include "lensing/tensor_lens.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace astrorim::lensing {

/// {"lens_model_list": [...], "kwargs_lens": [...]} for system `b` of
/// `lens`; the NFW and SIS appear only when `nfw` / `sis` say the system has them.
nlohmann::json lenstronomyLens(const LensSystemTensor &lens, std::int64_t b, bool nfw, bool sis);

/// The inverse, for the double-precision reference (lens_model.h): reads
/// lens_model_list and kwargs_lens (SIE, SIS, NFW, SHEAR). Throws
/// astrorim::Error naming `source` for an unknown model, a missing or
/// non-numeric parameter, or lists of different lengths.
LensModel lensModelFromLenstronomy(const nlohmann::json &modelList, const nlohmann::json &kwargs,
                                   const std::string &source);

} // namespace astrorim::lensing

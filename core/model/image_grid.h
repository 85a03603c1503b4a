#pragma once

// The one place where arcseconds meet the networks' normalized grid.
//
// An N×N image with pixel scale s (arcsec/pixel) spans [−N s/2, N s/2] on
// both axes, centred on the image centre; x grows with the column index, y
// with the row index (FITS order, row 0 at the bottom). The normalized frame
// divides angles by the half width N s/2, so the image spans [−1, 1]: the
// frame of torch's grid_sample with align_corners = false, where −1 and 1
// are the outer edges of the edge pixels.

#include <torch/types.h>

namespace astrorim::model {

/// Centres of the N·S sub-pixels along one axis, in pixels from the image
/// centre: sub-pixel m lies at (m + ½)/S − N/2. Float tensor on `options`.
torch::Tensor subpixelOffsets(int gridSize, int supersample, torch::TensorOptions options);

/// Half the field width in arcsec, N s/2, shaped like `pixelScale` ([B]).
torch::Tensor halfWidth(int gridSize, const torch::Tensor &pixelScale);

} // namespace astrorim::model

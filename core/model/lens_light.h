#pragma once

#include "light/tensor_light.h"

#include <torch/types.h>

namespace astrorim::model {

/// The lens light as the forward operator adds it: the Sérsic profile
/// `light` ([B] parameters, arcsec, image frame) averaged over S×S
/// sub-pixels of an N×N image with pixel scale `pixelScale` [B], then
/// convolved with `psf` [B, k, k]. Returns [B, N, N] in the units of amp.
torch::Tensor renderLensLight(const light::SersicTensor &light, const torch::Tensor &pixelScale,
                              const torch::Tensor &psf, int gridSize, int supersample);

} // namespace astrorim::model

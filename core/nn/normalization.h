#pragma once

#include <torch/types.h>

namespace astrorim::nn {

/// The scale the networks divide data by: the peak of the 3×3 box-smoothed
/// image, so that one hot pixel or a noise spike does not set it. images
/// [B, N, N] → [B], floored at a tiny positive value. The model is trained
/// on data normalized this way, so inference must use it too.
torch::Tensor peakScale(const torch::Tensor &images);

/// A batch of observations in the networks' units: data and noise divided
/// by dataScale = peakScale(data), sky already subtracted.
struct NormalizedObservation
{
    torch::Tensor data, sigma; ///< [B, N, N]
    torch::Tensor pixelScale;  ///< [B] arcsec/pixel
    torch::Tensor psf;         ///< [B, k, k], normalized
    torch::Tensor dataScale;   ///< [B], data units per normalized unit
};

/// Normalizes sky-subtracted images [B, N, N] and their 1σ noise maps by
/// peakScale; pixel scale and PSF are carried along unchanged.
NormalizedObservation normalizeObservation(const torch::Tensor &images, const torch::Tensor &noiseMaps,
                                           const torch::Tensor &pixelScale, const torch::Tensor &psf);

} // namespace astrorim::nn

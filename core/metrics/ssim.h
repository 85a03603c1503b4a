#pragma once

#include <torch/types.h>

namespace astrorim::metrics {

/// Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004, IEEE TIP 13,
/// 600) of each image pair: x and y [B, H, W] (or [H, W], a batch of one),
/// same shape and device, any real dtype. Returns [B] float64 on their device.
///
/// Each value equals scikit-image 0.19's
///     skimage.metrics.structural_similarity(x, y, gaussian_weights=True, sigma=1.5,
///                                           use_sample_covariance=False, data_range=dataRange)
/// for float64 images (the paper's settings): local means, variances and the
/// covariance are weighted by the normalized 11×11 Gaussian window σ = 1.5
/// truncated at 3.5σ (scipy.ndimage.gaussian_filter, applied separably, with
/// mode='reflect', i.e. the edge pixel repeated: d c b a | a b c d | d c b a),
/// the variances and covariance are the weighted population ones (skimage's
/// default use_sample_covariance=True would scale them by N/(N−1) = 121/120),
/// C1 = (0.01 R)², C2 = (0.03 R)² with R = dataRange, and the result is the
/// mean of the SSIM map after cropping 5 pixels, (11 − 1)/2, from every edge.
/// The crop removes exactly the pixels whose window reaches past the edge, so
/// the mean does not depend on the boundary mode; it is skimage's all the same.
/// Computed in float64 whatever the input dtype: for float32 input skimage
/// filters in float32 and differs from this by its rounding (1.3e-8 on a
/// 40×40 test image).
///
/// Throws astrorim::Error for mismatched or non-image shapes, images smaller
/// than 11×11 (skimage refuses them too), or a dataRange that is not finite
/// and positive.
torch::Tensor ssim(const torch::Tensor &x, const torch::Tensor &y, double dataRange);

/// The Gaussian window's half width and σ: 5 = int(3.5 · 1.5 + 0.5), as ndimage computes it.
inline constexpr int kSsimWindowRadius = 5;
inline constexpr double kSsimSigma = 1.5;

} // namespace astrorim::metrics

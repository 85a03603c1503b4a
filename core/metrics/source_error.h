#pragma once

#include <torch/types.h>

namespace astrorim::metrics {

// Source-plane quality measures that an empty reconstruction cannot game
// (DESIGN.md, "Measuring quality honestly"). Whole-frame SSIM of a
// compact source rewards an all-zero image; these do not.

/// Relative error ‖ŝ − s‖₂ / ‖s‖₂ of each image, the sums over all pixels, in
/// the images' own (flux) units: estimate ŝ and truth s [B, H, W] (or [H, W],
/// a batch of one), same shape and device, any real dtype. Returns [B] float64
/// on their device, computed in float64. An all-zero estimate scores exactly 1.
/// Throws astrorim::Error for mismatched or non-image shapes, or a truth image
/// that is all zero (its norm is the denominator).
torch::Tensor relativeError(const torch::Tensor &estimate, const torch::Tensor &truth);

/// Per-image result of alignedRelativeError, each [B] float64 on the inputs' device.
struct AlignedError
{
    torch::Tensor error; ///< relative error of the shifted estimate, ≤ relativeError(estimate, truth)
    torch::Tensor dx;    ///< best shift of the estimate along columns (+x: towards larger column index), pixels
    torch::Tensor dy;    ///< best shift of the estimate along rows (+y: towards larger row index), pixels
};

/// The relative error after the best source-plane translation of the estimate,
/// as after a fit with a slightly wrong lens, which moves the whole source.
/// Same inputs and errors as relativeError; the shift is searched within
/// |dx|, |dy| ≤ maxShift pixels (finite, ≥ 0; otherwise astrorim::Error).
///
/// The shifted estimate is ŝ(row − dy, col − dx), interpolated bilinearly with
/// zeros outside the image: flux shifted out is lost, none comes in. Bilinear
/// interpolation at a fractional shift also smooths slightly (variance
/// f(1 − f) px² per axis at fraction f), so a sub-pixel optimum scores a little
/// worse than a perfect resampling would; integer shifts are exact.
/// The search evaluates a grid of shifts 0.25 px apart (shift 0 included)
/// for the global basin, then refines with a compass (pattern) search down to
/// steps below 0.005 px. Only strict improvements on shift 0 are accepted, so
/// the result never exceeds the unaligned error, and equal-scoring shifts keep
/// the one found first (shift 0 when nothing is better).
AlignedError alignedRelativeError(const torch::Tensor &estimate, const torch::Tensor &truth, double maxShift);

/// SSIM (metrics::ssim, scikit-image's Gaussian-window SSIM) inside each truth
/// image's support window: the bounding box of the pixels where truth > 2 % of
/// its peak (its maximum), padded by 5 pixels and clipped to the image; a
/// window smaller than 11×11 (ssim's minimum) is grown symmetrically to 11
/// pixels along that axis, moved inward where it would cross the edge. Both
/// images are divided by the truth's peak and scored with data range 1.
/// Since ssim drops 5 pixels along every edge, an unclipped, ungrown window
/// averages the SSIM map over the bounding box itself.
/// Inputs as for relativeError, each image at least 11×11. Returns [B] float64
/// on their device. Throws astrorim::Error for mismatched or non-image shapes,
/// images smaller than 11×11, or a truth image with no positive pixel.
torch::Tensor supportSsim(const torch::Tensor &estimate, const torch::Tensor &truth);

/// Fraction of the truth's peak above which a pixel belongs to its support, and the padding in pixels.
inline constexpr double kSupportThreshold = 0.02;
inline constexpr int kSupportPadding = 5;

} // namespace astrorim::metrics

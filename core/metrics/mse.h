#pragma once

#include <torch/types.h>

namespace astrorim::metrics {

/// Mean squared error of each image pair, mean over pixels of (x − y)²: x and
/// y [B, H, W] (or [H, W], a batch of one), same shape and device. Returns [B]
/// float64 on their device (skimage.metrics.mean_squared_error per image).
/// Throws astrorim::Error for mismatched or non-image shapes.
torch::Tensor mse(const torch::Tensor &x, const torch::Tensor &y);

} // namespace astrorim::metrics

#pragma once

#include <torch/types.h>

namespace astrorim::nn {

/// The scale the networks divide data by: the peak of the 3×3 box-smoothed
/// image, so that one hot pixel or a noise spike does not set it. images
/// [B, N, N] → [B], floored at a tiny positive value. The model is trained
/// on data normalized this way, so inference must use it too.
torch::Tensor peakScale(const torch::Tensor &images);

} // namespace astrorim::nn

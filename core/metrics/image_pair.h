#pragma once

#include <torch/types.h>

#include <string>
#include <utility>

namespace astrorim::metrics {

/// Checks a (reconstruction, truth) pair of image batches for a metric and
/// returns both as [B, H, W] float64 on their device: [H, W] becomes a batch
/// of one. Throws astrorim::Error naming `metric` when either is undefined,
/// not 2-D or 3-D, empty, not real-valued, or when their shapes or devices differ.
std::pair<torch::Tensor, torch::Tensor> imagePairAsBatch(const torch::Tensor &x, const torch::Tensor &y,
                                                         const std::string &metric);

} // namespace astrorim::metrics

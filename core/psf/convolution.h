#pragma once

#include <torch/types.h>

namespace astrorim::psf {

/// Convolves each image with its kernel: images [B, H, W], kernels [B, k, k]
/// or one shared [k, k] (k odd). The output has the input's size ("same"),
/// with zero padding outside the image; it is a true convolution (kernel
/// flipped). Small kernels use direct convolution, kernels larger than
/// fftThreshold use FFTs; both give the same result to rounding.
/// Differentiable. Throws astrorim::Error on shape mismatch.
torch::Tensor convolve(const torch::Tensor &images, const torch::Tensor &kernels, int fftThreshold = 15);

} // namespace astrorim::psf

#pragma once

#include <torch/types.h>

namespace astrorim::psf {

/// Convolves each image with its kernel: images [B, H, W], kernels [B, k, k]
/// or one shared [k, k] (k odd). Images [B, C, H, W] convolve all C images
/// of b with kernel b (or all with the shared one), transforming each kernel
/// once on the FFT path. The output has the input's size ("same"),
/// with zero padding outside the image; it is a true convolution (kernel
/// flipped). Small kernels use direct convolution, kernels larger than
/// fftThreshold use FFTs; both give the same result to rounding. The default 13 is the measured crossover on the CPU (LibTorch
/// 1.13, 8 × 96² images, one thread): direct 0.35 ms vs FFT 0.64 ms at
/// k = 13, but 6.2 ms vs 0.78 ms at k = 15 (the grouped conv2d slows down
/// ~17× between those sizes). Differentiable. Throws astrorim::Error on bad shapes,
/// kernels on another device or non-floating images.
torch::Tensor convolve(const torch::Tensor &images, const torch::Tensor &kernels, int fftThreshold = 13);

} // namespace astrorim::psf

#include "psf/convolution.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::psf {

namespace {

// The smallest 2^a 3^b 5^c ≥ n: pocketfft handles any length, but lengths
// with large prime factors (96 + 21 − 1 = 116 = 4·29) are several times slower.
int64_t fastFftLength(int64_t n)
{
    for (int64_t m = n;; ++m) {
        int64_t r = m;
        for (int64_t p : {2, 3, 5})
            while (r % p == 0)
                r /= p;
        if (r == 1)
            return m;
    }
}

// Grouped (depthwise) conv2d computes a cross-correlation; flipping the
// kernel makes it the convolution.
torch::Tensor directConvolve(const torch::Tensor &images, const torch::Tensor &kernels)
{
    if (images.dim() == 4) // C images per kernel: one image per kernel, each kernel repeated
        return directConvolve(images.flatten(0, 1), kernels.dim() == 3 ? kernels.repeat_interleave(images.size(1), 0) : kernels)
            .view_as(images);
    const int64_t k = kernels.size(-1);
    const auto flipped = kernels.flip({-2, -1});
    if (kernels.dim() == 2) // one kernel: an ordinary single-channel convolution over the batch
        return torch::conv2d(images.unsqueeze(1), flipped.view({1, 1, k, k}), {}, 1, k / 2).squeeze(1);
    const int64_t batch = images.size(0);
    return torch::conv2d(images.unsqueeze(0), flipped.unsqueeze(1), {}, 1, k / 2, 1, batch).squeeze(0);
}

// Zero padding to at least H + k − 1 makes the cyclic convolution of the FFT
// equal to the linear one; the "same" part starts at (k − 1)/2. Each
// kernel is transformed once, however many images share it.
torch::Tensor fftConvolve(const torch::Tensor &images, const torch::Tensor &kernels)
{
    const int64_t k = kernels.size(-1);
    const int64_t h = images.size(-2), w = images.size(-1);
    const std::vector<int64_t> padded{fastFftLength(h + k - 1), fastFftLength(w + k - 1)};
    auto kernelSpectrum = torch::fft::rfft2(kernels, padded);
    if (images.dim() == 4 && kernels.dim() == 3)
        kernelSpectrum = kernelSpectrum.unsqueeze(1);
    const auto full = torch::fft::irfft2(torch::fft::rfft2(images, padded) * kernelSpectrum, padded);
    return full.slice(-2, k / 2, k / 2 + h).slice(-1, k / 2, k / 2 + w).contiguous();
}

} // namespace

torch::Tensor convolve(const torch::Tensor &images, const torch::Tensor &kernels, int fftThreshold)
{
    if (!images.defined() || (images.dim() != 3 && images.dim() != 4))
        fail("convolution images", "must be a [B, H, W] or [B, C, H, W] tensor, got " + shapeText(images));
    if (!kernels.defined() || (kernels.dim() != 2 && kernels.dim() != 3))
        fail("convolution kernels", "must be [B, k, k] or [k, k], got " + shapeText(kernels));
    const int64_t k = kernels.size(-1);
    if (kernels.size(-2) != k || k % 2 == 0)
        fail("convolution kernels", "must be square with an odd size, got " + shapeText(kernels));
    if (kernels.dim() == 3 && kernels.size(0) != images.size(0))
        fail("convolution kernels", "batch " + shapeText(kernels) + " does not match the images " + shapeText(images));
    if (kernels.device() != images.device())
        fail("convolution kernels", "are on " + kernels.device().str() + " but the images on " + images.device().str());
    if (!torch::isFloatingType(images.scalar_type()))
        fail("convolution images", "must be a floating-point tensor");

    const auto kern = kernels.to(images.scalar_type());
    return k > fftThreshold ? fftConvolve(images, kern) : directConvolve(images, kern);
}

} // namespace astrorim::psf

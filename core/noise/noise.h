#pragma once

#include <torch/types.h>

namespace astrorim::noise {

/// Detector and sky for a batch, each [B]: exposure time (s), sky background
/// (ADU/s per pixel), read noise (e⁻ rms per pixel), gain (e⁻ per ADU).
struct NoiseTensor
{
    torch::Tensor exposureTime, sky, readNoise, gain;
};

struct NoisyImage
{
    torch::Tensor image;    ///< [B, H, W], sky-subtracted, in ADU/s
    torch::Tensor noiseMap; ///< [B, H, W], expected 1σ of `image`, in ADU/s
};

/// Adds noise to a noiseless image [B, H, W] in ADU/s: Poisson counts of the
/// electrons (image + sky)·gain·t, Gaussian read noise in electrons, then
/// back to ADU/s with the sky level subtracted again, so the result is
/// unbiased. The noise map is sqrt((max(image,0) + sky)·g·t + read²) / (g·t).
/// Draws from `generator` (a generator for the image's device): first the
/// Poisson counts, then the read noise, so a seed fixes the result. Negative
/// noiseless pixels get a count rate of 0 (never NaN). Not differentiable:
/// noise is data. Throws astrorim::Error for bad shapes, parameters on
/// another device or a generator of another device type; values are not
/// checked (that needs a host synchronization): t, gain > 0; sky, read ≥ 0.
/// On the CPU the draws come from RandomStreams (random_stream.h) seeded by
/// 64 bits of `generator`, in parallel over fixed blocks of pixels, so a seed
/// gives the same image for any thread count; on CUDA from at::poisson and
/// at::randn. The two devices give different numbers for one seed.
NoisyImage addNoise(const torch::Tensor &image, const NoiseTensor &noise, at::Generator &generator);

/// A random generator for `device` of its own, independent of LibTorch's
/// global one: a new CPUGeneratorImpl on the CPU; on CUDA a clone of the
/// default generator, since LibTorch 1.13 has no device-neutral constructor.
/// (Its Generator::clone() leaks the copy, ~2.6 KB; the CPU path, which the
/// sanitizer build runs, avoids it.)
at::Generator privateGenerator(c10::Device device);

} // namespace astrorim::noise

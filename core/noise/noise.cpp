#include "noise/noise.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::noise {

namespace {

void checkInputs(const torch::Tensor &image, const NoiseTensor &noise, const at::Generator &generator)
{
    if (!image.defined() || image.dim() != 3 || !torch::isFloatingType(image.scalar_type()))
        fail("noise image", "must be a floating-point [B, H, W] tensor, got "
                                + shapeText(image));
    const std::pair<const char *, const torch::Tensor *> fields[] = {
        {"exposureTime", &noise.exposureTime}, {"sky", &noise.sky},
        {"readNoise", &noise.readNoise},       {"gain", &noise.gain}};
    for (const auto &[name, t] : fields) {
        if (!t->defined() || t->dim() != 1 || t->size(0) != image.size(0))
            fail(std::string("noise ") + name, "must be a [B] tensor with B = " + std::to_string(image.size(0))
                                                   + ", got " + shapeText(*t));
        if (t->device() != image.device())
            fail(std::string("noise ") + name,
                 "is on " + t->device().str() + " but the image on " + image.device().str());
    }
    if (!generator.defined() || generator.device().type() != image.device().type())
        fail("noise generator", "must be a generator for the image's device (" + image.device().str() + ")");
}

} // namespace

NoisyImage addNoise(const torch::Tensor &image, const NoiseTensor &noise, at::Generator &generator)
{
    checkInputs(image, noise, generator);
    // Noise is data, not model: nothing here has a useful gradient.
    torch::NoGradGuard noGrad;
    const auto opts = image.options();
    const auto view = [&](const torch::Tensor &t) { return t.to(opts.dtype()).view({-1, 1, 1}); };
    const auto electronsPerAdu = view(noise.gain * noise.exposureTime); // g·t: ADU/s → e⁻
    const auto sky = view(noise.sky);
    const auto read = view(noise.readNoise);

    // Expected electrons per pixel. A negative noiseless pixel (ringing of a
    // PSF, a negative lens-light residual) has no physical count rate: the
    // rate is clamped at 0 so that poisson() sees a valid mean, never NaN.
    const auto expected = (image + sky).clamp_min_(0.0).mul_(electronsPerAdu);
    // The map as promised in noise.h: the source term counts only positive
    // flux, so it never drops below the sky + read noise floor.
    const auto noiseMap = (image.clamp_min(0.0).add_(sky).mul_(electronsPerAdu))
                              .addcmul_(read, read)
                              .sqrt_()
                              .div_(electronsPerAdu);

    // Poisson first, then read noise: the order fixes what a seed produces.
    auto electrons = at::poisson(expected, generator);
    electrons.addcmul_(at::randn(image.sizes(), generator, opts), read);
    auto noisy = electrons.div_(electronsPerAdu).sub_(sky);
    return {noisy, noiseMap};
}

} // namespace astrorim::noise

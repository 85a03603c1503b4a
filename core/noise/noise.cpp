#include "noise/noise.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "noise/random_stream.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

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

// Pixels per random stream on the CPU. Fixed, so that a seed gives the same
// image however parallel_for splits the blocks among threads.
constexpr std::int64_t kPixelsPerStream = 2048;

/// A [B] parameter on the host, in double.
std::vector<double> hostValues(const torch::Tensor &t)
{
    const auto d = t.to(torch::kCPU, torch::kDouble).contiguous();
    return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

/// The next 64 bits of a CPU generator: the seed of this call's streams.
std::uint64_t drawStreamSeed(at::Generator &generator)
{
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

/// The noisy image on the CPU, in one pass per pixel and in parallel over
/// fixed blocks of pixels, each with its own RandomStream (see
/// kPixelsPerStream). Same distributions as the at::poisson and at::randn
/// path, far cheaper: that path draws on one thread from a locked generator.
template <class T>
torch::Tensor noisyOnCpu(const torch::Tensor &image, const NoiseTensor &noise, std::uint64_t seed)
{
    const auto in = image.contiguous();
    auto out = torch::empty_like(in);
    const T *src = in.data_ptr<T>();
    T *dst = out.data_ptr<T>();
    const std::vector<double> time = hostValues(noise.exposureTime), gain = hostValues(noise.gain),
                              sky = hostValues(noise.sky), read = hostValues(noise.readNoise);
    const std::int64_t pixels = in.numel(), perImage = in.size(1) * in.size(2);
    const std::int64_t blocks = (pixels + kPixelsPerStream - 1) / kPixelsPerStream;
    at::parallel_for(0, blocks, 1, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t block = first; block < last; ++block) {
            RandomStream rng(seed, static_cast<std::uint64_t>(block));
            const std::int64_t end = std::min(pixels, (block + 1) * kPixelsPerStream);
            // One image's constants per run of the block's pixels within it.
            for (std::int64_t i = block * kPixelsPerStream; i < end;) {
                const auto b = static_cast<std::size_t>(i / perImage);
                const std::int64_t runEnd = std::min(end, static_cast<std::int64_t>(b + 1) * perImage);
                const T electronsPerAdu = static_cast<T>(gain[b] * time[b]);
                const T skyLevel = static_cast<T>(sky[b]);
                for (; i < runEnd; ++i) {
                    const T expected = std::max(src[i] + skyLevel, T(0)) * electronsPerAdu;
                    // Poisson first, then read noise, as in the torch path.
                    const T electrons = static_cast<T>(rng.poisson(static_cast<double>(expected)))
                                        + static_cast<T>(rng.normal() * read[b]);
                    dst[i] = electrons / electronsPerAdu - skyLevel;
                }
            }
        }
    });
    return out;
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

    // The map as promised in noise.h: the source term counts only positive
    // flux, so it never drops below the sky + read noise floor.
    const auto noiseMap = (image.clamp_min(0.0).add_(sky).mul_(electronsPerAdu))
                              .addcmul_(read, read)
                              .sqrt_()
                              .div_(electronsPerAdu);

    if (image.device().is_cpu()) {
        const std::uint64_t seed = drawStreamSeed(generator);
        auto noisy = image.scalar_type() == torch::kDouble ? noisyOnCpu<double>(image, noise, seed)
                                                           : noisyOnCpu<float>(image.to(torch::kFloat), noise, seed);
        return {noisy.to(image.scalar_type()), noiseMap};
    }
    // Expected electrons per pixel. A negative noiseless pixel (ringing of a
    // PSF, a negative lens-light residual) has no physical count rate: the
    // rate is clamped at 0 so that poisson() sees a valid mean, never NaN.
    // noisyOnCpu does the same per pixel.
    const auto expected = (image + sky).clamp_min_(0.0).mul_(electronsPerAdu);
    // Poisson first, then read noise: the order fixes what a seed produces.
    auto electrons = at::poisson(expected, generator);
    electrons.addcmul_(at::randn(image.sizes(), generator, opts), read);
    auto noisy = electrons.div_(electronsPerAdu).sub_(sky);
    return {noisy, noiseMap};
}

at::Generator privateGenerator(c10::Device device)
{
    if (device.is_cpu())
        return at::make_generator<at::CPUGeneratorImpl>();
    return at::globalContext().defaultGenerator(device).clone();
}

} // namespace astrorim::noise

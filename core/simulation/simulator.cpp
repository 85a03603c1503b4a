#include "simulation/simulator.h"

#include "common/error.h"
#include "noise/noise.h"
#include "simulation/cpu_renderer.h"
#include "psf/convolution.h"
#include "psf/psf_kernel.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <numbers>

namespace astrorim::simulation {

namespace {

using torch::Tensor;

// SplitMix64 finaliser: decorrelates the per-batch seeds (seed, 0), (seed, 1), ...
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t batch)
{
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (batch + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (z ^ (z >> 31)) >> 1; // torch seeds are taken as signed by some callers
}

/// Draws uniform numbers for a batch from one generator.
class Sampler
{
public:
    Sampler(at::Generator &gen, std::int64_t batch, torch::TensorOptions options)
        : m_gen(gen), m_batch(batch), m_options(options)
    {
    }

    /// Uniform in [0, 1), of the given shape or [B].
    Tensor unit(torch::IntArrayRef shape) { return torch::rand(shape, m_gen, m_options); }
    Tensor unit() { return unit({m_batch}); }
    Tensor uniform(const Range &r) { return unit() * (r.max - r.min) + r.min; }
    Tensor uniform(const Range &r, torch::IntArrayRef shape) { return unit(shape) * (r.max - r.min) + r.min; }
    /// Uniform in [lo, hi] per system (tensors broadcastable to [B]).
    Tensor between(const Tensor &lo, const Tensor &hi) { return lo + unit() * (hi - lo); }
    Tensor angle(torch::IntArrayRef shape) { return unit(shape) * (2.0 * std::numbers::pi); }
    Tensor angle() { return angle({m_batch}); }

    /// Integers uniform in [lo, hi], int64.
    Tensor integer(int lo, int hi)
    {
        return torch::clamp(torch::floor(unit() * (hi - lo + 1)) + lo, lo, hi).to(torch::kLong);
    }

    /// Index drawn with probabilities proportional to each row of `weights` [B, K] (or [K]).
    Tensor categorical(const Tensor &weights)
    {
        const Tensor w = weights.dim() == 1 ? weights.unsqueeze(0).expand({m_batch, weights.size(0)}) : weights;
        const Tensor cdf = torch::cumsum(w, 1) / w.sum(1, true);
        const Tensor u = unit().unsqueeze(1);
        // Count the bins whose upper edge lies below u; clamp guards rounding at the top.
        return torch::clamp((u > cdf).sum(1), 0, w.size(1) - 1).to(torch::kLong);
    }

    [[nodiscard]] std::int64_t batch() const { return m_batch; }
    [[nodiscard]] torch::TensorOptions options() const { return m_options; }

private:
    at::Generator &m_gen;
    std::int64_t m_batch;
    torch::TensorOptions m_options;
};

/// lenstronomy's (e1, e2) from axis ratio q and position angle phi (radians).
std::pair<Tensor, Tensor> ellipticity(const Tensor &q, const Tensor &phi)
{
    const Tensor c = (1 - q) / (1 + q);
    return {c * torch::cos(2 * phi), c * torch::sin(2 * phi)};
}

/// Per-system value of an instrument property: table[instrument[b]].
Tensor perInstrument(const std::vector<InstrumentProfile> &instruments, const Tensor &index,
                     double (*field)(const InstrumentProfile &), torch::TensorOptions options)
{
    std::vector<double> values;
    for (const auto &in : instruments)
        values.push_back(field(in));
    return torch::tensor(values, torch::kDouble).to(options).index_select(0, index);
}

/// Mean over S×S blocks: [B, N·S, N·S] → [B, N, N].
Tensor binDown(const Tensor &image, int factor)
{
    return torch::avg_pool2d(image.unsqueeze(1), factor).squeeze(1);
}

/// psf::convolve with the batch split among the CPU threads: LibTorch 1.13's
/// CPU FFT (pocketfft) runs each call on one thread. Each image's transform
/// is the same arithmetic however the batch is split. Not differentiable
/// (the simulator runs without gradients); other devices take one call.
Tensor convolveBatch(const Tensor &images, const Tensor &kernels)
{
    if (!images.device().is_cpu())
        return psf::convolve(images, kernels);
    Tensor out = torch::empty_like(images);
    at::parallel_for(0, images.size(0), 1, [&](std::int64_t first, std::int64_t last) {
        out.narrow(0, first, last - first)
            .copy_(psf::convolve(images.narrow(0, first, last - first), kernels.narrow(0, first, last - first)));
    });
    return out;
}

} // namespace

struct Simulator::Private
{
    at::Generator generator;
    Tensor unitCoordinates; ///< [N·S] sub-pixel centres in pixel units, centre at 0
};

Simulator::Simulator(SimulationConfig config) : m_config(std::move(config)), d(std::make_unique<Private>())
{
    if (m_config.gridSize < 8 || m_config.gridSize > 4096)
        fail("grid size", "must be between 8 and 4096 pixels, got " + std::to_string(m_config.gridSize));
    if (m_config.supersample < 1 || m_config.supersample > 16)
        fail("supersampling", "must be between 1 and 16, got " + std::to_string(m_config.supersample));
    if (m_config.psfSize < 3 || m_config.psfSize % 2 == 0)
        fail("PSF size", "must be an odd number of pixels ≥ 3, got " + std::to_string(m_config.psfSize));
    if (m_config.preset.minSourceComponents < 1 || m_config.preset.maxSourceComponents < m_config.preset.minSourceComponents)
        fail("preset '" + m_config.preset.name + "'", "needs 1 ≤ minSourceComponents ≤ maxSourceComponents");
    if (m_config.preset.instruments.empty())
        fail("preset '" + m_config.preset.name + "'", "has no instruments");

    d->generator = noise::privateGenerator(m_config.device);
    const int n = m_config.gridSize, s = m_config.supersample;
    const auto options = torch::TensorOptions().dtype(torch::kFloat).device(m_config.device);
    // Sub-pixel m of pixel i = m / S sits at (m + ½)/S − N/2 pixels from the image centre.
    d->unitCoordinates = (torch::arange(n * s, options) + 0.5) / s - n / 2.0;
}

Simulator::~Simulator() = default;

SampledSystems Simulator::sample(std::int64_t batchIndex, std::int64_t batchSize)
{
    if (batchSize < 1)
        fail("batch size", "must be at least 1, got " + std::to_string(batchSize));
    torch::NoGradGuard noGrad;
    d->generator.set_current_seed(mixSeed(m_config.seed, static_cast<std::uint64_t>(batchIndex)));

    const Preset &p = m_config.preset;
    const auto options = torch::TensorOptions().dtype(torch::kFloat).device(m_config.device);
    Sampler rng(d->generator, batchSize, options);
    const std::int64_t batch = batchSize;
    SampledSystems sys;

    // Instrument, pixel scale, PSF and noise.
    std::vector<double> weights;
    for (const auto &in : p.instruments)
        weights.push_back(in.weight);
    sys.instrument = rng.categorical(torch::tensor(weights, options));
    const auto field = [&](double (*f)(const InstrumentProfile &)) {
        return perInstrument(p.instruments, sys.instrument, f, options);
    };
    const auto between = [&](double (*lo)(const InstrumentProfile &), double (*hi)(const InstrumentProfile &)) {
        return rng.between(field(lo), field(hi));
    };
    sys.pixelScale = between([](const InstrumentProfile &i) { return i.pixelScale.min; },
                             [](const InstrumentProfile &i) { return i.pixelScale.max; });
    sys.psfFwhm = between([](const InstrumentProfile &i) { return i.psfFwhm.min; },
                          [](const InstrumentProfile &i) { return i.psfFwhm.max; });
    sys.psfBeta = between([](const InstrumentProfile &i) { return i.moffatBeta.min; },
                          [](const InstrumentProfile &i) { return i.moffatBeta.max; });
    {
        std::vector<double> typeWeights;
        for (const auto &in : p.instruments)
            typeWeights.insert(typeWeights.end(), in.psfTypeWeights.begin(), in.psfTypeWeights.end());
        const Tensor table = torch::tensor(typeWeights, options).view({-1, 3});
        sys.psfType = rng.categorical(table.index_select(0, sys.instrument));
    }
    sys.noise.exposureTime = between([](const InstrumentProfile &i) { return i.exposureTime.min; },
                                     [](const InstrumentProfile &i) { return i.exposureTime.max; });
    sys.noise.sky = between([](const InstrumentProfile &i) { return i.sky.min; },
                            [](const InstrumentProfile &i) { return i.sky.max; });
    sys.noise.readNoise = between([](const InstrumentProfile &i) { return i.readNoise.min; },
                                  [](const InstrumentProfile &i) { return i.readNoise.max; });
    sys.noise.gain = field([](const InstrumentProfile &i) { return i.gain; });

    // Main lens: θ_E limited to what the field and the pixels can show.
    const double fieldPixels = m_config.gridSize;
    const Tensor thetaLo = torch::clamp_min(p.minThetaEPixels * sys.pixelScale, p.thetaE.min);
    const Tensor thetaHi = torch::maximum(torch::clamp_max(p.maxThetaEField * fieldPixels * sys.pixelScale, p.thetaE.max), thetaLo);
    const Tensor thetaE = rng.between(thetaLo, thetaHi);
    const Tensor q = rng.uniform(Range{p.minAxisRatio, 1.0});
    const Tensor phi = rng.angle() / 2;
    auto [e1, e2] = ellipticity(q, phi);
    const Tensor cx = rng.uniform(Range{-p.maxCentreOffset, p.maxCentreOffset});
    const Tensor cy = rng.uniform(Range{-p.maxCentreOffset, p.maxCentreOffset});
    sys.lens.sie = {thetaE, e1, e2, cx, cy};
    const Tensor gamma = rng.uniform(Range{0.0, p.maxShear});
    const Tensor psi = rng.angle() / 2;
    sys.lens.shear = {gamma * torch::cos(2 * psi), gamma * torch::sin(2 * psi)};

    // Perturbers: absent ones get zero strength, which deflects nothing.
    const auto offsetFromLens = [&](const Range &inThetaE) {
        const Tensor r = thetaE * rng.uniform(inThetaE);
        const Tensor a = rng.angle();
        return std::pair{cx + r * torch::cos(a), cy + r * torch::sin(a)};
    };
    sys.hasNfw = rng.unit() < p.nfwProbability;
    {
        auto [nx, ny] = offsetFromLens(p.nfwOffsetInThetaE);
        sys.lens.nfw = {thetaE * rng.uniform(p.nfwRsInThetaE),
                        thetaE * rng.uniform(p.nfwAlphaRsInThetaE) * sys.hasNfw, nx, ny};
    }
    sys.hasSis = rng.unit() < p.sisProbability;
    {
        auto [sx, sy] = offsetFromLens(p.sisOffsetInThetaE);
        sys.lens.sis = {thetaE * rng.uniform(p.sisThetaEInThetaE) * sys.hasSis, sx, sy};
    }
    sys.lens.hasNfw = p.nfwProbability > 0;
    sys.lens.hasSis = p.sisProbability > 0;

    // Source: a main Sérsic component near the caustic centre, companions
    // within one main effective radius of it.
    auto [sx0, sy0] = offsetFromLens(p.sourceOffsetInThetaE);
    sys.sourceComponents = rng.integer(p.minSourceComponents, p.maxSourceComponents);
    {
        // Only as many component slots as the preset can fill: each costs a
        // full supersampled evaluation.
        const std::int64_t k = p.maxSourceComponents;
        const Tensor mainR = rng.uniform(p.sourceRSersic).unsqueeze(1);
        const Tensor scale = torch::cat({torch::ones({batch, 1}, options), rng.uniform(Range{0.3, 1.0}, {batch, k - 1})}, 1);
        const Tensor amp = torch::cat({torch::ones({batch, 1}, options), rng.uniform(Range{0.2, 1.0}, {batch, k - 1})}, 1);
        const Tensor present = torch::arange(k, options.dtype(torch::kLong)).unsqueeze(0) < sys.sourceComponents.unsqueeze(1);
        const Tensor sq = rng.uniform(Range{p.sourceMinAxisRatio, 1.0}, {batch, k});
        auto [se1, se2] = ellipticity(sq, rng.angle({batch, k}) / 2);
        const Tensor dist = mainR * rng.unit({batch, k}) * (torch::arange(k, options) > 0);
        const Tensor dir = rng.angle({batch, k});
        sys.source = {amp * present, mainR * scale, rng.uniform(p.sourceNSersic, {batch, k}), se1, se2,
                      sx0.unsqueeze(1) + dist * torch::cos(dir), sy0.unsqueeze(1) + dist * torch::sin(dir)};

        // A preset without clumps gets [B, 0] tensors, which render() skips.
        const std::int64_t kc = p.maxClumps;
        sys.clumpCount = kc > 0 ? rng.integer(0, p.maxClumps) : torch::zeros({batch}, options.dtype(torch::kLong));
        const Tensor clumpPresent = torch::arange(kc, options.dtype(torch::kLong)).unsqueeze(0) < sys.clumpCount.unsqueeze(1);
        const Tensor cr = 1.5 * mainR * torch::sqrt(rng.unit({batch, kc}));
        const Tensor ca = rng.angle({batch, kc});
        sys.clumps = {rng.uniform(p.clumpPeakRatio, {batch, kc}) * clumpPresent, rng.uniform(p.clumpSigma, {batch, kc}),
                      sx0.unsqueeze(1) + cr * torch::cos(ca), sy0.unsqueeze(1) + cr * torch::sin(ca)};
    }

    // Lens light: aligned with the mass within ±10°, axis ratio within ±0.1.
    {
        const Tensor lq = torch::clamp(q + rng.uniform(Range{-0.1, 0.1}), 0.3, 1.0);
        const Tensor lphi = phi + rng.uniform(Range{-std::numbers::pi / 18, std::numbers::pi / 18});
        auto [le1, le2] = ellipticity(lq, lphi);
        sys.lensLight = {torch::ones({batch}, options), thetaE * rng.uniform(p.lensLightRSersicInThetaE),
                         rng.uniform(p.lensLightNSersic), le1, le2, cx, cy};
    }

    sys.peakSnr = rng.uniform(p.peakSnr);
    sys.lensLightRatio = rng.uniform(p.lensLightPeakRatio);
    return sys;
}

BinnedLight Simulator::renderBinned(const SampledSystems &sys) const
{
    const int s = m_config.supersample;
    const std::int64_t batch = sys.pixelScale.size(0);
    // Sub-pixel positions in arcsec: x varies along columns (last axis), y along rows.
    const Tensor scale = sys.pixelScale.view({batch, 1, 1});
    const Tensor x = d->unitCoordinates.view({1, 1, -1}) * scale;
    const Tensor y = d->unitCoordinates.view({1, -1, 1}) * scale;

    const auto sourceLight = [&](const Tensor &px, const Tensor &py) {
        Tensor light = light::sersic(sys.source, px, py);
        if (sys.clumps.amp.numel() > 0)
            light = light + light::gaussianBlobs(sys.clumps, px, py);
        return light;
    };

    // The source plane shares the image grid, so the truth source is the
    // same supersampled evaluation binned down.
    const Tensor sourceFine = sourceLight(x, y);
    const auto alpha = lensing::deflection(sys.lens, x, y);
    const Tensor lensedFine = sourceLight(x - alpha.alpha_x, y - alpha.alpha_y);
    const Tensor lightFine = light::sersic(sys.lensLight, x, y);

    return {binDown(sourceFine, s), binDown(lensedFine, s), binDown(lightFine, s)};
}

SimulatedBatch Simulator::render(SampledSystems sys)
{
    torch::NoGradGuard noGrad;
    const int s = m_config.supersample;
    const std::int64_t batch = sys.pixelScale.size(0);

    const BinnedLight binned = m_config.device.is_cpu() && m_config.fusedCpuKernel
                                   ? renderBinnedOnCpu(sys, d->unitCoordinates, m_config.gridSize, s)
                                   : renderBinned(sys);

    SimulatedBatch out;
    out.psf = psf::psfKernels(sys.psfType, sys.psfFwhm, sys.psfBeta, sys.pixelScale, m_config.psfSize)
                  .to(torch::kFloat);
    const Tensor blurred = convolveBatch(torch::stack({binned.lensed, binned.light}, 1), out.psf);
    const Tensor arcs = blurred.select(1, 0);
    const Tensor lens = blurred.select(1, 1);

    // Brightness: the brightest arc pixel is peakSnr background σ; the lens
    // light peak is lensLightRatio times that.
    const auto &nz = sys.noise;
    const Tensor electronsPerAdu = nz.gain * nz.exposureTime;
    const Tensor background = torch::sqrt(nz.sky * electronsPerAdu + nz.readNoise * nz.readNoise) / electronsPerAdu;
    const Tensor arcPeak = sys.peakSnr * background;
    const Tensor sourceScale = arcPeak / arcs.amax({1, 2}).clamp_min(1e-30);
    const Tensor lightScale = sys.lensLightRatio * arcPeak / lens.amax({1, 2}).clamp_min(1e-30);

    out.lensedSource = arcs * sourceScale.view({batch, 1, 1});
    out.lensLight = lens * lightScale.view({batch, 1, 1});
    out.model = out.lensedSource + out.lensLight;
    out.source = binned.source * sourceScale.view({batch, 1, 1});

    sys.source.amp = sys.source.amp * sourceScale.unsqueeze(1);
    sys.clumps.amp = sys.clumps.amp * sourceScale.unsqueeze(1);
    sys.lensLight.amp = sys.lensLight.amp * lightScale;

    auto noisy = noise::addNoise(out.model, sys.noise, d->generator);
    out.observation = std::move(noisy.image);
    out.noiseMap = std::move(noisy.noiseMap);
    out.truth = std::move(sys);
    return out;
}

SampledSystems SampledSystems::to(torch::Device device) const
{
    const auto move = [&](const Tensor &t) { return t.defined() ? t.to(device) : t; };
    const auto sersic = [&](const light::SersicTensor &p) {
        return light::SersicTensor{move(p.amp), move(p.R_sersic), move(p.n_sersic), move(p.e1),
                                   move(p.e2),  move(p.center_x), move(p.center_y)};
    };
    SampledSystems out = *this;
    out.instrument = move(instrument);
    out.pixelScale = move(pixelScale);
    out.lens.sie = {move(lens.sie.theta_E), move(lens.sie.e1), move(lens.sie.e2), move(lens.sie.center_x),
                    move(lens.sie.center_y)};
    out.lens.shear = {move(lens.shear.gamma1), move(lens.shear.gamma2)};
    out.lens.nfw = {move(lens.nfw.Rs), move(lens.nfw.alpha_Rs), move(lens.nfw.center_x), move(lens.nfw.center_y)};
    out.lens.sis = {move(lens.sis.theta_E), move(lens.sis.center_x), move(lens.sis.center_y)};
    out.hasNfw = move(hasNfw);
    out.hasSis = move(hasSis);
    out.source = sersic(source);
    out.sourceComponents = move(sourceComponents);
    out.clumps = {move(clumps.amp), move(clumps.sigma), move(clumps.center_x), move(clumps.center_y)};
    out.clumpCount = move(clumpCount);
    out.lensLight = sersic(lensLight);
    out.psfType = move(psfType);
    out.psfFwhm = move(psfFwhm);
    out.psfBeta = move(psfBeta);
    out.noise = {move(noise.exposureTime), move(noise.sky), move(noise.readNoise), move(noise.gain)};
    out.peakSnr = move(peakSnr);
    out.lensLightRatio = move(lensLightRatio);
    return out;
}

SimulatedBatch SimulatedBatch::to(torch::Device device) const
{
    const auto move = [&](const Tensor &t) { return t.defined() ? t.to(device) : t; };
    return {truth.to(device), move(observation), move(noiseMap), move(model), move(lensedSource),
            move(lensLight),  move(source),      move(psf)};
}

SimulatedBatch Simulator::generate(std::int64_t batchIndex, std::int64_t batchSize)
{
    return render(sample(batchIndex, batchSize));
}

} // namespace astrorim::simulation

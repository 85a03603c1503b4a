#pragma once

#include "lensing/tensor_lens.h"
#include "light/tensor_light.h"
#include "noise/noise.h"
#include "simulation/presets.h"

#include <torch/types.h>

#include <cstdint>
#include <memory>

namespace astrorim::simulation {

struct BinnedLight; // cpu_renderer.h

/// Everything drawn for a batch of B lens systems: the full truth. Tensors
/// are [B] unless noted, on the simulator's device. Angles in arcsec in the
/// image frame: x along increasing column, y along increasing row, origin
/// at the image centre. Amplitudes are in ADU/s per pixel once rendered.
struct SampledSystems
{
    torch::Tensor instrument;  ///< int64 index into Preset::instruments
    torch::Tensor pixelScale;  ///< arcsec per pixel
    lensing::LensSystemTensor lens;
    torch::Tensor hasNfw, hasSis; ///< bool
    light::SersicTensor source;   ///< [B, maxSourceComponents]; absent components have amp 0
    torch::Tensor sourceComponents; ///< int64, 1-3
    light::GaussianBlobsTensor clumps; ///< [B, maxClumps]; absent clumps have amp 0
    torch::Tensor clumpCount;     ///< int64
    light::SersicTensor lensLight; ///< [B]
    torch::Tensor psfType;        ///< int64 psf::PsfType
    torch::Tensor psfFwhm, psfBeta;
    noise::NoiseTensor noise;
    torch::Tensor peakSnr;        ///< brightest arc pixel / background σ
    torch::Tensor lensLightRatio; ///< lens-light peak / brightest arc pixel

    /// A copy with every tensor on `device`.
    [[nodiscard]] SampledSystems to(torch::Device device) const;
};

/// One rendered batch. Images are [B, N, N] in ADU/s per pixel, FITS order
/// (row 0 at the bottom); `source` lies on a grid with the same pixel scale
/// and centre as the image.
struct SimulatedBatch
{
    SampledSystems truth;
    torch::Tensor observation;  ///< noisy, sky-subtracted image
    torch::Tensor noiseMap;     ///< 1σ of `observation`
    torch::Tensor model;        ///< noiseless image (arcs + lens light, PSF-convolved)
    torch::Tensor lensedSource; ///< noiseless arcs alone, PSF-convolved
    torch::Tensor lensLight;    ///< noiseless lens light alone, PSF-convolved
    torch::Tensor source;       ///< unlensed source, supersampled, no PSF
    torch::Tensor psf;          ///< [B, k, k] normalized kernels

    /// A copy with every tensor on `device` (one transfer per tensor).
    [[nodiscard]] SimulatedBatch to(torch::Device device) const;
};

struct SimulationConfig
{
    Preset preset;
    std::uint64_t seed = 1;
    int gridSize = 96;
    int supersample = 4;
    int psfSize = 25;
    torch::Device device = torch::kCPU;
    /// On the CPU, render with the fused kernel (cpu_renderer.h) instead of
    /// the batched LibTorch ops that CUDA runs; false selects the latter, the
    /// reference the kernel is tested against. Both draw the same numbers.
    bool fusedCpuKernel = true;
};

/// Draws and renders random lens systems from a preset, batched on a tensor
/// device. Batch `i` of size `B` depends only on (seed, i, B) and the device
/// type: the same call gives the same pixels. Not thread-safe.
class Simulator
{
public:
    explicit Simulator(SimulationConfig config);
    ~Simulator();
    Simulator(const Simulator &) = delete;
    Simulator &operator=(const Simulator &) = delete;

    /// Draws and renders batch number `batchIndex` of `batchSize` systems.
    SimulatedBatch generate(std::int64_t batchIndex, std::int64_t batchSize);

    /// Draws the parameters of batch `batchIndex` without rendering.
    SampledSystems sample(std::int64_t batchIndex, std::int64_t batchSize);

    /// Renders given systems (amplitudes relative; they are rescaled to the
    /// drawn peak SNR and lens-light ratio, and the returned truth holds the
    /// final ADU/s amplitudes). Noise is drawn from the generator as left by
    /// the last sample() call.
    SimulatedBatch render(SampledSystems systems);

    [[nodiscard]] const SimulationConfig &config() const { return m_config; }

private:
    /// The batched LibTorch rendering of the light before the PSF (any device).
    [[nodiscard]] BinnedLight renderBinned(const SampledSystems &systems) const;

    struct Private;
    SimulationConfig m_config;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::simulation

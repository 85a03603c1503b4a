#pragma once

#include <torch/types.h>

namespace astrorim::simulation {

struct SampledSystems;

/// The light of a batch, each [B, N, N] float32 on the CPU: the mean over
/// each pixel's S × S sub-pixels, before the PSF.
struct BinnedLight
{
    torch::Tensor source; ///< unlensed source on the image grid
    torch::Tensor lensed; ///< source seen through the lens
    torch::Tensor light;  ///< lens light
};

/// Renders what Simulator::render's torch path evaluates on the supersampled
/// grid (source, deflection, lensed source, lens light) in one fused pass per
/// pixel row, parallel over rows with at::parallel_for, vectorized for the
/// best instruction set the CPU has (AVX-512, AVX2 + FMA, else the build's
/// baseline). `systems` must be on the CPU; `unitCoordinates` holds the
/// N·S sub-pixel centres in pixels from the image centre (float32, CPU).
///
/// Agrees with the torch path to float32 rounding, with one deliberate
/// difference: where a profile's exponent is below the torch path's clamp
/// at −70, the torch path adds the constant floor amp·e^{b_n}·e^−70
/// (≈ 4e−31 of the profile's peak) and this renderer adds nothing. Absent
/// components (amplitude exactly 0) and perturbers (strength 0) are skipped.
BinnedLight renderBinnedOnCpu(const SampledSystems &systems, const torch::Tensor &unitCoordinates, int gridSize,
                              int supersample);

} // namespace astrorim::simulation

#pragma once

// The fixed held-out test set: lenses of all six presets drawn from their
// own seed, which training refuses. It is never stored; every evaluation
// regenerates the same systems from (seed, preset, batch), so it costs no
// disk and cannot drift from the simulator that defines it.

#include "common/progress.h"
#include "simulation/simulator.h"

#include <filesystem>

#include <cstdint>
#include <string>
#include <vector>

namespace astrorim::evaluation {

/// Seed of the held-out set. training::Trainer refuses it.
inline constexpr std::uint64_t kHeldOutSeed = 20261123;
/// Seed of the calibration set: lenses drawn like the held-out ones but
/// disjoint from them, on which the fit's 1σ factors are measured
/// (fit::SigmaCalibration), so that the held-out coverage stays an honest
/// test of them. training::Trainer refuses it too.
inline constexpr std::uint64_t kCalibrationSeed = 20261204;
/// Systems per simulated batch: part of the set's definition (a batch's
/// draws depend on its size).
inline constexpr std::int64_t kHeldOutBatchSize = 12;
/// The default size: 84 per preset, 504 in all.
inline constexpr std::int64_t kHeldOutPerPreset = 84;

struct HeldOutBatch
{
    std::string preset;
    std::int64_t firstIndex = 0; ///< index of the batch's first system within its preset
    simulation::SimulatedBatch batch;
};

class HeldOutSet
{
public:
    /// `perPreset` systems of each preset (rounded up to whole batches),
    /// simulated on `device` for `gridSize`-pixel images, drawn from `seed`
    /// (kCalibrationSeed gives the calibration set).
    HeldOutSet(std::int64_t perPreset, torch::Device device, int gridSize = 96, std::uint64_t seed = kHeldOutSeed);

    [[nodiscard]] std::int64_t batchCount() const;
    [[nodiscard]] std::int64_t size() const { return batchCount() * kHeldOutBatchSize; }
    [[nodiscard]] std::int64_t perPreset() const { return m_batchesPerPreset * kHeldOutBatchSize; }
    [[nodiscard]] std::uint64_t seed() const { return m_seed; }

    /// Simulates batch `i` (0 ≤ i < batchCount()): presets in their fixed
    /// order, each preset's batches in turn.
    [[nodiscard]] HeldOutBatch batch(std::int64_t i) const;

    /// Writes the whole set as FITS pairs (simulation/sample_writer.h), one
    /// folder per preset under `folder`, so that other tools can read exactly
    /// what evaluate scores. Progress counts systems.
    void write(const std::filesystem::path &folder, const ProgressCallback &progress = {}) const;

private:
    [[nodiscard]] simulation::SimulationConfig simulation(std::int64_t presetIndex) const;

    std::int64_t m_batchesPerPreset;
    torch::Device m_device;
    int m_gridSize;
    std::uint64_t m_seed;
};

} // namespace astrorim::evaluation

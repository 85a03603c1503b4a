#include "evaluation/held_out_set.h"

#include "common/error.h"
#include "simulation/presets.h"
#include "simulation/sample_writer.h"

namespace astrorim::evaluation {

namespace {

// Each preset reads its own run of the seed's batch stream, far apart, so
// that the six presets' systems are not drawn from the same random numbers.
constexpr std::int64_t kBatchStreamStride = 1'000'000;

} // namespace

HeldOutSet::HeldOutSet(std::int64_t perPreset, torch::Device device, int gridSize, std::uint64_t seed)
    : m_batchesPerPreset((perPreset + kHeldOutBatchSize - 1) / kHeldOutBatchSize), m_device(device),
      m_gridSize(gridSize), m_seed(seed)
{
    if (perPreset < 1 || m_batchesPerPreset > kBatchStreamStride)
        fail("held-out set", "needs between 1 and " + std::to_string(kBatchStreamStride * kHeldOutBatchSize) +
                                 " systems per preset, got " + std::to_string(perPreset));
}

std::int64_t HeldOutSet::batchCount() const
{
    return m_batchesPerPreset * static_cast<std::int64_t>(simulation::presets().size());
}

HeldOutBatch HeldOutSet::batch(std::int64_t i) const
{
    if (i < 0 || i >= batchCount())
        fail("held-out set", "batch " + std::to_string(i) + " is outside 0.." + std::to_string(batchCount() - 1));
    const auto presetIndex = i / m_batchesPerPreset, within = i % m_batchesPerPreset;
    simulation::Simulator simulator(simulation(presetIndex));
    return {simulator.config().preset.name, within * kHeldOutBatchSize,
            simulator.generate(presetIndex * kBatchStreamStride + within, kHeldOutBatchSize)};
}

simulation::SimulationConfig HeldOutSet::simulation(std::int64_t presetIndex) const
{
    return {simulation::presets()[static_cast<size_t>(presetIndex)], m_seed, m_gridSize, 4, 25, m_device};
}

void HeldOutSet::write(const std::filesystem::path &folder, const ProgressCallback &progress) const
{
    for (std::int64_t i = 0; i < batchCount(); ++i) {
        const auto held = batch(i);
        const auto directory = folder / held.preset;
        std::filesystem::create_directories(directory);
        simulation::writePairs(held.batch, simulation(i / m_batchesPerPreset), directory, held.firstIndex);
        if (progress)
            progress((i + 1) * kHeldOutBatchSize, size());
    }
}

} // namespace astrorim::evaluation

#pragma once

#include "common/progress.h"
#include "simulation/simulator.h"

#include <cstdint>
#include <filesystem>

namespace astrorim::simulation {

/// What writeDataset did.
struct DatasetResult
{
    std::int64_t written = 0; ///< pairs written, 0 … count
    bool cancelled = false;
};

/// Simulates `count` pairs in batches of `batchSize` and writes them to
/// `directory` (see writePairs), together with simulation.json describing the
/// run. The same config, count and batch size give the same files; a shorter
/// run writes a prefix of a longer one. Reports progress after every batch
/// and checks `cancel` between batches; every file is written atomically, so
/// a cancelled run leaves only complete pairs. Refuses (astrorim::Error) a
/// folder that already holds pairs unless `overwrite` is set.
DatasetResult writeDataset(const SimulationConfig &config, std::int64_t count, std::int64_t batchSize,
                           const std::filesystem::path &directory, bool overwrite,
                           const ProgressCallback &progress = {}, const CancelToken &cancel = {});

} // namespace astrorim::simulation

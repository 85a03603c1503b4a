#include "simulation/dataset_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "simulation/sample_writer.h"

#include <nlohmann/json.hpp>

namespace astrorim::simulation {

DatasetResult writeDataset(const SimulationConfig &config, std::int64_t count, std::int64_t batchSize,
                           const std::filesystem::path &directory, bool overwrite, const ProgressCallback &progress,
                           const CancelToken &cancel)
{
    if (count < 1)
        fail("pair count", "must be at least 1, got " + std::to_string(count));
    if (batchSize < 1)
        fail("batch size", "must be at least 1, got " + std::to_string(batchSize));
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (!std::filesystem::is_directory(directory))
        fail(directory.string(), "cannot create output folder" + (ec ? ": " + ec.message() : std::string()));
    if (!overwrite && std::filesystem::exists(directory / "lensed_00000.fits"))
        fail(directory.string(), "already holds simulated pairs; pass --overwrite to replace them");

    writeTextAtomically(directory / "simulation.json",
                        nlohmann::json{{"preset", config.preset.name},
                                       {"seed", config.seed},
                                       {"count", count},
                                       {"batch_size", batchSize},
                                       {"device", config.device.str()},
                                       {"grid_size", config.gridSize},
                                       {"supersampling", config.supersample},
                                       {"psf_size", config.psfSize}}
                                .dump(2)
                            + "\n");

    Simulator simulator(config);
    DatasetResult result;
    for (std::int64_t batchIndex = 0; result.written < count; ++batchIndex) {
        if (cancel.cancelled()) {
            result.cancelled = true;
            break;
        }
        // A short last batch keeps its full size, so that earlier pairs never
        // depend on the requested count.
        const auto n = std::min(batchSize, count - result.written);
        writePairs(simulator.generate(batchIndex, batchSize), config, directory, result.written, n);
        result.written += n;
        if (progress)
            progress(result.written, count);
    }
    return result;
}

} // namespace astrorim::simulation

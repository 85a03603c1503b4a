#include "command_runner.h"
#include "commands.h"
#include "progress_bar.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "simulation/sample_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <iostream>

namespace astrorim::cli {

int runSimulate(const std::vector<std::string> &args)
{
    ArgumentParser parser("simulate",
                          "Simulates strong-lens training pairs on a 96x96 grid: lensed_NNNNN.fits (observation,\n"
                          "noise map, noiseless model, lens light, PSF), source_NNNNN.fits and a JSON truth sidecar.\n"
                          "The same seed, batch size and device type give the same files.");
    parser.addOption("preset", "NAME", "simulator preset (see 'astrorim-cli presets')", "baseline");
    parser.addOption("count", "N", "number of pairs");
    parser.addOption("out", "DIR", "output folder (created if missing)");
    parser.addOption("seed", "S", "random seed", "1");
    parser.addOption("device", "cpu|cuda|auto", "where to simulate", "cpu");
    parser.addOption("batch-size", "B", "systems simulated together", "32");
    parser.addOption("threads", "T", "CPU threads (0: all)", "0");
    parser.addFlag("overwrite", "replace pairs already in the output folder");

    return runCommand(parser, args, [&] {
        if (!parser.isSet("count"))
            throw UsageError{"--count is required"};
        if (!parser.isSet("out"))
            throw UsageError{"--out is required"};
        const auto count = parser.integer("count", 1, 100'000'000);
        const auto batchSize = parser.integer("batch-size", 1, 65'536);
        const auto seed = parser.integer("seed", 0, std::numeric_limits<long long>::max());
        configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));

        simulation::SimulationConfig config;
        config.preset = simulation::presetByName(parser.value("preset"));
        config.seed = static_cast<std::uint64_t>(seed);
        config.device = parseDevice(parser.value("device"));

        const std::filesystem::path out = parser.value("out");
        std::error_code ec;
        std::filesystem::create_directories(out, ec);
        if (!std::filesystem::is_directory(out))
            fail(out.string(), "cannot create output folder" + (ec ? ": " + ec.message() : std::string()));
        if (!parser.isSet("overwrite") && std::filesystem::exists(out / "lensed_00000.fits"))
            fail(out.string(), "already holds simulated pairs; pass --overwrite to replace them");

        writeTextAtomically(out / "simulation.json",
                            nlohmann::json{{"preset", config.preset.name},
                                           {"seed", config.seed},
                                           {"count", count},
                                           {"batch_size", batchSize},
                                           {"device", config.device.str()},
                                           {"grid_size", config.gridSize},
                                           {"supersampling", config.supersample},
                                           {"astrorim_version", ASTRORIM_VERSION}}
                                    .dump(2)
                                + "\n");

        simulation::Simulator simulator(config);
        ProgressBar progress("simulate " + config.preset.name, count, std::cerr);
        for (std::int64_t done = 0, batchIndex = 0; done < count; ++batchIndex) {
            const auto n = std::min<std::int64_t>(batchSize, count - done);
            // A short last batch keeps the batch index, so earlier files never
            // depend on the requested count.
            simulation::writePairs(simulator.generate(batchIndex, batchSize), config, out, done, n);
            done += n;
            progress.update(done);
        }
        progress.finish();
        std::cout << "wrote " << count << " pairs to " << out.string() << '\n';
        return 0;
    });
}

} // namespace astrorim::cli

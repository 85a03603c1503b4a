#include "command_runner.h"
#include "commands.h"
#include "progress_bar.h"

#include "common/progress.h"
#include "simulation/dataset_writer.h"

#include <iostream>
#include <limits>

namespace astrorim::cli {

int runSimulate(const std::vector<std::string> &args)
{
    ArgumentParser parser("simulate",
                          "Simulates strong-lens training pairs on a 96x96 grid: lensed_NNNNN.fits (observation,\n"
                          "noise map, noiseless model, lens light, PSF), source_NNNNN.fits and a JSON truth sidecar.\n"
                          "The same seed, batch size and device type give the same files. Ctrl-C stops after the\n"
                          "current batch, keeping the complete pairs.");
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
        const std::string out = parser.value("out");

        CancelToken interrupt;
        const InterruptGuard guard(interrupt);
        ProgressBar progress("simulate " + config.preset.name, count, std::cerr);
        const auto result = simulation::writeDataset(
            config, count, batchSize, out, parser.isSet("overwrite"),
            [&](std::int64_t done, std::int64_t) { progress.update(done); }, interrupt);
        progress.finish();

        if (result.cancelled) {
            std::cerr << "astrorim-cli: interrupted; " << result.written << " complete pairs are in " << out << '\n';
            return 130;
        }
        std::cout << "wrote " << result.written << " pairs to " << out << '\n';
        return 0;
    });
}

} // namespace astrorim::cli

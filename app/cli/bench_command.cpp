#include "command_runner.h"
#include "commands.h"
#include "bench_fit.h"

#include "common/data_paths.h"
#include "common/subprocess.h"
#include "fit/fitter.h"
#include "nn/model_file.h"
#include "nn/normalization.h"
#include "simulation/dataset_writer.h"
#include "simulation/simulator.h"
#include "training/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

#include <unistd.h>

namespace astrorim::cli {

namespace {

struct Measurement
{
    std::string device;
    int threads = 0;
    std::string preset;
    std::int64_t batch = 0;
    std::int64_t pairs = 0;
    double seconds = 0.0;
};

struct Timing
{
    std::int64_t items = 0;
    double seconds = 0.0;
};

/// Calls run(i) for i = 0 (an untimed warm-up: allocator, kernels), then
/// i = 1, 2, … until `minSeconds` have passed. Each call handles `batch`
/// items and returns a checksum, which forces the work to finish (CUDA runs
/// asynchronously) and must stay finite.
Timing timeRepeatedly(std::int64_t batch, double minSeconds, const std::function<double(std::int64_t)> &run,
                      const std::string &what)
{
    run(0);
    Timing t;
    double checksum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 1; t.seconds < minSeconds; ++i) {
        checksum += run(i);
        t.items += batch;
        t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    if (!std::isfinite(checksum))
        throw std::runtime_error("bench: " + what + " contain non-finite values");
    return t;
}

/// Simulates batches for at least `minSeconds` after one warm-up batch.
Measurement measureSimulation(const simulation::Preset &preset, c10::Device device, std::int64_t batch,
                              double minSeconds)
{
    simulation::SimulationConfig config;
    config.preset = preset;
    config.device = device;
    simulation::Simulator simulator(config);
    const auto t = timeRepeatedly(
        batch, minSeconds,
        [&](std::int64_t i) { return simulator.generate(i, batch).observation.sum().item<double>(); },
        "simulated images");
    return {device.str(), at::get_num_threads(), preset.name, batch, t.items, t.seconds};
}

std::vector<c10::Device> chosenDevices(const ArgumentParser &parser)
{
    std::vector<c10::Device> devices;
    const std::string which = parser.value("device");
    if (which == "all") {
        devices.push_back(torch::kCPU);
        if (torch::cuda::is_available())
            devices.push_back(torch::kCUDA);
    } else {
        devices.push_back(parseDevice(which));
    }
    return devices;
}

int benchSimulate(const ArgumentParser &parser)
{
    const int threads = configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
    const double seconds = parser.number("seconds", 0.1, 3600);
    const auto devices = chosenDevices(parser);
    std::vector<simulation::Preset> chosen;
    if (parser.value("preset") == "all")
        chosen = simulation::presets();
    else
        chosen.push_back(simulation::presetByName(parser.value("preset")));

    simulation::SimulationConfig defaults;
    std::cout << "bench simulate: one pair = a " << defaults.gridSize << "x" << defaults.gridSize
              << " observation and its source, " << defaults.supersample << "x" << defaults.supersample
              << " supersampling (" << defaults.gridSize * defaults.supersample << "^2 rays), "
              << defaults.psfSize << "x" << defaults.psfSize << " PSF convolution, Poisson + read noise; float32\n";
    std::cout << "CPU threads: " << threads << "; CUDA: " << (torch::cuda::is_available() ? "yes" : "no") << "\n\n";
    std::printf("| %-6s | %-7s | %-16s | %6s | %7s | %8s | %10s | %8s |\n", "device", "threads", "preset", "batch",
                "pairs", "seconds", "pairs/s", "ms/pair");
    std::printf("|--------|---------|------------------|--------|---------|----------|------------|----------|\n");
    for (const auto &device : devices) {
        const std::int64_t batch = parser.isSet("batch-size") ? parser.integer("batch-size", 1, 1 << 20)
                                                              : (device.is_cuda() ? 2048 : 8);
        for (const auto &preset : chosen) {
            const Measurement m = measureSimulation(preset, device, batch, seconds);
            const double rate = static_cast<double>(m.pairs) / m.seconds;
            std::printf("| %-6s | %7d | %-16s | %6lld | %7lld | %8.2f | %10.1f | %8.3f |\n", m.device.c_str(),
                        device.is_cuda() ? 0 : m.threads, m.preset.c_str(), static_cast<long long>(m.batch),
                        static_cast<long long>(m.pairs), m.seconds, rate, 1000.0 / rate);
            std::fflush(stdout);
        }
    }
    return 0;
}

/// Reconstructions of simulated baseline lenses: estimator, operator set-up
/// and `iterations` RIM steps with their autograd likelihood gradients.
int benchReconstruct(const ArgumentParser &parser)
{
    const int threads = configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
    const double seconds = parser.number("seconds", 0.1, 3600);
    const int iterations = static_cast<int>(parser.integer("iterations", 1, 100));
    nn::LoadedModel loaded;
    if (parser.isSet("model"))
        loaded = nn::loadModel(parser.value("model"));
    else
        loaded.model = nn::RimModel(nn::ModelConfig{}); // timing does not depend on the weights
    const auto &config = loaded.model->config();

    std::cout << "bench reconstruct: one reconstruction = a " << config.gridSize << "x" << config.gridSize
              << " lens: parameter estimate, " << config.operatorSupersample << "x" << config.operatorSupersample
              << " ray tracing, " << iterations << " RIM iterations with autograd chi2 gradients; float32; model "
              << (parser.isSet("model") ? parser.value("model") : std::string("default architecture, untrained"))
              << "\nCPU threads: " << threads << "; CUDA: " << (torch::cuda::is_available() ? "yes" : "no")
              << "\n\n";
    std::printf("| %-6s | %-7s | %6s | %8s | %8s | %10s | %9s |\n", "device", "threads", "batch", "images",
                "seconds", "images/s", "ms/image");
    std::printf("|--------|---------|--------|----------|----------|------------|-----------|\n");
    for (const auto &device : chosenDevices(parser)) {
        const std::int64_t batch = parser.isSet("batch-size") ? parser.integer("batch-size", 1, 1 << 20)
                                                              : (device.is_cuda() ? 512 : 1);
        simulation::SimulationConfig simConfig{simulation::presetByName("baseline"), 7, config.gridSize, 4, 25,
                                               device};
        const auto b = simulation::Simulator(simConfig).generate(0, batch);
        const auto obs = nn::normalizeObservation(b.observation, b.noiseMap, b.truth.pixelScale, b.psf);
        loaded.model->to(device);
        loaded.model->eval();
        torch::NoGradGuard noGrad;
        const auto t = timeRepeatedly(
            batch, seconds,
            [&](std::int64_t) { return loaded.model->reconstruct(obs, iterations).model.sum().item<double>(); },
            "reconstructions");
        const double rate = static_cast<double>(t.items) / t.seconds;
        std::printf("| %-6s | %7d | %6lld | %8lld | %8.2f | %10.1f | %9.2f |\n", device.str().c_str(),
                    device.is_cuda() ? 0 : threads, static_cast<long long>(batch), static_cast<long long>(t.items),
                    t.seconds, rate, 1000.0 / rate);
        std::fflush(stdout);
    }
    return 0;
}

/// Training steps on lenses simulated on the fly (all presets in turn),
/// each step simulation + forward + backward + AdamW + EMA, after one
/// untimed warm-up step. Checkpoints go to a scratch folder that is removed.
int benchTrain(const ArgumentParser &parser)
{
    const int threads = configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
    const double seconds = parser.number("seconds", 0.1, 3600);
    const int iterations = static_cast<int>(parser.integer("iterations", 1, 100));
    std::cout << "bench train: one step = simulate a batch (all presets in turn), estimator + " << iterations
              << " RIM iterations + operator correction forward and backward, AdamW, EMA; default architecture; "
                 "bf16 autocast on CUDA\nCPU threads: "
              << threads << "; CUDA: " << (torch::cuda::is_available() ? "yes" : "no") << "\n\n";
    std::printf("| %-6s | %-7s | %6s | %6s | %10s | %9s |\n", "device", "threads", "batch", "steps", "samples/s",
                "ms/step");
    std::printf("|--------|---------|--------|--------|------------|-----------|\n");
    for (const auto &device : chosenDevices(parser)) {
        const auto scratch = std::filesystem::temp_directory_path() /
                             ("astrorim-bench-train-" + std::to_string(::getpid()));
        training::TrainingConfig config;
        config.batchSize = parser.isSet("batch-size") ? parser.integer("batch-size", 1, 1 << 20)
                                                      : (device.is_cuda() ? 64 : 4);
        config.rimIterations = iterations;
        config.device = device;
        config.outputDir = scratch;
        config.steps = 1'000'000;
        config.validateEvery = config.checkpointEvery = config.steps;
        config.validationPerPreset = 1;
        config.logEvery = 1;
        std::vector<double> stepSeconds;
        {
            training::Trainer trainer(config);
            CancelToken stop;
            const auto start = std::chrono::steady_clock::now();
            trainer.run(
                [&](const training::TrainingRecord &r) {
                    if (r.step > 1) // the first step warms up allocators and kernels
                        stepSeconds.push_back(static_cast<double>(config.batchSize) / r.samplesPerSecond);
                    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds &&
                        stepSeconds.size() >= 3)
                        stop.cancel();
                },
                stop);
        }
        std::filesystem::remove_all(scratch);
        std::sort(stepSeconds.begin(), stepSeconds.end());
        const double median = stepSeconds[stepSeconds.size() / 2];
        std::printf("| %-6s | %7d | %6lld | %6zu | %10.1f | %9.1f |\n", device.str().c_str(),
                    device.is_cuda() ? 0 : threads, static_cast<long long>(config.batchSize), stepSeconds.size(),
                    static_cast<double>(config.batchSize) / median, 1000.0 * median);
        std::fflush(stdout);
    }
    return 0;
}

/// Peak resident memory of a batch reconstruction against the number of
/// images: simulated baseline lenses written as FITS files, then for each
/// count a separate `astrorim-cli reconstruct --input-dir` process (this
/// same executable, the full path: reading, reconstruction, the five output
/// files, the diagnostic PNG, summary.csv), whose peak RSS the kernel
/// reports when it ends (getrusage ru_maxrss through wait4).
int benchBatchMemory(const ArgumentParser &parser)
{
    std::vector<std::int64_t> counts;
    for (const auto &word : splitList(parser.value("counts"))) {
        std::int64_t n = 0;
        try {
            n = std::stoll(word);
        } catch (const std::exception &) {
        }
        if (n < 1 || n > 100'000)
            throw UsageError{"--counts needs numbers from 1 to 100000, e.g. 100,2000"};
        counts.push_back(n);
    }
    const std::string device = parser.value("device") == "all" ? "auto" : parser.value("device");
    const std::string batchSize = parser.isSet("batch-size") ? parser.value("batch-size") : "8"; // reconstruct's default
    const std::string model = parser.isSet("model") ? parser.value("model") : defaultModelPath().string();
    const auto gridSize = nn::loadModel(model).model->config().gridSize;
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("astrorim-bench-batch-memory-" + std::to_string(::getpid()));
    struct RemoveScratch
    {
        std::filesystem::path dir;
        ~RemoveScratch()
        {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } removeScratch{scratch};

    const auto most = *std::max_element(counts.begin(), counts.end());
    simulation::SimulationConfig simulation;
    simulation.preset = simulation::presetByName("baseline");
    simulation.gridSize = gridSize;
    std::cout << "bench batch-memory: astrorim-cli reconstruct --input-dir on N simulated " << gridSize << "x"
              << gridSize << " baseline lenses (all outputs and the diagnostic PNG written), one process per N; "
              << "peak RSS from the kernel (ru_maxrss)\nmodel " << model << ", device " << device << ", "
              << parser.value("iterations") << " RIM iterations, batch size " << batchSize
              << "\nsimulating " << most << " lenses into " << scratch.string() << "…\n\n"
              << std::flush;
    simulation::writeDataset(simulation, most, 64, scratch / "lenses", false);

    std::printf("| %7s | %8s | %8s | %14s |\n", "images", "seconds", "images/s", "peak RSS (MiB)");
    std::printf("|---------|----------|----------|----------------|\n");
    for (const auto count : counts) {
        const auto input = scratch / ("in_" + std::to_string(count));
        std::filesystem::create_directories(input);
        for (std::int64_t i = 0; i < count; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "lensed_%05lld.fits", static_cast<long long>(i));
            std::filesystem::create_hard_link(scratch / "lenses" / name, input / name);
        }
        const auto log = scratch / ("reconstruct_" + std::to_string(count) + ".log");
        const auto start = std::chrono::steady_clock::now();
        const auto ended = Subprocess("/proc/self/exe",
                                      {"reconstruct", "--input-dir", input.string(), "--output-dir",
                                       (scratch / ("out_" + std::to_string(count))).string(), "--model", model,
                                       "--device", device, "--iterations", parser.value("iterations"),
                                       "--batch-size", batchSize, "--threads", parser.value("threads")},
                                      log)
                               .wait();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (ended.exitCode != 0) {
            std::ifstream in(log);
            std::cerr << in.rdbuf();
            throw std::runtime_error("bench: the reconstruction of " + std::to_string(count) + " images failed");
        }
        std::printf("| %7lld | %8.1f | %8.2f | %14.1f |\n", static_cast<long long>(count), seconds,
                    static_cast<double>(count) / seconds, ended.peakRssMiB);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

int runBench(const std::vector<std::string> &args)
{
    ArgumentParser parser("bench", "Benchmarks. 'bench simulate' prints simulated pairs per second; 'bench reconstruct'\n"
                                   "prints reconstructions per second (milliseconds each); 'bench train' prints\n"
                                   "training samples per second (median step); 'bench batch-memory' prints the peak memory of\n"
                                   "'reconstruct' on 100 and on 2000 images; 'bench fit' prints milliseconds per stage of the fit.");
    parser.setPositional("WHAT", "what to measure: simulate, reconstruct, train, batch-memory or fit", 1, 1);
    parser.addOption("preset", "NAME|all", "simulator preset", "all");
    parser.addOption("device", "cpu|cuda|all", "devices to measure", "all");
    parser.addOption("batch-size", "B",
                     "systems per batch (simulate: 8 on CPU, 2048 on CUDA; reconstruct: 1 and 512; train: 4 and 64; "
                     "batch-memory: 8)");
    parser.addOption("iterations", "T", "RIM iterations (reconstruct, train, batch-memory)", "10");
    parser.addOption("model", "FILE", "model weights (reconstruct; default: the default architecture, untrained)");
    parser.addOption("seconds", "S", "minimum measuring time per row", "3");
    parser.addOption("threads", "T", "CPU threads (0: all)", "0");
    parser.addOption("lenses", "N", "fit: held-out lenses to time (1-12)", "3");
    parser.addOption("source-grid", "PIXELS", "fit: source-grid pixels per side", "64");
    parser.addOption("starts", "N", "fit: optimizer starts (the first guess and N − 1 others)", "3");
    parser.addOption("sersic-iterations", "M", "fit: L-BFGS steps of the Sérsic-source fits, the start and the basins' veto (0: neither)",
                     std::to_string(fit::FitOptions{}.parametricIterations));
    parser.addOption("good-enough", "X", "fit: further starts only while the reduced χ² exceeds X (0: always)", "1.2");
    parser.addFlag("matrix-free-optimizer", "fit: the optimizer's inversions by conjugate gradients instead of dense Cholesky");
    parser.addFlag("inversions-only", "fit: time the operator and the inversions, not the whole fit");
    parser.addOption("psf-size", "K", "fit: PSF kernel size (odd, ≤ 25; 0: the core holding 99.5 % of the flux, as reconstruct uses)", "0");
    parser.addOption("counts", "N,N,…", "batch-memory: numbers of images, one reconstruction process each", "100,2000");
    return runCommand(parser, args, [&] {
        const std::string what = parser.positional()[0];
        if (what == "simulate")
            return benchSimulate(parser);
        if (what == "reconstruct")
            return benchReconstruct(parser);
        if (what == "train")
            return benchTrain(parser);
        if (what == "batch-memory")
            return benchBatchMemory(parser);
        if (what == "fit")
            return benchFit(parser);
        throw UsageError{"unknown benchmark '" + what + "' (available: simulate, reconstruct, train, batch-memory, fit)"};
    });
}

} // namespace astrorim::cli

#include "command_runner.h"
#include "commands.h"

#include "common/error.h"
#include "training/trainer.h"

#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

namespace astrorim::cli {

namespace {

void printRecord(const training::TrainingRecord &r, std::int64_t steps)
{
    std::ostringstream line;
    line << "step " << r.step << '/' << steps << "  lr " << std::setprecision(3) << r.learningRate
         << "  loss " << std::setprecision(4) << r.loss << "  rim " << r.rimLoss << "  est " << r.estimatorLoss
         << "  op " << r.operatorLoss << "  " << std::fixed << std::setprecision(1) << r.samplesPerSecond
         << " samples/s";
    if (r.validated)
        line << std::defaultfloat << std::setprecision(4) << "  | validation source error " << r.validationError << "  MSE "
             << r.validationMse;
    std::cerr << line.str() << '\n';
}

} // namespace

int runTrain(const std::vector<std::string> &args)
{
    ArgumentParser parser(
        "train",
        "Trains the RIM, the lens estimator and the operator correction on lenses simulated on the fly,\n"
        "or on a folder of FITS pairs (--data; the layout 'simulate' writes; its last 5 % validate).\n"
        "OUT receives checkpoint.safetensors (everything needed to resume), model.safetensors (the EMA\n"
        "weights, loadable by reconstruct/evaluate) and training_log.csv. Ctrl-C stops after the current\n"
        "step and writes a checkpoint. --resume continues a run; --init starts from trained weights with a\n"
        "fresh optimizer (fine-tuning at a lower --lr, AstroRIM's second phase).");
    parser.addOption("out", "DIR", "output folder");
    parser.addOption("presets", "LIST|all", "comma-separated simulator presets, mixed in turn", "all");
    parser.addOption("data", "DIR", "train on the FITS pairs in DIR instead of simulating");
    parser.addOption("steps", "N", "optimizer steps in total", "10000");
    parser.addOption("batch-size", "B", "lenses per step", "16");
    parser.addOption("lr", "RATE", "peak learning rate", "1e-3");
    parser.addOption("warmup", "N", "linear warm-up steps", "200");
    parser.addOption("iterations", "T", "RIM iterations while training", "10");
    parser.addOption("seed", "S", "training seed", "1");
    parser.addOption("device", "cpu|cuda|auto", "where to train", "auto");
    parser.addOption("validate-every", "N", "steps between validations", "250");
    parser.addOption("checkpoint-every", "N", "steps between checkpoints", "250");
    parser.addOption("log-every", "N", "steps between log lines", "10");
    parser.addOption("rim-channels", "C0,C1,C2", "RIM features at full, 1/2 and 1/4 resolution", "8,16,32");
    parser.addOption("resume", "CHECKPOINT", "continue from this checkpoint");
    parser.addOption("init", "WEIGHTS", "start from these weights with a fresh optimizer");
    parser.addOption("threads", "T", "CPU threads (0: all)", "0");
    parser.addOption("gradient", "autograd|inverse-warp",
                     "the chi-squared gradient the RIM reads: the true one, or the approximate back-projection "
                     "along the rays (ablation)",
                     "autograd");
    parser.addFlag("no-correction", "train without the learned operator correction");
    parser.addFlag("fp32", "no mixed precision on CUDA");

    return runCommand(parser, args, [&] {
        if (!parser.isSet("out"))
            throw UsageError{"--out is required"};
        if (parser.isSet("resume") && parser.isSet("init"))
            throw UsageError{"--resume and --init exclude each other"};
        configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));

        training::TrainingConfig config;
        if (parser.value("presets") != "all")
            config.presets = splitList(parser.value("presets"));
        if (parser.isSet("data")) {
            if (!config.presets.empty())
                throw UsageError{"--data and --presets exclude each other"};
            config.dataset = parser.value("data");
        }
        config.steps = parser.integer("steps", 1, 100'000'000);
        config.batchSize = parser.integer("batch-size", 1, 65'536);
        config.learningRate = parser.number("lr", 1e-8, 1.0);
        config.warmupSteps = parser.integer("warmup", 0, 100'000'000);
        config.rimIterations = static_cast<int>(parser.integer("iterations", 1, 100));
        config.seed = static_cast<std::uint64_t>(parser.integer("seed", 0, std::numeric_limits<long long>::max()));
        config.device = parseDevice(parser.value("device"));
        config.validateEvery = parser.integer("validate-every", 1, 100'000'000);
        config.checkpointEvery = parser.integer("checkpoint-every", 1, 100'000'000);
        config.logEvery = parser.integer("log-every", 1, 100'000'000);
        const auto channels = splitList(parser.value("rim-channels"));
        if (channels.size() != 3)
            throw UsageError{"--rim-channels needs three numbers, e.g. 8,16,32"};
        try {
            config.model.rim = {std::stoll(channels[0]), std::stoll(channels[1]), std::stoll(channels[2])};
        } catch (const std::exception &) {
            throw UsageError{"--rim-channels needs three numbers, e.g. 8,16,32"};
        }
        try {
            config.model.gradient = nn::gradientModeFromName(parser.value("gradient"), "--gradient");
        } catch (const Error &e) {
            throw UsageError{e.what()};
        }
        config.correction = !parser.isSet("no-correction");
        config.mixedPrecision = !parser.isSet("fp32");
        config.outputDir = parser.value("out");

        training::Trainer trainer(config);
        if (parser.isSet("resume"))
            trainer.resume(parser.value("resume"));
        if (parser.isSet("init"))
            trainer.initializeFrom(parser.value("init"));

        CancelToken interrupt;
        const InterruptGuard guard(interrupt);
        std::cerr << "training on " << config.device.str() << ", " << torch::get_num_threads() << " CPU threads\n";
        const auto result = trainer.run([&](const auto &r) { printRecord(r, config.steps); }, interrupt);
        if (result.cancelled) {
            std::cerr << "astrorim-cli: interrupted at step " << result.steps << "; resume with --resume "
                      << (config.outputDir / "checkpoint.safetensors").string() << '\n';
            return 130;
        }
        std::cout << "trained " << result.steps << " steps; model in "
                  << (config.outputDir / "model.safetensors").string() << '\n';
        return 0;
    });
}

} // namespace astrorim::cli

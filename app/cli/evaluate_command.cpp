#include "command_runner.h"
#include "commands.h"
#include "progress_bar.h"

#include "common/atomic_file.h"
#include "evaluation/fit_evaluation.h"
#include "evaluation/fit_report.h"
#include "evaluation/held_out_set.h"
#include "evaluation/report.h"
#include "fit/regularization.h"
#include "nn/model_file.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <filesystem>
#include <optional>
#include <sstream>
#include <iostream>

namespace astrorim::cli {

namespace {

/// With --out DIR: writes each (file name, contents) into DIR (created if missing), atomically.
void writeReportFiles(const ArgumentParser &parser, const std::vector<std::pair<std::string, std::string>> &files)
{
    if (!parser.isSet("out"))
        return;
    const std::filesystem::path out = parser.value("out");
    std::filesystem::create_directories(out);
    for (const auto &[name, contents] : files)
        writeTextAtomically(out / name, contents);
    std::cerr << "report written to " << out.string() << '\n';
}

std::string calibrationText(const fit::SigmaCalibration &c)
{
    std::ostringstream text;
    text << "θ_E " << c.radius << ", ellipticity " << c.ellipticity << ", centre " << c.position << ", shear "
         << c.shear;
    return text.str();
}

/// evaluate --fit: the honest evaluation of the fit (evaluation/fit_evaluation.h).
int runFitEvaluation(const ArgumentParser &parser)
{
    evaluation::FitEvaluationOptions options;
    options.perPreset = parser.integer("per-preset", 1, 1'000'000);
    const int iterations = static_cast<int>(parser.integer("iterations", 0, 100));
    options.fit.starts = static_cast<int>(parser.integer("starts", 1, 20));
    options.limitPerPreset = parser.integer("first", 0, 1'000'000);
    options.fit.maxIterations = static_cast<int>(parser.integer("max-iterations", 0, 1000));
    options.fit.grid.size = static_cast<int>(parser.integer("source-grid", 8, 256));
    options.fit.parametricIterations = static_cast<int>(parser.integer("sersic-iterations", 0, 1000));
    options.fit.regularization = fit::parseRegularization(parser.value("regularization"));
    if (parser.isSet("calibration-set"))
        options.seed = evaluation::kCalibrationSeed;
    if (parser.isSet("presets")) {
        std::stringstream list(parser.value("presets"));
        for (std::string name; std::getline(list, name, ',');)
            options.presets.push_back(simulation::presetByName(name).name);
    }
    std::optional<nn::LoadedModel> loaded;
    if (parser.isSet("model")) {
        loaded = nn::loadModel(parser.value("model"), torch::kCPU);
        options.model = loaded->model.get();
        options.rimIterations =
            nn::trainingSettings(loaded->metadata, parser.value("model")).iterations(iterations);
    }
    CancelToken interrupt;
    const InterruptGuard guard(interrupt);
    const std::int64_t perPreset = evaluation::HeldOutSet(options.perPreset, torch::kCPU, 96, options.seed).perPreset();
    const std::int64_t lenses =
        (options.limitPerPreset > 0 ? std::min(options.limitPerPreset, perPreset) : perPreset) *
        (options.presets.empty() ? 6 : static_cast<std::int64_t>(options.presets.size()));
    ProgressBar progress("evaluate fits", lenses, std::cerr);
    const auto records = evaluation::evaluateFits(
        options, [&](std::int64_t done, std::int64_t) { progress.update(done); }, interrupt);
    progress.finish();
    if (interrupt.cancelled()) {
        std::cerr << "astrorim-cli: interrupted after " << records.size() << " lenses; no report written\n";
        return 130;
    }
    const std::vector<std::pair<std::string, std::string>> context{
        {"model (estimator and RIM)", loaded ? std::filesystem::path(parser.value("model")).filename().string()
                                             : std::string("none: zero and true-lens rows only")},
        {options.seed == evaluation::kCalibrationSeed ? "calibration set" : "held-out set",
         std::to_string(records.size()) + " lenses, seed " + std::to_string(options.seed)},
        {"source grid", std::to_string(options.fit.grid.size) + "², " +
                            fit::regularizationName(options.fit.regularization) + " regularization, λ by evidence"},
        {"lens optimization", std::to_string(options.fit.starts) + " starts, ≤ " +
                                  std::to_string(options.fit.maxIterations) + " L-BFGS iterations each" +
                                  (options.fit.parametricIterations > 0
                                       ? ", plus a Sérsic-source fit of ≤ " +
                                             std::to_string(options.fit.parametricIterations) + " steps"
                                       : std::string())},
        {"1σ factors (fit::SigmaCalibration)", calibrationText(options.fit.sigmaCalibration)},
        {"RIM iterations", std::to_string(options.rimIterations)},
        {"threads", std::to_string(torch::get_num_threads())}};
    const auto report = evaluation::makeFitReport(records, context);
    std::cout << report.markdown;
    writeReportFiles(parser, {{"fit-evaluation.md", report.markdown},
                              {"fit-evaluation.json", report.json.dump(2) + "\n"},
                              {"fit-lenses.csv", report.csv}});
    return 0;
}

} // namespace

int runEvaluate(const std::vector<std::string> &args)
{
    ArgumentParser parser(
        "evaluate",
        "Evaluates a model on the fixed held-out set: lenses of all six presets simulated from the\n"
        "held-out seed (" + std::to_string(evaluation::kHeldOutSeed) +
            ", which training refuses), regenerated identically on every run.\n"
            "Prints a Markdown report; OUT receives evaluation.md, evaluation.json (every statistic, the\n"
            "SSIM-versus-iteration curve per preset) and images.csv (one row per image).");
    parser.addOption("model", "FILE", "model weights (model.safetensors from train)");
    parser.addOption("out", "DIR", "folder for the report files (created if missing)");
    parser.addOption("per-preset", "N", "held-out lenses per preset, rounded up to whole batches of " +
                                            std::to_string(evaluation::kHeldOutBatchSize),
                     std::to_string(evaluation::kHeldOutPerPreset));
    parser.addOption("iterations", "T", "RIM iterations; each one is scored (0: as the model was trained, from its metadata)", "0");
    parser.addOption("device", "cpu|cuda|auto", "where to run", "auto");
    parser.addOption("threads", "T", "CPU threads (0: all)", "0");
    parser.addOption("refine", "ROUNDS", "MAP-refine the lens: rounds of 20 gradient steps on chi2 + the estimator's prior, "
                                         "each followed by a RIM pass (0: off)", "0");
    parser.addFlag("true-lens", "reconstruct through the true lens instead of the estimated one (isolates the RIM)");
    parser.addOption("write-set", "DIR", "write the held-out set as FITS pairs (one folder per preset) and exit");
    parser.addFlag("no-correction", "switch the learned operator correction off (ablation at inference)");
    parser.addFlag("fit", "evaluate the fit instead: zero source, inversion through the true, the estimator's and the "
                          "optimized lens, and the model's RIM, each scored on its own grid");
    parser.addOption("presets", "A,B", "with --fit: only these presets (comma-separated)");
    parser.addFlag("calibration-set",
                   "with --fit: the calibration set (seed " + std::to_string(evaluation::kCalibrationSeed) +
                       ") instead of the held-out set; its report's calibration factors are the fit's 1σ factors");
    parser.addOption("starts", "K", "with --fit: lens-optimizer starts", "3");
    parser.addOption("first", "N", "with --fit: only the first N lenses of each preset (0: all)", "0");
    parser.addOption("max-iterations", "M", "with --fit: L-BFGS iterations per start", "40");
    parser.addOption("source-grid", "PIXELS", "with --fit: source-grid pixels per side", "64");
    parser.addOption("sersic-iterations", "M",
                     "with --fit: L-BFGS steps of the Sérsic-source fits: one whose lens starts one more search, "
                     "and the veto of basins a Sérsic source fits much worse (0: neither)",
                     std::to_string(fit::FitOptions{}.parametricIterations));
    parser.addOption("regularization", "gradient|curvature", "with --fit: source regularization", "curvature");

    return runCommand(parser, args, [&] {
        if (parser.isSet("write-set")) {
            const evaluation::HeldOutSet set(parser.integer("per-preset", 1, 1'000'000), torch::kCPU);
            ProgressBar progress("write held-out set", set.size(), std::cerr);
            set.write(parser.value("write-set"), [&](std::int64_t done, std::int64_t) { progress.update(done); });
            progress.finish();
            std::cout << "wrote " << set.size() << " held-out pairs to " << parser.value("write-set") << '\n';
            return 0;
        }
        if (parser.isSet("fit")) {
            configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
            return runFitEvaluation(parser);
        }
        if (!parser.isSet("model"))
            throw UsageError{"--model is required"};
        configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
        evaluation::EvaluationOptions options;
        options.perPreset = parser.integer("per-preset", 1, 1'000'000);
        const int iterations = static_cast<int>(parser.integer("iterations", 0, 100));
        options.trueLens = parser.isSet("true-lens");
        options.refineRounds = static_cast<int>(parser.integer("refine", 0, 100));
        if (options.trueLens && options.refineRounds > 0)
            throw UsageError{"--true-lens and --refine exclude each other"};
        options.device = parseDevice(parser.value("device"));

        const std::string modelFile = parser.value("model");
        auto loaded = nn::loadModel(modelFile, options.device);
        if (parser.isSet("no-correction"))
            loaded.model->setCorrectionEnabled(false);
        options.iterations = nn::trainingSettings(loaded.metadata, modelFile).iterations(iterations);

        CancelToken interrupt;
        const InterruptGuard guard(interrupt);
        const evaluation::HeldOutSet set(options.perPreset, options.device, loaded.model->config().gridSize);
        ProgressBar progress("evaluate", set.size(), std::cerr);
        const auto result = evaluation::evaluate(
            *loaded.model, options, [&](std::int64_t done, std::int64_t) { progress.update(done); }, interrupt);
        progress.finish();
        if (result.cancelled) {
            std::cerr << "astrorim-cli: interrupted after " << result.images.size() << " images; no report written\n";
            return 130;
        }

        const auto meta = [&](const char *key) {
            const auto it = loaded.metadata.find(key);
            return it == loaded.metadata.end() ? std::string("unknown") : it->second;
        };
        const std::vector<std::pair<std::string, std::string>> context{
            {"model", std::filesystem::path(modelFile).filename().string()},
            {"trained steps", meta("trained_steps")},
            {"gradient", nn::gradientModeName(loaded.model->config().gradient)},
            {"operator correction", loaded.model->correctionEnabled() ? "on" : "off"},
            {"lens", options.trueLens           ? std::string("true (oracle)")
                     : options.refineRounds > 0 ? "estimated, MAP-refined in " + std::to_string(options.refineRounds) +
                                                      " rounds"
                                                : std::string("estimated")},
            {"held-out set", std::to_string(set.size()) + " lenses, " + std::to_string(set.perPreset()) +
                                 " per preset, seed " + std::to_string(evaluation::kHeldOutSeed)},
            {"RIM iterations", std::to_string(options.iterations)},
            {"device", options.device.str()}};
        const auto report = evaluation::makeReport(result, context);
        std::cout << report.markdown;
        writeReportFiles(parser, {{"evaluation.md", report.markdown},
                                  {"evaluation.json", report.json.dump(2) + "\n"},
                                  {"images.csv", report.imagesCsv}});
        return 0;
    });
}

} // namespace astrorim::cli

#include "training/trainer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "evaluation/labelled_batch.h"
#include "evaluation/scores.h"
#include "metrics/source_error.h"
#include "nn/lens_parameters.h"
#include "nn/model_file.h"
#include "nn/normalization.h"
#include "noise/noise.h"
#include "simulation/presets.h"
#include "simulation/simulator.h"
#include "training/adamw.h"
#include "training/autocast.h"
#include "training/ema.h"
#include "training/fits_dataset.h"
#include "training/lr_schedule.h"
#include "weights/safetensors.h"
#include "weights/state_dict.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

namespace astrorim::training {

namespace {

using torch::Tensor;
namespace fs = std::filesystem;

/// Validation draws from the training seed XOR this: never a training batch.
constexpr std::uint64_t kValidationSeedMask = 0x5EEDBA5E5EEDBA5EULL;

constexpr const char *kCheckpointFormat = "astrorim-checkpoint";
constexpr const char *kLogHeader = "step,learning_rate,loss,rim_loss,estimator_loss,operator_loss,"
                                   "validation_relative_error,validation_mse,samples_per_second,"
                                   "elapsed_seconds";

/// The true lens with noise of the size the estimator gets wrong, so the RIM
/// learns to work with an imperfect lens: 2 % in θ_E, 0.02 in e1/e2, 0.3
/// pixel in the centre and 0.01 in the shear, times `amount`.
lensing::LensSystemTensor jittered(lensing::LensSystemTensor lens, const Tensor &pixelScale, double amount,
                                   at::Generator &gen)
{
    if (amount <= 0)
        return lens;
    const auto noise = [&](double sigma) {
        return torch::randn(pixelScale.sizes(), gen, pixelScale.options()) * (sigma * amount);
    };
    auto &sie = lens.sie;
    sie.theta_E = sie.theta_E * (1 + noise(0.02));
    sie.e1 = sie.e1 + noise(0.02);
    sie.e2 = sie.e2 + noise(0.02);
    sie.center_x = sie.center_x + noise(0.3) * pixelScale;
    sie.center_y = sie.center_y + noise(0.3) * pixelScale;
    lens.shear.gamma1 = lens.shear.gamma1 + noise(0.01);
    lens.shear.gamma2 = lens.shear.gamma2 + noise(0.01);
    return lens;
}

struct Losses
{
    Tensor total, rim, estimator, op;
};

std::string formatNumber(double v)
{
    if (std::isnan(v))
        return "";
    std::ostringstream os;
    os << std::setprecision(7) << v;
    return os.str();
}

std::vector<simulation::Preset> choosePresets(const std::vector<std::string> &names)
{
    if (names.empty())
        return simulation::presets();
    std::vector<simulation::Preset> out;
    for (const auto &name : names)
        out.push_back(simulation::presetByName(name));
    return out;
}

// Deterministic per-step seed for the jitter, independent of resumes.
std::uint64_t stepSeed(std::uint64_t seed, std::int64_t step)
{
    return seed * 6364136223846793005ULL + static_cast<std::uint64_t>(step) * 1442695040888963407ULL + 1;
}

} // namespace

struct Trainer::Private
{
    nn::RimModel model{nullptr};
    std::unique_ptr<AdamW> optimizer;
    std::unique_ptr<ExponentialMovingAverage> ema;
    std::unique_ptr<LearningRateSchedule> schedule;
    std::vector<std::unique_ptr<simulation::Simulator>> simulators; ///< when simulating on the fly
    std::unique_ptr<FitsDataset> dataset;                            ///< when reading pairs from a folder
    std::int64_t datasetTrainingPairs = 0; ///< the first pairs train; the rest validate
    std::int64_t shuffledEpoch = -1;
    std::vector<std::int64_t> shuffled;    ///< the training pairs' order in that epoch
    std::vector<evaluation::LabelledBatch> validation;
    std::vector<std::string> logRows;
    std::int64_t step = 0;
    int psfSize = 25; ///< of the training batches (the last one seen), recorded with the weights
    at::Generator jitterGenerator;

    std::vector<Tensor> moduleParameters(const char *name)
    {
        return model->named_children()[name]->parameters();
    }

    /// The batch of `step`, a pure function of (seed, step): simulated from
    /// the presets in turn, or the dataset's training pairs in an order
    /// reshuffled every epoch.
    simulation::SimulatedBatch trainingData(const TrainingConfig &c, std::int64_t step)
    {
        if (!dataset) {
            const auto presets = static_cast<std::int64_t>(simulators.size());
            return simulators[static_cast<size_t>(step % presets)]->generate(step / presets, c.batchSize);
        }
        std::vector<std::int64_t> indices;
        for (std::int64_t j = 0; j < c.batchSize; ++j) {
            const std::int64_t position = (step - 1) * c.batchSize + j;
            const std::int64_t epoch = position / datasetTrainingPairs;
            if (epoch != shuffledEpoch) {
                shuffled.resize(static_cast<size_t>(datasetTrainingPairs));
                std::iota(shuffled.begin(), shuffled.end(), std::int64_t{0});
                std::mt19937_64 random(stepSeed(c.seed, epoch));
                for (size_t i = shuffled.size() - 1; i > 0; --i) // Fisher–Yates
                    std::swap(shuffled[i], shuffled[static_cast<size_t>(random() % (i + 1))]);
                shuffledEpoch = epoch;
            }
            indices.push_back(shuffled[static_cast<size_t>(position % datasetTrainingPairs)]);
        }
        return dataset->load(indices, c.device);
    }
};

Trainer::Trainer(TrainingConfig config) : m_config(std::move(config)), d(std::make_unique<Private>())
{
    const auto &c = m_config;
    for (const auto reserved : {evaluation::kHeldOutSeed, evaluation::kCalibrationSeed})
        if (c.seed == reserved || (c.seed ^ kValidationSeedMask) == reserved)
            fail("training seed", std::to_string(c.seed) + " would draw the held-out test set or the calibration "
                                                          "set; choose another");
    if (c.batchSize < 1 || c.steps < 1 || c.rimIterations < 1 || c.learningRate <= 0 || c.validateEvery < 1 ||
        c.checkpointEvery < 1 || c.logEvery < 1 || c.validationPerPreset < 1)
        fail("training", "batch size, steps, iterations, learning rate and intervals must be positive");
    if (c.outputDir.empty())
        fail("training", "needs an output folder");
    std::error_code ec;
    fs::create_directories(c.outputDir, ec);
    if (ec)
        fail(c.outputDir.string(), "cannot create the output folder: " + ec.message());

    // The initial weights come from the global generator: seeding it makes
    // them, and so the whole run, a function of the seed.
    torch::manual_seed(c.seed);
    d->model = nn::RimModel(c.model);
    d->model->setCorrectionEnabled(c.correction);
    d->model->to(c.device);
    d->optimizer = std::make_unique<AdamW>(d->model->parameters(),
                                           AdamWOptions{c.learningRate, 0.9, 0.999, 1e-8, c.weightDecay});
    d->ema = std::make_unique<ExponentialMovingAverage>(*d->model, c.emaDecay);
    d->schedule = std::make_unique<LearningRateSchedule>(LearningRateSchedule::Options{
        c.learningRate, static_cast<long>(c.warmupSteps), c.plateauPatience, 0.5, 1e-3, c.minLearningRate});
    d->jitterGenerator = noise::privateGenerator(c.device);

    if (!c.dataset.empty()) {
        d->dataset = std::make_unique<FitsDataset>(c.dataset);
        const auto pairs = d->dataset->size();
        if (pairs < 2)
            fail(c.dataset.string(), "needs at least two pairs: one to train on, one to validate");
        // The last 5 % of the pairs (1 to 64) validate.
        const auto validationPairs = std::clamp<std::int64_t>(pairs / 20, 1, 64);
        d->datasetTrainingPairs = pairs - validationPairs;
        std::vector<std::int64_t> last(static_cast<size_t>(validationPairs));
        std::iota(last.begin(), last.end(), d->datasetTrainingPairs);
        const auto batch = d->dataset->load(last, c.device);
        if (batch.observation.size(1) != c.model.gridSize)
            fail(c.dataset.string(), "holds " + std::to_string(batch.observation.size(1)) + "-pixel images; the model is " +
                                         std::to_string(c.model.gridSize));
        d->validation.push_back(evaluation::labelBatch(batch, c.model.gridSize));
        return;
    }
    for (const auto &preset : choosePresets(c.presets)) {
        simulation::SimulationConfig sim{preset, c.seed, c.model.gridSize, 4, 25, c.device};
        d->simulators.push_back(std::make_unique<simulation::Simulator>(sim));
        // Validation draws from its own seed: never a training batch, never the held-out set.
        sim.seed = c.seed ^ kValidationSeedMask;
        simulation::Simulator validation(sim);
        d->validation.push_back(
            evaluation::labelBatch(validation.generate(0, c.validationPerPreset), c.model.gridSize));
    }
}

Trainer::~Trainer() = default;

void Trainer::initializeFrom(const fs::path &weightsFile)
{
    // Fine-tuning into the folder the weights came from would replace them.
    const InputFiles start({weightsFile});
    start.checkOutput(m_config.outputDir / "model.safetensors");
    start.checkOutput(m_config.outputDir / "checkpoint.safetensors");
    auto contents = weights::readSafetensors(weightsFile);
    // A checkpoint stores the averaged weights under "ema."; a model file stores them bare.
    std::map<std::string, Tensor> state;
    const bool checkpoint = contents.metadata.count("format") && contents.metadata.at("format") == kCheckpointFormat;
    for (auto &[name, t] : contents.tensors)
        if (!checkpoint)
            state[name] = t;
        else if (name.rfind("ema.", 0) == 0)
            state[name.substr(4)] = t;
    weights::loadStateDict(*d->model, state, weightsFile.string());
    d->ema = std::make_unique<ExponentialMovingAverage>(*d->model, m_config.emaDecay);
}

void Trainer::resume(const fs::path &checkpoint)
{
    const std::string source = checkpoint.string();
    auto contents = weights::readSafetensors(checkpoint);
    const auto format = contents.metadata.find("format");
    if (format == contents.metadata.end() || format->second != kCheckpointFormat)
        fail(source, "is not an AstroRIM training checkpoint");
    std::map<std::string, Tensor> model, ema, optimizer;
    for (auto &[name, t] : contents.tensors) {
        const auto dot = name.find('.');
        const auto prefix = name.substr(0, dot), rest = name.substr(dot + 1);
        (prefix == "model" ? model : prefix == "ema" ? ema : optimizer)[rest] = t;
    }
    weights::loadStateDict(*d->model, model, source);
    d->ema->loadShadow(ema, source);
    d->optimizer->loadState(optimizer, source);
    try {
        d->schedule->loadState(nlohmann::json::parse(contents.metadata.at("schedule")));
        d->step = std::stoll(contents.metadata.at("step"));
    } catch (const std::exception &e) {
        fail(source, std::string("checkpoint metadata is incomplete: ") + e.what());
    }
    // Keep the log up to the checkpoint; later rows belong to the lost run.
    d->logRows.clear();
    std::ifstream log(m_config.outputDir / "training_log.csv");
    std::string line;
    std::getline(log, line);
    while (std::getline(log, line))
        if (!line.empty() && std::stoll(line.substr(0, line.find(','))) <= d->step)
            d->logRows.push_back(line);
}

TrainingResult Trainer::run(const TrainingCallback &callback, const CancelToken &cancel)
{
    const auto &c = m_config;
    const int grid = c.model.gridSize;
    auto &model = d->model;
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };

    const auto losses = [&](const evaluation::LabelledBatch &b) {
        const AutocastGuard autocast(c.device, c.mixedPrecision);
        const auto &obs = b.observation;
        const auto estimate = model->estimator->forward(obs.data, obs.sigma);
        const auto estimatorLoss = nn::estimatorLoss(estimate, b.target.values, b.target.mask);
        const auto lens = jittered(b.truth.lens, obs.pixelScale, c.lensJitter, d->jitterGenerator);
        const nn::OperatorSetup setup{model->physics().trace(lens, obs.pixelScale), obs.psf, b.lensLight};
        const auto iterates = nn::runRim(model->cell, model->likelihoodFunction(setup, obs.data, obs.sigma), obs.data,
                                         obs.sigma, torch::zeros_like(obs.data), c.rimIterations);
        // Deep supervision: every iterate counts equally, so later ones may not get worse.
        Tensor rimLoss = torch::zeros({}, obs.data.options());
        for (const auto &x : iterates)
            rimLoss = rimLoss + (x.to(torch::kFloat) - b.source).square().mean();
        rimLoss = rimLoss / static_cast<double>(iterates.size());
        Tensor operatorLoss = torch::zeros({}, obs.data.options());
        if (c.correction) {
            const auto rays = model->physics().trace(b.truth.lens, obs.pixelScale);
            const auto corrected = model->correction->forward(model->physics().blurred(b.source, rays, obs.psf));
            operatorLoss = (corrected.to(torch::kFloat) - b.arcs).square().mean();
        }
        // The three parts train disjoint weights; their sum is one backward pass.
        return Losses{rimLoss + 1e-3 * estimatorLoss + operatorLoss, rimLoss, estimatorLoss, operatorLoss};
    };

    const auto clip = [&] {
        for (const char *part : {"estimator", "rim", "correction"})
            torch::nn::utils::clip_grad_norm_(d->moduleParameters(part), c.clipNorm);
    };

    TrainingResult result;
    while (d->step < c.steps) {
        if (cancel.cancelled()) {
            result.cancelled = true;
            break;
        }
        const std::int64_t step = d->step + 1;
        const auto stepStart = elapsed();
        const auto simulated = d->trainingData(c, step);
        d->psfSize = static_cast<int>(simulated.psf.size(-1));
        const auto batch = evaluation::labelBatch(simulated, grid);
        d->jitterGenerator.set_current_seed(stepSeed(c.seed, step));

        model->train();
        const double lr = d->schedule->rate(static_cast<long>(step));
        d->optimizer->setLearningRate(lr);
        d->optimizer->zeroGrad();
        const auto l = losses(batch);
        l.total.backward();
        clip();
        d->optimizer->step();
        d->ema->update(*model);
        d->step = step;

        TrainingRecord record;
        record.step = step;
        record.learningRate = lr;
        record.loss = l.total.item<double>();
        record.rimLoss = l.rim.item<double>();
        record.estimatorLoss = l.estimator.item<double>();
        record.operatorLoss = l.op.item<double>();
        record.samplesPerSecond = static_cast<double>(c.batchSize) / std::max(elapsed() - stepStart, 1e-9);
        record.validationError = record.validationMse = std::nan("");

        if (step % c.validateEvery == 0 || step == c.steps) {
            const auto v = validate();
            record.validated = true;
            record.validationError = v.second;
            record.validationMse = v.first;
            d->schedule->observe(v.first);
        }
        record.elapsedSeconds = elapsed();
        if (step % c.logEvery == 0 || record.validated) {
            std::ostringstream row;
            row << step << ',' << formatNumber(record.learningRate) << ',' << formatNumber(record.loss) << ','
                << formatNumber(record.rimLoss) << ',' << formatNumber(record.estimatorLoss) << ','
                << formatNumber(record.operatorLoss) << ','
                << formatNumber(record.validationError) << ',' << formatNumber(record.validationMse) << ','
                << formatNumber(record.samplesPerSecond) << ',' << formatNumber(record.elapsedSeconds);
            d->logRows.push_back(row.str());
            writeLog();
            if (callback)
                callback(record);
        }
        if (step % c.checkpointEvery == 0 || step == c.steps)
            saveCheckpoint();
        result.last = record;
    }
    if (result.cancelled && d->step > 0)
        saveCheckpoint();
    result.steps = d->step;
    return result;
}

std::pair<double, double> Trainer::validate()
{
    // End to end with the averaged weights, as the shipped model will run:
    // estimated lens, then the RIM. The MSE on each source scaled by its true
    // peak, and the relative error in the sources' own units.
    auto &model = d->model;
    const auto current = weights::stateDict(*model);
    d->ema->copyTo(*model);
    model->eval();
    double mse = 0, error = 0;
    std::int64_t count = 0;
    {
        torch::NoGradGuard noGrad;
        for (const auto &b : d->validation) {
            const auto x = model->reconstruct(b.observation, m_config.rimIterations).iterates.back();
            const auto scores = evaluation::scoreSources(x, b.source);
            mse += scores.mse.sum().item<double>();
            error += metrics::relativeError(x, b.source).sum().item<double>();
            count += b.source.size(0);
        }
    }
    weights::loadStateDict(*model, current, "the training weights");
    return {mse / static_cast<double>(count), error / static_cast<double>(count)};
}

void Trainer::writeLog() const
{
    std::string text = std::string(kLogHeader) + "\n";
    for (const auto &row : d->logRows)
        text += row + "\n";
    writeTextAtomically(m_config.outputDir / "training_log.csv", text);
}

void Trainer::saveCheckpoint() const
{
    std::map<std::string, Tensor> tensors;
    for (auto &[name, t] : weights::stateDict(*d->model))
        tensors["model." + name] = t;
    for (const auto &[name, t] : d->ema->shadow())
        tensors["ema." + name] = t;
    for (auto &[name, t] : d->optimizer->state())
        tensors["optimizer." + name] = t;
    const std::map<std::string, std::string> metadata{
        {"format", kCheckpointFormat},
        {"step", std::to_string(d->step)},
        {"schedule", d->schedule->state().dump()},
        {"seed", std::to_string(m_config.seed)},
        {"config", nn::modelConfigToJson(m_config.model)}};
    weights::writeSafetensors(m_config.outputDir / "checkpoint.safetensors", tensors, metadata);

    // The shipped weights are the average; build a model to hold them.
    nn::RimModel averaged(m_config.model);
    averaged->setCorrectionEnabled(m_config.correction);
    averaged->to(m_config.device);
    d->ema->copyTo(*averaged);
    nn::saveModel(m_config.outputDir / "model.safetensors", *averaged,
                  {{"trained_steps", std::to_string(d->step)},
                   {"training_seed", std::to_string(m_config.seed)},
                   {nn::kRimIterationsKey, std::to_string(m_config.rimIterations)},
                   {nn::kPsfSizeKey, std::to_string(d->psfSize)}});
}

} // namespace astrorim::training

#pragma once

// Trains the model bundle (nn/rim_model.h) on simulated lenses (on the fly,
// or read from a folder of FITS pairs, fits_dataset.h): the RIM on
// its source iterates (deep supervision over every iteration), the lens
// estimator on the true parameters (Gaussian NLL), and the learned operator
// correction on the simulator's exact arcs. AdamW with warm-up and
// ReduceLROnPlateau, gradient-norm clipping, an EMA of the weights, bf16
// autocast on CUDA. Checkpoints hold everything needed to resume; training
// data are a pure function of (seed, step), so a resumed run sees the same
// batches as an uninterrupted one.

#include "common/progress.h"
#include "evaluation/held_out_set.h"
#include "nn/rim_model.h"

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace astrorim::training {

struct TrainingConfig
{
    std::vector<std::string> presets; ///< simulator presets, mixed round-robin; empty: all six
    std::filesystem::path dataset;    ///< a folder of FITS pairs (fits_dataset.h) to train on instead; its last 5 % validate
    std::uint64_t seed = 1;
    std::int64_t batchSize = 16;
    std::int64_t steps = 10000;       ///< optimizer steps in total (a resumed run continues to this)
    double learningRate = 1e-3;
    double minLearningRate = 1e-6;
    std::int64_t warmupSteps = 200;
    double weightDecay = 1e-4;
    double clipNorm = 5.0;
    double emaDecay = 0.999;
    int rimIterations = 10;
    double lensJitter = 1.0;          ///< scale of the noise added to the true lens the RIM trains on
    bool mixedPrecision = true;       ///< bf16 autocast; CUDA only
    std::int64_t validateEvery = 250;
    std::int64_t validationPerPreset = 16;
    int plateauPatience = 4;
    std::int64_t checkpointEvery = 250;
    std::int64_t logEvery = 10;
    std::filesystem::path outputDir;  ///< checkpoint.safetensors, model.safetensors, training_log.csv
    torch::Device device = torch::kCPU;
    nn::ModelConfig model;
    bool correction = true;           ///< train and use the learned operator correction
};

/// One row of training_log.csv. Validation columns are NaN between validations.
struct TrainingRecord
{
    std::int64_t step = 0;
    double learningRate = 0, loss = 0, rimLoss = 0, estimatorLoss = 0, operatorLoss = 0;
    /// Mean source relative error ‖ŝ − s‖/‖s‖ over the validation lenses (an
    /// all-zero source scores 1; whole-frame SSIM, which an empty source
    /// games, is no criterion), and the mean MSE, the plateau schedule's loss.
    double validationError = 0, validationMse = 0;
    double samplesPerSecond = 0, elapsedSeconds = 0;
    bool validated = false;
};

using TrainingCallback = std::function<void(const TrainingRecord &)>;

struct TrainingResult
{
    std::int64_t steps = 0; ///< steps done in total (including those before a resume)
    bool cancelled = false;
    TrainingRecord last;
};

class Trainer
{
public:
    explicit Trainer(TrainingConfig config);
    ~Trainer();
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;

    /// Continues from a checkpoint: weights, EMA, optimizer, schedule, step
    /// and log. Throws astrorim::Error naming the file when it does not fit.
    void resume(const std::filesystem::path &checkpoint);
    /// Starts from trained weights (a model or checkpoint file) with a fresh
    /// optimizer: fine-tuning at this config's (lower) learning rate.
    void initializeFrom(const std::filesystem::path &weights);

    /// Trains until config.steps or cancel; reports every logEvery steps and
    /// after each validation. Writes checkpoints, the EMA model and the log.
    TrainingResult run(const TrainingCallback &callback = {}, const CancelToken &cancel = {});

    [[nodiscard]] const TrainingConfig &config() const { return m_config; }

private:
    /// Validation MSE and mean SSIM of the EMA weights.
    std::pair<double, double> validate();
    void writeLog() const;
    void saveCheckpoint() const;

    struct Private;
    TrainingConfig m_config;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::training

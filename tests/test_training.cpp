// Training (core/training): the optimizer against LibTorch's own AdamW, the
// schedule and the EMA against their formulas, and a run interrupted and
// resumed from its checkpoint against the same run uninterrupted.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"

#include "common/error.h"
#include "nn/model_file.h"
#include "simulation/dataset_writer.h"
#include "simulation/presets.h"
#include "training/adamw.h"
#include "training/ema.h"
#include "training/fits_dataset.h"
#include "training/lr_schedule.h"
#include "training/trainer.h"
#include "weights/safetensors.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace astrorim;
using torch::Tensor;

TEST_CASE(adamWFollowsLibTorchsAdamW)
{
    // Reference: torch::optim::AdamW (LibTorch's port of torch.optim.AdamW).
    torch::manual_seed(5);
    const auto start = torch::randn({7, 3}, torch::kFloat64);
    auto ours = start.clone().requires_grad_(true), theirs = start.clone().requires_grad_(true);
    training::AdamW adam({ours}, {0.01, 0.9, 0.999, 1e-8, 0.05});
    torch::optim::AdamW reference({theirs}, torch::optim::AdamWOptions(0.01).weight_decay(0.05));
    const auto target = torch::randn({7, 3}, torch::kFloat64);
    for (int step = 0; step < 25; ++step) {
        adam.zeroGrad();
        reference.zero_grad();
        (ours - target).pow(4).sum().backward();
        (theirs - target).pow(4).sum().backward();
        adam.step();
        reference.step();
    }
    CHECK(torch::allclose(ours, theirs, 1e-12, 1e-12));
    CHECK_EQ(adam.steps(), 25);
}

TEST_CASE(adamWStateRoundTripsAndRefusesAMismatch)
{
    auto p = torch::ones({4}).requires_grad_(true);
    training::AdamW a({p}, {});
    p.mutable_grad() = torch::full({4}, 0.5);
    a.step();
    auto q = torch::ones({4}).requires_grad_(true);
    training::AdamW b({q}, {});
    b.loadState(a.state(), "checkpoint.safetensors");
    CHECK_EQ(b.steps(), 1);
    CHECK(torch::equal(b.state().at("0.exp_avg"), a.state().at("0.exp_avg")));
    auto r = torch::ones({5}).requires_grad_(true);
    training::AdamW c({r}, {});
    CHECK_THROWS_WITH(c.loadState(a.state(), "checkpoint.safetensors"), "checkpoint.safetensors", "shape");
}

TEST_CASE(theScheduleWarmsUpLinearlyThenHalvesOnAPlateau)
{
    training::LearningRateSchedule s({1e-3, 10, 2, 0.5, 1e-3, 1e-4});
    CHECK_NEAR(s.rate(1), 1e-4, 1e-15);
    CHECK_NEAR(s.rate(5), 5e-4, 1e-15);
    CHECK_NEAR(s.rate(10), 1e-3, 1e-15);
    CHECK(!s.observe(1.0));   // best so far
    CHECK(!s.observe(1.0));   // 1st without improvement
    CHECK(!s.observe(0.9995)); // below the 0.1 % threshold: 2nd
    CHECK(s.observe(1.0));    // 3rd > patience 2: halve
    CHECK_NEAR(s.rate(100), 5e-4, 1e-15);
    for (int i = 0; i < 30; ++i)
        s.observe(2.0);
    CHECK_NEAR(s.rate(100), 1e-4, 1e-15); // never below the minimum
    training::LearningRateSchedule restored({1e-3, 10, 2, 0.5, 1e-3, 1e-4});
    restored.loadState(s.state());
    CHECK_NEAR(restored.rate(100), 1e-4, 1e-15);
}

TEST_CASE(theMovingAverageFollowsItsRecurrence)
{
    torch::nn::Linear layer(2, 1);
    training::ExponentialMovingAverage ema(*layer, 0.9);
    const auto w0 = layer->weight.detach().clone();
    {
        torch::NoGradGuard noGrad;
        layer->weight.add_(1.0);
    }
    ema.update(*layer);
    // shadow = 0.9 w0 + 0.1 (w0 + 1) = w0 + 0.1
    CHECK(torch::allclose(ema.shadow().at("weight"), w0 + 0.1, 1e-6, 1e-6));
    torch::nn::Linear other(2, 1);
    ema.copyTo(*other);
    CHECK(torch::allclose(other->weight, w0 + 0.1, 1e-6, 1e-6));
}

namespace {

training::TrainingConfig tinyConfig(const std::filesystem::path &out)
{
    training::TrainingConfig c;
    c.presets = {"baseline", "rich-physics"};
    c.seed = 11;
    c.batchSize = 2;
    c.steps = 4;
    c.warmupSteps = 2;
    c.rimIterations = 2;
    c.validateEvery = 2;
    c.validationPerPreset = 2;
    c.checkpointEvery = 1;
    c.logEvery = 1;
    c.outputDir = out;
    c.model.gridSize = 32;
    c.model.rim = {4, 4, 8};
    c.model.estimatorWidth = 4;
    c.model.correctionChannels = 4;
    return c;
}

} // namespace

TEST_CASE(aResumedRunEndsWhereAnUninterruptedOneDoes)
{
    torch::set_num_threads(1); // one thread: reductions in a fixed order
    test::TempDir whole, split;
    training::Trainer uninterrupted(tinyConfig(whole.path));
    CHECK_EQ(uninterrupted.run().steps, 4);

    {
        training::Trainer first(tinyConfig(split.path));
        CancelToken cancel;
        const auto result = first.run([&](const training::TrainingRecord &r) {
            if (r.step == 2)
                cancel.cancel();
        }, cancel);
        CHECK(result.cancelled);
        CHECK_EQ(result.steps, 2);
    }
    training::Trainer second(tinyConfig(split.path));
    second.resume(split.path / "checkpoint.safetensors");
    CHECK_EQ(second.run().steps, 4);

    const auto a = weights::readSafetensors(whole.path / "checkpoint.safetensors");
    const auto b = weights::readSafetensors(split.path / "checkpoint.safetensors");
    CHECK_EQ(a.tensors.size(), b.tensors.size());
    double worst = 0;
    for (const auto &[name, t] : a.tensors)
        if (torch::isFloatingType(t.scalar_type()))
            worst = std::max(worst, (t - b.tensors.at(name)).abs().max().item<double>());
    CHECK_MSG(worst < 1e-6, "largest difference between the runs' weights: " << worst);

    // The log holds each step once, also after the resume.
    const auto model = nn::loadModel(split.path / "model.safetensors");
    CHECK_EQ(model.metadata.at("trained_steps"), std::string("4"));
    // What a reconstruction with it uses unless told otherwise: the RIM
    // iterations it trained with and the side of the PSFs it saw.
    const auto trained = nn::trainingSettings(model.metadata, "model.safetensors");
    CHECK_EQ(trained.rimIterations, 2);
    CHECK_EQ(trained.psfSize, 25); // the simulator's kernels
}

TEST_CASE(trainingSettingsComeFromTheMetadataOrTheOldDefaults)
{
    const auto old = nn::trainingSettings({}, "old.safetensors");
    CHECK_EQ(old.rimIterations, 10);
    CHECK_EQ(old.psfSize, 25);
    const auto given = nn::trainingSettings({{"rim_iterations", "7"}, {"psf_size", "21"}}, "m.safetensors");
    CHECK_EQ(given.rimIterations, 7);
    CHECK_EQ(given.psfSize, 21);
    CHECK_THROWS_WITH(nn::trainingSettings({{"rim_iterations", "seven"}}, "m.safetensors"), "m.safetensors");
    CHECK_THROWS_WITH(nn::trainingSettings({{"rim_iterations", "0"}}, "m.safetensors"), "1-100");
    CHECK_THROWS_WITH(nn::trainingSettings({{"psf_size", "20"}}, "m.safetensors"), "odd");
    CHECK_THROWS_WITH(nn::trainingSettings({{"psf_size", "21x"}}, "m.safetensors"), "psf_size");
}

TEST_CASE(trainingRefusesTheHeldOutSeedAndNonsense)
{
    test::TempDir dir;
    auto c = tinyConfig(dir.path);
    c.seed = evaluation::kHeldOutSeed;
    CHECK_THROWS_WITH(training::Trainer{c}, "held-out");
    c.seed = evaluation::kCalibrationSeed;
    CHECK_THROWS_WITH(training::Trainer{c}, "calibration set");
    c = tinyConfig(dir.path);
    c.batchSize = 0;
    CHECK_THROWS_WITH(training::Trainer{c}, "must be positive");
    c = tinyConfig(dir.path);
    training::Trainer t(c);
    CHECK_THROWS_WITH(t.resume(dir.path / "missing.safetensors"), "missing.safetensors");
}

namespace {

simulation::SimulationConfig smallSimulation(std::uint64_t seed)
{
    simulation::SimulationConfig config;
    config.preset = simulation::presetByName("rich-physics"); // NFW and SIS perturbers occur
    config.seed = seed;
    config.gridSize = 32;
    return config;
}

} // namespace

TEST_CASE(aFitsDatasetReadsBackWhatTheSimulatorWrote)
{
    test::TempDir dir;
    const auto config = smallSimulation(9);
    simulation::writeDataset(config, 4, 4, dir.path, false);
    const auto expected = simulation::Simulator(config).generate(0, 4);

    const training::FitsDataset dataset(dir.path);
    CHECK_EQ(dataset.size(), int64_t{4});
    const auto b = dataset.load({0, 1, 2, 3}, torch::kCPU);
    for (const auto &[name, read, written] :
         {std::tuple{"observation", b.observation, expected.observation}, {"noise", b.noiseMap, expected.noiseMap},
          {"source", b.source, expected.source}, {"lens light", b.lensLight, expected.lensLight},
          {"psf", b.psf, expected.psf}})
        CHECK_MSG(torch::allclose(read, written, 0, 1e-30), name); // equal but for denormals (PSF wings)
    CHECK(torch::allclose(b.lensedSource, expected.lensedSource, 1e-5, 1e-6));
    const auto &t = b.truth, &e = expected.truth;
    for (const auto &[read, written] :
         {std::pair{t.lens.sie.theta_E, e.lens.sie.theta_E}, {t.lens.sie.e2, e.lens.sie.e2},
          {t.lens.shear.gamma1, e.lens.shear.gamma1}, {t.lensLight.amp, e.lensLight.amp},
          {t.lensLight.n_sersic, e.lensLight.n_sersic}, {t.psfFwhm, e.psfFwhm}, {t.pixelScale, e.pixelScale}})
        CHECK(torch::allclose(read, written, 1e-6, 0));
    CHECK(torch::equal(t.hasNfw, e.hasNfw));
    CHECK(torch::equal(t.hasSis, e.hasSis));
    // A present perturber keeps its parameters; an absent one has no strength.
    CHECK(torch::allclose(t.lens.nfw.alpha_Rs, torch::where(e.hasNfw, e.lens.nfw.alpha_Rs, torch::zeros_like(e.lens.nfw.alpha_Rs)),
                          1e-6, 0));
}

TEST_CASE(trainingReadsAFitsFolderAndValidatesOnItsLastPairs)
{
    test::TempDir data, out;
    simulation::writeDataset(smallSimulation(5), 6, 6, data.path, false);
    auto c = tinyConfig(out.path);
    c.presets.clear();
    c.dataset = data.path;
    c.steps = 2;
    training::Trainer trainer(c);
    const auto result = trainer.run();
    CHECK_EQ(result.steps, 2);
    CHECK(result.last.validated);
    CHECK(std::isfinite(result.last.validationError));
    CHECK(result.last.validationError > 0);
    CHECK(std::filesystem::exists(out.path / "model.safetensors"));
}

TEST_CASE(badDatasetFoldersGiveErrorsNamingTheFile)
{
    test::TempDir data, out;
    CHECK_THROWS_WITH(training::FitsDataset(data.path / "missing"), "missing");
    CHECK_THROWS_WITH(training::FitsDataset(data.path), "no lensed_NNNNN.fits");
    simulation::writeDataset(smallSimulation(5), 3, 3, data.path, false);
    auto c = tinyConfig(out.path);
    c.dataset = data.path;
    c.model.gridSize = 48;
    CHECK_THROWS_WITH(training::Trainer{c}, "32-pixel images");
    std::filesystem::remove(data.path / "lensed_00001.json");
    CHECK_THROWS_WITH(training::FitsDataset(data.path), "lensed_00001.fits", "lensed_00001.json");
    std::filesystem::remove(data.path / "lensed_00001.fits");
    std::ofstream(data.path / "lensed_00002.json") << "{\"grid\": {}}";
    const training::FitsDataset damaged(data.path);
    CHECK_THROWS_WITH(damaged.load({1}, torch::kCPU), "lensed_00002.json");
}

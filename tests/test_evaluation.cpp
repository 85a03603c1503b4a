// Evaluation (core/evaluation): the held-out set is reproducible and its own,
// the scores follow their definitions, the report's statistics match numpy's
// on hand-made records, and a model runs over the whole set.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include "common/error.h"
#include "evaluation/evaluator.h"
#include "evaluation/fit_evaluation.h"
#include "evaluation/fit_report.h"
#include "fits/fits_reader.h"
#include "evaluation/held_out_set.h"
#include "evaluation/labelled_batch.h"
#include "evaluation/report.h"
#include "evaluation/scores.h"
#include "nn/lens_refinement.h"
#include "simulation/simulator.h"
#include "simulation/presets.h"

#include <cmath>

using namespace astrorim;
using torch::Tensor;

namespace {

nn::RimModel tinyModel(int gridSize = 32)
{
    torch::manual_seed(11);
    return nn::RimModel(test::tinyModelConfig(gridSize));
}

evaluation::ImageRecord record(const std::string &preset, double ssim, double mse, double thetaTrue,
                               double thetaEstimate, bool covered)
{
    evaluation::ImageRecord r;
    r.preset = preset;
    r.error = {1.0, 1 - ssim}; // stand-ins with their own known statistics
    r.ssim = {ssim / 2, ssim};
    r.zeroSourceSsim = 0.95;
    r.mse = {2 * mse, mse};
    r.reducedChi2 = 1.0;
    for (const auto &p : evaluation::reportedParameters()) {
        const bool theta = p.index == nn::ThetaE;
        r.truth.push_back(theta ? thetaTrue : 1.0);
        r.estimate.push_back(theta ? thetaEstimate : 1.0);
        r.sigma.push_back(0.1);
        r.covered.push_back(covered);
    }
    return r;
}

} // namespace

TEST_CASE(theHeldOutSetIsTheSameOnEveryRunAndEachPresetDrawsItsOwnLenses)
{
    const evaluation::HeldOutSet a(13, torch::kCPU, 32), b(13, torch::kCPU, 32);
    CHECK_EQ(a.perPreset(), int64_t{24}); // rounded up to whole batches of 12
    CHECK_EQ(a.batchCount(), int64_t{12});
    CHECK_EQ(a.size(), int64_t{144});
    const auto first = a.batch(0), again = b.batch(0), second = a.batch(1), other = a.batch(2);
    CHECK_EQ(first.preset, simulation::presets()[0].name);
    CHECK_EQ(second.firstIndex, int64_t{12});
    CHECK_EQ(other.preset, simulation::presets()[1].name);
    CHECK(torch::equal(first.batch.observation, again.batch.observation));
    CHECK(!torch::equal(first.batch.observation, second.batch.observation));
    // Not the same random numbers in another preset: its θ_E draws differ.
    CHECK(!torch::allclose(first.batch.truth.lens.sie.theta_E, other.batch.truth.lens.sie.theta_E));
    CHECK_THROWS_WITH(a.batch(12), "outside");
    // The calibration set draws other lenses from its own seed.
    const evaluation::HeldOutSet calibration(13, torch::kCPU, 32, evaluation::kCalibrationSeed);
    CHECK_EQ(calibration.seed(), evaluation::kCalibrationSeed);
    CHECK(!torch::allclose(calibration.batch(0).batch.truth.lens.sie.theta_E, first.batch.truth.lens.sie.theta_E));

    // On disk: one folder per preset, the pairs as simulate writes them.
    const evaluation::HeldOutSet one(1, torch::kCPU, 32);
    test::TempDir dir;
    one.write(dir.path);
    for (const auto &preset : simulation::presets())
        CHECK_MSG(std::filesystem::exists(dir.path / preset.name / "lensed_00011.fits"), preset.name);
    const auto written = fits::readImage(dir.path / simulation::presets()[0].name / "lensed_00000.fits");
    CHECK_EQ(written.pixels[100], first.batch.observation[0].flatten()[100].item<float>());
    CHECK_THROWS_WITH(evaluation::HeldOutSet(0, torch::kCPU), "systems per preset");
}

TEST_CASE(sourceScoresFollowTheirDefinitions)
{
    const auto truth = torch::rand({3, 24, 24}, torch::kFloat64) + 0.5;
    const auto perfect = evaluation::scoreSources(truth, truth);
    CHECK(torch::allclose(perfect.ssim, torch::ones({3}, torch::kFloat64)));
    CHECK(torch::allclose(perfect.mse, torch::zeros({3}, torch::kFloat64)));

    // MSE is in units of the true peak: an offset of 0.1 × peak gives 0.01.
    const auto peak = std::get<0>(truth.flatten(1).max(1)).view({-1, 1, 1});
    const auto offset = evaluation::scoreSources(truth + 0.1 * peak, truth);
    CHECK(torch::allclose(offset.mse, torch::full({3}, 0.01, torch::kFloat64), 1e-12, 1e-12));
    // Both scores ignore the overall flux scale.
    const auto noisy = truth + 0.2 * torch::randn_like(truth);
    const auto once = evaluation::scoreSources(noisy, truth), scaled = evaluation::scoreSources(7 * noisy, 7 * truth);
    CHECK(torch::allclose(once.ssim, scaled.ssim, 1e-10, 1e-12));
    CHECK(torch::allclose(once.mse, scaled.mse, 1e-10, 1e-12));
}

TEST_CASE(theReportsStatisticsMatchNumpyOnHandMadeRecords)
{
    // Reference values computed by hand with numpy's conventions (std with
    // ddof = 0, percentiles interpolated linearly between order statistics).
    evaluation::EvaluationResult result;
    result.options.iterations = 2;
    result.images = {record("baseline", 0.9, 1e-3, 1.0, 1.02, true), record("baseline", 0.8, 2e-3, 1.0, 0.97, true),
                     record("max-realism", 0.7, 3e-3, 2.0, 2.2, false),
                     record("max-realism", 0.6, 4e-3, 0.5, 0.5, true)};
    result.images[2].hasNfw = true; // present but predicted absent (probability 0)
    const auto report = evaluation::makeReport(result, {{"model", "hand-made"}});
    const auto &all = report.json["groups"]["all"];
    CHECK_EQ(all["images"].get<int>(), 4);
    CHECK_NEAR(all["ssim"]["mean"].get<double>(), 0.75, 1e-12);
    CHECK_NEAR(all["ssim"]["std"].get<double>(), std::sqrt(0.0125), 1e-12);  // np.std([.9,.8,.7,.6])
    CHECK_NEAR(all["ssim"]["median"].get<double>(), 0.75, 1e-12);
    CHECK_NEAR(all["ssim"]["p5"].get<double>(), 0.615, 1e-12);                // 0.6 + 0.15 · 0.1
    CHECK_NEAR(all["mse"]["p95"].get<double>(), 3.85e-3, 1e-15);              // 3e-3 + 0.85 · 1e-3
    CHECK_NEAR(all["by_iteration"][0]["ssim_mean"].get<double>(), 0.375, 1e-12);
    CHECK_NEAR(all["relative_error"]["median"].get<double>(), 0.25, 1e-12); // median of .1 .2 .3 .4
    CHECK_NEAR(all["by_iteration"][0]["relative_error_mean"].get<double>(), 1.0, 1e-12);
    CHECK_NEAR(all["zero_source_ssim"]["mean"].get<double>(), 0.95, 1e-12);
    // θ_E relative errors 0.02, 0.03, 0.1, 0: median of |·| is 0.025, mean 0.0225 (0.02 − 0.03 + 0.1 + 0) / 4.
    const auto &theta = all["parameters"]["theta_E"];
    CHECK_NEAR(theta["median_abs_error"].get<double>(), 0.025, 1e-12);
    CHECK_NEAR(theta["mean_error"].get<double>(), 0.0225, 1e-12);
    CHECK_NEAR(theta["coverage_1sigma"].get<double>(), 0.75, 1e-12);
    CHECK_NEAR(all["parameters"]["nfw_detection"]["accuracy"].get<double>(), 0.75, 1e-12);
    // Groups: all first, then the presets in the order they were evaluated.
    std::vector<std::string> names;
    for (const auto &[name, g] : report.json["groups"].items())
        names.push_back(name);
    CHECK_EQ(names, (std::vector<std::string>{"all", "baseline", "max-realism"}));
    CHECK_NEAR(report.json["groups"]["max-realism"]["ssim"]["mean"].get<double>(), 0.65, 1e-12);
    // The headline is the relative error (median .15 of .1 and .2), whole-frame SSIM last, beside the empty source's.
    CHECK_MSG(report.markdown.find("| baseline | 2 | 0.1500 |") != std::string::npos, report.markdown);
    CHECK(report.markdown.find("| 0.8500 | 0.9500 |") != std::string::npos);
    CHECK_EQ(std::count(report.imagesCsv.begin(), report.imagesCsv.end(), '\n'), 5L);
    CHECK_THROWS_WITH(evaluation::makeReport({}, {}), "no image");
}

TEST_CASE(aModelIsScoredOnEveryHeldOutImageAfterEveryIteration)
{
    auto model = tinyModel();
    evaluation::EvaluationOptions options;
    options.perPreset = 1;
    options.iterations = 2;
    std::int64_t reported = 0;
    const auto result = evaluation::evaluate(*model, options, [&](std::int64_t done, std::int64_t total) {
        reported = done;
        CHECK_EQ(total, int64_t{72});
    });
    CHECK(!result.cancelled);
    CHECK_EQ(result.images.size(), size_t{72});
    CHECK_EQ(reported, int64_t{72});
    for (const auto &r : result.images) {
        CHECK_EQ(r.ssim.size(), size_t{2});
        CHECK(std::isfinite(r.ssim.back()) && std::isfinite(r.mse.back()) && r.mse.back() >= 0);
        CHECK(r.truth[0] > 0.2 && r.truth[0] < 2.5); // θ_E from the presets' ranges, arcsec
    }
    CHECK_EQ(result.images.back().preset, simulation::presets().back().name);

    options.trueLens = true;
    CHECK_EQ(evaluation::evaluate(*model, options).images.size(), size_t{72});
    options.trueLens = false;
    options.refineRounds = 1;
    const auto refined = evaluation::evaluate(*model, options);
    CHECK_EQ(refined.images.size(), size_t{72});
    CHECK(std::isfinite(refined.images.front().ssim.back()));

    CancelToken cancel;
    cancel.cancel();
    const auto stopped = evaluation::evaluate(*model, options, {}, cancel);
    CHECK(stopped.cancelled);
    CHECK(stopped.images.empty());
}

TEST_CASE(lensStepsRecoverAPerturbedEinsteinRadiusGivenTheTrueSource)
{
    // With the source known, the χ² gradient in θ_E must lead back to the
    // simulator's θ_E from a start 8 % off. The operator differs from the
    // simulator (2×2 rays instead of 4×4, bilinear source), so the minimum
    // is near, not at, the truth: we ask for the error to shrink fourfold.
    const int grid = 48;
    auto model = tinyModel(grid);
    model->eval();
    simulation::Simulator simulator({simulation::presetByName("baseline"), 3, grid, 4, 25, torch::kCPU});
    const auto b = evaluation::labelBatch(simulator.generate(0, 2), grid);
    const auto truth = b.target.values;
    auto start = truth.clone();
    start.select(1, nn::ThetaE) *= 1.08;
    const nn::EstimatorOutput prior{start, torch::full_like(start, std::log(100.0))};
    nn::RefinementOptions options;
    options.lensSteps = 40;
    options.usePrior = false;
    const auto [refined, objective] = nn::refineParameters(*model, b.observation, prior, start, b.source, options);
    const auto before = nn::negativeLogPosterior(*model, b.observation, prior, start, b.source, false);
    CHECK((objective <= before).all().item<bool>());
    const auto error = ((refined.select(1, nn::ThetaE) / truth.select(1, nn::ThetaE)) - 1).abs();
    CHECK_MSG((error < 0.02).all().item<bool>(), "relative θ_E errors after refinement: " << error);
    // Presence and PSF width are not refined.
    for (const auto k : {nn::NfwLogit, nn::SisLogit, nn::PsfLogFwhm})
        CHECK(torch::equal(refined.select(1, k), start.select(1, k)));
}

TEST_CASE(refinementAlternatesLensStepsAndRimPasses)
{
    auto model = tinyModel();
    model->eval();
    simulation::Simulator simulator({simulation::presetByName("baseline"), 4, 32, 4, 25, torch::kCPU});
    const auto b = evaluation::labelBatch(simulator.generate(0, 2), 32);
    torch::NoGradGuard noGrad; // refinement turns gradients on where it needs them
    nn::RefinementOptions options;
    options.rounds = 0;
    options.rimIterations = 3;
    const auto plain = nn::refineLens(*model, b.observation, options);
    CHECK(torch::allclose(plain.reconstruction.iterates.back(),
                          model->reconstruct(b.observation, 3).iterates.back()));
    CHECK_EQ(plain.objective.sizes().vec(), (std::vector<int64_t>{1, 2}));

    options.rounds = 2;
    options.lensSteps = 3;
    const auto refined = nn::refineLens(*model, b.observation, options);
    CHECK_EQ(refined.objective.sizes().vec(), (std::vector<int64_t>{3, 2}));
    CHECK(torch::isfinite(refined.objective).all().item<bool>());
    CHECK_EQ(refined.reconstruction.iterates.size(), size_t{3});
    for (const auto &p : model->parameters())
        CHECK(!p.grad().defined());
    options.rimIterations = 0;
    CHECK_THROWS_WITH(nn::refineLens(*model, b.observation, options), "RIM iterations");
}

TEST_CASE(theFitReportsCoverageOverallAndPerPreset)
{
    // Hand-made records: θ_E (the SIE's own) errs by 0.01 on every lens; its
    // 1σ is 0.02 on the baseline lenses (covered) and 0.005 on the two
    // weak-lensing ones (not). A parameter without a 1σ (NaN: along an
    // unconstrained direction) is left out of its coverage, and a lens
    // whose Hessian had an unconstrained direction elsewhere still counts.
    // Every Laplace 1σ is a quarter of the calibrated one.
    std::vector<evaluation::FitRecord> records;
    for (const auto &[preset, sigma] : {std::pair{"baseline", 0.02}, {"baseline", 0.02}, {"weak-lensing", 0.005},
                                        {"weak-lensing", 0.005}}) {
        evaluation::FitRecord r;
        r.preset = preset;
        r.trueSieThetaE = 1.0;
        for (int m = 0; m < evaluation::kFitMethods; ++m)
            r.methods[m].ran = true;
        auto &optimized = r.methods[static_cast<int>(evaluation::FitMethod::OptimizedLens)];
        optimized.sieThetaE = 1.01;
        optimized.sigma[0] = sigma;
        optimized.laplaceSigma[0] = sigma / 4;
        optimized.uncertainties = true;
        records.push_back(r);
    }
    const auto optimizedOf = [](evaluation::FitRecord &r) -> evaluation::MethodScores & {
        return r.methods[static_cast<int>(evaluation::FitMethod::OptimizedLens)];
    };
    // A fifth lens with every parameter constrained though its Hessian had
    // an unconstrained direction (the lens light's, say): it counts.
    auto lightFlat = records.front();
    optimizedOf(lightFlat).sigma.fill(0.02);
    optimizedOf(lightFlat).laplaceSigma.fill(0.005);
    optimizedOf(lightFlat).hessianPositive = false;
    records.push_back(lightFlat);
    // A sixth whose θ_E has no 1σ: left out of θ_E's coverage only.
    auto thetaFlat = lightFlat;
    optimizedOf(thetaFlat).sigma[0] = NAN;
    records.push_back(thetaFlat);
    const auto report = evaluation::makeFitReport(records, {{"set", "hand-made"}});
    CHECK_EQ(report.json["coverage_lenses"].get<int>(), 1);
    CHECK_EQ(report.json["unconstrained_lenses"].get<int>(), 5);
    CHECK_EQ(report.json["hessian_positive_lenses"].get<int>(), 4);
    CHECK(report.csv.find(",hessian_positive,sie_theta_E_laplace_sigma,") != std::string::npos);
    CHECK_NEAR(report.json["coverage"]["theta_E"].get<double>(), 0.6, 1e-12); // 3 of 5
    CHECK_NEAR(report.json["laplace_coverage"]["theta_E"].get<double>(), 0.0, 1e-12);
    // |error| / Laplace 1σ is 2, 2, 2, 8, 8: the 68.27th percentile lies
    // 0.6827 · 4 = 2.7308 places up, 0.7308 of the way from 2 to 8.
    CHECK_NEAR(report.json["calibration_factors"]["radius"].get<double>(), 2 + 0.7308 * 6, 1e-9);
    CHECK_NEAR(report.json["calibration_factors"]["ellipticity"].get<double>(), 0.0, 1e-12); // four exact values
    CHECK(report.json["calibration_factors"]["shear"].get<double>() == 0.0);
    CHECK_NEAR(report.json["coverage_by_preset"]["baseline"]["theta_E"].get<double>(), 1.0, 1e-12);
    CHECK_NEAR(report.json["coverage_by_preset"]["weak-lensing"]["theta_E"].get<double>(), 0.0, 1e-12);
    CHECK_NEAR(report.json["coverage_by_preset"]["baseline"]["e1"].get<double>(), 1.0, 1e-12); // two lenses
    CHECK(report.json["coverage_by_preset"]["weak-lensing"]["e1"].is_null()); // no 1σ given
    CHECK_MSG(report.markdown.find("| weak-lensing | 0 % |") != std::string::npos, report.markdown);
    CHECK_MSG(report.markdown.find("| theta_E | 5 | 60 % |") != std::string::npos, report.markdown);
}

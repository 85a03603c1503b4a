#include "evaluation/fit_evaluation.h"

#include "analysis/mass_profile.h"
#include "common/error.h"
#include "evaluation/held_out_set.h"
#include "evaluation/labelled_batch.h"
#include "evaluation/truth_on_grid.h"
#include "fit/forward_model.h"
#include "fit/linear_inversion.h"
#include "metrics/source_error.h"
#include "model/likelihood.h"
#include "nn/first_guess.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace astrorim::evaluation {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::array<double, kFitReported> reported(const fit::ModelParameters &p)
{
    const auto model = fit::toLensModel(p);
    const auto centre = lensing::Vec2{p.values[fit::CenterX], p.values[fit::CenterY]};
    const double thetaE = analysis::einsteinRadius(model, centre, 50.0).value_or(0.0);
    return {thetaE, p.values[fit::E1], p.values[fit::E2], p.values[fit::CenterX], p.values[fit::CenterY],
            p.values[fit::Gamma1], p.values[fit::Gamma2]};
}

void scoreSource(MethodScores &m, const torch::Tensor &estimate, const torch::Tensor &truth, double maxShift)
{
    m.relativeError = metrics::relativeError(estimate, truth).item<double>();
    m.alignedError = metrics::alignedRelativeError(estimate, truth, maxShift).error.item<double>();
    m.supportSsim = metrics::supportSsim(estimate, truth).item<double>();
}

/// The fit's result scored: source on its grid, χ², parameters and 1σ.
MethodScores scoreFit(const fit::FitResult &r, const simulation::SampledSystems &truth, int64_t b, double seconds)
{
    MethodScores m;
    m.ran = true;
    m.seconds = seconds;
    scoreSource(m, r.source, trueSourceOnGrid(truth, b, r.grid), 5.0);
    m.reducedChi2 = r.reducedChi2;
    m.parameters = reported(r.parameters);
    m.sieThetaE = r.parameters.values[fit::ThetaE];
    m.hessianPositive = r.hessianPositive;
    m.uncertainties = !r.parameterSigma.empty();
    if (m.uncertainties)
        for (int i = 0; i < kFitReported; ++i) {
            m.sigma[i] = r.parameterSigma[i];
            m.laplaceSigma[i] = r.laplaceSigma[i];
        }
    return m;
}


} // namespace

const char *fitMethodName(FitMethod method)
{
    switch (method) {
    case FitMethod::ZeroSource: return "zero source";
    case FitMethod::TrueLens: return "inversion, true lens";
    case FitMethod::EstimatorLens: return "inversion, estimator's lens";
    case FitMethod::OptimizedLens: return "inversion, optimized lens";
    case FitMethod::Rim: return "RIM (image grid)";
    }
    return "?";
}

const std::array<const char *, kFitReported> &fitReportedNames()
{
    static const std::array<const char *, kFitReported> names{"theta_E", "e1", "e2", "center_x", "center_y",
                                                              "gamma1", "gamma2"};
    return names;
}

std::vector<FitRecord> evaluateFits(const FitEvaluationOptions &options, const ProgressCallback &progress,
                                    const CancelToken &cancel)
{
    const int grid = options.model ? options.model->config().gridSize : 96;
    const HeldOutSet set(options.perPreset, torch::kCPU, grid, options.seed);
    if (options.model)
        options.model->eval();
    std::vector<FitRecord> records;
    const std::int64_t total = set.size();
    for (std::int64_t i = 0; i < set.batchCount() && !cancel.cancelled(); ++i) {
        const auto firstPreset = simulation::presets()[static_cast<std::size_t>(i / (set.batchCount() / 6))].name;
        if (!options.presets.empty() &&
            std::find(options.presets.begin(), options.presets.end(), firstPreset) == options.presets.end())
            continue;
        if (options.limitPerPreset > 0 && (i % (set.batchCount() / 6)) * kHeldOutBatchSize >= options.limitPerPreset)
            continue;
        const auto held = set.batch(i);
        const auto &sim = held.batch;
        const auto labelled = labelBatch(sim, grid);
        nn::Reconstruction rim;
        nn::LensEstimate estimate;
        if (options.model) {
            torch::NoGradGuard noGrad;
            rim = options.model->reconstruct(labelled.observation, options.rimIterations);
            estimate = nn::decodeParameters(rim.parameters.mean, labelled.observation.pixelScale,
                                            labelled.observation.dataScale, grid);
        }
        const int64_t batch = sim.observation.size(0);
        for (int64_t b = 0; b < batch && !cancel.cancelled(); ++b) {
            if (options.limitPerPreset > 0 && held.firstIndex + b >= options.limitPerPreset)
                break;
            FitRecord record;
            record.preset = held.preset;
            record.index = held.firstIndex + b;
            const auto truth = nn::toModelParameters(labelled.truth, b);
            record.truth = reported(truth);
            record.trueSieThetaE = truth.values[fit::ThetaE];
            record.hasPerturber = truth.layout.nfw || truth.layout.sis;

            fit::FitInput input;
            input.data = sim.observation[b].to(torch::kFloat64);
            input.sigma = sim.noiseMap[b].to(torch::kFloat64);
            input.psf = fit::truncatePsf(sim.psf[b].to(torch::kFloat64)); // as reconstruct does
            input.pixelScale = sim.truth.pixelScale[b].item<double>();

            // The true lens: the inversion alone, and the zero-source baseline on its grid.
            auto fixedLens = options.fit;
            fixedLens.optimizeLens = false;
            input.start = truth;
            auto t = Clock::now();
            const auto trueFit = fit::fitLens(input, fixedLens);
            record.methods[static_cast<int>(FitMethod::TrueLens)] = scoreFit(trueFit, sim.truth, b, secondsSince(t));
            {
                auto &zero = record.methods[static_cast<int>(FitMethod::ZeroSource)];
                const auto sourceTruth = trueSourceOnGrid(sim.truth, b, trueFit.grid);
                scoreSource(zero, torch::zeros_like(sourceTruth), sourceTruth, 0.0);
                // χ² with the lens light alone (its amplitude fitted): λ so large the source vanishes.
                const fit::ForwardModel model({grid, input.pixelScale, fixedLens.supersample}, input.psf);
                const auto valid = torch::isfinite(input.sigma) & (input.sigma > 0);
                const auto weight = torch::where(valid, 1.0 / input.sigma.square(), torch::zeros_like(input.sigma));
                fit::LinearInversion inversion(model.linearOperator(truth.layout, truth.values, trueFit.grid),
                                               fit::toVector(torch::where(valid, input.data, torch::zeros_like(input.data))),
                                               fit::toVector(weight),
                                               fit::regularizationMatrix(trueFit.grid.size, fixedLens.regularization),
                                               fit::regularizationLogDeterminant(trueFit.grid.size, fixedLens.regularization));
                zero.ran = true;
                zero.reducedChi2 = inversion.solve(inversion.lambdaScale() * 1e12).chi2 / trueFit.dataPixels;
            }
            if (options.model) {
                input.start = nn::toModelParameters(estimate, b);
                t = Clock::now();
                const auto estimatorFit = fit::fitLens(input, fixedLens);
                record.methods[static_cast<int>(FitMethod::EstimatorLens)] =
                    scoreFit(estimatorFit, sim.truth, b, secondsSince(t));
                t = Clock::now();
                const auto optimized = fit::fitLens(input, options.fit, {}, cancel);
                record.methods[static_cast<int>(FitMethod::OptimizedLens)] =
                    scoreFit(optimized, sim.truth, b, secondsSince(t));

                auto &r = record.methods[static_cast<int>(FitMethod::Rim)];
                r.ran = true;
                const auto source = rim.iterates.back()[b].to(torch::kFloat64);
                scoreSource(r, source, labelled.source[b].to(torch::kFloat64), 5.0);
                r.reducedChi2 = (model::chiSquared(rim.model.slice(0, b, b + 1), labelled.observation.data.slice(0, b, b + 1),
                                                   labelled.observation.sigma.slice(0, b, b + 1)) /
                                 double(grid * grid))
                                    .item<double>();
            }
            records.push_back(std::move(record));
            if (progress)
                progress(static_cast<std::int64_t>(records.size()), total);
        }
    }
    return records;
}

} // namespace astrorim::evaluation

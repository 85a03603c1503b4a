#include "evaluation/evaluator.h"

#include "common/error.h"
#include "evaluation/held_out_set.h"
#include "evaluation/labelled_batch.h"
#include "evaluation/scores.h"
#include "model/likelihood.h"
#include "nn/lens_refinement.h"
#include "metrics/source_error.h"

#include <torch/torch.h>

#include <cmath>

namespace astrorim::evaluation {

namespace {

using torch::Tensor;

std::vector<double> toVector(const Tensor &t)
{
    const auto c = t.detach().to(torch::kCPU, torch::kFloat64).contiguous();
    return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

} // namespace

const std::vector<ReportedParameter> &reportedParameters()
{
    static const std::vector<ReportedParameter> list{
        {nn::ThetaE, "theta_E", "arcsec", true},     {nn::E1, "e1", "", false},
        {nn::E2, "e2", "", false},                   {nn::CenterX, "center_x", "arcsec", false},
        {nn::CenterY, "center_y", "arcsec", false},  {nn::Gamma1, "gamma1", "", false},
        {nn::Gamma2, "gamma2", "", false},           {nn::PsfLogFwhm, "psf_fwhm", "arcsec", true},
        {nn::LightLogR, "light_R_sersic", "arcsec", true}, {nn::LightN, "light_n_sersic", "", false}};
    return list;
}

EvaluationResult evaluate(nn::RimModelImpl &model, const EvaluationOptions &options,
                          const ProgressCallback &progress, const CancelToken &cancel)
{
    if (options.iterations < 1 || options.iterations > 100)
        fail("evaluation", "iterations must be between 1 and 100, got " + std::to_string(options.iterations));
    const int grid = model.config().gridSize;
    const HeldOutSet set(options.perPreset, options.device, grid);
    model.eval();
    torch::NoGradGuard noGrad;

    EvaluationResult result;
    result.options = options;
    for (std::int64_t i = 0; i < set.batchCount(); ++i) {
        if (cancel.cancelled()) {
            result.cancelled = true;
            break;
        }
        const auto held = set.batch(i);
        const auto b = labelBatch(held.batch, grid);
        const auto &obs = b.observation;
        nn::Reconstruction r;
        if (options.trueLens) {
            r = model.reconstructWith(b.truth, obs, options.iterations);
            r.parameters = model.estimator->forward(obs.data, obs.sigma);
        } else if (options.refineRounds > 0) {
            r = nn::refineLens(model, obs, {options.refineRounds, 20, options.iterations, 5e-3, true}).reconstruction;
        } else {
            r = model.reconstruct(obs, options.iterations);
        }
        const auto &parameters = r.parameters;
        const auto estimate = nn::decodeParameters(parameters.mean, obs.pixelScale, obs.dataScale, grid);
        std::vector<SourceScores> perIteration;
        std::vector<std::vector<double>> error;
        for (const auto &x : r.iterates) {
            perIteration.push_back(scoreSources(x, b.source));
            error.push_back(toVector(metrics::relativeError(x, b.source)));
        }
        const auto zeroSsim = toVector(scoreSources(torch::zeros_like(b.source), b.source).ssim);
        if (!torch::isfinite(r.iterates.back()).all().item<bool>())
            fail("evaluation", "a reconstruction of preset " + held.preset + " is not finite");
        const auto chi2 = toVector(model::chiSquared(r.model, obs.data, obs.sigma) / double(grid * grid));

        const auto sigmaNormalized = (0.5 * parameters.logVar).exp();
        std::vector<std::vector<double>> truth, value, sigma, covered;
        for (const auto &p : reportedParameters()) {
            const auto k = static_cast<int64_t>(p.index);
            truth.push_back(toVector(nn::physicalParameter(b.truth, p.index)));
            value.push_back(toVector(nn::physicalParameter(estimate, p.index)));
            sigma.push_back(toVector(
                nn::physicalSigma(parameters.mean, parameters.logVar, obs.pixelScale, obs.dataScale, grid, k)));
            covered.push_back(toVector(
                ((parameters.mean.select(1, k) - b.target.values.select(1, k)).abs() <= sigmaNormalized.select(1, k))
                    .to(torch::kFloat64)));
        }
        const auto hasNfw = toVector(b.hasNfw.to(torch::kFloat64)), hasSis = toVector(b.hasSis.to(torch::kFloat64));
        const auto pNfw = toVector(estimate.nfwProbability), pSis = toVector(estimate.sisProbability);
        std::vector<std::vector<double>> ssim, mse;
        for (const auto &s : perIteration) {
            ssim.push_back(toVector(s.ssim));
            mse.push_back(toVector(s.mse));
        }

        for (size_t j = 0; j < chi2.size(); ++j) {
            ImageRecord record;
            record.preset = held.preset;
            record.index = held.firstIndex + static_cast<std::int64_t>(j);
            for (size_t t = 0; t < ssim.size(); ++t) {
                record.error.push_back(error[t][j]);
                record.ssim.push_back(ssim[t][j]);
                record.mse.push_back(mse[t][j]);
            }
            record.zeroSourceSsim = zeroSsim[j];
            record.reducedChi2 = chi2[j];
            for (size_t p = 0; p < truth.size(); ++p) {
                record.truth.push_back(truth[p][j]);
                record.estimate.push_back(value[p][j]);
                record.sigma.push_back(sigma[p][j]);
                record.covered.push_back(covered[p][j] > 0.5);
            }
            record.hasNfw = hasNfw[j] > 0.5;
            record.hasSis = hasSis[j] > 0.5;
            record.nfwProbability = pNfw[j];
            record.sisProbability = pSis[j];
            result.images.push_back(std::move(record));
        }
        if (progress)
            progress(static_cast<std::int64_t>(result.images.size()), set.size());
    }
    return result;
}

} // namespace astrorim::evaluation

#include "nn/lens_refinement.h"

#include "common/error.h"
#include "model/likelihood.h"

#include <torch/torch.h>

namespace astrorim::nn {

namespace {

using torch::Tensor;

/// 1 for the entries refinement moves, 0 for presence logits and PSF width.
Tensor refinedEntries(const torch::TensorOptions &options)
{
    auto mask = torch::ones({ParameterCount}, options);
    for (const auto frozen : {NfwLogit, SisLogit, PsfLogFwhm})
        mask[frozen] = 0;
    return mask;
}

} // namespace

Tensor negativeLogPosterior(RimModelImpl &model, const NormalizedObservation &obs, const EstimatorOutput &prior,
                            const Tensor &values, const Tensor &source, bool usePrior)
{
    const auto lens = decodeParameters(values, obs.pixelScale, obs.dataScale, model.config().gridSize);
    const auto image = model.forwardFunction(model.setup(lens, obs))(source.detach());
    auto value = 0.5 * model::chiSquared(image, obs.data, obs.sigma);
    if (usePrior)
        value = value + 0.5 * ((values - prior.mean.detach()).square() * (-prior.logVar.detach()).exp() *
                               refinedEntries(values.options()))
                                  .sum(1);
    return value;
}

std::pair<Tensor, Tensor> refineParameters(RimModelImpl &model, const NormalizedObservation &obs,
                                           const EstimatorOutput &prior, const Tensor &start, const Tensor &source,
                                           const RefinementOptions &options)
{
    const torch::AutoGradMode enable(true);
    const auto moved = refinedEntries(start.options());
    const auto objective = [&](const Tensor &v) {
        return negativeLogPosterior(model, obs, prior, v, source, options.usePrior);
    };

    auto v = start.detach().clone().requires_grad_(true);
    torch::optim::Adam adam({v}, torch::optim::AdamOptions(options.learningRate));
    Tensor best = start.detach().clone(), bestObjective;
    for (int step = 0; step <= options.lensSteps; ++step) {
        const auto value = objective(v);
        const auto current = value.detach();
        if (!bestObjective.defined()) {
            bestObjective = current.clone();
        } else {
            // Keep, per system, the best values seen; a NaN never wins.
            const auto better = current < bestObjective;
            best = torch::where(better.unsqueeze(1), v.detach(), best);
            bestObjective = torch::where(better, current, bestObjective);
        }
        if (step == options.lensSteps)
            break;
        // Gradients for v alone: the model's weights must not collect any.
        const auto gradient = torch::autograd::grad({value.sum()}, {v})[0];
        v.mutable_grad() = torch::nan_to_num(gradient * moved, 0.0, 0.0, 0.0);
        adam.step();
    }
    return {best, bestObjective};
}

RefinementResult refineLens(RimModelImpl &model, const NormalizedObservation &obs, const RefinementOptions &options,
                            const CancelToken &cancel)
{
    if (options.rounds < 0 || options.lensSteps < 0 || options.rimIterations < 1 || !(options.learningRate > 0))
        fail("lens refinement", "rounds and steps must be ≥ 0, RIM iterations ≥ 1 and the learning rate positive");
    const int grid = model.config().gridSize;
    RefinementResult out;
    out.reconstruction = model.reconstruct(obs, options.rimIterations);
    const auto prior = out.reconstruction.parameters;
    auto values = prior.mean.detach();
    const auto objective = [&] {
        torch::NoGradGuard noGrad;
        return negativeLogPosterior(model, obs, prior, values, out.reconstruction.iterates.back(), options.usePrior);
    };
    std::vector<Tensor> objectives{objective()};
    for (int round = 0; round < options.rounds && !cancel.cancelled(); ++round) {
        values = refineParameters(model, obs, prior, values, out.reconstruction.iterates.back(), options).first;
        out.reconstruction = model.reconstructWith(decodeParameters(values, obs.pixelScale, obs.dataScale, grid),
                                                   obs, options.rimIterations);
        objectives.push_back(objective());
    }
    out.reconstruction.parameters = {values, prior.logVar};
    out.objective = torch::stack(objectives);
    return out;
}

} // namespace astrorim::nn

#pragma once

// Test-time MAP refinement of the lens parameters. The estimator's Gaussian
// (mean, σ per normalized parameter) is the prior; the likelihood is χ² of
// the forward model. Rounds alternate gradient steps on the lens parameters
// with the source held fixed and RIM passes for the source with the lens
// held fixed, a block-coordinate descent of
//     −log posterior = ½ χ²(lens, source) + ½ Σ_i ((v_i − μ_i) / σ_i)².
// The perturbers' presence and the PSF width are not refined: presence is a
// decision, and the operator uses the observation's PSF.

#include "common/progress.h"
#include "nn/rim_model.h"

#include <torch/types.h>

namespace astrorim::nn {

struct RefinementOptions
{
    int rounds = 3;            ///< lens steps + RIM pass, repeated
    int lensSteps = 20;        ///< Adam steps on the lens per round
    int rimIterations = 10;    ///< RIM iterations per pass
    double learningRate = 5e-3; ///< Adam step size, in normalized parameter units
    bool usePrior = true;      ///< false: maximum likelihood instead of MAP
};

struct RefinementResult
{
    Reconstruction reconstruction; ///< after the last round; parameters.mean holds the refined values
    torch::Tensor objective;       ///< [rounds + 1, B]: −log posterior of the start and after each round
};

/// ½ χ² + (with the prior) ½ Σ ((v − μ)/σ)² over the refined entries, per
/// system [B], for normalized parameters `values` and a fixed `source`.
torch::Tensor negativeLogPosterior(RimModelImpl &model, const NormalizedObservation &observation,
                                   const EstimatorOutput &prior, const torch::Tensor &values,
                                   const torch::Tensor &source, bool usePrior);

/// Lens steps for a fixed source: Adam on the normalized parameters `start`
/// [B, ParameterCount] from prior `prior`, returning for each system the
/// values with the lowest objective seen (never worse than `start`) and that
/// objective [B]. `source` [B, N, N] is normalized like the data.
std::pair<torch::Tensor, torch::Tensor> refineParameters(RimModelImpl &model, const NormalizedObservation &observation,
                                                         const EstimatorOutput &prior, const torch::Tensor &start,
                                                         const torch::Tensor &source, const RefinementOptions &options);

/// Estimator → RIM → `options.rounds` × (lens steps, RIM pass). With zero
/// rounds this is model.reconstruct(). Stops after the current round when
/// cancelled. Throws astrorim::Error for nonsense options.
RefinementResult refineLens(RimModelImpl &model, const NormalizedObservation &observation,
                            const RefinementOptions &options, const CancelToken &cancel = {});

} // namespace astrorim::nn

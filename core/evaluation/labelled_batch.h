#pragma once

// A simulated batch in the networks' units, with the truth that training
// losses and evaluation scores compare against.

#include "nn/lens_parameters.h"
#include "nn/normalization.h"
#include "simulation/simulator.h"

#include <torch/types.h>

namespace astrorim::evaluation {

struct LabelledBatch
{
    nn::NormalizedObservation observation;
    torch::Tensor source;    ///< true source [B, N, N], divided by the data scale like the data
    torch::Tensor arcs;      ///< noiseless PSF-convolved arcs, normalized the same way
    torch::Tensor lensLight; ///< PSF-convolved lens light, normalized the same way
    nn::LensEstimate truth;  ///< physical; perturber probabilities are 1 where present, else 0
    torch::Tensor hasNfw, hasSis; ///< [B] bool
    nn::EncodedParameters target; ///< the truth in the estimator's units
};

/// Normalizes a simulated batch as inference normalizes an observation
/// (nn::normalizeObservation) and carries its truth along.
LabelledBatch labelBatch(const simulation::SimulatedBatch &batch, int gridSize);

} // namespace astrorim::evaluation

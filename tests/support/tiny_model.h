#pragma once

// A small model for tests of the machinery around the networks (files,
// pipelines, reports): seconds to run, and what they check does not depend
// on trained weights.

#include "nn/rim_model.h"

namespace astrorim::test {

inline nn::ModelConfig tinyModelConfig(int gridSize = 32)
{
    nn::ModelConfig config;
    config.gridSize = gridSize;
    config.rim = {4, 8, 8};
    config.estimatorWidth = 4;
    config.correctionChannels = 4;
    return config;
}

} // namespace astrorim::test

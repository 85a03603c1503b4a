#pragma once

// The true source of a simulated lens rendered analytically onto whatever
// grid a reconstruction uses (DESIGN.md, "Measuring quality honestly"): its
// Sérsic components and clumps, averaged over each pixel of the grid, in the
// simulator's units (surface brightness per image pixel, ADU/s).

#include "fit/source_grid.h"
#include "simulation/simulator.h"

#include <torch/types.h>

namespace astrorim::evaluation {

/// System `b`'s source on `grid`, [n, n] float64 on the CPU, each pixel the
/// mean of supersample² samples over its area.
torch::Tensor trueSourceOnGrid(const simulation::SampledSystems &truth, int64_t b, const fit::SourceGrid &grid,
                               int supersample = 4);

} // namespace astrorim::evaluation

#pragma once

// A small limited-memory BFGS minimizer (Nocedal & Wright 2006, algorithm
// 7.4) with a backtracking line search on the Armijo condition. The lens
// optimizer's objective is cheap to differentiate (the envelope theorem) but
// not smooth everywhere (bilinear sampling has kinks), so steps that fail to
// decrease are retried shorter, and a curvature pair that is not positive is
// skipped rather than trusted.

#include "common/progress.h"

#include <functional>
#include <vector>

namespace astrorim::fit {

/// Returns f(x) and fills `gradient` (same size as x). May throw; the
/// minimizer treats a non-finite value as "too far" and shortens the step.
using Objective = std::function<double(const std::vector<double> &x, std::vector<double> &gradient)>;

struct LbfgsOptions
{
    int maxIterations = 50;
    int memory = 6;
    double gradientTolerance = 1e-5; ///< stop when max |g_i| ≤ this
    double valueTolerance = 1e-7;    ///< stop when a step changes f by less than this × max(1, |f|)
    double maxStep = 1.0;            ///< longest first trial step, in x's units
};

struct LbfgsResult
{
    std::vector<double> x;
    double value = 0;
    int iterations = 0;
    int evaluations = 0;
    bool converged = false;
};

/// Minimizes `f` from `x0`. `afterIteration(x, f)` runs after every accepted
/// step; cancelling stops after the current step.
LbfgsResult minimizeLbfgs(const Objective &f, std::vector<double> x0, const LbfgsOptions &options,
                          const std::function<void(const std::vector<double> &, double)> &afterIteration = {},
                          const CancelToken &cancel = {});

} // namespace astrorim::fit

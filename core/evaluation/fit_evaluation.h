#pragma once

// The honest evaluation of the fit (DESIGN.md, "Measuring quality
// honestly"): every held-out lens is reconstructed by each method, and each
// source is scored against the truth rendered onto that method's own grid.
// Methods: an all-zero source (the baseline every score must beat), the
// linear inversion through the true lens (the ceiling of physics alone),
// through the estimator's lens, and through the optimized lens; and the RIM
// of the model file on the image grid, as it stands.

#include "common/progress.h"
#include "evaluation/held_out_set.h"
#include "fit/fitter.h"
#include "nn/rim_model.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace astrorim::evaluation {

enum class FitMethod { ZeroSource, TrueLens, EstimatorLens, OptimizedLens, Rim };
inline constexpr int kFitMethods = 5;
/// "zero source", "inversion, true lens", "inversion, estimator's lens", "inversion, optimized lens", "RIM (image grid)".
const char *fitMethodName(FitMethod method);

/// Parameters reported with errors: θ_E of the whole mass (mean κ = 1), then
/// the SIE's e1, e2, centre and the shear.
inline constexpr int kFitReported = 7;
const std::array<const char *, kFitReported> &fitReportedNames();

struct MethodScores
{
    bool ran = false;
    double relativeError = 0; ///< ‖ŝ − s‖/‖s‖ on the method's grid
    double alignedError = 0;  ///< the same after the best source-plane translation
    double supportSsim = 0;   ///< SSIM inside the truth's support window
    double reducedChi2 = 0;   ///< χ² per pixel with data
    double seconds = 0;       ///< wall time of this method on this lens
    /// sigma: the fit's 1σ (the Laplace 1σ times fit::SigmaCalibration),
    /// laplaceSigma: before the factors; 0 where none was computed, NaN for a
    /// parameter along a direction the data leave unconstrained (left out of
    /// its coverage).
    std::array<double, kFitReported> parameters{}, sigma{}, laplaceSigma{};
    double sieThetaE = 0;     ///< the SIE's own θ_E (its 1σ is sigma[0])
    bool uncertainties = false;  ///< the fit computed Laplace 1σ
    bool hessianPositive = true; ///< every direction of the Laplace Hessian was constrained
};

struct FitRecord
{
    std::string preset;
    std::int64_t index = 0;
    std::array<double, kFitReported> truth{};
    double trueSieThetaE = 0;
    bool hasPerturber = false;
    std::array<MethodScores, kFitMethods> methods;
};

struct FitEvaluationOptions
{
    std::int64_t perPreset = 12;
    fit::FitOptions fit;
    nn::RimModelImpl *model = nullptr; ///< the estimator and the RIM; without it only the zero and true-lens rows
    int rimIterations = 10;
    std::vector<std::string> presets;  ///< empty: all six
    std::int64_t limitPerPreset = 0;   ///< > 0: only the first this many lenses of each preset
    std::uint64_t seed = kHeldOutSeed; ///< of the lenses: kCalibrationSeed draws the calibration set
};

/// Runs the methods over the held-out set (CPU). Progress counts lenses.
/// Cancelling returns the lenses finished so far.
std::vector<FitRecord> evaluateFits(const FitEvaluationOptions &options, const ProgressCallback &progress = {},
                                    const CancelToken &cancel = {});

} // namespace astrorim::evaluation

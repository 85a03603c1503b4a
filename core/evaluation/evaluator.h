#pragma once

// Runs a trained model over the held-out set and keeps, for every image, the
// source scores after each RIM iteration and the lens parameters it found.
// Reports (evaluation/report.h) are computed from these records.

#include "common/progress.h"
#include "nn/rim_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace astrorim::evaluation {

/// A lens parameter the reports state errors for, in physical units.
struct ReportedParameter
{
    nn::LensParameter index; ///< its entry in the estimator's vector (for the 1σ coverage)
    const char *name;        ///< lenstronomy's name
    const char *unit;        ///< "arcsec" or "" (dimensionless)
    bool relative;           ///< errors as a fraction of the true value
};

/// θ_E, e1, e2, centre, shear, PSF FWHM, lens-light R_sersic and n_sersic.
const std::vector<ReportedParameter> &reportedParameters();

struct ImageRecord
{
    std::string preset;
    std::int64_t index = 0;           ///< within its preset
    std::vector<double> error;        ///< source relative error ‖ŝ − s‖/‖s‖ after iteration 1, 2, …, T (all-zero: 1)
    std::vector<double> ssim, mse;    ///< whole-frame SSIM and MSE after each iteration (peak-scaled)
    double zeroSourceSsim = 0;        ///< whole-frame SSIM of an all-zero source: what SSIM gives for nothing
    double reducedChi2 = 0;           ///< of the final forward model, χ² / N²
    std::vector<double> truth, estimate, sigma; ///< per reportedParameters(); sigma is the estimator's 1σ
    std::vector<bool> covered;        ///< |estimate − truth| ≤ 1σ in the estimator's units
    bool hasNfw = false, hasSis = false;
    double nfwProbability = 0, sisProbability = 0;
};

struct EvaluationOptions
{
    std::int64_t perPreset = 84; ///< held-out systems per preset
    int iterations = 20;         ///< RIM iterations; every one is scored
    bool trueLens = false;       ///< run the RIM through the true lens (isolates the RIM from the estimator)
    int refineRounds = 0;        ///< MAP refinement rounds (nn/lens_refinement.h); 0: the estimator's lens
    torch::Device device = torch::kCPU;
};

struct EvaluationResult
{
    std::vector<ImageRecord> images;
    EvaluationOptions options;
    bool cancelled = false; ///< images holds the batches finished before the cancel
};

/// Evaluates `model` (in eval mode, no gradients kept). Progress counts
/// images. Throws astrorim::Error when a reconstruction is not finite.
EvaluationResult evaluate(nn::RimModelImpl &model, const EvaluationOptions &options,
                          const ProgressCallback &progress = {}, const CancelToken &cancel = {});

} // namespace astrorim::evaluation

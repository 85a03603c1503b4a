#pragma once

// The fit of one lens (DESIGN.md, "The fit"), steps 2-4 of the data flow:
// from a first guess of the nonlinear parameters, a source grid chosen from
// the lens, the regularized linear inversion with λ from the Bayesian
// evidence, and the lens optimization (several starts, envelope-theorem
// gradients, L-BFGS) with Laplace 1σ from the Hessian. Everything is in the
// data's units on the cutout's grid; the caller prepares the cutout and
// supplies the first guess (the estimator's, or any other).

#include "common/progress.h"
#include "fit/model_parameters.h"
#include "fit/regularization.h"
#include "fit/source_grid.h"

#include <Eigen/Core>
#include <torch/types.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace astrorim::fit {

struct FitInput
{
    torch::Tensor data;    ///< [N, N] sky-subtracted image, FITS order
    torch::Tensor sigma;   ///< [N, N] 1σ; +inf, NaN or ≤ 0 where there are no data (masked)
    torch::Tensor psf;     ///< [k, k] odd, on the image grid
    double pixelScale = 0; ///< arcsec per pixel
    ModelParameters start; ///< the first guess
};

/// Factors on the Laplace 1σ of the lens, per kind of entry. The Laplace
/// 1σ of the profile posterior (the source re-solved at every step) counts
/// the noise only. The systematic errors of the model (the pixelated,
/// regularized source, the rays, the light model) and the fits that end in
/// a wrong basin are larger, so on simulations the raw 1σ covered 25-42 %
/// of the truths, not 68 %. Each factor is the 68.3rd percentile of
/// |estimate − truth| / Laplace 1σ on the calibration set
/// (evaluation::kCalibrationSeed, disjoint from the held-out set that tests
/// them), which `evaluate --fit --calibration-set` prints. The defaults were
/// measured that way on its first 8 lenses of each preset (48 lenses,
/// Gauss-Newton Hessian, 2026-12-05; docs/fit-evaluation.md). Entries
/// without a truth there (lens light, perturbers) take the largest factor.
/// All 1: the raw Laplace 1σ.
struct SigmaCalibration
{
    double radius = 5.69;      ///< θ_E
    double ellipticity = 3.32; ///< e1, e2 (pooled)
    double position = 2.02;    ///< the centre (pooled)
    double shear = 2.94;       ///< γ1, γ2 (pooled)

    /// The factor of the entries without a truth: the largest.
    [[nodiscard]] double others() const { return std::max({radius, ellipticity, position, shear}); }
    /// The factor for entry `i` of `parameters`.
    [[nodiscard]] double factor(const ModelParameters &parameters, int i) const;
};

struct FitOptions
{
    int supersample = 2;             ///< rays per pixel side
    SourceGridOptions grid;          ///< the final grid
    /// Pixels per side of the grid the lens is optimized on: the same region
    /// as the final grid, coarser, since each optimizer step is a dense
    /// inversion whose cost grows with the cube of the pixel count.
    int optimizerGridSize = 32;
    Regularization regularization = Regularization::Curvature;
    double arcThreshold = 3;         ///< S/N of a pixel that counts as arc light when the grid is first chosen
    bool optimizeLens = true;        ///< false: the inversion through the first guess only
    int starts = 3;                  ///< the first guess plus up to starts − 1 perturbed ones
    /// Further starts: the first guess with θ_E times each factor, each on
    /// its own grid (fitLens explains why).
    std::vector<double> thetaEStarts{0.7, 1.4};
    /// L-BFGS steps of the fit with a Sérsic source (parametric_source.h)
    /// whose lens starts one more search, and of the veto below; 0: neither.
    /// On the 60 held-out lenses (docs/fit-evaluation.md) the start took the
    /// median θ_E error from 2.35 % to 1.88 %; wide-parameter #4 went from
    /// 83 % to 0.05 %. With the veto, a baseline fit takes 1.4-1.9× as long
    /// (bench fit, README).
    int parametricIterations = 60;
    /// The Sérsic-source veto (fitLens), when parametricIterations > 0: each
    /// basin's lens held, a Sérsic source is fitted to the data (started
    /// from the moments of the basin's pixelated source); basins whose χ²
    /// exceeds the least by more than sersicMargin + sersicFraction × that
    /// least are left out of the evidence's ranking. On the 60 held-out
    /// lenses it took the median θ_E error from 1.88 % to 1.83 % and
    /// rich-physics #5 and #8 from 83 % and 65 % to 2.1 % and 0.2 %.
    double sersicMargin = 25;
    double sersicFraction = 0.005;
    /// Largest grid side on which the starts' basins are compared (fitLens).
    int compareGridSize = 48;
    /// The search phase (fitLens): the regularization raised this many
    /// times, at most this many L-BFGS iterations per start.
    double annealFactor = 100;
    int searchIterations = 20;
    double goodEnough = 1.2;         ///< perturbed starts run only while the reduced χ² stays above this
    int maxIterations = 40;          ///< L-BFGS iterations per start
    bool uncertainties = true;       ///< Laplace 1σ of the parameters and per-pixel 1σ of the source
    SigmaCalibration sigmaCalibration; ///< factors on the parameters' Laplace 1σ
    /// The optimizer's inversions by warm-started conjugate gradients
    /// (IterativeInversion) rather than dense Cholesky factorizations. Off:
    /// on 2 cores (bench fit) they saved ~10 % of the fit with a 7×7 PSF but
    /// took twice as long with the 11-17 pixel PSFs of wide-parameter lenses,
    /// whose systems need hundreds of iterations with this preconditioner.
    bool matrixFreeOptimizer = false;
    std::uint64_t seed = 1;          ///< of the perturbed starts
};

/// One step of the fit, as reported to the caller after each inversion and
/// each accepted optimizer step.
struct FitStep
{
    std::string stage;   ///< "inversion", "parametric" (a fit with a Sérsic source), "lens" (optimizer step) or "final"
    int start = 0;       ///< which start (lens stage)
    int iteration = 0;   ///< counts all steps of the fit from 1
    double value = 0;    ///< penalized χ²
    ModelParameters parameters;
    SourceGrid grid;
    torch::Tensor source; ///< [n, n] surface brightness, data units per image pixel
};
using FitCallback = std::function<void(const FitStep &)>;

struct FitResult
{
    ModelParameters parameters;
    /// 1σ per entry: the Laplace 1σ times FitOptions::sigmaCalibration
    /// (empty without uncertainties); NaN for an entry that takes part in a
    /// direction the data leave unconstrained.
    std::vector<double> parameterSigma;
    std::vector<double> laplaceSigma; ///< the same before the calibration factors
    SigmaCalibration sigmaCalibration; ///< the factors parameterSigma carries
    bool hessianPositive = true;             ///< false: some direction was unconstrained (see parameterSigma)
    SourceGrid grid;
    torch::Tensor source;      ///< [n, n] surface brightness in data units per image pixel (see sourceFluxPerPixel)
    torch::Tensor sourceSigma; ///< [n, n] its 1σ (undefined without uncertainties)
    std::vector<double> lightAmplitudes; ///< one per Sérsic component, data units per pixel at R_sersic
    double lambda = 0, logEvidence = 0;
    double chi2 = 0;           ///< over the pixels with data
    int dataPixels = 0;
    double reducedChi2 = 0;    ///< χ² / dataPixels (1 for a model that reaches the noise)
    torch::Tensor forward, lensedSource, lensLight, residual, chi2Map; ///< [N, N] float64
    std::vector<FitStep> history;
    int evaluations = 0;       ///< inversions run by the optimizer
    bool cancelled = false;
    /// Wall-clock seconds per stage (bench fit prints them).
    struct Timings
    {
        double grid = 0;         ///< initial grid, its inversions and λ by the evidence
        double parametric = 0;   ///< the fits with a Sérsic source
        double optimization = 0; ///< every start, the re-grid and the polish
        double finalInversion = 0; ///< the final grid's normal matrix, factorization and solve
        double sourceSigma = 0;  ///< per-pixel 1σ of the source
        double laplace = 0;      ///< the parameters' Hessian
    } timings;
};

/// Fits one lens. Cancelling stops at the next step and returns the best so
/// far (cancelled = true). Throws astrorim::Error for bad input: shapes that
/// disagree, no pixel with data, a first guess outside its domain.
FitResult fitLens(const FitInput &input, const FitOptions &options, const FitCallback &callback = {},
                  const CancelToken &cancel = {});

/// Laplace 1σ from the Hessian of f = χ² + penalty = −2 log(posterior) +
/// const: the square roots of the diagonal of 2 H⁻¹ (H symmetrized).
/// Directions without positive curvature (eigenvalues at or below 1e-8 of
/// the largest in magnitude) are unconstrained: in the fit, most often the
/// radius and index of a faint lens light, which trade against each other.
/// The covariance is that of the constrained directions (conditional on the
/// others), and an entry with a component of 0.1 or more along an
/// unconstrained direction gets no 1σ (NaN). `positive`: every direction
/// was constrained.
/// `scales` (one per entry, e.g. ModelParameters::scales(); empty: all 1):
/// the analysis runs on D H D with D = diag(scales), so that the flatness
/// test and the shares compare entries of different units alike.
std::vector<double> sigmaFromHessian(const Eigen::MatrixXd &hessian, bool &positive,
                                     const std::vector<double> &scales = {});

/// Source pixels as flux per source pixel (surface brightness × the source
/// pixel's area in image pixels), the unit of the exported source map.
torch::Tensor sourceFluxPerPixel(const FitResult &result, double imagePixelScale);

} // namespace astrorim::fit

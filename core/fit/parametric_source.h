#pragma once

// The lens fitted with a smooth parametric source (one elliptical Sérsic)
// instead of source pixels: the first stage of the source-parametric then
// source-pixelized pipelines that lenstronomy and PyAutoLens users run. A
// Sérsic cannot take the shape of the arcs the way a pixelated source can
// under a wrong lens, so its χ² separates the basins of θ_E that the pixels'
// evidence finds hard to tell apart (an almost unlensed source drawn in the
// shape of the arcs). The fit (fitLens) adds its lens as one more start of
// the pixelated search; the evidence still decides.
//
// The model: Sérsic(β(θ)) averaged over each pixel's rays, plus the lens
// light's Sérsic components, through the PSF; every amplitude by weighted
// least squares at each step, so the gradient in the nonlinear parameters
// is the partial derivative at fixed amplitudes (the envelope theorem).

#include "common/progress.h"
#include "fit/forward_model.h"
#include "fit/model_parameters.h"
#include "fit/source_grid.h"

#include <Eigen/Core>
#include <torch/types.h>

#include <vector>

namespace astrorim::fit {

/// A Sérsic source: centre (arcsec, source plane), R_sersic (arcsec), index, ellipticity.
struct SersicSource
{
    double centerX = 0, centerY = 0, rSersic = 0.1, nSersic = 1, e1 = 0, e2 = 0;
};

struct ParametricFit
{
    ModelParameters lens; ///< the lens and its light's shapes
    SersicSource source;
    double amplitude = 0; ///< the source's, data units per image pixel at R_sersic
    double chi2 = 0;      ///< over the pixels with data
    int evaluations = 0;
};

/// Minimizes χ² over the lens, its light's shapes and the source's six
/// parameters (n kept within 0.5-6, |e| < 0.8 by smooth transforms) from
/// `start` and `source`, with at most `iterations` L-BFGS steps. `data` and
/// `weight` ([N, N] float64, weight 1/σ², 0 where there are no data).
/// `lensHeld`: only the source moves; the lens and its light's shapes stay
/// at `start`. Throws astrorim::Error when the start is outside its domain.
ParametricFit fitParametricSource(const ForwardModel &model, const torch::Tensor &data, const torch::Tensor &weight,
                                  const ModelParameters &start, const SersicSource &source, int iterations,
                                  const CancelToken &cancel = {}, bool lensHeld = false);

/// A Sérsic source (n = 1) with the centroid and second moments of the
/// positive pixels of a pixelated source (n² values row by row on `grid`):
/// R_sersic the geometric mean of the principal standard deviations times
/// 1.2, the ellipticity from the moments' axis ratio and angle. A source
/// without positive flux gives the grid's centre and a tenth of its width.
SersicSource sersicFromMoments(const Eigen::VectorXd &source, const SourceGrid &grid);

/// χ² of a lens with a Sérsic source at the amplitudes that minimize it,
/// and, when `lensGradient` is given, its derivative in the lens's entries
/// (at those amplitudes: the envelope theorem makes it the total one).
double parametricChi2(const ForwardModel &model, const torch::Tensor &data, const torch::Tensor &weight,
                      const ModelParameters &lens, const SersicSource &source,
                      std::vector<double> *lensGradient = nullptr);

/// The source on a source grid's pixel centres: [n, n], surface brightness
/// in the amplitude's units (the fit's source images).
torch::Tensor sersicSourceImage(const SersicSource &source, double amplitude, const SourceGrid &grid);

} // namespace astrorim::fit

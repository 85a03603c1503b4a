#pragma once

// Critical curves, where det A = (1 − f_xx)(1 − f_yy) − f_xy² = 0 (A = I − H,
// the Jacobian of the lens equation), and their caustics β = θ − α(θ), as
// polylines. Positions in arcsec, lenstronomy's frame.
//
// det A is sampled on a square grid of nodes; marching squares finds the
// cells it changes sign in, and each edge crossing, first placed by linear
// interpolation, is refined by regula falsi on det A along the edge, so the
// points lie on the curve to ~1e-10 whatever the grid spacing. The grid only
// decides which curves are found: loops smaller than a cell may be missed.
// Cells touching the centre of an SIE or SIS are skipped: det A → −∞ there,
// but at the centre itself the Hessian takes a finite removable value, which
// would draw a spurious loop around that one node.

#include "lensing/lens_params.h"

#include <vector>

namespace astrorim::analysis {

/// The square on which critical curves are searched.
struct CriticalCurveGrid
{
    lensing::Vec2 center;   ///< arcsec
    double halfWidth = 3.0; ///< arcsec; the square spans center ± halfWidth
    int cells = 400;        ///< cells per side
};

/// One connected critical curve and its caustic (point i maps to point i).
/// Closed curves repeat their first point at the end. A curve is open where
/// it leaves the square, or where it runs into an SIE/SIS centre (det A → ±∞
/// there by direction when the other components' field has negative parity).
struct CriticalCurve
{
    std::vector<lensing::Vec2> critical;
    std::vector<lensing::Vec2> caustic;
    bool closed = false;
};

/// det A at (x, y): 1/μ.
double jacobianDeterminant(const lensing::LensModel &model, double x, double y);

/// Every critical curve inside the square, with its caustic. Throws
/// astrorim::Error for an invalid model, halfWidth ≤ 0 or cells < 2.
std::vector<CriticalCurve> criticalCurves(const lensing::LensModel &model, const CriticalCurveGrid &grid);

/// The cut of a singular isothermal centre (SIE or SIS): the limit of
/// β = θ − α(θ) as θ approaches `center` from each direction φ (samples
/// equally spaced, first point repeated at the end). It is the SIE's "radial
/// caustic" (Kormann, Schneider & Bartelmann 1994): isothermal profiles have no
/// radial critical curve, so no det A = 0 curve maps onto it, yet crossing it
/// adds or removes an image. θ is taken 1e-7″ from the centre, where the
/// isothermal deflection already has its limit and the other components'
/// (continuous) deflections are within ~1e-7″ of theirs. Throws astrorim::Error
/// for an invalid model or samples < 3.
std::vector<lensing::Vec2> singularCut(const lensing::LensModel &model, lensing::Vec2 center, int samples = 720);

} // namespace astrorim::analysis

#pragma once

// Local lensing quantities derived from the Hessian of the potential, for any
// profile or LensModel with a hessian(lens, x, y) overload. Positions in
// arcsec, lenstronomy's frame; κ, γ and μ are dimensionless.

#include "lensing/ellipticity.h"
#include "lensing/lens_params.h"

#include <concepts>

namespace astrorim::lensing {

/// κ = ½ (f_xx + f_yy).
inline double convergence(const Hessian &h)
{
    return 0.5 * (h.f_xx + h.f_yy);
}

/// γ1 = ½ (f_xx − f_yy), γ2 = f_xy.
inline ShearComponents shear(const Hessian &h)
{
    return {0.5 * (h.f_xx - h.f_yy), h.f_xy};
}

/// μ = 1 / det(I − H) = 1 / ((1 − κ)² − γ1² − γ2²); ±inf on a critical curve.
inline double magnification(const Hessian &h)
{
    return 1.0 / ((1.0 - h.f_xx) * (1.0 - h.f_yy) - h.f_xy * h.f_xy);
}

/// A lens whose Hessian can be evaluated at a position (every profile and LensModel).
template <class Lens>
concept LensProfile = requires(const Lens &lens, double x, double y) {
    { hessian(lens, x, y) } -> std::same_as<Hessian>;
};

/// Shear (γ1, γ2) of `lens` at (x, y). Throws as the lens's hessian() does.
template <LensProfile Lens>
ShearComponents shear(const Lens &lens, double x, double y)
{
    return shear(hessian(lens, x, y));
}

/// Magnification of `lens` at (x, y). Throws as the lens's hessian() does.
template <LensProfile Lens>
double magnification(const Lens &lens, double x, double y)
{
    return magnification(hessian(lens, x, y));
}

} // namespace astrorim::lensing

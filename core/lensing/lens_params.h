#pragma once

#include <string>
#include <variant>
#include <vector>

namespace astrorim::lensing {

// Lens profiles with lenstronomy's names and definitions. Angles in
// arcseconds, lenstronomy's frame (x, y) on the sky.

/// Singular isothermal ellipsoid (lenstronomy "SIE"). In the frame rotated by
/// φ = ½ atan2(e2, e1), κ = ½ θ_E / sqrt(q x² + y²/q), q = (1−|e|)/(1+|e|).
struct SieParams
{
    double theta_E = 1.0;
    double e1 = 0.0;
    double e2 = 0.0;
    double center_x = 0.0;
    double center_y = 0.0;
};

/// Singular isothermal sphere (lenstronomy "SIS"): κ = θ_E / (2 r).
struct SisParams
{
    double theta_E = 1.0;
    double center_x = 0.0;
    double center_y = 0.0;
};

/// Navarro-Frenk-White halo (lenstronomy "NFW"): scale radius Rs and the
/// deflection angle alpha_Rs at Rs, both in arcsec.
struct NfwParams
{
    double Rs = 1.0;
    double alpha_Rs = 0.1;
    double center_x = 0.0;
    double center_y = 0.0;
};

/// External shear (lenstronomy "SHEAR"): ψ = ½ γ1 (x² − y²) + γ2 x y about (ra_0, dec_0).
struct ShearParams
{
    double gamma1 = 0.0;
    double gamma2 = 0.0;
    double ra_0 = 0.0;
    double dec_0 = 0.0;
};

using LensComponent = std::variant<SieParams, SisParams, NfwParams, ShearParams>;

/// A sum of components, as lenstronomy's lens_model_list + kwargs_lens.
struct LensModel
{
    std::vector<LensComponent> components;
};

/// lenstronomy's model name of a component: "SIE", "SIS", "NFW", "SHEAR".
std::string lenstronomyName(const LensComponent &component);

struct Vec2
{
    double x = 0.0;
    double y = 0.0;
};

/// Second derivatives of the lensing potential (f_yx = f_xy).
struct Hessian
{
    double f_xx = 0.0;
    double f_xy = 0.0;
    double f_yy = 0.0;
};

} // namespace astrorim::lensing

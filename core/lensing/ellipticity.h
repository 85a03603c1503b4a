#pragma once

// Conversions between lenstronomy's ellipticity and shear components and the
// polar forms users think in. Angles in radians, measured from the x axis of
// lenstronomy's frame towards its y axis; the same as lenstronomy's
// param_util (phi_q2_ellipticity, ellipticity2phi_q, shear_polar2cartesian,
// shear_cartesian2polar).

namespace astrorim::lensing {

/// lenstronomy's eccentricity components (e1, e2).
struct EllipticityComponents
{
    double e1 = 0.0;
    double e2 = 0.0;
};

/// Axis ratio q = b/a in (0, 1] and position angle φ of the major axis (radians).
struct AxisRatioAngle
{
    double q = 1.0;
    double phi = 0.0;
};

/// External shear components γ1 = γ cos 2ψ, γ2 = γ sin 2ψ.
struct ShearComponents
{
    double gamma1 = 0.0;
    double gamma2 = 0.0;
};

/// External shear strength γ ≥ 0 and angle ψ (radians).
struct ShearPolar
{
    double gamma_ext = 0.0;
    double psi_ext = 0.0;
};

/// e1 = (1−q)/(1+q)·cos 2φ, e2 = (1−q)/(1+q)·sin 2φ.
/// Throws astrorim::Error unless 0 < q ≤ 1 and φ is finite.
EllipticityComponents ellipticityFromAxisRatio(double q, double phi);

/// The inverse: φ = ½ atan2(e2, e1) in [−π/2, π/2], q = (1−|e|)/(1+|e|), with
/// |e| capped at 0.9999 as lenstronomy does. φ = 0 for e1 = e2 = 0.
/// Throws astrorim::Error for |e| ≥ 1 or non-finite components.
AxisRatioAngle axisRatioFromEllipticity(double e1, double e2);

/// γ1 = γ cos 2ψ, γ2 = γ sin 2ψ. Throws astrorim::Error for γ < 0 or non-finite input.
ShearComponents shearFromPolar(double gamma_ext, double psi_ext);

/// γ = sqrt(γ1² + γ2²), ψ = ½ atan2(γ2, γ1) in [−π/2, π/2].
/// Throws astrorim::Error for non-finite input.
ShearPolar shearToPolar(double gamma1, double gamma2);

} // namespace astrorim::lensing

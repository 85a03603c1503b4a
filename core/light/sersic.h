#pragma once

// Double-precision reference form of the Sérsic profile. The batched tensor
// form used by the simulator (tensor_light.h) is tested against this one.
// Lengths are arcseconds; the surface brightness has the units of `amp`.

namespace astrorim::light {

/// Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), for
/// a > 0 and x ≥ 0, to about 1e-15 relative. Throws astrorim::Error otherwise.
double regularizedGammaP(double a, double x);

/// The exact Sérsic b_n: the root of P(2n, b) = ½, so that R_sersic is the
/// half-light radius. Valid (and tested) for n in [0.2, 10]; throws
/// astrorim::Error naming n_sersic when n is not finite or outside [0.1, 20].
double sersicBn(double n);

/// lenstronomy "SERSIC_ELLIPSE" parameters. R_sersic is the half-light radius
/// in the elliptical radius R below (arcsec), n_sersic the index, e1/e2 the
/// lenstronomy ellipticity components, center_x/center_y in arcsec.
struct SersicParams
{
    double amp = 1.0;
    double R_sersic = 1.0;
    double n_sersic = 1.0;
    double e1 = 0.0;
    double e2 = 0.0;
    double center_x = 0.0;
    double center_y = 0.0;
};

/// Surface brightness at (x, y) (arcsec): amp · exp(−b_n ((R/R_sersic)^(1/n) − 1))
/// with R = sqrt(q x'² + y'²/q) in the frame centred on the profile and
/// rotated by φ = ½ atan2(e2, e1), q = (1 − |e|)/(1 + |e|): lenstronomy's
/// default "product average" radius (param_util.transform_e1e2_product_average).
/// lenstronomy itself uses the approximation b_n = 1.9992 n − 0.3271
/// (Capaccioli 1989), 3 % off at n = ½, 0.4 % at n = 1. `amp` is thus the
/// brightness on the ellipse R = R_sersic, whose semi-major axis is
/// R_sersic/√q and semi-minor axis R_sersic·√q. Throws astrorim::Error for
/// R_sersic ≤ 0, a bad n_sersic (see sersicBn), |e| ≥ 1 or non-finite values.
double sersicIntensity(const SersicParams &p, double x, double y);

/// Total flux, the integral of sersicIntensity over the plane:
/// 2π n amp R_sersic² e^{b_n} b_n^{−2n} Γ(2n). The map (x, y) → (√q x', y'/√q)
/// has unit Jacobian, so the ellipticity does not change it. Same errors as
/// sersicIntensity.
double sersicTotalFlux(const SersicParams &p);

/// Throws astrorim::Error naming the first nonsensical field of `p`.
void validate(const SersicParams &p);

} // namespace astrorim::light

#pragma once

// Floors and series thresholds shared by the double-precision profiles and
// their tensor form, so that both give the same numbers at the lens centre and
// near the removable singularities of the closed forms. Internal to lensing.

namespace astrorim::lensing::numerics {

/// Floor on r² (arcsec²) for the singular isothermal profiles: r ≥ 1e-10
/// arcsec, far below any pixel, yet large enough that κ/r² stays finite in
/// float32 (κ at the floor is ~1e10, and gradients multiply by 1/r ~ 1e10).
inline constexpr double kMinRadius2 = 1e-20;

/// NFW: X = r/Rs is floored here (lenstronomy floors r for the same reason:
/// α ~ r ln r and κ ~ ln r are finite limits reached through 0·∞).
inline constexpr double kNfwMinX = 1e-8;

/// lenstronomy caps |e| at this value (param_util.ellipticity2phi_q).
inline constexpr double kMaxEllipticity = 0.9999;

/// Below |e| = this, the SIE deflection is evaluated to first order in
/// (e1, e2) about the SIS. The closed form divides by t = sqrt(1 − q²) and
/// reaches (e1, e2) through φ = ½ atan2(e2, e1), whose gradients cancel to
/// relative precision ε/|e|; the series has error |e|² and is smooth in
/// (e1, e2), so the gradient at e = 0 is right rather than merely finite.
inline constexpr double kSieSeriesEllipticity64 = 1e-8;
inline constexpr double kSieSeriesEllipticity32 = 3e-4;

/// NFW: |X² − 1| below which g(X) uses its Taylor series in w = X² − 1
/// (error w⁵/11; the closed form loses ε/|w| in gradients nearer to X = 1).
inline constexpr double kNfwSeriesG64 = 1e-3;
inline constexpr double kNfwSeriesG32 = 3e-2;

/// NFW: |X² − 1| below which F(X) = (1 − G)/(X² − 1) uses its series
/// (error w⁸/19 ≈ 4e-14; the closed form loses ε/|w|). One value serves both.
inline constexpr double kNfwSeriesF = 3e-2;

/// ln 2, and 1 + ln ½ = g(1) (the NFW deflection function at X = 1).
inline constexpr double kLn2 = 0.69314718055994530942;
inline constexpr double kNfwG1 = 1.0 - kLn2;

/// G(X) = S(w) with w = X² − 1, S(w) = atan(√w)/√w = Σ (−w)ⁿ/(2n + 1), to w⁴.
inline constexpr double kSeriesG[] = {1.0, -1.0 / 3.0, 1.0 / 5.0, -1.0 / 7.0, 1.0 / 9.0};

/// F(X) = (1 − S(w))/w = Σ (−1)ⁿ⁺¹ wⁿ⁻¹/(2n + 1), n = 1..8.
inline constexpr double kSeriesF[] = {1.0 / 3.0,   -1.0 / 5.0, 1.0 / 7.0,   -1.0 / 9.0,
                                      1.0 / 11.0, -1.0 / 13.0, 1.0 / 15.0, -1.0 / 17.0};

} // namespace astrorim::lensing::numerics

// Double-precision lens profiles (core/lensing): SIE, SIS, NFW, SHEAR, their
// sum, and the ellipticity/shear conversions. Each check names its reference:
// an identity of lensing (Schneider, Ehlers & Falco 1992; Narayan & Bartelmann
// 1996), a paper's formula, or lenstronomy's documented definition.

#include "check.h"

#include "common/error.h"
#include "lensing/ellipticity.h"
#include "lensing/lens_model.h"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

using namespace astrorim::lensing;

namespace {

constexpr double kPi = std::numbers::pi;

// Positions away from every centre used below, over the range of a lens image.
const std::vector<std::array<double, 2>> kPoints = {
    {0.71, 0.23}, {-1.3, 0.4}, {0.05, -0.9}, {-0.6, -1.7}, {2.1, 1.3}, {0.33, 1.05}, {-2.4, -0.15},
};

// SIEs over axis ratios and orientations, including a round one and one
// below the series threshold (|e| = 5e-9).
std::vector<SieParams> sies()
{
    std::vector<SieParams> out;
    for (double q : {1.0, 0.9, 0.6, 0.3})
        for (double phi : {0.0, 0.4, -1.1, 2.0}) {
            const EllipticityComponents e = ellipticityFromAxisRatio(q, phi);
            out.push_back({1.2, e.e1, e.e2, 0.1, -0.05});
        }
    out.push_back({0.9, 3e-9, -4e-9, -0.02, 0.03});
    return out;
}

const NfwParams kNfw{1.7, 0.35, 0.12, -0.08};
const ShearParams kShear{0.05, -0.03, 0.2, -0.1};

LensModel exampleModel()
{
    const EllipticityComponents e = ellipticityFromAxisRatio(0.7, 0.5);
    return {{SieParams{1.1, e.e1, e.e2, 0.02, -0.01}, kShear, kNfw, SisParams{0.2, 1.4, 0.9}}};
}

// Central differences with step h: truncation error h²·f'''/6 ≈ 1e-11 here,
// rounding ε·|f|/h ≈ 1e-11; tolerances below are set well above both.
constexpr double kStep = 1e-5;

template <class Lens>
Hessian finiteDifferenceHessian(const Lens &lens, double x, double y)
{
    const Vec2 xp = deflection(lens, x + kStep, y), xm = deflection(lens, x - kStep, y);
    const Vec2 yp = deflection(lens, x, y + kStep), ym = deflection(lens, x, y - kStep);
    const double dAxDx = (xp.x - xm.x) / (2 * kStep), dAyDy = (yp.y - ym.y) / (2 * kStep);
    const double dAxDy = (yp.x - ym.x) / (2 * kStep), dAyDx = (xp.y - xm.y) / (2 * kStep);
    // Curl-free: ∂α_x/∂y = ∂α_y/∂x (α is a gradient).
    CHECK_NEAR(dAxDy, dAyDx, 2e-8);
    return {dAxDx, 0.5 * (dAxDy + dAyDx), dAyDy};
}

// ∇·α = 2κ (Poisson), ∇×α = 0, H = ∂α/∂x, all by central differences.
template <class Lens>
void checkDerivativesOfDeflection(const Lens &lens, double x, double y)
{
    const Hessian fd = finiteDifferenceHessian(lens, x, y);
    const Hessian h = hessian(lens, x, y);
    CHECK_NEAR(fd.f_xx + fd.f_yy, 2.0 * convergence(lens, x, y), 2e-8);
    CHECK_NEAR(h.f_xx, fd.f_xx, 2e-8);
    CHECK_NEAR(h.f_xy, fd.f_xy, 2e-8);
    CHECK_NEAR(h.f_yy, fd.f_yy, 2e-8);
    CHECK_NEAR(convergence(lens, x, y), 0.5 * (h.f_xx + h.f_yy), 1e-13);
}

// α = ∇ψ by central differences of the closed-form potential.
template <class Lens>
void checkPotentialGradient(const Lens &lens, double x, double y)
{
    const Vec2 alpha = deflection(lens, x, y);
    const double dPsiDx = (potential(lens, x + kStep, y) - potential(lens, x - kStep, y)) / (2 * kStep);
    const double dPsiDy = (potential(lens, x, y + kStep) - potential(lens, x, y - kStep)) / (2 * kStep);
    CHECK_NEAR(dPsiDx, alpha.x, 2e-9);
    CHECK_NEAR(dPsiDy, alpha.y, 2e-9);
}

} // namespace

// ---------------------------------------------------------------- conversions

// lenstronomy param_util.phi_q2_ellipticity: q = 0.5, φ = 30° gives
// e1 = (1/3) cos 60° = 1/6, e2 = (1/3) sin 60°.
TEST_CASE(ellipticityMatchesLenstronomyDefinition)
{
    const EllipticityComponents e = ellipticityFromAxisRatio(0.5, kPi / 6);
    CHECK_NEAR(e.e1, 1.0 / 6.0, 1e-15);
    CHECK_NEAR(e.e2, std::sqrt(3.0) / 6.0, 1e-15);
}

TEST_CASE(ellipticityRoundTrip)
{
    for (double q : {1e-3, 0.2, 0.55, 0.999, 1.0})
        for (double phi : {-1.5, -0.7, 0.0, 0.3, 1.2}) {
            const EllipticityComponents e = ellipticityFromAxisRatio(q, phi);
            const AxisRatioAngle back = axisRatioFromEllipticity(e.e1, e.e2);
            CHECK_NEAR(back.q, q, 1e-12);
            if (q < 1.0)
                CHECK_NEAR(back.phi, phi, 1e-12);
        }
    // Round: φ is undefined and reported as 0.
    CHECK_EQ(axisRatioFromEllipticity(0.0, 0.0).phi, 0.0);
    CHECK_EQ(axisRatioFromEllipticity(0.0, 0.0).q, 1.0);
}

// lenstronomy param_util.shear_polar2cartesian / shear_cartesian2polar.
TEST_CASE(shearPolarRoundTrip)
{
    const ShearComponents g = shearFromPolar(0.08, kPi / 8);
    CHECK_NEAR(g.gamma1, 0.08 * std::cos(kPi / 4), 1e-16);
    CHECK_NEAR(g.gamma2, 0.08 * std::sin(kPi / 4), 1e-16);
    for (double gamma : {0.0, 0.01, 0.2})
        for (double psi : {-1.4, -0.2, 0.0, 0.9, 1.5}) {
            const ShearPolar back = shearToPolar(shearFromPolar(gamma, psi).gamma1,
                                                 shearFromPolar(gamma, psi).gamma2);
            CHECK_NEAR(back.gamma_ext, gamma, 1e-15);
            if (gamma > 0)
                CHECK_NEAR(back.psi_ext, psi, 1e-13);
        }
}

// ---------------------------------------------------------------- SIS

// SIS: |α| = θ_E everywhere off the centre (Schneider, Ehlers & Falco 1992, §8.1.4).
TEST_CASE(sisDeflectionHasModulusThetaE)
{
    const SisParams sis{1.3, 0.2, -0.4};
    for (const auto &[x, y] : kPoints) {
        const Vec2 a = deflection(sis, x, y);
        CHECK_REL(std::hypot(a.x, a.y), 1.3, 1e-15);
    }
    CHECK_REL(std::hypot(deflection(sis, 0.2 + 1e-9, -0.4).x, deflection(sis, 0.2 + 1e-9, -0.4).y), 1.3, 1e-15);
}

// The mean convergence inside the Einstein radius is 1 (the definition of θ_E).
// A midpoint rule in polar coordinates: κ·r is smooth, the 1/r singularity is gone.
TEST_CASE(sisMeanConvergenceInsideThetaEIsOne)
{
    const SisParams sis{0.8, -0.3, 0.25};
    const int nr = 200, nt = 64;
    double mass = 0.0;
    for (int i = 0; i < nr; ++i)
        for (int j = 0; j < nt; ++j) {
            const double r = (i + 0.5) * sis.theta_E / nr, t = (j + 0.5) * 2 * kPi / nt;
            mass += convergence(sis, sis.center_x + r * std::cos(t), sis.center_y + r * std::sin(t)) * r;
        }
    mass *= (sis.theta_E / nr) * (2 * kPi / nt);
    CHECK_REL(mass / (kPi * sis.theta_E * sis.theta_E), 1.0, 1e-12);
}

// SIS: κ = γ = θ_E/(2r), so μ = 1/(1 − θ_E/r) = r/(r − θ_E).
TEST_CASE(sisMagnificationIsAnalytic)
{
    const SisParams sis{1.0, 0.0, 0.0};
    for (double r : {0.3, 0.9, 1.5, 4.0}) {
        const double x = r * std::cos(0.7), y = r * std::sin(0.7);
        CHECK_REL(magnification(sis, x, y), r / (r - 1.0), 1e-12);
        const ShearComponents g = shear(sis, x, y);
        CHECK_REL(std::hypot(g.gamma1, g.gamma2), 0.5 / r, 1e-12);
    }
}

// ---------------------------------------------------------------- SIE

// lenstronomy's SIE with q = 1 is the SIS.
TEST_CASE(roundSieEqualsSis)
{
    const SieParams sie{1.15, 0.0, 0.0, 0.3, -0.2};
    const SisParams sis{1.15, 0.3, -0.2};
    for (const auto &[x, y] : kPoints) {
        CHECK_EQ(deflection(sie, x, y).x, deflection(sis, x, y).x);
        CHECK_EQ(deflection(sie, x, y).y, deflection(sis, x, y).y);
        CHECK_REL(convergence(sie, x, y), convergence(sis, x, y), 1e-15);
        CHECK_REL(potential(sie, x, y), potential(sis, x, y), 4e-15);
        CHECK_NEAR(hessian(sie, x, y).f_xy, hessian(sis, x, y).f_xy, 1e-15);
    }
}

// DESIGN.md / lenstronomy: κ = ½ θ_E / sqrt(q x'² + y'²/q) in the frame rotated by φ.
TEST_CASE(sieConvergenceMatchesDefinition)
{
    for (const SieParams &p : sies()) {
        const AxisRatioAngle a = axisRatioFromEllipticity(p.e1, p.e2);
        for (const auto &[x, y] : kPoints) {
            const double dx = x - p.center_x, dy = y - p.center_y;
            const double xr = std::cos(a.phi) * dx + std::sin(a.phi) * dy;
            const double yr = -std::sin(a.phi) * dx + std::cos(a.phi) * dy;
            const double expected = 0.5 * p.theta_E / std::sqrt(a.q * xr * xr + yr * yr / a.q);
            CHECK_REL(convergence(p, x, y), expected, 1e-13);
        }
    }
}

// The κ = ½ isodensity contour is an ellipse of area π θ_E², and the mean κ
// inside it is 1 (lenstronomy's θ_E convention). Integrated in the coordinates
// (u, v) = (√q x', y'/√q), where the contour is the circle of radius θ_E.
TEST_CASE(sieMeanConvergenceInsideIsodensityEllipseIsOne)
{
    for (const SieParams &p : sies()) {
        const AxisRatioAngle a = axisRatioFromEllipticity(p.e1, p.e2);
        const int nr = 100, nt = 128;
        double mass = 0.0;
        for (int i = 0; i < nr; ++i)
            for (int j = 0; j < nt; ++j) {
                const double rho = (i + 0.5) * p.theta_E / nr, t = (j + 0.5) * 2 * kPi / nt;
                const double xr = rho * std::cos(t) / std::sqrt(a.q), yr = rho * std::sin(t) * std::sqrt(a.q);
                const double x = p.center_x + std::cos(a.phi) * xr - std::sin(a.phi) * yr;
                const double y = p.center_y + std::sin(a.phi) * xr + std::cos(a.phi) * yr;
                mass += convergence(p, x, y) * rho; // the map (u, v) → (x', y') has unit Jacobian
            }
        mass *= (p.theta_E / nr) * (2 * kPi / nt);
        CHECK_REL(mass / (kPi * p.theta_E * p.theta_E), 1.0, 1e-12);
    }
}

TEST_CASE(sieDivergenceCurlAndHessianByFiniteDifferences)
{
    for (const SieParams &p : sies())
        for (const auto &[x, y] : kPoints)
            checkDerivativesOfDeflection(p, x, y);
}

// α is odd about the centre and homogeneous of degree 0 (isothermal).
TEST_CASE(sieDeflectionIsOddAndScaleFree)
{
    for (const SieParams &p : sies())
        for (const auto &[x, y] : kPoints) {
            const double dx = x - p.center_x, dy = y - p.center_y;
            const Vec2 a = deflection(p, x, y);
            const Vec2 mirrored = deflection(p, p.center_x - dx, p.center_y - dy);
            const Vec2 scaled = deflection(p, p.center_x + 3.7 * dx, p.center_y + 3.7 * dy);
            CHECK_NEAR(mirrored.x, -a.x, 1e-14);
            CHECK_NEAR(mirrored.y, -a.y, 1e-14);
            CHECK_NEAR(scaled.x, a.x, 1e-14);
            CHECK_NEAR(scaled.y, a.y, 1e-14);
        }
}

// Below |e| = 1e-8 the SIE uses its first-order series in (e1, e2). The series
// is linear in e, so (α_series(e') − α_SIS)/|e'| is its first-order
// coefficient; the closed form at |e| = 1e-4 must match SIS + that coefficient
// times |e| to O(|e|²), and the two forms must meet at the switch.
TEST_CASE(sieSmallEllipticitySeriesMatchesClosedForm)
{
    const SisParams sis{1.0, 0.0, 0.0};
    for (double phi : {0.0, 0.7, -1.3}) {
        const double cosine = std::cos(2 * phi), sine = std::sin(2 * phi);
        const double cSeries = 5e-9, cClosed = 1e-4;
        const SieParams series{1.0, cSeries * cosine, cSeries * sine, 0.0, 0.0};
        const SieParams closed{1.0, cClosed * cosine, cClosed * sine, 0.0, 0.0};
        const SieParams justBelow{1.0, 0.999999e-8 * cosine, 0.999999e-8 * sine, 0.0, 0.0};
        const SieParams justAbove{1.0, 1.000001e-8 * cosine, 1.000001e-8 * sine, 0.0, 0.0};
        for (const auto &[x, y] : kPoints) {
            const Vec2 s0 = deflection(sis, x, y), s1 = deflection(series, x, y);
            const Vec2 predicted{s0.x + (s1.x - s0.x) * cClosed / cSeries, s0.y + (s1.y - s0.y) * cClosed / cSeries};
            const Vec2 exact = deflection(closed, x, y);
            CHECK_NEAR(exact.x, predicted.x, 5 * cClosed * cClosed);
            CHECK_NEAR(exact.y, predicted.y, 5 * cClosed * cClosed);
            // The first-order term is not negligible at this |e|: the check has teeth.
            CHECK(std::abs(exact.x - s0.x) + std::abs(exact.y - s0.y) > 100 * cClosed * cClosed);
            CHECK_NEAR(deflection(justBelow, x, y).x, deflection(justAbove, x, y).x, 1e-13);
            CHECK_NEAR(deflection(justBelow, x, y).y, deflection(justAbove, x, y).y, 1e-13);
        }
    }
}

// ---------------------------------------------------------------- NFW

// Σ(R) = ∫ ρ dz along the line of sight for ρ = ρ0 / ((r/Rs)(1 + r/Rs)²),
// integrated independently with z = R sinh u (trapezoid, exponentially
// convergent), against lenstronomy's 2 ρ0 Rs F(X) (Wright & Brainerd 2000,
// eq. 11; Bartelmann 1996), in lenstronomy's units where κ = Σ.
TEST_CASE(nfwConvergenceMatchesLineOfSightIntegral)
{
    const double rho0 = nfwRho0(kNfw);
    for (double R : {1e-3, 0.05, 0.6, 1.69, 1.7, 1.71, 3.0, 12.0}) {
        const int n = 20000;
        const double uMax = 40.0, du = uMax / n;
        double sigma = 0.0;
        for (int i = 0; i <= n; ++i) {
            const double u = i * du, z = R * std::sinh(u);
            const double s = std::sqrt(R * R + z * z) / kNfw.Rs;
            const double weight = (i == 0 || i == n) ? 0.5 : 1.0;
            sigma += weight * rho0 / (s * (1 + s) * (1 + s)) * R * std::cosh(u) * du;
        }
        sigma *= 2.0; // −∞ < z < ∞
        CHECK_REL(convergence(kNfw, kNfw.center_x + R * std::cos(0.3), kNfw.center_y + R * std::sin(0.3)),
                  sigma, 1e-9);
    }
}

// A circular lens deflects by α(R) = M(<R)/(πR), i.e. mean κ inside R = α(R)/R
// (Schneider, Ehlers & Falco 1992, eq. 8.3; Golse & Kneib 2002, eq. 13).
// The mass is integrated radially with R' = R s², which removes the ln R' of κ.
TEST_CASE(nfwMeanConvergenceEqualsDeflectionOverRadius)
{
    for (double R : {0.01, 0.4, 1.7, 2.5, 9.0}) {
        const int n = 4000;
        double mass = 0.0;
        for (int i = 0; i < n; ++i) {
            const double s = (i + 0.5) / n, r = R * s * s;
            mass += 2 * kPi * r * convergence(kNfw, kNfw.center_x + r, kNfw.center_y) * 2 * R * s / n;
        }
        const Vec2 a = deflection(kNfw, kNfw.center_x + R, kNfw.center_y);
        CHECK_REL(mass / (kPi * R * R), a.x / R, 1e-6);
        CHECK_NEAR(a.y, 0.0, 1e-15);
    }
}

// lenstronomy's definition: alpha_Rs is the deflection at r = Rs.
TEST_CASE(nfwAlphaRsIsTheDeflectionAtRs)
{
    for (double angle : {0.0, 0.9, 2.3}) {
        const double x = kNfw.center_x + kNfw.Rs * std::cos(angle), y = kNfw.center_y + kNfw.Rs * std::sin(angle);
        const Vec2 a = deflection(kNfw, x, y);
        CHECK_REL(std::hypot(a.x, a.y), kNfw.alpha_Rs, 1e-13);
    }
}

// The closed forms switch to their series at |X² − 1| = 1e-3 (deflection) and
// 3e-2 (convergence); both sides must meet there (a wrong series coefficient
// would leave a jump of order w²/5 ≈ 2e-7).
TEST_CASE(nfwSeriesMeetClosedForms)
{
    for (double wSwitch : {-3e-2, -1e-3, 1e-3, 3e-2}) {
        const double rIn = kNfw.Rs * std::sqrt(1 + wSwitch * (1 - 1e-9));
        const double rOut = kNfw.Rs * std::sqrt(1 + wSwitch * (1 + 1e-9));
        const double x = kNfw.center_x, y = kNfw.center_y;
        CHECK_NEAR(deflection(kNfw, x + rIn, y).x, deflection(kNfw, x + rOut, y).x, 1e-11);
        CHECK_NEAR(convergence(kNfw, x + rIn, y), convergence(kNfw, x + rOut, y), 1e-11);
    }
}

TEST_CASE(nfwDivergenceCurlAndHessianByFiniteDifferences)
{
    for (const auto &[x, y] : kPoints)
        checkDerivativesOfDeflection(kNfw, x, y);
    // Across X = 1 and near the centre (X = 0.03).
    checkDerivativesOfDeflection(kNfw, kNfw.center_x + kNfw.Rs * 0.8, kNfw.center_y + kNfw.Rs * 0.6);
    checkDerivativesOfDeflection(kNfw, kNfw.center_x + 0.05, kNfw.center_y);
}

// ---------------------------------------------------------------- all profiles

TEST_CASE(potentialGradientIsDeflection)
{
    for (const auto &[x, y] : kPoints) {
        for (const SieParams &p : sies())
            checkPotentialGradient(p, x, y);
        checkPotentialGradient(SisParams{1.1, 0.3, 0.1}, x, y);
        checkPotentialGradient(kNfw, x, y);
        checkPotentialGradient(kShear, x, y);
        checkPotentialGradient(exampleModel(), x, y);
    }
    checkPotentialGradient(kNfw, kNfw.center_x + 0.02, kNfw.center_y - 0.01); // X ≈ 0.013
    checkPotentialGradient(kNfw, kNfw.center_x + kNfw.Rs, kNfw.center_y);     // X = 1
}

TEST_CASE(shearAndLensModelDerivativesByFiniteDifferences)
{
    for (const auto &[x, y] : kPoints) {
        checkDerivativesOfDeflection(kShear, x, y);
        checkDerivativesOfDeflection(exampleModel(), x, y);
    }
    const Hessian h = hessian(kShear, 0.4, 0.7);
    CHECK_EQ(shear(h).gamma1, kShear.gamma1);
    CHECK_EQ(shear(h).gamma2, kShear.gamma2);
    CHECK_EQ(convergence(kShear, 0.4, 0.7), 0.0);
}

// lenstronomy's LensModel sums its components.
TEST_CASE(lensModelSumsComponents)
{
    const LensModel model = exampleModel();
    for (const auto &[x, y] : kPoints) {
        double ax = 0, ay = 0, kappa = 0, psi = 0;
        for (const LensComponent &c : model.components)
            std::visit(
                [&](const auto &p) {
                    ax += deflection(p, x, y).x;
                    ay += deflection(p, x, y).y;
                    kappa += convergence(p, x, y);
                    psi += potential(p, x, y);
                },
                c);
        CHECK_NEAR(deflection(model, x, y).x, ax, 1e-14);
        CHECK_NEAR(deflection(model, x, y).y, ay, 1e-14);
        CHECK_NEAR(convergence(model, x, y), kappa, 1e-14);
        CHECK_NEAR(potential(model, x, y), psi, 1e-14);
        const Hessian h = hessian(model, x, y);
        const double k = 0.5 * (h.f_xx + h.f_yy);
        const ShearComponents g = shear(model, x, y);
        CHECK_REL(magnification(model, x, y), 1.0 / ((1 - k) * (1 - k) - g.gamma1 * g.gamma1 - g.gamma2 * g.gamma2),
                  1e-12);
    }
    CHECK_EQ(deflection(LensModel{}, 0.3, 0.2).x, 0.0);
    CHECK_EQ(lenstronomyName(model.components[0]), std::string("SIE"));
    CHECK_EQ(lenstronomyName(model.components[1]), std::string("SHEAR"));
    CHECK_EQ(lenstronomyName(model.components[2]), std::string("NFW"));
    CHECK_EQ(lenstronomyName(model.components[3]), std::string("SIS"));
}

// At the centre every quantity is finite, and the isothermal deflections are 0.
TEST_CASE(centreIsFinite)
{
    LensModel model = exampleModel();
    model.components.push_back(SisParams{0.4, 0.02, -0.01});
    for (const SieParams &p : sies()) {
        CHECK_EQ(deflection(p, p.center_x, p.center_y).x, 0.0);
        CHECK_EQ(deflection(p, p.center_x, p.center_y).y, 0.0);
        CHECK(std::isfinite(convergence(p, p.center_x, p.center_y)));
        CHECK(std::isfinite(hessian(p, p.center_x, p.center_y).f_xx));
        CHECK_EQ(potential(p, p.center_x, p.center_y), 0.0);
        CHECK(!std::isnan(magnification(p, p.center_x, p.center_y)));
    }
    CHECK_EQ(deflection(SisParams{1, 0.5, 0.5}, 0.5, 0.5).x, 0.0);
    const Vec2 a = deflection(kNfw, kNfw.center_x, kNfw.center_y);
    CHECK_EQ(a.x, 0.0);
    CHECK(std::isfinite(convergence(kNfw, kNfw.center_x, kNfw.center_y)));
    CHECK(std::isfinite(potential(kNfw, kNfw.center_x, kNfw.center_y)));
    const Hessian hn = hessian(kNfw, kNfw.center_x, kNfw.center_y);
    CHECK(std::isfinite(hn.f_xx) && std::isfinite(hn.f_xy) && std::isfinite(hn.f_yy));
    const Hessian hm = hessian(model, 0.02, -0.01);
    CHECK(std::isfinite(hm.f_xx) && std::isfinite(hm.f_xy) && std::isfinite(hm.f_yy));
    CHECK(std::isfinite(deflection(model, 0.02, -0.01).x));
}

// Nonsense parameters throw astrorim::Error naming the profile, the parameter and the value.
TEST_CASE(invalidParametersAreRejectedByName)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(deflection(SieParams{-1.0, 0, 0, 0, 0}, 1, 1), "SIE theta_E", "-1");
    CHECK_THROWS_WITH(deflection(SieParams{1.0, 0.8, 0.7, 0, 0}, 1, 1), "SIE e1, e2", "0.8", "0.7", "< 1");
    CHECK_THROWS_WITH(convergence(SieParams{1.0, 1.5, 0, 0, 0}, 1, 1), "SIE e1, e2", "1.5");
    CHECK_THROWS_WITH(hessian(SieParams{1.0, nan, 0, 0, 0}, 1, 1), "SIE e1", "nan");
    CHECK_THROWS_WITH(potential(SieParams{1.0, 0, 0, inf, 0}, 1, 1), "SIE center_x", "inf");
    CHECK_THROWS_WITH(deflection(SisParams{-0.5, 0, 0}, 1, 1), "SIS theta_E", "-0.5");
    CHECK_THROWS_WITH(convergence(SisParams{1, 0, nan}, 1, 1), "SIS center_y", "nan");
    CHECK_THROWS_WITH(deflection(NfwParams{0.0, 0.1, 0, 0}, 1, 1), "NFW Rs", "0");
    CHECK_THROWS_WITH(hessian(NfwParams{-2.0, 0.1, 0, 0}, 1, 1), "NFW Rs", "-2");
    CHECK_THROWS_WITH(potential(NfwParams{1.0, -0.1, 0, 0}, 1, 1), "NFW alpha_Rs", "-0.1");
    CHECK_THROWS_WITH(convergence(NfwParams{nan, 0.1, 0, 0}, 1, 1), "NFW Rs", "nan");
    CHECK_THROWS_WITH(deflection(ShearParams{nan, 0, 0, 0}, 1, 1), "SHEAR gamma1", "nan");
    CHECK_THROWS_WITH(deflection(LensModel{{kShear, SisParams{-3, 0, 0}}}, 1, 1), "SIS theta_E", "-3");
    CHECK_THROWS_WITH(ellipticityFromAxisRatio(0.0, 0.1), "q", "0");
    CHECK_THROWS_WITH(ellipticityFromAxisRatio(1.2, 0.1), "q", "1.2");
    CHECK_THROWS_WITH(axisRatioFromEllipticity(1.0, 0.0), "e1, e2", "1");
    CHECK_THROWS_WITH(shearFromPolar(-0.1, 0.0), "gamma_ext", "-0.1");
    CHECK_THROWS_WITH(shearToPolar(0.1, inf), "gamma2", "inf");
}

#include "lensing/nfw.h"

#include "lensing/numerics.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cmath>

namespace astrorim::lensing {

namespace {

using numerics::kLn2;

template <std::size_t N>
double horner(const double (&coefficients)[N], double w)
{
    double sum = coefficients[N - 1];
    for (std::size_t i = N - 1; i-- > 0;)
        sum = sum * w + coefficients[i];
    return sum;
}

// g(X) = ln(X/2) + G(X), the deflection function.
double nfwG(double X)
{
    const double w = X * X - 1.0;
    if (std::abs(w) < numerics::kNfwSeriesG64)
        return std::log(0.5 * X) + horner(numerics::kSeriesG, w);
    if (X < 1.0) {
        // ln(X/2) + arccosh(1/X)/s with s = sqrt(1 − X²) cancels to O(X² ln X)
        // as X → 0, and its terms are ten times the result near X = 1. With
        // d = 1 − s = X²/(1 + s) it is (E − d ln X)/s, E = ln(1 + s) − s ln 2,
        // a sum of two positive terms; E is evaluated as written for s ≤ ½
        // and as ln(1 − d/2) + d ln 2 (the same number) for s > ½, where the
        // written form would cancel.
        const double s = std::sqrt(-w);
        const double d = X * X / (1.0 + s);
        const double E = s <= 0.5 ? std::log1p(s) - s * kLn2 : std::log1p(-0.5 * d) + d * kLn2;
        return (E - d * std::log(X)) / s;
    }
    const double s = std::sqrt(w);
    return std::log(0.5 * X) + std::atan(s) / s; // arccos(1/X) = atan(sqrt(X² − 1))
}

// F(X) = (1 − G(X))/(X² − 1), the convergence function; F(1) = 1/3.
double nfwF(double X)
{
    const double w = X * X - 1.0;
    if (std::abs(w) < numerics::kNfwSeriesF)
        return horner(numerics::kSeriesF, w);
    const double s = std::sqrt(std::abs(w));
    const double G = X < 1.0 ? (std::log1p(s) - std::log(X)) / s // arccosh(1/X) = ln((1+s)/X)
                             : std::atan(s) / s;
    return (1.0 - G) / w;
}

// h(X), the potential function; h(1) = ln² 2.
double nfwH(double X)
{
    if (X < 1.0) {
        // ln²(X/2) − arccosh²(1/X) with arccosh(1/X) = ln(2/X) + L, L = ln(1 − d/2):
        // the difference of squares is −L (2 ln(2/X) + L), free of cancellation.
        const double s = std::sqrt(1.0 - X * X);
        const double L = std::log1p(-0.5 * X * X / (1.0 + s));
        return -L * (2.0 * (kLn2 - std::log(X)) + L);
    }
    const double lnHalfX = std::log(0.5 * X);
    const double a = std::atan(std::sqrt(X * X - 1.0));
    return lnHalfX * lnHalfX + a * a;
}

struct Radius
{
    double dx, dy, r, X;
};

Radius radius(const NfwParams &p, double x, double y)
{
    const double dx = x - p.center_x, dy = y - p.center_y;
    const double r = std::max(std::sqrt(dx * dx + dy * dy), numerics::kNfwMinX * p.Rs);
    return {dx, dy, r, r / p.Rs};
}

// 4 ρ0 Rs = alpha_Rs / (Rs g(1)): α(r)/r = k g(X)/X² and 2κ = k F(X).
double scale(const NfwParams &p)
{
    return p.alpha_Rs / (p.Rs * numerics::kNfwG1);
}

} // namespace

void validate(const NfwParams &p)
{
    validation::requirePositive("NFW", "Rs", p.Rs);
    validation::requireNonNegative("NFW", "alpha_Rs", p.alpha_Rs);
    validation::requireFinite("NFW", "center_x", p.center_x);
    validation::requireFinite("NFW", "center_y", p.center_y);
}

double nfwRho0(const NfwParams &p)
{
    validate(p);
    return p.alpha_Rs / (4.0 * p.Rs * p.Rs * numerics::kNfwG1);
}

Vec2 deflection(const NfwParams &p, double x, double y)
{
    validate(p);
    const Radius R = radius(p, x, y);
    const double alphaOverR = scale(p) * nfwG(R.X) / (R.X * R.X);
    return {alphaOverR * R.dx, alphaOverR * R.dy};
}

double convergence(const NfwParams &p, double x, double y)
{
    validate(p);
    return 0.5 * scale(p) * nfwF(radius(p, x, y).X);
}

Hessian hessian(const NfwParams &p, double x, double y)
{
    validate(p);
    const Radius R = radius(p, x, y);
    const double k = scale(p);
    const double alphaOverR = k * nfwG(R.X) / (R.X * R.X);
    const double radial = (k * nfwF(R.X) - 2.0 * alphaOverR) / (R.r * R.r); // per dx_i dx_j
    return {alphaOverR + radial * R.dx * R.dx, radial * R.dx * R.dy,
            alphaOverR + radial * R.dy * R.dy};
}

double potential(const NfwParams &p, double x, double y)
{
    validate(p);
    return 0.5 * scale(p) * p.Rs * p.Rs * nfwH(radius(p, x, y).X);
}

} // namespace astrorim::lensing

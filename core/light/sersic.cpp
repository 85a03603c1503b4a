#include "light/sersic.h"

#include "common/error.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>
#include <utility>

namespace astrorim::light {

namespace {

constexpr double kEps = 1e-16;
constexpr int kMaxTerms = 1000;

std::string str(double v)
{
    std::ostringstream os;
    os.precision(9);
    os << v;
    return os.str();
}

// exp(−x + a ln x − ln Γ(a)): the common prefactor of both expansions, and
// x · the gamma density at x, so also the derivative of P times x.
double prefactor(double a, double x)
{
    return std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// P(a, x) from its power series γ(a,x) = e^{−x} x^a Σ_k x^k / (a (a+1) … (a+k));
// the terms shrink quickly while x < a + 1.
double gammaSeries(double a, double x)
{
    double term = 1.0 / a;
    double sum = term;
    for (int k = 1; k < kMaxTerms; ++k) {
        term *= x / (a + k);
        sum += term;
        if (std::abs(term) < std::abs(sum) * kEps)
            break;
    }
    return sum * prefactor(a, x);
}

// Q(a, x) = 1 − P(a, x) from Legendre's continued fraction
// Γ(a,x) = e^{−x} x^a / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))),
// evaluated with the modified Lentz method; it converges fast for x > a + 1.
double gammaContinuedFraction(double a, double x)
{
    constexpr double tiny = 1e-300;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < kMaxTerms; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < kEps)
            break;
    }
    return prefactor(a, x) * h;
}

// Ciotti & Bertin (1999), eq. 18: the asymptotic series, a starting guess.
double ciottiBertin(double n)
{
    return 2.0 * n - 1.0 / 3.0 + 4.0 / (405.0 * n) + 46.0 / (25515.0 * n * n)
           + 131.0 / (1148175.0 * n * n * n) - 2194697.0 / (30690717750.0 * n * n * n * n);
}

// (q, φ) of lenstronomy's (e1, e2); validate() has already rejected |e| ≥ 1.
// (core/lensing/ellipticity.h has the same conversion; light does not link lensing.)
std::pair<double, double> axisRatioAndAngle(double e1, double e2)
{
    const double e = std::hypot(e1, e2);
    return {(1.0 - e) / (1.0 + e), 0.5 * std::atan2(e2, e1)};
}

void checkIndex(double n)
{
    if (!std::isfinite(n) || n < 0.1 || n > 20.0)
        fail("n_sersic", "must be a finite number in [0.1, 20], got " + str(n));
}

} // namespace

double regularizedGammaP(double a, double x)
{
    if (!(a > 0.0) || !std::isfinite(a))
        fail("incomplete gamma a", "must be positive and finite, got " + str(a));
    if (!(x >= 0.0))
        fail("incomplete gamma x", "must be non-negative, got " + str(x));
    if (x == 0.0)
        return 0.0;
    if (std::isinf(x))
        return 1.0;
    if (x < a + 1.0)
        return gammaSeries(a, x);
    return 1.0 - gammaContinuedFraction(a, x);
}

namespace {

double solveBn(double n)
{
    const double a = 2.0 * n;
    // The median of a Gamma(a) variable lies below its mean a (Chen & Rubin
    // 1986), so [0, a] brackets the root; Newton steps that leave the bracket
    // fall back to bisection.
    double lo = 0.0;
    double hi = a;
    double b = ciottiBertin(n);
    if (!(b > lo && b < hi))
        b = 0.5 * (lo + hi);
    for (int iter = 0; iter < 200; ++iter) {
        const double f = regularizedGammaP(a, b) - 0.5;
        if (f == 0.0)
            return b;
        (f < 0.0 ? lo : hi) = b;
        const double slope = prefactor(a, b) / b; // dP/dx, the Gamma(a) density
        double next = b - f / slope;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        const bool converged = std::abs(next - b) <= 4.0 * std::numeric_limits<double>::epsilon() * b;
        b = next;
        if (converged || hi - lo <= 4.0 * std::numeric_limits<double>::epsilon() * hi)
            break;
    }
    return b;
}

} // namespace

double sersicBn(double n)
{
    checkIndex(n);
    // Callers evaluate one profile at many points; the root costs ~10 gamma
    // evaluations, so the last one is remembered (per thread, no locking).
    thread_local double cachedN = std::numeric_limits<double>::quiet_NaN();
    thread_local double cachedB = 0.0;
    if (n == cachedN)
        return cachedB;
    cachedB = solveBn(n);
    cachedN = n;
    return cachedB;
}

void validate(const SersicParams &p)
{
    if (!std::isfinite(p.amp))
        fail("amp", "must be finite, got " + str(p.amp));
    if (!(p.R_sersic > 0.0) || !std::isfinite(p.R_sersic))
        fail("R_sersic", "must be positive and finite, got " + str(p.R_sersic));
    checkIndex(p.n_sersic);
    if (!std::isfinite(p.e1) || !std::isfinite(p.e2) || std::hypot(p.e1, p.e2) >= 1.0)
        fail("e1, e2", "the ellipticity |e| must be below 1, got e1 = " + str(p.e1) + ", e2 = " + str(p.e2));
    if (!std::isfinite(p.center_x) || !std::isfinite(p.center_y))
        fail("center_x, center_y", "must be finite, got " + str(p.center_x) + ", " + str(p.center_y));
}

double sersicIntensity(const SersicParams &p, double x, double y)
{
    validate(p);
    const auto [q, phi] = axisRatioAndAngle(p.e1, p.e2);
    const double c = std::cos(phi), s = std::sin(phi);
    const double dx = x - p.center_x, dy = y - p.center_y;
    const double xr = c * dx + s * dy;
    const double yr = -s * dx + c * dy;
    const double R = std::sqrt(q * xr * xr + yr * yr / q);
    const double bn = sersicBn(p.n_sersic);
    return p.amp * std::exp(-bn * (std::pow(R / p.R_sersic, 1.0 / p.n_sersic) - 1.0));
}

double sersicTotalFlux(const SersicParams &p)
{
    validate(p);
    const double n = p.n_sersic;
    const double bn = sersicBn(n);
    // In logarithms: e^{b_n}, b_n^{−2n} and Γ(2n) are each large or small, their product is not.
    const double logFactor = bn - 2.0 * n * std::log(bn) + std::lgamma(2.0 * n);
    return 2.0 * std::numbers::pi * n * p.amp * p.R_sersic * p.R_sersic * std::exp(logFactor);
}

} // namespace astrorim::light

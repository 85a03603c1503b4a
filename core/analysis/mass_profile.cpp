#include "analysis/mass_profile.h"

#include "analysis/quadrature.h"
#include "common/error.h"
#include "lensing/lens_model.h"
#include "lensing/validation.h"

#include <cmath>
#include <numbers>
#include <string>

namespace astrorim::analysis {

namespace {

using lensing::LensModel;
using lensing::Vec2;
using lensing::validation::describe;

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Angles of the trapezoidal rule around a circle. Smooth profiles (the SIE's
// angular factor even at q = 0.2) converge geometrically and are exact to
// rounding with far fewer; the rest pays for off-centre components.
constexpr int kAngles = 256;

// Gauss-Legendre panels per radial integral and the geometric step of the
// Einstein-radius scan: κ·r is smooth in r, so two 10-node panels per factor
// 1.25 in radius integrate it to rounding for centred profiles.
constexpr int kRadialPanels = 2;
constexpr double kScanStart = 1e-4;
constexpr double kScanGrowth = 1.25;

void requirePositive(const char *name, double value)
{
    if (!(std::isfinite(value) && value > 0))
        fail(name, "must be a finite number > 0, got " + describe(value));
}

void requireCount(const char *name, int value)
{
    if (value < 1)
        fail(name, "must be at least 1, got " + std::to_string(value));
}

// κ at polar position (radius, phi) about `center`.
double convergenceAt(const LensModel &model, Vec2 center, double radius, double phi)
{
    return lensing::convergence(model, center.x + radius * std::cos(phi), center.y + radius * std::sin(phi));
}

// ∮ κ dφ on the circle of `radius` about `center`.
double circleIntegral(const LensModel &model, Vec2 center, double radius)
{
    double sum = 0.0;
    for (int k = 0; k < kAngles; ++k)
        sum += convergenceAt(model, center, radius, kTwoPi * k / kAngles);
    return sum * kTwoPi / kAngles;
}

// ∫_{r1}^{r2} r dr ∮ κ dφ: κ integrated over the annulus r1 ≤ r ≤ r2.
double annulusIntegral(const LensModel &model, Vec2 center, double r1, double r2, int panels)
{
    return quadrature::integrate([&](double r) { return r * circleIntegral(model, center, r); }, r1, r2,
                                 panels);
}

// Walks ∫_0^r κ dA outwards over rings graded geometrically from the centre
// (kScanStart, then steps of kScanGrowth, the last one ending at r_end),
// calling visit(r_inner, enclosed_inner, r_outer, enclosed_outer) after each
// ring until it returns true. Grading keeps profiles that are not smooth in r
// at the centre (NFW's κ ~ ln r) as accurate as smooth ones; the innermost
// disc holds a negligible share of any mass. Returns ∫_0^{r} κ dA at the last r.
template <class Visit>
double walkRings(const LensModel &model, Vec2 center, double r_end, Visit &&visit)
{
    double r = std::min(kScanStart, r_end);
    double enclosed = annulusIntegral(model, center, 0.0, r, 4 * kRadialPanels);
    while (r < r_end) {
        const double next = std::min(r * kScanGrowth, r_end);
        const double nextEnclosed = enclosed + annulusIntegral(model, center, r, next, kRadialPanels);
        if (visit(r, enclosed, next, nextEnclosed))
            return nextEnclosed;
        r = next;
        enclosed = nextEnclosed;
    }
    return enclosed;
}

bool meanAboveOne(double radius, double enclosed)
{
    return enclosed > std::numbers::pi * radius * radius;
}

// The first ring across which the mean κ inside falls from above 1 to at most 1.
struct Bracket
{
    double r_low = 0.0, r_high = 0.0, enclosed_low = 0.0;
};

std::optional<Bracket> bracketEinsteinRadius(const LensModel &model, Vec2 center, double r_max)
{
    std::optional<Bracket> bracket;
    walkRings(model, center, r_max, [&](double r1, double m1, double r2, double m2) {
        if (meanAboveOne(r1, m1) && !meanAboveOne(r2, m2))
            bracket = Bracket{r1, r2, m1};
        return bracket.has_value();
    });
    return bracket;
}

} // namespace

Vec2 lensCenter(const LensModel &model)
{
    for (const auto &component : model.components) {
        if (const auto *sie = std::get_if<lensing::SieParams>(&component))
            return {sie->center_x, sie->center_y};
        if (const auto *sis = std::get_if<lensing::SisParams>(&component))
            return {sis->center_x, sis->center_y};
        if (const auto *nfw = std::get_if<lensing::NfwParams>(&component))
            return {nfw->center_x, nfw->center_y};
    }
    fail("lens model", "has no mass component (SIE, SIS or NFW) to centre the analysis on");
}

std::optional<double> einsteinRadiusParameter(const LensModel &model)
{
    for (const auto &component : model.components) {
        if (const auto *sie = std::get_if<lensing::SieParams>(&component))
            return sie->theta_E;
        if (const auto *sis = std::get_if<lensing::SisParams>(&component))
            return sis->theta_E;
    }
    return std::nullopt;
}

std::vector<RadialBin> radialProfile(const LensModel &model, Vec2 center, double r_max, int bins)
{
    requirePositive("r_max", r_max);
    requireCount("bins", bins);
    lensing::validate(model);
    std::vector<RadialBin> profile;
    profile.reserve(static_cast<std::size_t>(bins));
    for (int b = 0; b < bins; ++b) {
        const double r1 = r_max * b / bins, r2 = r_max * (b + 1) / bins;
        const double area = std::numbers::pi * (r2 * r2 - r1 * r1);
        profile.push_back({r1, r2, annulusIntegral(model, center, r1, r2, 2 * kRadialPanels) / area});
    }
    return profile;
}

std::vector<AzimuthalSample> azimuthalProfile(const LensModel &model, Vec2 center, double radius,
                                              int samples)
{
    requirePositive("radius", radius);
    requireCount("samples", samples);
    lensing::validate(model);
    std::vector<AzimuthalSample> profile;
    profile.reserve(static_cast<std::size_t>(samples));
    for (int k = 0; k < samples; ++k) {
        const double phi = kTwoPi * k / samples;
        profile.push_back({phi, convergenceAt(model, center, radius, phi)});
    }
    return profile;
}

double enclosedConvergence(const LensModel &model, Vec2 center, double radius)
{
    if (!(std::isfinite(radius) && radius >= 0))
        fail("radius", "must be a finite number >= 0, got " + describe(radius));
    lensing::validate(model);
    if (radius == 0.0)
        return 0.0;
    return walkRings(model, center, radius, [](double, double, double, double) { return false; });
}

double meanConvergenceWithin(const LensModel &model, Vec2 center, double radius)
{
    requirePositive("radius", radius);
    return enclosedConvergence(model, center, radius) / (std::numbers::pi * radius * radius);
}

// Bisection on g(r) = ∫_0^r κ dA − π r², which changes sign once in the
// bracket; 60 halvings of a factor-1.25 bracket reach rounding.
std::optional<double> einsteinRadius(const LensModel &model, Vec2 center, double r_max)
{
    requirePositive("r_max", r_max);
    lensing::validate(model);
    const std::optional<Bracket> bracket = bracketEinsteinRadius(model, center, r_max);
    if (!bracket)
        return std::nullopt;
    double low = bracket->r_low, high = bracket->r_high;
    for (int i = 0; i < 60 && high - low > 1e-13 * high; ++i) {
        const double mid = 0.5 * (low + high);
        const double enclosed = bracket->enclosed_low + annulusIntegral(model, center, bracket->r_low, mid, kRadialPanels);
        (meanAboveOne(mid, enclosed) ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

} // namespace astrorim::analysis

#include "analysis/mass_profile.h"

#include "common/error.h"
#include "lensing/lens_model.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace astrorim::analysis {

namespace {

using lensing::LensModel;
using lensing::Vec2;
using lensing::validation::describe;

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Angles of the trapezoidal rule around a circle. α·e_r is periodic and
// smooth unless a profile's centre lies close to the circle, so the rule
// converges geometrically: exact to rounding for centred profiles, and a
// subhalo at distance δ from the circle costs ~exp(−kAngles δ/r).
constexpr int kAngles = 2048;

// The Einstein-radius scan: geometric radii from kScanStart (arcsec) in steps
// of kScanGrowth, then bisection inside the first step that crosses.
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

// ∫_{r<radius} κ dA by Gauss's theorem: ∇·α = 2κ, so it equals
// ½ ∮ α·n ds = ½ r ∫ α(c + r ê_r)·ê_r dφ. The boundary integrand is smooth
// where κ is singular (the centres of SIS, SIE and NFW components, on or off
// the disc's centre), which a quadrature over the area is not.
double fluxIntegral(const LensModel &model, Vec2 center, double radius)
{
    double sum = 0.0;
    for (int k = 0; k < kAngles; ++k) {
        const double phi = kTwoPi * k / kAngles;
        const double c = std::cos(phi), s = std::sin(phi);
        const Vec2 alpha = lensing::deflection(model, center.x + radius * c, center.y + radius * s);
        sum += alpha.x * c + alpha.y * s;
    }
    return 0.5 * radius * sum * kTwoPi / kAngles;
}

bool meanAboveOne(const LensModel &model, Vec2 center, double radius)
{
    return fluxIntegral(model, center, radius) > std::numbers::pi * radius * radius;
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
        const double inner = r1 > 0 ? fluxIntegral(model, center, r1) : 0.0;
        const double area = std::numbers::pi * (r2 * r2 - r1 * r1);
        profile.push_back({r1, r2, (fluxIntegral(model, center, r2) - inner) / area});
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
        profile.push_back(
            {phi, lensing::convergence(model, center.x + radius * std::cos(phi), center.y + radius * std::sin(phi))});
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
    return fluxIntegral(model, center, radius);
}

double meanConvergenceWithin(const LensModel &model, Vec2 center, double radius)
{
    requirePositive("radius", radius);
    return enclosedConvergence(model, center, radius) / (std::numbers::pi * radius * radius);
}

// The first scan step across which the mean κ inside falls from above 1 to
// at most 1, then bisection on it: 60 halvings of a factor-1.25 bracket
// reach rounding.
std::optional<double> einsteinRadius(const LensModel &model, Vec2 center, double r_max)
{
    requirePositive("r_max", r_max);
    lensing::validate(model);
    double low = std::min(kScanStart, r_max);
    bool above = meanAboveOne(model, center, low);
    for (double high = low; high < r_max; low = high) {
        high = std::min(low * kScanGrowth, r_max);
        const bool highAbove = meanAboveOne(model, center, high);
        if (above && !highAbove) {
            for (int i = 0; i < 60 && high - low > 1e-13 * high; ++i) {
                const double mid = 0.5 * (low + high);
                (meanAboveOne(model, center, mid) ? low : high) = mid;
            }
            return 0.5 * (low + high);
        }
        above = highAbove;
    }
    return std::nullopt;
}

} // namespace astrorim::analysis

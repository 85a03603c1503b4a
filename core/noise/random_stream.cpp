#include "noise/random_stream.h"

#include <array>
#include <cmath>

namespace astrorim::noise {

namespace {

// SplitMix64's output function (Steele, Lea & Flood 2014).
std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// Below this mean the sequential search is cheaper than PTRS, whose
// constants are only valid for lambda ≥ 10 (Hörmann 1993).
constexpr double kInversionLimit = 10.0;

/// ln k! for k ≥ 0: a table below 16, above it Stirling's series to 1/k⁷,
/// whose error there is below 1e−15 relative (Abramowitz & Stegun 6.1.41).
/// PTRS compares it with a log-density difference in double: a cheap,
/// thread-safe stand-in for lgamma, as in numpy's random_loggam.
double logFactorial(std::int64_t k)
{
    static const auto table = [] {
        std::array<double, 16> t{};
        for (std::size_t i = 1; i < t.size(); ++i)
            t[i] = t[i - 1] + std::log(static_cast<double>(i));
        return t;
    }();
    if (k < static_cast<std::int64_t>(table.size()))
        return table[static_cast<std::size_t>(k)];
    const double x = static_cast<double>(k) + 1.0, r = 1.0 / x, r2 = r * r;
    constexpr double kHalfLog2Pi = 0.91893853320467274178;
    const double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
    return (x - 0.5) * std::log(x) - x + kHalfLog2Pi + series;
}

} // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t index)
    // Two rounds of mixing: neighbouring indices start far apart in the
    // SplitMix64 sequence, so the streams of one seed do not overlap.
    : m_state(mix64(mix64(seed) + kGolden * (index + 1)))
{
}

std::uint64_t RandomStream::bits()
{
    m_state += kGolden;
    return mix64(m_state);
}

double RandomStream::uniform()
{
    return static_cast<double>(bits() >> 11) * 0x1.0p-53;
}

double RandomStream::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spareNormal;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    m_spareNormal = v * factor;
    m_hasSpare = true;
    return u * factor;
}

std::int64_t RandomStream::poisson(double lambda)
{
    if (lambda <= 0.0)
        return 0;
    return lambda < kInversionLimit ? poissonInversion(lambda) : poissonTransformedRejection(lambda);
}

std::int64_t RandomStream::poissonInversion(double lambda)
{
    // The smallest k whose cumulative probability exceeds u. Rounding can
    // leave the sum just below a u near 1; the cap ends the search far in
    // the tail (P(k > 200) < 1e−150 for lambda < 10).
    const double u = uniform();
    double p = std::exp(-lambda), cumulative = p;
    std::int64_t k = 0;
    while (u >= cumulative && k < 200) {
        ++k;
        p *= lambda / static_cast<double>(k);
        cumulative += p;
    }
    return k;
}

std::int64_t RandomStream::poissonTransformedRejection(double lambda)
{
    // PTRS, Hörmann (1993) table 1, with numpy's constants.
    const double slam = std::sqrt(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::fabs(u);
        const auto k = static_cast<std::int64_t>(std::floor((2.0 * a / us + b) * u + lambda + 0.43));
        if (us >= 0.07 && v <= vr) // the squeeze: accepted without the density
            return k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        // log v + log(1/α) − log(a/us² + b) ≤ −λ + k log λ − log k!, its
        // three logarithms on the left taken as one.
        const double kd = static_cast<double>(k);
        if (std::log(v * invAlpha / (a / (us * us) + b)) <= -lambda + kd * std::log(lambda) - logFactorial(k))
            return k;
    }
}

} // namespace astrorim::noise

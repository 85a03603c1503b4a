// Display limits and scales (core/render/display_scale.h). Reference values:
// the scale formulas of the SAOImage DS9 reference manual ("scale" command),
// evaluated by hand at x = 0.5 and 0.1; the zscale algorithm as described in
// the IRAF `display` task help (astropy.visualization.ZScaleInterval follows
// it), checked on images whose answer follows from the algorithm itself.

#include "check.h"

#include "render/display_scale.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace astrorim::render;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

const ScaleMode kAllScales[] = {ScaleMode::Linear, ScaleMode::Log,   ScaleMode::Sqrt,
                                ScaleMode::Asinh,  ScaleMode::Power, ScaleMode::HistogramEqualization};

// 0, 1, …, n−1 in a shuffled order, so that nothing depends on the pixel order.
std::vector<float> shuffledRamp(std::size_t n)
{
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(i);
    std::shuffle(v.begin(), v.end(), std::mt19937(7));
    return v;
}

} // namespace

TEST_CASE(minMaxIgnoresNaNAndInfinity)
{
    const std::vector<float> v{3.0f, kNaN, -2.0f, std::numeric_limits<float>::infinity(), 5.0f};
    const auto limits = minMaxLimits(v);
    CHECK_EQ(limits.low, -2.0);
    CHECK_EQ(limits.high, 5.0);
    const std::vector<float> allNaN{kNaN, kNaN};
    CHECK_EQ(minMaxLimits(allNaN).low, 0.0);
    CHECK_EQ(minMaxLimits(allNaN).high, 1.0);
    const std::vector<float> flat(4, 2.0f);
    CHECK(minMaxLimits(flat).high > minMaxLimits(flat).low);
}

TEST_CASE(percentileModesAreSymmetric)
{
    // 0 … 999: percentileLimits takes the value of rank floor(p/100 · (n − 1)).
    const auto v = shuffledRamp(1000);
    const auto p995 = displayLimits(v, 1000, 1, LimitsMode::Percentile995);
    CHECK_EQ(p995.low, 2.0);   // 0.25 % of 999 = 2.4975
    CHECK_EQ(p995.high, 996.0); // 99.75 % of 999 = 996.5025
    const auto p99 = displayLimits(v, 1000, 1, LimitsMode::Percentile99);
    CHECK_EQ(p99.low, 4.0);
    CHECK_EQ(p99.high, 994.0);
    const auto p95 = displayLimits(v, 1000, 1, LimitsMode::Percentile95);
    CHECK_EQ(p95.low, 24.0);
    CHECK_EQ(p95.high, 974.0);
    const auto manual = displayLimits(v, 1000, 1, LimitsMode::Manual, {-3.0, 8.0});
    CHECK_EQ(manual.low, -3.0);
    CHECK_EQ(manual.high, 8.0);
}

TEST_CASE(zscaleOfALinearRampIsItsEnds)
{
    // Sorted samples of a ramp lie exactly on a line; the slope divided by the
    // contrast (0.25) reaches past both ends, so the limits are the sampled
    // extremes, which the grid includes (the corners).
    const std::size_t w = 300, h = 200;
    std::vector<float> v(w * h);
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c)
            v[r * w + c] = static_cast<float>(0.5 * double(c) + 0.25 * double(r) - 10.0);
    const auto limits = zscaleLimits(v, w, h);
    CHECK_NEAR(limits.low, -10.0, 1e-6);
    CHECK_NEAR(limits.high, 0.5 * 299 + 0.25 * 199 - 10.0, 1e-4);
}

TEST_CASE(zscaleOfAStarFieldFollowsTheBackground)
{
    // Gaussian sky (mean 100, sigma 2) with bright 7×7 stars of 1e5: zscale
    // must show the sky's noise, not the stars. For sorted normal samples the
    // central slope is about sqrt(2π)·σ/n per rank, so median ± (n/2)·slope/0.25
    // is about ±5σ; the low end is clipped at the sampled minimum (≈ −3.3σ).
    const std::size_t w = 256, h = 256;
    const double mean = 100.0, sigma = 2.0;
    std::mt19937 rng(42);
    std::normal_distribution<double> noise(mean, sigma);
    std::vector<float> v(w * h);
    for (auto &x : v)
        x = static_cast<float>(noise(rng));
    for (std::size_t star = 0; star < 6; ++star) {
        const std::size_t c0 = 20 + star * 37, r0 = 30 + star * 31;
        for (std::size_t r = r0; r < r0 + 7; ++r)
            for (std::size_t c = c0; c < c0 + 7; ++c)
                v[r * w + c] = 1e5f;
    }
    v[5] = kNaN;
    const auto limits = zscaleLimits(v, w, h);
    CHECK_MSG(limits.low > mean - 6 * sigma && limits.low < mean - 2 * sigma, "low " << limits.low);
    CHECK_MSG(limits.high > mean + 2 * sigma && limits.high < mean + 8 * sigma, "high " << limits.high);
    CHECK_EQ(minMaxLimits(v).high, 1e5);
}

TEST_CASE(everyScaleMapsTheLimitsToItsEnds)
{
    const auto values = shuffledRamp(101);
    const DisplayLimits limits{10.0, 90.0};
    for (ScaleMode mode : kAllScales) {
        const DisplayScale scale(mode, limits, values);
        CHECK_EQ(scale(limits.low), 0.0);
        CHECK_EQ(scale(-1e30), 0.0);
        // DS9's asinh and power scales end just short of 1 (header comment).
        const double top = mode == ScaleMode::Asinh ? std::asinh(10.0) / 3.0 : mode == ScaleMode::Power ? 0.999 : 1.0;
        CHECK_NEAR(scale(limits.high), top, 1e-12);
        CHECK_NEAR(scale(1e30), top, 1e-12);
        CHECK(std::isnan(scale(std::numeric_limits<double>::quiet_NaN())));
    }
}

TEST_CASE(everyScaleIsMonotonic)
{
    std::mt19937 rng(3);
    std::lognormal_distribution<float> skewed(0.0f, 1.5f);
    std::vector<float> values(5000);
    for (auto &x : values)
        x = skewed(rng);
    const auto limits = minMaxLimits(values);
    for (ScaleMode mode : kAllScales) {
        const DisplayScale scale(mode, limits, values);
        double previous = -1.0;
        for (int i = -10; i <= 1010; ++i) {
            const double y = scale(limits.low + (limits.high - limits.low) * i / 1000.0);
            CHECK_MSG(y >= previous && y >= 0.0 && y <= 1.0, "mode " << int(mode) << " step " << i);
            previous = y;
        }
    }
}

TEST_CASE(ds9FormulasAtHandComputedPoints)
{
    // Limits 2 … 6, so value 4 is x = 0.5 and 2.4 is x = 0.1.
    const DisplayLimits limits{2.0, 6.0};
    CHECK_NEAR(DisplayScale(ScaleMode::Linear, limits)(4.0), 0.5, 1e-15);
    CHECK_NEAR(DisplayScale(ScaleMode::Sqrt, limits)(3.0), 0.5, 1e-15);              // √0.25
    CHECK_NEAR(DisplayScale(ScaleMode::Log, limits)(4.0), 0.8999459086224153, 1e-14); // log10(501)/3
    CHECK_NEAR(DisplayScale(ScaleMode::Log, limits)(2.4), 0.6681071245942142, 1e-14); // log10(101)/3
    CHECK_NEAR(DisplayScale(ScaleMode::Asinh, limits)(4.0), 0.7708127804242508, 1e-14); // asinh(5)/3
    CHECK_NEAR(DisplayScale(ScaleMode::Power, limits)(4.0), 0.030622776601683794, 1e-14); // (√1000 − 1)/1000
}

TEST_CASE(histogramEqualizationGivesAFlatHistogram)
{
    // A strongly skewed image (exponential in rank): its linear histogram
    // piles up in the first bin; equalized, each tenth of [0, 1] holds a
    // tenth of the pixels (±1 for the pixel on a bin edge).
    const std::size_t n = 10000;
    std::vector<float> values = shuffledRamp(n);
    for (auto &x : values)
        x = std::exp(x / float(n) * 8.0f);
    values.push_back(kNaN);
    const auto limits = minMaxLimits(values);
    const auto histogram = [&](ScaleMode mode) {
        std::vector<int> bins(10, 0);
        for (float y : DisplayScale(mode, limits, values).apply(values))
            if (!std::isnan(y))
                ++bins[std::min(9, static_cast<int>(y * 10))];
        return bins;
    };
    for (int count : histogram(ScaleMode::HistogramEqualization))
        CHECK_MSG(std::abs(count - int(n / 10)) <= 1, "bin count " << count);
    CHECK(histogram(ScaleMode::Linear)[0] > int(n / 2));
}

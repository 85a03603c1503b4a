#include "render/display_scale.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace astrorim::render {

namespace {

// A flat or inverted range cannot be divided by; widen it the way
// percentileLimits does.
DisplayLimits widened(DisplayLimits limits)
{
    if (!(limits.high > limits.low))
        limits.high = limits.low + std::max(1e-12, std::abs(limits.low) * 1e-6);
    return limits;
}

// Evenly spaced indices 0 … size−1 (both ends included), `count` of them.
std::vector<std::size_t> gridIndices(std::size_t size, std::size_t count)
{
    count = std::clamp<std::size_t>(count, 1, size);
    std::vector<std::size_t> out(count, 0);
    for (std::size_t i = 0; i < count && count > 1; ++i)
        out[i] = static_cast<std::size_t>(std::llround(double(i) * double(size - 1) / double(count - 1)));
    return out;
}

// The finite pixels on a regular grid of at most `maxSamples` points.
std::vector<float> gridSamples(std::span<const float> values, std::size_t width, std::size_t height,
                               std::size_t maxSamples)
{
    std::vector<std::size_t> cols, rows;
    if (width * height <= maxSamples) {
        cols = gridIndices(width, width);
        rows = gridIndices(height, height);
    } else {
        const double aspect = double(width) / double(height);
        const auto nx = static_cast<std::size_t>(std::max(2.0, std::round(std::sqrt(double(maxSamples) * aspect))));
        cols = gridIndices(width, nx);
        rows = gridIndices(height, std::max<std::size_t>(2, maxSamples / cols.size()));
    }
    std::vector<float> samples;
    samples.reserve(cols.size() * rows.size());
    for (std::size_t r : rows)
        for (std::size_t c : cols)
            if (const float v = values[r * width + c]; std::isfinite(v))
                samples.push_back(v);
    return samples;
}

struct LineFit
{
    double slope = 0;
    double intercept = 0;
};

// Least-squares line through (i, y[i]) over the samples not rejected.
LineFit fitLine(const std::vector<float> &y, const std::vector<char> &rejected)
{
    double n = 0, sx = 0, sy = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!rejected[i]) {
            n += 1;
            sx += double(i);
            sy += y[i];
        }
    const double mx = sx / n, my = sy / n;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!rejected[i]) {
            sxx += (double(i) - mx) * (double(i) - mx);
            sxy += (double(i) - mx) * (y[i] - my);
        }
    const double slope = sxx > 0 ? sxy / sxx : 0.0;
    return {slope, my - slope * mx};
}

} // namespace

DisplayLimits minMaxLimits(std::span<const float> values)
{
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (float v : values)
        if (std::isfinite(v)) {
            low = std::min(low, double(v));
            high = std::max(high, double(v));
        }
    if (low > high)
        return {};
    return widened({low, high});
}

DisplayLimits zscaleLimits(std::span<const float> values, std::size_t width, std::size_t height,
                           const ZScaleParameters &parameters)
{
    if (width == 0 || height == 0 || values.size() != width * height)
        return minMaxLimits(values);
    std::vector<float> samples = gridSamples(values, width, height, std::max<std::size_t>(parameters.maxSamples, 4));
    if (samples.empty())
        return {};
    std::sort(samples.begin(), samples.end());
    const std::size_t n = samples.size();
    const double zmin = samples.front(), zmax = samples.back();
    const std::size_t centre = (n - 1) / 2;
    const double median = n % 2 == 1 ? samples[centre] : 0.5 * (double(samples[centre]) + samples[centre + 1]);

    const std::size_t minPixels =
        std::max(parameters.minPixels, static_cast<std::size_t>(double(n) * parameters.maxRejectFraction));
    const std::size_t grow = std::max<std::size_t>(1, n / 100) / 2;
    std::vector<char> rejected(n, 0);
    std::size_t good = n, lastGood = n + 1;
    LineFit fit;
    for (int iteration = 0; iteration < parameters.maxIterations; ++iteration) {
        if (good >= lastGood || good < minPixels)
            break;
        fit = fitLine(samples, rejected);
        double sum = 0, sum2 = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (!rejected[i]) {
                const double r = samples[i] - (fit.intercept + fit.slope * double(i));
                sum += r;
                sum2 += r * r;
            }
        const double mean = sum / double(good);
        const double threshold = parameters.rejectionSigma * std::sqrt(std::max(0.0, sum2 / double(good) - mean * mean));
        std::vector<char> next = rejected;
        for (std::size_t i = 0; i < n; ++i) {
            const double r = samples[i] - (fit.intercept + fit.slope * double(i));
            if (std::abs(r) > threshold) // also grow the rejection to the neighbours
                std::fill(next.begin() + std::ptrdiff_t(i > grow ? i - grow : 0),
                          next.begin() + std::ptrdiff_t(std::min(n, i + grow + 1)), 1);
        }
        rejected = std::move(next);
        lastGood = good;
        good = static_cast<std::size_t>(std::count(rejected.begin(), rejected.end(), 0));
    }
    if (good < minPixels)
        return widened({zmin, zmax});
    const double slope = parameters.contrast > 0 ? fit.slope / parameters.contrast : fit.slope;
    return widened({std::max(zmin, median - double(centre) * slope),
                    std::min(zmax, median + double(n - 1 - centre) * slope)});
}

DisplayLimits displayLimits(std::span<const float> values, std::size_t width, std::size_t height, LimitsMode mode,
                            DisplayLimits manual)
{
    const auto central = [&](double percent) {
        const double tail = 0.5 * (100.0 - percent);
        return percentileLimits(values, tail, 100.0 - tail);
    };
    switch (mode) {
    case LimitsMode::MinMax:
        return minMaxLimits(values);
    case LimitsMode::ZScale:
        return zscaleLimits(values, width, height);
    case LimitsMode::Percentile995:
        return central(99.5);
    case LimitsMode::Percentile99:
        return central(99.0);
    case LimitsMode::Percentile95:
        return central(95.0);
    case LimitsMode::Manual:
        break;
    }
    return widened(manual);
}

DisplayScale::DisplayScale(ScaleMode mode, DisplayLimits limits, std::span<const float> values)
    : mode_(mode), limits_(widened(limits))
{
    if (mode_ != ScaleMode::HistogramEqualization)
        return;
    for (float v : values)
        if (std::isfinite(v) && v >= limits_.low && v <= limits_.high)
            sorted_.push_back(v);
    std::sort(sorted_.begin(), sorted_.end());
}

double DisplayScale::operator()(double value) const
{
    if (std::isnan(value))
        return value;
    const double x = std::clamp((value - limits_.low) / (limits_.high - limits_.low), 0.0, 1.0);
    const double a = kExponent;
    switch (mode_) {
    case ScaleMode::Linear:
        return x;
    case ScaleMode::Log:
        return std::min(1.0, std::log10(a * x + 1.0) / std::log10(a));
    case ScaleMode::Sqrt:
        return std::sqrt(x);
    case ScaleMode::Asinh:
        return std::asinh(10.0 * x) / 3.0;
    case ScaleMode::Power:
        return (std::pow(a, x) - 1.0) / a;
    case ScaleMode::HistogramEqualization:
        if (x <= 0.0 || x >= 1.0 || sorted_.empty())
            return x;
        // The fraction of the pixels between the limits at or below `value`.
        return double(std::upper_bound(sorted_.begin(), sorted_.end(), value) - sorted_.begin()) /
               double(sorted_.size());
    }
    return x;
}

std::vector<float> DisplayScale::apply(std::span<const float> values) const
{
    std::vector<float> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out[i] = static_cast<float>((*this)(values[i]));
    return out;
}

} // namespace astrorim::render

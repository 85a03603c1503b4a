#include "metrics/summary.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace astrorim::metrics {

namespace {

// numpy's _lerp: from the upper neighbour when t ≥ ½, which keeps the result
// monotonic and bit-identical to numpy ≥ 1.22.
double lerp(double a, double b, double t)
{
    const double d = b - a;
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

// numpy.median: the middle value, or the mean of the middle two.
double medianOfSorted(const std::vector<double> &sorted)
{
    const std::size_t half = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2.0;
}

} // namespace

double percentileOfSorted(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        fail("percentile", "no values");
    if (!(p >= 0.0 && p <= 100.0))
        fail("percentile", "must be between 0 and 100, got " + std::to_string(p));
    const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(rank));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return lerp(sorted[below], sorted[above], rank - static_cast<double>(below));
}

Summary summarize(const std::vector<double> &values)
{
    if (values.empty())
        fail("metric summary", "no values to summarize");
    const auto bad = std::count_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    if (bad > 0)
        fail("metric summary", std::to_string(bad) + " of " + std::to_string(values.size())
                                   + " values are NaN or infinite");

    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<double>(sorted.size());

    Summary s;
    s.count = sorted.size();
    s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / n;
    // Two passes (mean, then squared deviations) as numpy does: no cancellation.
    const double squares = std::accumulate(sorted.begin(), sorted.end(), 0.0,
                                           [&](double acc, double v) { return acc + (v - s.mean) * (v - s.mean); });
    s.std = std::sqrt(squares / n);
    s.median = medianOfSorted(sorted);
    s.percentile5 = percentileOfSorted(sorted, 5.0);
    s.min = sorted.front();
    s.max = sorted.back();
    return s;
}

} // namespace astrorim::metrics

#pragma once

#include <cstddef>
#include <vector>

namespace astrorim::metrics {

/// Statistics of a metric over a test set (e.g. the SSIM of each reconstruction).
struct Summary
{
    double mean = 0.0;
    double std = 0.0;         ///< population standard deviation (divides by n), numpy.std's default ddof=0
    double median = 0.0;      ///< numpy.median
    double percentile5 = 0.0; ///< numpy.percentile(v, 5) with its default linear interpolation
    double min = 0.0;
    double max = 0.0;
    std::size_t count = 0;
};

/// Summarizes `values` (any order; not modified). Percentiles follow numpy's
/// default ("linear", Hyndman & Fan type 7): the value at fractional rank
/// p/100 · (n − 1) of the sorted values, interpolated between its neighbours.
/// Throws astrorim::Error when `values` is empty or holds a NaN or infinity
/// (a diverged reconstruction should be reported, not averaged away).
Summary summarize(const std::vector<double> &values);

/// The p-th percentile (0 ≤ p ≤ 100) of `sorted` (ascending, non-empty),
/// interpolated linearly as numpy.percentile does by default.
double percentileOfSorted(const std::vector<double> &sorted, double p);

} // namespace astrorim::metrics

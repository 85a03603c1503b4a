#pragma once

// DS9-style display scaling: how an image viewer chooses the range of pixel
// values it shows (the limits) and how it maps a value between those limits
// onto the colour map (the scale). The scales use SAOImage DS9's formulas
// (DS9 reference manual, "scale" command), written for x = (v − low)/(high − low)
// in [0, 1]; values outside the limits are clamped. Qt-free, so the command
// line and the widgets share it.

#include "render/stretch.h"

#include <cstddef>
#include <span>
#include <vector>

namespace astrorim::render {

/// How the display limits are chosen.
enum class LimitsMode {
    MinMax,       ///< smallest and largest finite value
    ZScale,       ///< IRAF's zscale (see zscaleLimits)
    Percentile995, ///< central 99.5 %: the 0.25 % and 99.75 % percentiles
    Percentile99, ///< central 99 %: the 0.5 % and 99.5 % percentiles
    Percentile95, ///< central 95 %: the 2.5 % and 97.5 % percentiles
    Manual,       ///< limits given by the caller
};

/// How a value between the limits maps onto [0, 1].
enum class ScaleMode {
    Linear,    ///< x
    Log,       ///< DS9: log10(a·x + 1) / log10(a), a = 1000
    Sqrt,      ///< √x
    Asinh,     ///< DS9: asinh(10·x) / 3
    Power,     ///< DS9: (a^x − 1) / a, a = 1000
    HistogramEqualization, ///< the empirical CDF of the finite pixels between the limits
};

/// Parameters of IRAF's zscale, with the defaults of the IRAF `display` task
/// (nsample 1000, contrast 0.25) and of astropy.visualization.ZScaleInterval
/// (krej 2.5, max_iterations 5, max_reject 0.5, min_npixels 5).
struct ZScaleParameters
{
    std::size_t maxSamples = 1000; ///< pixels sampled on a regular grid
    double contrast = 0.25;        ///< the fitted slope is divided by this
    double rejectionSigma = 2.5;   ///< k of the k-sigma clipping
    int maxIterations = 5;         ///< clipping rounds at most
    double maxRejectFraction = 0.5; ///< give up (min/max) when fewer than this fraction survive
    std::size_t minPixels = 5;     ///< ... or fewer than this many
};

/// Smallest and largest finite value (NaN and ±inf ignored); {0, 1} when
/// there is none, widened like percentileLimits when the image is flat.
DisplayLimits minMaxLimits(std::span<const float> values);

/// IRAF's zscale limits of a `width` × `height` image (row-major, values.size()
/// must be width·height). Samples at most maxSamples finite pixels on a
/// regular grid that includes the four corners, sorts them and fits a line to
/// the sorted values against their rank with iterative k-sigma clipping (each
/// rejected sample also rejects 1 % of the samples around it). The limits are
/// median ∓ slope/contrast times the ranks from the centre to either end,
/// clipped to the sampled minimum and maximum; when too many samples are
/// rejected they are the sampled minimum and maximum. Algorithm: IRAF
/// `display` task help ("ZSCALE ALGORITHM"), also astropy.visualization.ZScaleInterval.
DisplayLimits zscaleLimits(std::span<const float> values, std::size_t width, std::size_t height,
                           const ZScaleParameters &parameters = {});

/// The limits `mode` chooses for the image (`manual` is returned for
/// LimitsMode::Manual, with high > low enforced). NaN pixels are ignored.
DisplayLimits displayLimits(std::span<const float> values, std::size_t width, std::size_t height, LimitsMode mode,
                            DisplayLimits manual = {});

/// Maps pixel values onto [0, 1] with one of DS9's scales between fixed
/// limits. Copyable; a histogram-equalizing scale holds a sorted copy of the
/// finite pixels between the limits.
class DisplayScale
{
public:
    /// The DS9 constant `a` of the log and power scales.
    static constexpr double kExponent = 1000.0;

    /// A scale between `limits` (high > low is enforced). `values` is read
    /// only for HistogramEqualization (its CDF), and not kept.
    DisplayScale(ScaleMode mode, DisplayLimits limits, std::span<const float> values = {});

    /// `value` mapped into [0, 1]: 0 at or below the low limit, clamped to at
    /// most 1 at or above the high one; NaN stays NaN. Non-decreasing in value.
    /// DS9's asinh and power scales reach asinh(10)/3 ≈ 0.99941 and 0.999 at
    /// the high limit, its log scale log10(1001)/3 (clamped to 1).
    [[nodiscard]] double operator()(double value) const;

    /// Every value mapped; same order and size as `values`.
    [[nodiscard]] std::vector<float> apply(std::span<const float> values) const;

    /// The mode this scale was built with.
    [[nodiscard]] ScaleMode mode() const { return mode_; }

    /// The limits in use.
    [[nodiscard]] DisplayLimits limits() const { return limits_; }

private:
    ScaleMode mode_;
    DisplayLimits limits_;
    std::vector<float> sorted_; // finite values within the limits, for the CDF
};

} // namespace astrorim::render

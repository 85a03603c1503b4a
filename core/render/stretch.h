#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace astrorim::render {

/// Display limits of an image: values at or below `low` map to black, at or
/// above `high` to white.
struct DisplayLimits
{
    double low = 0.0;
    double high = 1.0;
};

/// The `lowPercent` and `highPercent` percentiles of the finite values (NaN
/// ignored). Returns {0, 1} when there is no finite value; widens a flat
/// range so that high > low.
DisplayLimits percentileLimits(std::span<const float> values, double lowPercent, double highPercent);

/// Maps values to 0-255 with an asinh stretch between `limits`, which shows
/// faint arcs next to a bright lens (Lupton et al. 2004). `softening` is the
/// fraction of the range below which the stretch is linear. NaN maps to 0.
std::vector<std::uint8_t> asinhStretch(std::span<const float> values, DisplayLimits limits, double softening = 0.05);

} // namespace astrorim::render

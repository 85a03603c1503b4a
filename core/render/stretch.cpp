#include "render/stretch.h"

#include <algorithm>
#include <cmath>

namespace astrorim::render {

DisplayLimits percentileLimits(std::span<const float> values, double lowPercent, double highPercent)
{
    std::vector<float> finite;
    finite.reserve(values.size());
    for (float v : values)
        if (std::isfinite(v))
            finite.push_back(v);
    if (finite.empty())
        return {};
    const auto rank = [&](double percent) {
        const auto k = static_cast<std::size_t>(std::clamp(percent / 100.0, 0.0, 1.0) * double(finite.size() - 1));
        std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(k), finite.end());
        return static_cast<double>(finite[k]);
    };
    DisplayLimits limits{rank(lowPercent), rank(highPercent)};
    if (!(limits.high > limits.low))
        limits.high = limits.low + std::max(1e-12, std::abs(limits.low) * 1e-6);
    return limits;
}

std::vector<std::uint8_t> asinhStretch(std::span<const float> values, DisplayLimits limits, double softening)
{
    const double range = limits.high - limits.low;
    const double norm = std::asinh(1.0 / softening);
    std::vector<std::uint8_t> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]))
            continue;
        const double t = std::clamp((values[i] - limits.low) / range, 0.0, 1.0);
        out[i] = static_cast<std::uint8_t>(std::lround(255.0 * std::asinh(t / softening) / norm));
    }
    return out;
}

} // namespace astrorim::render

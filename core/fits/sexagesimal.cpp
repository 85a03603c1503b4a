#include "fits/sexagesimal.h"

#include <cmath>
#include <cstdio>

namespace astrorim::fits {

namespace {

// Splits `value` (hours or degrees, non-negative) into units, minutes and
// seconds rounded to `decimals`, carrying a rounded 60 s into the minutes so
// that 59.9996 s never prints as "60.000".
std::string sexagesimal(double value, int decimals, int unitWidth)
{
    const double scale = std::pow(10.0, decimals);
    long long ticks = std::llround(value * 3600.0 * scale); // in units of the last printed digit
    const long long perMinute = static_cast<long long>(60 * scale);
    const long long perUnit = 60 * perMinute;
    const long long units = ticks / perUnit;
    ticks -= units * perUnit;
    const long long minutes = ticks / perMinute;
    ticks -= minutes * perMinute;
    const double seconds = static_cast<double>(ticks) / scale;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%0*lld:%02lld:%0*.*f", unitWidth, units, minutes,
                  decimals + 3, decimals, seconds);
    return buffer;
}

} // namespace

std::string formatRightAscension(double degrees)
{
    double hours = std::fmod(degrees / 15.0, 24.0);
    if (hours < 0)
        hours += 24.0;
    std::string text = sexagesimal(hours, 3, 2);
    if (text.rfind("24:", 0) == 0) // 23:59:59.9996 rounds up to the next day
        text.replace(0, 2, "00");
    return text;
}

std::string formatDeclination(double degrees)
{
    // Appending (rather than "sign" + text) dodges a GCC 12 -Wrestrict false positive.
    std::string text(1, degrees < 0 ? '-' : '+');
    text += sexagesimal(std::abs(degrees), 2, 2);
    return text;
}

} // namespace astrorim::fits

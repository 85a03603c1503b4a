#pragma once

#include <string>

namespace astrorim::fits {

/// Right ascension in degrees as "HH:MM:SS.sss" (hours; wrapped into [0, 24h)).
std::string formatRightAscension(double degrees);

/// Declination in degrees as "+DD:MM:SS.ss" (always signed).
std::string formatDeclination(double degrees);

} // namespace astrorim::fits

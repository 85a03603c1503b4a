#pragma once

// Physical constants as astropy 5.2 uses them (CODATA 2018, IAU 2015), so
// that distances and masses agree with astropy to the last digits. SI units.
// Internal to analysis.

#include <numbers>

namespace astrorim::analysis::constants {

inline constexpr double kSpeedOfLight = 299792458.0;           ///< m/s
inline constexpr double kSpeedOfLightKms = 299792.458;         ///< km/s
inline constexpr double kGravitational = 6.67430e-11;          ///< m³ kg⁻¹ s⁻²
inline constexpr double kStefanBoltzmann = 5.6703744191844314e-8; ///< W m⁻² K⁻⁴
inline constexpr double kBoltzmannEv = 8.617333262145179e-5;   ///< eV/K
inline constexpr double kSolarMass = 1.988409870698051e30;     ///< kg (IAU 2015 GM_sun / G)
inline constexpr double kMpc = 3.085677581491367e22;           ///< m
inline constexpr double kKpc = 3.085677581491367e19;           ///< m
inline constexpr double kArcsec = std::numbers::pi / 648000.0; ///< radians per arcsec

} // namespace astrorim::analysis::constants

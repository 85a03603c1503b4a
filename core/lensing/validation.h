#pragma once

// Parameter checks shared by the profiles: each throws astrorim::Error whose
// message names the profile, the parameter and the offending value, e.g.
// "SIE theta_E: must be a finite number >= 0, got -1". Internal to lensing.

#include <string>

namespace astrorim::lensing::validation {

/// The value as a user would type it back: shortest round-trip form, "nan", "inf".
std::string describe(double value);

void requireFinite(const char *profile, const char *name, double value);
void requireNonNegative(const char *profile, const char *name, double value);
void requirePositive(const char *profile, const char *name, double value);

/// |e| = sqrt(e1² + e2²) < 1 (q > 0), both finite.
void requireEllipticity(const char *profile, double e1, double e2);

} // namespace astrorim::lensing::validation

#include "lensing/validation.h"

#include "common/error.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace astrorim::lensing::validation {

namespace {

[[noreturn]] void reject(const char *profile, const char *name, const std::string &rule, double value)
{
    fail(std::string(profile) + " " + name, rule + ", got " + describe(value));
}

} // namespace

std::string describe(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    std::ostringstream os;
    os.precision(17);
    os << value;
    // Prefer the short form when it reads back to the same double (-1, not -1.0000000000000000).
    for (int digits = 1; digits < 17; ++digits) {
        std::ostringstream shorter;
        shorter.precision(digits);
        shorter << value;
        if (std::strtod(shorter.str().c_str(), nullptr) == value)
            return shorter.str();
    }
    return os.str();
}

void requireFinite(const char *profile, const char *name, double value)
{
    if (!std::isfinite(value))
        reject(profile, name, "must be a finite number", value);
}

void requireNonNegative(const char *profile, const char *name, double value)
{
    if (!(std::isfinite(value) && value >= 0.0))
        reject(profile, name, "must be a finite number >= 0", value);
}

void requirePositive(const char *profile, const char *name, double value)
{
    if (!(std::isfinite(value) && value > 0.0))
        reject(profile, name, "must be a finite number > 0", value);
}

void requireEllipticity(const char *profile, double e1, double e2)
{
    requireFinite(profile, "e1", e1);
    requireFinite(profile, "e2", e2);
    const double modulus = std::hypot(e1, e2);
    if (!(modulus < 1.0))
        fail(std::string(profile) + " e1, e2",
             "|e| = sqrt(e1^2 + e2^2) must be < 1 (axis ratio q > 0), got e1 = " + describe(e1)
                 + ", e2 = " + describe(e2) + " (|e| = " + describe(modulus) + ")");
}

} // namespace astrorim::lensing::validation

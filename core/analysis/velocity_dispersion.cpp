#include "analysis/velocity_dispersion.h"

#include "analysis/constants.h"
#include "common/error.h"
#include "lensing/validation.h"

#include <cmath>
#include <numbers>
#include <string>

namespace astrorim::analysis {

namespace {

void requireNonNegative(const char *name, double value, const char *unit)
{
    if (!(std::isfinite(value) && value >= 0))
        fail(name, std::string("must be a finite number >= 0 ") + unit + ", got " + lensing::validation::describe(value));
}

} // namespace

double velocityDispersionKms(double theta_E, const LensingDistances &d)
{
    requireNonNegative("theta_E", theta_E, "arcsec");
    const double thetaRadians = theta_E * constants::kArcsec;
    return constants::kSpeedOfLightKms * std::sqrt(thetaRadians * d.D_s / (4.0 * std::numbers::pi * d.D_ls));
}

double einsteinRadiusFromVelocityDispersion(double sigma_v, const LensingDistances &d)
{
    requireNonNegative("sigma_v", sigma_v, "km/s");
    const double beta = sigma_v / constants::kSpeedOfLightKms;
    return 4.0 * std::numbers::pi * beta * beta * d.D_ls / d.D_s / constants::kArcsec;
}

} // namespace astrorim::analysis

#include "lensing/ellipticity.h"

#include "common/error.h"

#include "lensing/numerics.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cmath>

namespace astrorim::lensing {

EllipticityComponents ellipticityFromAxisRatio(double q, double phi)
{
    validation::requirePositive("ellipticity", "q", q);
    if (q > 1.0)
        fail("ellipticity q", "the axis ratio must be <= 1 (minor over major axis), got "
                                  + validation::describe(q));
    validation::requireFinite("ellipticity", "phi", phi);
    const double c = (1.0 - q) / (1.0 + q);
    return {c * std::cos(2.0 * phi), c * std::sin(2.0 * phi)};
}

AxisRatioAngle axisRatioFromEllipticity(double e1, double e2)
{
    validation::requireEllipticity("ellipticity", e1, e2);
    const double c = std::min(std::hypot(e1, e2), numerics::kMaxEllipticity);
    return {(1.0 - c) / (1.0 + c), 0.5 * std::atan2(e2, e1)};
}

ShearComponents shearFromPolar(double gamma_ext, double psi_ext)
{
    validation::requireNonNegative("SHEAR", "gamma_ext", gamma_ext);
    validation::requireFinite("SHEAR", "psi_ext", psi_ext);
    return {gamma_ext * std::cos(2.0 * psi_ext), gamma_ext * std::sin(2.0 * psi_ext)};
}

ShearPolar shearToPolar(double gamma1, double gamma2)
{
    validation::requireFinite("SHEAR", "gamma1", gamma1);
    validation::requireFinite("SHEAR", "gamma2", gamma2);
    return {std::hypot(gamma1, gamma2), 0.5 * std::atan2(gamma2, gamma1)};
}

} // namespace astrorim::lensing

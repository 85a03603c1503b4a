#include "lensing/sis.h"

#include "lensing/numerics.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cmath>

namespace astrorim::lensing {

void validate(const SisParams &p)
{
    validation::requireNonNegative("SIS", "theta_E", p.theta_E);
    validation::requireFinite("SIS", "center_x", p.center_x);
    validation::requireFinite("SIS", "center_y", p.center_y);
}

Vec2 deflection(const SisParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.center_x, dy = y - p.center_y;
    if (dx == 0.0 && dy == 0.0)
        return {};
    const double r = std::sqrt(dx * dx + dy * dy);
    // θ_E·(dx/r), evaluated as the round SIE evaluates it, so the two agree to the last bit.
    return {p.theta_E * (dx / r), p.theta_E * (dy / r)};
}

double convergence(const SisParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.center_x, dy = y - p.center_y;
    return 0.5 * p.theta_E / std::sqrt(std::max(dx * dx + dy * dy, numerics::kMinRadius2));
}

Hessian hessian(const SisParams &p, double x, double y)
{
    const double kappa = convergence(p, x, y);
    const double dx = x - p.center_x, dy = y - p.center_y;
    const double s = 2.0 * kappa / std::max(dx * dx + dy * dy, numerics::kMinRadius2);
    return {s * dy * dy, -s * dx * dy, s * dx * dx};
}

double potential(const SisParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.center_x, dy = y - p.center_y;
    return p.theta_E * std::sqrt(dx * dx + dy * dy);
}

} // namespace astrorim::lensing

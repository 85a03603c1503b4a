#include "lensing/shear.h"

#include "lensing/validation.h"

namespace astrorim::lensing {

void validate(const ShearParams &p)
{
    validation::requireFinite("SHEAR", "gamma1", p.gamma1);
    validation::requireFinite("SHEAR", "gamma2", p.gamma2);
    validation::requireFinite("SHEAR", "ra_0", p.ra_0);
    validation::requireFinite("SHEAR", "dec_0", p.dec_0);
}

Vec2 deflection(const ShearParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.ra_0, dy = y - p.dec_0;
    return {p.gamma1 * dx + p.gamma2 * dy, p.gamma2 * dx - p.gamma1 * dy};
}

Hessian hessian(const ShearParams &p, double, double)
{
    validate(p);
    return {p.gamma1, p.gamma2, -p.gamma1};
}

double potential(const ShearParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.ra_0, dy = y - p.dec_0;
    return 0.5 * p.gamma1 * (dx * dx - dy * dy) + p.gamma2 * dx * dy;
}

double convergence(const ShearParams &p, double, double)
{
    validate(p);
    return 0.0;
}

} // namespace astrorim::lensing

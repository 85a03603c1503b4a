#include "lensing/sie.h"

#include "lensing/numerics.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cmath>

namespace astrorim::lensing {

namespace {

// First-order expansion in (e1, e2) about the SIS. κ to first order is
// θ_E/(2r)·(1 + e1 cos 2θ + e2 sin 2θ); the degree-1 homogeneous potential with
// that Laplacian is θ_E r (1 − (e1 cos 2θ + e2 sin 2θ)/3), whose gradient is
// what follows. Written in (e1, e2) rather than (|e|, φ), it is smooth at e = 0.
Vec2 linearDeflection(const SieParams &p, double dx, double dy)
{
    const double r = std::sqrt(dx * dx + dy * dy);
    const double ux = dx / r, uy = dy / r;
    const double along = p.e1 * ux + p.e2 * uy;   // e1 cos θ + e2 sin θ
    const double across = p.e2 * ux - p.e1 * uy;  // e2 cos θ − e1 sin θ
    const double quadrupole = 2.0 * ux * along - p.e1; // e1 cos 2θ + e2 sin 2θ
    const double radial = p.theta_E * (1.0 + quadrupole / 3.0);
    const double tangential = 2.0 * p.theta_E / 3.0;
    return {radial * ux - tangential * along, radial * uy - tangential * across};
}

// lenstronomy's closed form, evaluated in the major-axis frame and rotated back.
Vec2 closedFormDeflection(const SieParams &p, double c, double dx, double dy)
{
    const double phi = 0.5 * std::atan2(p.e2, p.e1);
    const double cosPhi = std::cos(phi), sinPhi = std::sin(phi);
    const double q = (1.0 - c) / (1.0 + c);
    // t = sqrt(1 − q²) written without the cancellation in 1 − q².
    const double t = 2.0 * std::sqrt(c) / (1.0 + c);
    const double bOverT = p.theta_E * std::sqrt(q) / t;

    const double xr = cosPhi * dx + sinPhi * dy;
    const double yr = -sinPhi * dx + cosPhi * dy;
    const double psi = std::sqrt(q * q * xr * xr + yr * yr);
    const double ax = bOverT * std::atan(t * xr / psi);
    const double ay = bOverT * std::atanh(t * yr / psi);
    return {cosPhi * ax - sinPhi * ay, sinPhi * ax + cosPhi * ay};
}

} // namespace

void validate(const SieParams &p)
{
    validation::requireNonNegative("SIE", "theta_E", p.theta_E);
    validation::requireEllipticity("SIE", p.e1, p.e2);
    validation::requireFinite("SIE", "center_x", p.center_x);
    validation::requireFinite("SIE", "center_y", p.center_y);
}

Vec2 deflection(const SieParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.center_x, dy = y - p.center_y;
    if (dx == 0.0 && dy == 0.0)
        return {}; // by symmetry: α is odd about the centre
    const double c = std::min(std::hypot(p.e1, p.e2), numerics::kMaxEllipticity);
    if (c < numerics::kSieSeriesEllipticity64)
        return linearDeflection(p, dx, dy);
    return closedFormDeflection(p, c, dx, dy);
}

double convergence(const SieParams &p, double x, double y)
{
    validate(p);
    const double dx = x - p.center_x, dy = y - p.center_y;
    // lenstronomy's cap on |e|, applied to the components so that φ is kept.
    const double c = std::hypot(p.e1, p.e2);
    const double scale = c > numerics::kMaxEllipticity ? numerics::kMaxEllipticity / c : 1.0;
    const double e1 = scale * p.e1, e2 = scale * p.e2;
    // q x'² + y'²/q = ((1 + c²) r² − 2 (e1 (dx² − dy²) + 2 e2 dx dy)) / (1 − c²):
    // the rotation folded into (e1, e2), which keeps κ smooth at e = 0. The
    // bracket is at least (1 − c)² r², so flooring r² keeps it positive.
    const double c2 = e1 * e1 + e2 * e2;
    const double r2 = std::max(dx * dx + dy * dy, numerics::kMinRadius2);
    const double quad = e1 * (dx * dx - dy * dy) + 2.0 * e2 * dx * dy;
    return 0.5 * p.theta_E * std::sqrt((1.0 - c2) / ((1.0 + c2) * r2 - 2.0 * quad));
}

Hessian hessian(const SieParams &p, double x, double y)
{
    const double kappa = convergence(p, x, y);
    const double dx = x - p.center_x, dy = y - p.center_y;
    const double r2 = std::max(dx * dx + dy * dy, numerics::kMinRadius2);
    // Degree-1 homogeneity makes r̂ an eigenvector with eigenvalue 0; the trace is 2κ.
    const double s = 2.0 * kappa / r2;
    return {s * dy * dy, -s * dx * dy, s * dx * dx};
}

double potential(const SieParams &p, double x, double y)
{
    const Vec2 alpha = deflection(p, x, y);
    return (x - p.center_x) * alpha.x + (y - p.center_y) * alpha.y;
}

} // namespace astrorim::lensing

// Batched SIE (tensor_lens.h): the double-precision reference is sie.cpp, and
// the formulas here are the same ones, arranged for few passes over [B, H, W].

#include "lensing/numerics.h"
#include "lensing/tensor_lens.h"
#include "lensing/tensor_support.h"

namespace astrorim::lensing {

using namespace tensor_detail;
using torch::Tensor;

namespace {

// κ = ½ θ_E sqrt(1 − c²) / sqrt((1 + c²) r² − 2 (e1 (dx² − dy²) + 2 e2 dx dy)),
// lenstronomy's κ = ½ θ_E / sqrt(q x'² + y'²/q) with the rotation folded into
// (e1, e2): smooth at e = 0, no branch. Also returns the floored r².
struct SieKappa
{
    Tensor kappa, r2;
};

SieKappa sieKappa(const SieTensor &p, const Tensor &dx, const Tensor &dy)
{
    Tensor e1 = column(p.e1), e2 = column(p.e2);
    // lenstronomy's cap |e| ≤ 0.9999, applied to the components so φ is kept;
    // written without sqrt(0) so that e = 0 has a finite gradient.
    const Tensor c2raw = e1 * e1 + e2 * e2;
    const Tensor cap = (numerics::kMaxEllipticity * c2raw.clamp_min(1e-30).rsqrt()).clamp_max(1.0);
    e1 = e1 * cap;
    e2 = e2 * cap;
    const Tensor c2 = c2raw * (cap * cap);

    const Tensor dxx = dx * dx, dyy = dy * dy;
    const Tensor r2 = (dxx + dyy).clamp_min(numerics::kMinRadius2);
    Tensor denominator = r2 * (1.0 + c2);
    denominator.addcmul_(dxx - dyy, e1, -2.0).addcmul_(dx * dy, e2, -4.0);
    Tensor kappa = denominator.rsqrt_() * (0.5 * column(p.theta_E) * (1.0 - c2).sqrt());
    return {kappa, r2};
}

// Per-system constants of the closed form, [B, 1, 1].
struct SieShape
{
    Tensor cosPhi, sinPhi, q2, t;
    Tensor ax, ay; ///< α_x = ax·atan(u) − ay·2 atanh(v): (b/t) cos φ and ½ (b/t) sin φ
    Tensor bx, by; ///< α_y = bx·atan(u) + by·2 atanh(v): (b/t) sin φ and ½ (b/t) cos φ
};

SieShape shapeOf(const Tensor &thetaE, const Tensor &e1, const Tensor &e2, bool doublePrecision)
{
    const Tensor c = (e1 * e1 + e2 * e2).sqrt().clamp_max(numerics::kMaxEllipticity);
    const Tensor phi = 0.5 * torch::atan2(e2, e1);
    const Tensor cosPhi = phi.cos(), sinPhi = phi.sin();
    const Tensor q = (1.0 - c) / (1.0 + c);
    // t = sqrt(1 − q²) without the cancellation. Floored for e = 0 without a
    // graph (atan(tz)/t is then exact to t²); capped below 1 so that float32
    // never rounds t·y'/ψ up to 1 for extreme axis ratios.
    const double tMax = doublePrecision ? 1.0 - 1e-15 : 1.0 - 2.5e-7;
    const Tensor t = (2.0 * c.sqrt() / (1.0 + c)).clamp(1e-12, tMax);
    const Tensor bOverT = thetaE * q.sqrt() / t;
    return {cosPhi, sinPhi, q * q, t, bOverT * cosPhi, 0.5 * bOverT * sinPhi, bOverT * sinPhi, 0.5 * bOverT * cosPhi};
}

// The closed form without an autograd graph: in place, in three [B, H, W]
// buffers (dx, dy, x'; two of them become α). Allocations dominate on a CPU:
// a fresh 5 MB buffer can cost more in page faults than the arithmetic in it.
//   x', y' = rotation of (dx, dy) by −φ;  t/ψ = t / sqrt(q² x'² + y'²)
//   α' = (b/t) (atan(t x'/ψ), atanh(t y'/ψ)), rotated back by φ,
// with atanh(v) = ½ ln(1 + 2v/(1 − v)) (ATen's atanh is scalar code, 30× slower than log1p).
DeflectionField closedFormInPlace(const SieShape &k, Tensor dx, Tensor dy)
{
    Tensor xr = dx * k.cosPhi;
    xr.addcmul_(dy, k.sinPhi);
    Tensor yr = dy.mul_(k.cosPhi).addcmul_(dx, -k.sinPhi);
    // At the centre x' = y' = 0: the floor keeps t/ψ finite and α = 0.
    Tensor tOverPsi = torch::mul_out(dx, xr, xr).mul_(k.q2).addcmul_(yr, yr);
    tOverPsi.clamp_min_(numerics::kMinRadius2).rsqrt_().mul_(k.t);
    Tensor atanU = xr.mul_(tOverPsi).atan_();
    Tensor v = yr.mul_(tOverPsi);
    // dx's buffer, free once t/ψ is used, holds (1 − v)/2 and then α_x.
    const Tensor twiceAtanhV = v.div_(torch::mul_out(dx, v, -0.5).add_(0.5)).log1p_();
    Tensor alphaX = torch::mul_out(dx, atanU, k.ax).addcmul_(twiceAtanhV, k.ay, -1.0);
    Tensor alphaY = atanU.mul_(k.bx).addcmul_(twiceAtanhV, k.by);
    return {alphaX, alphaY};
}

// The same closed form with a graph: out of place wherever autograd needs an
// operand, and the centre masked so that it adds no 1/r_floor gradient.
DeflectionField closedFormTracked(const SieShape &k, const Tensor &dx, const Tensor &dy)
{
    Tensor xr = dx * k.cosPhi;
    xr.addcmul_(dy, k.sinPhi);
    Tensor yr = dy * k.cosPhi;
    yr.addcmul_(dx, -k.sinPhi);
    Tensor psi2 = yr * yr;
    psi2.addcmul_(xr, xr * k.q2);
    const Tensor tOverPsi = psi2.clamp_min(numerics::kMinRadius2).rsqrt_() * (k.t * offCentre(psi2));
    const Tensor atanU = (xr * tOverPsi).atan();
    const Tensor v = yr * tOverPsi;
    const Tensor twiceAtanhV = (v / torch::rsub(v, 0.5, 0.5)).log1p();
    Tensor alphaX = atanU * k.ax;
    alphaX.addcmul_(twiceAtanhV, k.ay, -1.0);
    Tensor alphaY = atanU * k.bx;
    alphaY.addcmul_(twiceAtanhV, k.by);
    return {alphaX, alphaY};
}

} // namespace

DeflectionField deflection(const SieTensor &p, const Tensor &x, const Tensor &y)
{
    const bool graph = recordsGraph({p.theta_E, p.e1, p.e2, p.center_x, p.center_y, x, y});
    const Tensor thetaE = column(p.theta_E), e1 = column(p.e1), e2 = column(p.e2);
    Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    broadcastInPlace(dx, dy);
    if (!graph)
        return closedFormInPlace(shapeOf(thetaE, e1, e2, isDouble(p.e1)), dx, dy);

    // With a graph, systems with |e| below the series threshold take the
    // first-order series (blended in below), and their closed form sees
    // |e| = threshold, so that atan2 and sqrt never meet e = 0, where their
    // gradients are NaN. Without a graph the closed form is exact at any |e|.
    const double cMin = isDouble(p.e1) ? numerics::kSieSeriesEllipticity64
                                       : numerics::kSieSeriesEllipticity32;
    const Tensor small = (e1 * e1 + e2 * e2) < cMin * cMin;
    const Tensor useSeries = small.to(e1.scalar_type());
    const Tensor e1c = torch::where(small, torch::full_like(e1, cMin), e1);
    const Tensor e2c = torch::where(small, torch::zeros_like(e2), e2);
    const DeflectionField closed = closedFormTracked(shapeOf(thetaE, e1c, e2c, isDouble(p.e1)), dx, dy);

    // First order in (e1, e2) about the SIS (derivation in sie.cpp):
    // α = θ_E (1 + Q/3) r̂ − ⅔ θ_E (e1 cos θ + e2 sin θ, e2 cos θ − e1 sin θ),
    // Q = e1 cos 2θ + e2 sin 2θ = 2 cos θ (e1 cos θ + e2 sin θ) − e1.
    Tensor r2 = dx * dx;
    r2.addcmul_(dy, dy);
    const Tensor invR = r2.clamp_min(numerics::kMinRadius2).rsqrt_() * offCentre(r2);
    const Tensor ux = dx * invR, uy = dy * invR;
    Tensor along = ux * e1;
    along.addcmul_(uy, e2);
    Tensor across = ux * e2;
    across.addcmul_(uy, -e1);
    const Tensor tangential = (2.0 / 3.0) * thetaE;
    const Tensor radial = torch::addcmul(thetaE * (1.0 - e1 / 3.0), ux * along, tangential);
    Tensor seriesX = radial * ux;
    seriesX.addcmul_(along, -tangential);
    Tensor seriesY = radial * uy;
    seriesY.addcmul_(across, -tangential);
    return {blend(closed.alpha_x, seriesX, useSeries), blend(closed.alpha_y, seriesY, useSeries)};
}

SieClosedForm sieClosedForm(const SieTensor &p)
{
    const SieShape k = shapeOf(column(p.theta_E), column(p.e1), column(p.e2), isDouble(p.e1));
    const auto flat = [](const Tensor &t) { return t.reshape({-1}); };
    return {flat(k.cosPhi), flat(k.sinPhi), flat(k.q2), flat(k.t), flat(k.ax), flat(k.ay), flat(k.bx), flat(k.by)};
}

Tensor convergence(const SieTensor &p, const Tensor &x, const Tensor &y)
{
    return sieKappa(p, x - column(p.center_x), y - column(p.center_y)).kappa;
}

HessianField hessian(const SieTensor &p, const Tensor &x, const Tensor &y)
{
    // ψ is homogeneous of degree 1, so H = 2κ ê_θ ê_θᵀ (radial eigenvalue 0).
    // Unit vectors keep the gradient at the centre finite: d(u²)/du = 2u = 0 there.
    const Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    const SieKappa k = sieKappa(p, dx, dy);
    const Tensor invR = k.r2.rsqrt();
    const Tensor ux = dx * invR, uy = dy * invR;
    const Tensor twoKappa = 2.0 * k.kappa;
    return {twoKappa * uy * uy, -twoKappa * ux * uy, twoKappa * ux * ux};
}

} // namespace astrorim::lensing

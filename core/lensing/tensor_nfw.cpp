// Batched NFW (tensor_lens.h): the double-precision reference is nfw.cpp, and
// the formulas here are the same ones, arranged for few passes over [B, H, W].
// The X < 1 and X > 1 branches are both evaluated everywhere (on safe inputs)
// and selected arithmetically: where() with a per-pixel mask costs as much on
// the CPU as twenty multiplications.

#include "lensing/numerics.h"
#include "lensing/tensor_lens.h"
#include "lensing/tensor_support.h"

namespace astrorim::lensing {

using namespace tensor_detail;
using numerics::kLn2;
using torch::Tensor;

namespace {

// Floor on |X² − 1| before its square root: keeps 1/s and 1/s² finite in
// float32 at X = 1, where the selected branch does not divide by s anyway.
constexpr double kMinS2 = 1e-30;

template <std::size_t N>
Tensor horner(const double (&coefficients)[N], const Tensor &w)
{
    Tensor sum = (w * coefficients[N - 1]).add_(coefficients[N - 2]);
    for (std::size_t i = N - 2; i-- > 0;)
        sum = (sum * w).add_(coefficients[i]);
    return sum;
}

// The radial geometry shared by the NFW functions.
struct NfwGeometry
{
    Tensor dx, dy;
    Tensor X2;    ///< (r/Rs)², floored at kNfwMinX²
    Tensor Rs;    ///< [B, 1, 1]
    Tensor scale; ///< 4 ρ0 Rs = alpha_Rs / (Rs (1 + ln ½)), [B, 1, 1]
};

// Rs ≤ 0 only in an absent perturber (alpha_Rs = 0): keep it finite.
Tensor flooredRs(const NfwTensor &p)
{
    return column(p.Rs).clamp_min(1e-6);
}

NfwGeometry geometry(const NfwTensor &p, const Tensor &x, const Tensor &y, bool graph)
{
    const Tensor Rs = flooredRs(p);
    const NfwScales k = nfwScales(p);
    const Tensor invRs2 = column(k.invRs2);
    const Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    constexpr double minX2 = numerics::kNfwMinX * numerics::kNfwMinX;
    Tensor X2 = squaredRadius(dx, dy);
    X2 = graph ? (X2 * invRs2).clamp_min(minX2) : X2.mul_(invRs2).clamp_min_(minX2);
    return {dx, dy, X2, Rs, column(k.scale)};
}

// g(X)/X² = α(r)/(r · 4 ρ0 Rs), without an autograd graph: in place, in six
// [B, H, W] buffers besides X² (each fresh 5 MB buffer costs page faults).
//   X < 1: g = (E − ½ d ln X²)/s, s = sqrt(1 − X²), d = X²/(1 + s) and
//          E = ln(1 + s) − s ln 2, evaluated as ln(1 − d/2) + d ln 2 for
//          s > ½ (see nfw.cpp): E = ln(1 + a) − (1 + m) a ln 2 with
//          a = s (m = 0) or −d/2 (m = 1), one log1p for both forms;
//   X ≥ 1: g = ln(X/2) + atan(s)/s, s = sqrt(X² − 1).
// Both branches are computed everywhere on safe inputs and selected by a 0/1
// weight: where() with a per-pixel mask costs as much as twenty multiplications.
Tensor deflectionFunctionInPlace(const Tensor &X2)
{
    const Tensor s = (X2 - 1.0).abs_().clamp_min_(kMinS2).sqrt_();
    const Tensor lnX2 = X2.log();
    Tensor d = s + 1.0;
    torch::div_out(d, X2, d);
    Tensor m = torch::rsub(X2, 0.75).sign_().add_(1.0).clamp_max_(1.0); // 1 where s > ½
    // a = (1 − m) s − m d/2 as products by exact 0s and 1s: s − m (s + d/2)
    // would lose d/2 ≈ X²/4 against s ≈ 1 as X → 0.
    Tensor a = torch::rsub(m, 1.0).mul_(s).addcmul_(d, m, -0.5);
    Tensor g = torch::log1p(a);
    g.addcmul_(a, m.add_(1.0), -kLn2).addcmul_(d, lnX2, -0.5).div_(s);
    // a's and m's buffers are free: the X ≥ 1 branch and its 0/1 weight.
    const Tensor outer = torch::atan_out(a, s).div_(s).add_(lnX2, 0.5).sub_(kLn2);
    const Tensor outerWeight = torch::sub_out(m, X2, 1.0).sign_().add_(1.0).clamp_max_(1.0);
    // g (1 − weight) + outer weight, exact for weights 0 and 1.
    g.addcmul_(g, outerWeight, -1.0).addcmul_(outer, outerWeight);
    return g.div_(X2);
}

// The same with an autograd graph: out of place wherever autograd needs an
// operand, and, near X = 1, where both closed forms lose ε/|w| in their
// gradients, the Taylor series of g in w = X² − 1.
Tensor deflectionFunctionTracked(const Tensor &X2)
{
    const Tensor w = X2 - 1.0;
    const Tensor absW = w.abs();
    const Tensor s = absW.clamp_min(kMinS2).sqrt_();
    const Tensor lnX2 = X2.log();

    const Tensor d = X2 / (s + 1.0);
    const Tensor m = stepAtZero(0.75 - X2);
    const Tensor a = torch::addcmul(s * (1.0 - m), d, m, -0.5);
    Tensor inner = a.log1p();
    inner.addcmul_(a, m + 1.0, -kLn2).addcmul_(d, lnX2, -0.5);
    Tensor g = inner / s;

    Tensor outer = s.atan() / s;
    outer.add_(lnX2, 0.5).sub_(kLn2);
    g = blend(g, outer, stepAtZero(w));

    const double wMax = isDouble(X2) ? numerics::kNfwSeriesG64 : numerics::kNfwSeriesG32;
    Tensor series = horner(numerics::kSeriesG, w);
    series.add_(lnX2, 0.5).sub_(kLn2);
    const Tensor inside = torch::rsub(absW.detach(), wMax).sign_().mul_(0.5).add_(0.5);
    return blend(g, series, inside) / X2;
}

Tensor deflectionFunction(const Tensor &X2, bool graph)
{
    return graph ? deflectionFunctionTracked(X2) : deflectionFunctionInPlace(X2);
}

// F(X) = (1 − G(X))/(X² − 1), with its series near X = 1 (not performance-critical).
Tensor convergenceFunction(const Tensor &X2)
{
    const Tensor w = X2 - 1.0;
    const Tensor s = w.abs().clamp_min(kMinS2).sqrt();
    const Tensor inner = ((s.log1p() - 0.5 * X2.log()) / s); // arccosh(1/X)/s, X < 1
    const Tensor outer = s.atan() / s;                       // arccos(1/X)/s, X > 1
    const Tensor G = torch::where(w < 0, inner, outer);
    const Tensor series = horner(numerics::kSeriesF, w);
    const Tensor safeW = torch::where(w.abs() < numerics::kNfwSeriesF, torch::ones_like(w), w);
    return torch::where(w.abs() < numerics::kNfwSeriesF, series, (1.0 - G) / safeW);
}

} // namespace

NfwScales nfwScales(const NfwTensor &p)
{
    const Tensor Rs = flooredRs(p);
    return {(Rs * Rs).reciprocal().reshape({-1}), (column(p.alpha_Rs) / (Rs * numerics::kNfwG1)).reshape({-1})};
}

void tensor_detail::addNfwDeflection(DeflectionField &total, const NfwTensor &p, const Tensor &x,
                                     const Tensor &y)
{
    const bool graph = recordsGraph({p.Rs, p.alpha_Rs, p.center_x, p.center_y, x, y});
    const NfwGeometry geo = geometry(p, x, y, graph);
    // The centre needs no mask: α ~ r ln r has a finite (floored) gradient there.
    Tensor factor = deflectionFunction(geo.X2, graph);
    factor = graph ? factor * geo.scale : factor.mul_(geo.scale);
    accumulate(total.alpha_x, geo.dx, factor);
    accumulate(total.alpha_y, geo.dy, factor);
}

DeflectionField deflection(const NfwTensor &p, const Tensor &x, const Tensor &y)
{
    DeflectionField alpha;
    addNfwDeflection(alpha, p, x, y);
    return alpha;
}

Tensor convergence(const NfwTensor &p, const Tensor &x, const Tensor &y)
{
    const NfwGeometry geo = geometry(p, x, y, true);
    return 0.5 * geo.scale * convergenceFunction(geo.X2);
}

HessianField hessian(const NfwTensor &p, const Tensor &x, const Tensor &y)
{
    // Circular profile: H = (α/r) I + (2κ − 2α/r) r̂ r̂ᵀ.
    const bool graph = recordsGraph({p.Rs, p.alpha_Rs, p.center_x, p.center_y, x, y});
    const NfwGeometry geo = geometry(p, x, y, true);
    const Tensor alphaOverR = geo.scale * deflectionFunction(geo.X2, graph);
    const Tensor radial = geo.scale * convergenceFunction(geo.X2) - 2.0 * alphaOverR;
    const Tensor invR = geo.X2.rsqrt() / geo.Rs; // 1/r with r floored as in nfw.cpp
    const Tensor ux = geo.dx * invR, uy = geo.dy * invR;
    return {alphaOverR + radial * ux * ux, radial * ux * uy, alphaOverR + radial * uy * uy};
}

} // namespace astrorim::lensing

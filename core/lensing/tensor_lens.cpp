// Batched SIS, external shear and the combined LensSystemTensor
// (tensor_lens.h); the SIE is in tensor_sie.cpp and the NFW in tensor_nfw.cpp.
// Double-precision references: sis.cpp, shear.cpp, lens_model.cpp.

#include "lensing/tensor_lens.h"

#include "lensing/numerics.h"
#include "lensing/tensor_support.h"

#include <ATen/ExpandUtils.h>

namespace astrorim::lensing {

using namespace tensor_detail;
using torch::Tensor;

namespace {

// Adds the SIS deflection θ_E (dx, dy)/r to `total` (or sets it).
void addDeflection(DeflectionField &total, const SisTensor &p, const Tensor &x, const Tensor &y)
{
    const bool graph = recordsGraph({p.theta_E, p.center_x, p.center_y, x, y});
    const Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    Tensor r2 = squaredRadius(dx, dy);
    const Tensor thetaE = column(p.theta_E);
    // θ_E/r, floored at the centre where dx = dy = 0 makes α = 0 anyway; with
    // a graph the centre is masked so that it adds no 1/r_floor gradient.
    const Tensor factor = graph ? r2.clamp_min(numerics::kMinRadius2).rsqrt_() * (thetaE * offCentre(r2))
                                : r2.clamp_min_(numerics::kMinRadius2).rsqrt_().mul_(thetaE);
    accumulate(total.alpha_x, dx, factor);
    accumulate(total.alpha_y, dy, factor);
}

// Adds the shear deflection (γ1 x + γ2 y, γ2 x − γ1 y) to `total` (or sets it).
void addDeflection(DeflectionField &total, const ShearTensor &p, const Tensor &x, const Tensor &y)
{
    const Tensor gamma1 = column(p.gamma1), gamma2 = column(p.gamma2);
    accumulate(total.alpha_x, x, gamma1);
    total.alpha_x.addcmul_(y, gamma2);
    accumulate(total.alpha_y, x, gamma2);
    total.alpha_y.addcmul_(y, -gamma1);
}

void addHessian(HessianField &total, const HessianField &term)
{
    if (!total.f_xx.defined()) {
        total = term;
        return;
    }
    total.f_xx = total.f_xx + term.f_xx;
    total.f_xy = total.f_xy + term.f_xy;
    total.f_yy = total.f_yy + term.f_yy;
}

} // namespace

DeflectionField deflection(const SisTensor &p, const Tensor &x, const Tensor &y)
{
    DeflectionField alpha;
    addDeflection(alpha, p, x, y);
    return alpha;
}

DeflectionField deflection(const ShearTensor &p, const Tensor &x, const Tensor &y)
{
    Tensor xs = x, ys = y;
    broadcastInPlace(xs, ys); // the in-place sums below need the full [H, W]
    DeflectionField alpha;
    addDeflection(alpha, p, xs, ys);
    return alpha;
}

Tensor convergence(const SisTensor &p, const Tensor &x, const Tensor &y)
{
    const Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    return 0.5 * column(p.theta_E) * (dx * dx + dy * dy).clamp_min(numerics::kMinRadius2).rsqrt();
}

HessianField hessian(const SisTensor &p, const Tensor &x, const Tensor &y)
{
    // H = 2κ ê_θ ê_θᵀ with 2κ = θ_E/r, written with unit vectors so that the
    // gradient at the centre is finite (d(u²)/du = 2u = 0 there).
    const Tensor dx = x - column(p.center_x), dy = y - column(p.center_y);
    const Tensor invR = (dx * dx + dy * dy).clamp_min(numerics::kMinRadius2).rsqrt();
    const Tensor ux = dx * invR, uy = dy * invR;
    const Tensor twoKappa = column(p.theta_E) * invR;
    return {twoKappa * uy * uy, -twoKappa * ux * uy, twoKappa * ux * ux};
}

HessianField hessian(const ShearTensor &p, const Tensor &x, const Tensor &y)
{
    // Constant, but returned at full [B, H, W] like every other field.
    const auto shape = at::infer_size(at::infer_size(x.sizes(), y.sizes()),
                                     std::vector<int64_t>{p.gamma1.numel(), 1, 1});
    const Tensor zero = torch::zeros(shape, p.gamma1.options());
    const Tensor gamma1 = column(p.gamma1), gamma2 = column(p.gamma2);
    return {zero + gamma1, zero + gamma2, zero - gamma1};
}

DeflectionField deflection(const LensSystemTensor &lens, const Tensor &x, const Tensor &y)
{
    // The SIE's fresh result is the accumulator; the other terms add in place.
    DeflectionField alpha = deflection(lens.sie, x, y);
    addDeflection(alpha, lens.shear, x, y);
    if (lens.hasSis)
        addDeflection(alpha, lens.sis, x, y);
    if (lens.hasNfw)
        addNfwDeflection(alpha, lens.nfw, x, y);
    return alpha;
}

HessianField hessian(const LensSystemTensor &lens, const Tensor &x, const Tensor &y)
{
    HessianField total = hessian(lens.sie, x, y);
    addHessian(total, hessian(lens.shear, x, y));
    if (lens.hasSis)
        addHessian(total, hessian(lens.sis, x, y));
    if (lens.hasNfw)
        addHessian(total, hessian(lens.nfw, x, y));
    return total;
}

} // namespace astrorim::lensing

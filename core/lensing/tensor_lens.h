#pragma once

// Batched, differentiable LibTorch form of the lens profiles in lens_params.h.
// Parameters are 1-D tensors of shape [B] (one value per system); positions
// x, y are tensors broadcastable to [B, H, W] (typically [H, W] or [1, H, W]).
// Results have shape [B, H, W], on the parameters' device and dtype. All
// functions are differentiable with respect to parameters and positions, and
// finite (no NaN, value or gradient) at the lens centre and for e1 = e2 = 0.
//
// The double-precision profiles (sie.h, sis.h, nfw.h, shear.h) are the
// reference: float64 results agree with them to ~1e-13, float32 to ~1e-6
// (relative). Notes:
// - Nothing is validated (that would need a host sync): |e| is capped at
//   0.9999 as lenstronomy does, Rs ≤ 0 is treated as 1e-6 arcsec (an absent
//   NFW has alpha_Rs = 0 and then deflects nothing), and NaN gives NaN.
// - At a centre the isothermal deflections are 0 and the point contributes no
//   gradient; κ and the Hessian are large but finite there (r ≥ 1e-10 arcsec).
// - Without an autograd graph (no input requires grad, or NoGradGuard) the
//   profiles work in place; with one they blend in series expansions where
//   the closed forms have removable singularities (|e| → 0, r_NFW → Rs), so
//   that gradients are right there, not merely finite. Both paths agree to
//   rounding.
// - float32 and float64 only (the floors underflow in half precision);
//   float32 resolves axis ratios q ≳ 1e-3.

#include <torch/types.h>

namespace astrorim::lensing {

struct SieTensor
{
    torch::Tensor theta_E, e1, e2, center_x, center_y;
};

struct SisTensor
{
    torch::Tensor theta_E, center_x, center_y;
};

struct NfwTensor
{
    torch::Tensor Rs, alpha_Rs, center_x, center_y;
};

struct ShearTensor
{
    torch::Tensor gamma1, gamma2;
};

struct DeflectionField
{
    torch::Tensor alpha_x, alpha_y;
};

struct HessianField
{
    torch::Tensor f_xx, f_xy, f_yy;
};

DeflectionField deflection(const SieTensor &p, const torch::Tensor &x, const torch::Tensor &y);
DeflectionField deflection(const SisTensor &p, const torch::Tensor &x, const torch::Tensor &y);
DeflectionField deflection(const NfwTensor &p, const torch::Tensor &x, const torch::Tensor &y);
DeflectionField deflection(const ShearTensor &p, const torch::Tensor &x, const torch::Tensor &y);

HessianField hessian(const SieTensor &p, const torch::Tensor &x, const torch::Tensor &y);
HessianField hessian(const SisTensor &p, const torch::Tensor &x, const torch::Tensor &y);
HessianField hessian(const NfwTensor &p, const torch::Tensor &x, const torch::Tensor &y);
HessianField hessian(const ShearTensor &p, const torch::Tensor &x, const torch::Tensor &y);

torch::Tensor convergence(const SieTensor &p, const torch::Tensor &x, const torch::Tensor &y);
torch::Tensor convergence(const SisTensor &p, const torch::Tensor &x, const torch::Tensor &y);
torch::Tensor convergence(const NfwTensor &p, const torch::Tensor &x, const torch::Tensor &y);

/// A batched lens: SIE + external shear always, plus optional NFW and SIS
/// perturbers. An absent perturber has alpha_Rs = 0 or theta_E = 0, which
/// deflects nothing; `hasNfw`/`hasSis` let the code skip the work when no
/// system in the batch has one.
struct LensSystemTensor
{
    SieTensor sie;
    ShearTensor shear;
    NfwTensor nfw;
    SisTensor sis;
    bool hasNfw = false;
    bool hasSis = false;
};

DeflectionField deflection(const LensSystemTensor &lens, const torch::Tensor &x, const torch::Tensor &y);

/// The per-system constants, each [B], that deflection() evaluates the SIE
/// closed form with when it records no graph: x', y' = (dx, dy) rotated by −φ,
/// t/ψ = t / sqrt(q2 x'² + y'²), α_x = ax·atan(t x'/ψ) − ay·2 atanh(t y'/ψ)
/// and α_y = bx·atan(t x'/ψ) + by·2 atanh(t y'/ψ). For renderers that
/// evaluate the same formula outside LibTorch.
struct SieClosedForm
{
    torch::Tensor cosPhi, sinPhi, q2, t, ax, ay, bx, by;
};

SieClosedForm sieClosedForm(const SieTensor &p);

/// The NFW constants, each [B], of deflection(): α = (dx, dy) · scale · g(X)/X²
/// with X² = max(r² · invRs2, 1e-16) (g in tensor_nfw.cpp).
struct NfwScales
{
    torch::Tensor invRs2, scale;
};

NfwScales nfwScales(const NfwTensor &p);
HessianField hessian(const LensSystemTensor &lens, const torch::Tensor &x, const torch::Tensor &y);

} // namespace astrorim::lensing

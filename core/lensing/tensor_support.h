#pragma once

// Helpers shared by the tensor profiles (tensor_sie.cpp, tensor_nfw.cpp,
// tensor_lens.cpp). Internal to lensing.
//
// Each profile takes one of two paths. Without an autograd graph (the
// simulator, under NoGradGuard) it works in place where it can and skips the
// series branches whose only purpose is well-behaved gradients. With a graph it
// uses out-of-place ops wherever autograd needs an operand later, and blends in
// the series branches. In-place ops kept on the graph path are the ones whose
// backward needs nothing that they overwrite (add_, addcmul_, mul_ by a
// constant, sqrt_ and rsqrt_ on a fresh result); autograd's version counters
// would reject any other at backward time, and the gradient tests run them.

#include <torch/types.h>

#include <initializer_list>
#include <vector>

namespace astrorim::lensing::tensor_detail {

/// [B] (or a scalar) → [B, 1, 1], broadcasting against positions [H, W] or [B, H, W].
inline torch::Tensor column(const torch::Tensor &parameter)
{
    return parameter.reshape({-1, 1, 1});
}

/// True when autograd records a graph through any of the tensors.
inline bool recordsGraph(std::initializer_list<torch::Tensor> tensors)
{
    if (!at::GradMode::is_enabled())
        return false;
    for (const torch::Tensor &t : tensors)
        if (t.defined() && t.requires_grad())
            return true;
    return false;
}

/// Gives dx and dy their common broadcast shape (copies only when they differ,
/// e.g. for x [1, W] and y [H, 1]), so that in-place ops can write into them.
inline void broadcastInPlace(torch::Tensor &dx, torch::Tensor &dy)
{
    if (dx.sizes() == dy.sizes())
        return;
    const std::vector<torch::Tensor> both = torch::broadcast_tensors({dx, dy});
    dx = both[0].contiguous();
    dy = both[1].contiguous();
}

/// dx² + dy² at the common broadcast shape, in one fresh [B, H, W] buffer
/// whether the positions are full grids or separable (x [B, 1, W], y [B, H, 1]).
inline torch::Tensor squaredRadius(const torch::Tensor &dx, const torch::Tensor &dy)
{
    if (dx.sizes() != dy.sizes())
        return dx * dx + dy * dy; // separable: the squares are small
    torch::Tensor r2 = dx * dx;
    r2.addcmul_(dy, dy);
    return r2;
}

inline bool isDouble(const torch::Tensor &t)
{
    return t.scalar_type() == torch::kDouble;
}

/// 1 where `t` > 0, 0 where `t` == 0 (t ≥ 0), detached: it marks the points
/// off a lens centre, so that the centre contributes no (huge) gradient.
inline torch::Tensor offCentre(const torch::Tensor &squaredRadius)
{
    return squaredRadius.detach().sign();
}

/// 1 where `t` ≥ 0, else 0, detached. sign() is a cheap vectorised op where a
/// boolean mask and where() cost an order of magnitude more on the CPU.
inline torch::Tensor stepAtZero(const torch::Tensor &t)
{
    return t.detach().sign().add_(1.0).clamp_max_(1.0);
}

/// `closed`·(1 − `weight`) + `series`·`weight`, with `weight` 0 or 1 (½ only
/// where both branches are valid). Exact where weight is 0 or 1, however large
/// the unused branch. Both branches must be finite in value and gradient, since
/// 0·NaN is NaN: the unused branch is evaluated on safe inputs.
inline torch::Tensor blend(torch::Tensor closed, const torch::Tensor &series, const torch::Tensor &weight)
{
    return closed.mul_(1.0 - weight).addcmul_(series, weight);
}

/// acc += a·b, or acc = a·b when acc is still undefined.
inline void accumulate(torch::Tensor &acc, const torch::Tensor &a, const torch::Tensor &b)
{
    if (acc.defined())
        acc.addcmul_(a, b);
    else
        acc = a * b;
}

} // namespace astrorim::lensing::tensor_detail

namespace astrorim::lensing {

struct DeflectionField;
struct NfwTensor;

namespace tensor_detail {

/// Adds the NFW deflection to `total` in place (tensor_nfw.cpp), saving the
/// two [B, H, W] results and passes that deflection() + add_ would cost.
void addNfwDeflection(DeflectionField &total, const NfwTensor &p, const torch::Tensor &x,
                      const torch::Tensor &y);

} // namespace tensor_detail
} // namespace astrorim::lensing

#include "light/tensor_light.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

#include <initializer_list>
#include <string>

namespace astrorim::light {

namespace {

// Lowest exponent passed to exp(): keeps results out of the denormal range.
constexpr double kMinExponent = -70.0;

// All parameters of one profile must share one shape, [B] or [B, K].
void checkParams(const char *profile, std::initializer_list<std::pair<const char *, const torch::Tensor *>> params)
{
    const torch::Tensor &first = *params.begin()->second;
    for (const auto &[name, t] : params) {
        if (!t->defined())
            fail(std::string(profile) + " " + name, "tensor is undefined");
        if (t->dim() != 1 && t->dim() != 2)
            fail(std::string(profile) + " " + name, "must have shape [B] or [B, K], got " + shapeText(*t));
        if (t->sizes() != first.sizes())
            fail(std::string(profile) + " " + name,
                 "shape " + shapeText(*t) + " differs from " + params.begin()->first + " " + shapeText(first));
    }
}

void checkPositions(const char *profile, const torch::Tensor &x, const torch::Tensor &y, int64_t batch)
{
    if (!x.defined() || !y.defined() || x.dim() < 2 || x.dim() > 3 || y.dim() < 2 || y.dim() > 3)
        fail(std::string(profile) + " positions",
             "x and y must be [H, W] or [B, H, W], got " + shapeText(x) + " and " + shapeText(y));
    for (const auto *t : {&x, &y})
        if (t->dim() == 3 && t->size(0) != 1 && t->size(0) != batch)
            fail(std::string(profile) + " positions",
                 "batch size " + std::to_string(t->size(0)) + " differs from the parameters' " + std::to_string(batch));
}

bool anyRequiresGrad(std::initializer_list<const torch::Tensor *> tensors)
{
    if (!torch::GradMode::is_enabled())
        return false;
    for (const auto *t : tensors)
        if (t->requires_grad())
            return true;
    return false;
}

// Component k of a [B] or [B, K] parameter as [B, 1, 1], ready to broadcast.
torch::Tensor component(const torch::Tensor &t, int64_t k)
{
    return (t.dim() == 1 ? t : t.select(1, k)).view({-1, 1, 1});
}

int64_t componentCount(const torch::Tensor &t)
{
    return t.dim() == 1 ? 1 : t.size(1);
}

// Positions as [B or 1, H, W] so that they broadcast against [B, 1, 1] parameters.
torch::Tensor as3d(const torch::Tensor &t)
{
    return t.dim() == 2 ? t.unsqueeze(0) : t;
}

} // namespace

torch::Tensor sersicBn(const torch::Tensor &n)
{
    // Ciotti & Bertin (1999), eq. 18, in Horner form in 1/n: the start, and
    // the derivative autograd sees.
    const auto inv = n.reciprocal();
    auto poly = inv * (-2194697.0 / 30690717750.0) + 131.0 / 1148175.0;
    poly = poly * inv + 46.0 / 25515.0;
    poly = poly * inv + 4.0 / 405.0;
    const auto series = poly * inv + (2.0 * n - 1.0 / 3.0);

    // The series is asymptotic and drifts at small n (10 % at n = 0.2), so
    // Newton steps on P(2n, b) = ½ polish it to the root the double solver
    // finds. LibTorch has no derivative of P in its first argument: the
    // polish is added as a constant, and ∂b/∂n stays the series' (which is
    // what the root's is, to the series' accuracy).
    torch::Tensor root;
    {
        torch::NoGradGuard noGrad;
        const auto a = (2.0 * n).to(torch::kFloat64);
        root = series.to(torch::kFloat64).clamp_min(1e-3);
        for (int i = 0; i < 4; ++i) {
            const auto f = torch::igamma(a, root) - 0.5;
            const auto density = ((a - 1.0) * root.log() - root - torch::lgamma(a)).exp(); // dP/db
            root = (root - f / density).clamp_min(1e-3);
        }
    }
    return series + (root.to(series.scalar_type()) - series.detach());
}

SersicCoefficients sersicCoefficients(const SersicTensor &p)
{
    // R²/R_sersic² = A dx² + Bxy dx dy + C dy² is the rotated, sheared radius
    // written without trigonometry: with e = |e|, cos 2φ = e1/e, sin 2φ = e2/e
    // and q = (1−e)/(1+e), q·cos²φ + sin²φ/q = (1 + e² − 2 e1)/(1 − e²), and so on.
    // It is smooth in (e1, e2), also at e = 0 where φ is undefined, and is
    // the form newer lenstronomy writes transform_e1e2_product_average in.
    const auto e2sum = p.e1 * p.e1 + p.e2 * p.e2;
    const auto scale = (1.0 - e2sum).mul(p.R_sersic * p.R_sersic).reciprocal();
    const auto bn = sersicBn(p.n_sersic);
    // amp · e^{b_n}: I = amp e^{b_n} · exp(−b_n (R/R_s)^{1/n})
    return {(1.0 + e2sum - 2.0 * p.e1) * scale, -4.0 * p.e2 * scale, (1.0 + e2sum + 2.0 * p.e1) * scale,
            0.5 / p.n_sersic, -bn, p.amp * bn.exp()};
}

torch::Tensor sersic(const SersicTensor &p, const torch::Tensor &x, const torch::Tensor &y)
{
    checkParams("Sersic", {{"amp", &p.amp}, {"R_sersic", &p.R_sersic}, {"n_sersic", &p.n_sersic},
                           {"e1", &p.e1}, {"e2", &p.e2}, {"center_x", &p.center_x}, {"center_y", &p.center_y}});
    checkPositions("Sersic", x, y, p.amp.size(0));
    const auto x3 = as3d(x), y3 = as3d(y);
    // In-place ops spare a full-size temporary each; autograd needs the
    // operands of most of them, so they are only used when nothing records a gradient.
    const bool inplace = !anyRequiresGrad({&p.amp, &p.R_sersic, &p.n_sersic, &p.e1, &p.e2,
                                           &p.center_x, &p.center_y, &x, &y});

    // Everything per system is computed on [B, K] first (cheap), then sliced.
    const SersicCoefficients coef = sersicCoefficients(p);
    const auto &coefA = coef.a, &coefB = coef.b, &coefC = coef.c, &halfInvN = coef.halfInvN;
    const auto &minusBn = coef.minusBn, &ampEb = coef.ampEb;

    torch::Tensor sum;
    for (int64_t k = 0; k < componentCount(p.amp); ++k) {
        const auto dx = x3 - component(p.center_x, k);
        const auto dy = y3 - component(p.center_y, k);
        // (A dx + Bxy dy) · dx + C dy · dy; the first op that is full size
        // allocates, the rest work in place where allowed.
        auto r2 = torch::addcmul(component(coefA, k) * dx, component(coefB, k), dy);
        r2 = inplace ? r2.mul_(dx) : r2 * dx;
        const auto cdy = component(coefC, k) * dy;
        r2 = inplace ? r2.addcmul_(cdy, dy) : torch::addcmul(r2, cdy, dy);
        // The floor (R ≥ 1e-6 R_sersic) keeps log finite and the gradient of
        // the cusp (n > ½) finite at the centre, like lenstronomy's smoothing.
        r2 = inplace ? r2.clamp_min_(1e-12) : r2.clamp_min(1e-12);
        // (R/R_s)^{1/n} = exp(½ log(R²/R_s²) / n)
        auto t = inplace ? r2.log_().mul_(component(halfInvN, k)).exp_()
                         : (r2.log() * component(halfInvN, k)).exp();
        // Far tails would underflow to denormals, which cost x86 cores ~100x
        // per operation; clamping the exponent at -70 floors them at 4e-31 of
        // the e^{b_n}-scaled amplitude instead.
        t = inplace ? t.mul_(component(minusBn, k)).clamp_min_(kMinExponent).exp_()
                    : (t * component(minusBn, k)).clamp_min(kMinExponent).exp();
        if (!sum.defined())
            sum = inplace ? t.mul_(component(ampEb, k)) : t * component(ampEb, k);
        else
            sum = inplace ? sum.addcmul_(t, component(ampEb, k)) : torch::addcmul(sum, t, component(ampEb, k));
    }
    return sum;
}

torch::Tensor gaussianBlobs(const GaussianBlobsTensor &p, const torch::Tensor &x, const torch::Tensor &y)
{
    checkParams("Gaussian blobs", {{"amp", &p.amp}, {"sigma", &p.sigma}, {"center_x", &p.center_x},
                                   {"center_y", &p.center_y}});
    checkPositions("Gaussian blobs", x, y, p.amp.size(0));
    const auto x3 = as3d(x), y3 = as3d(y);
    const bool inplace = !anyRequiresGrad({&p.amp, &p.sigma, &p.center_x, &p.center_y, &x, &y});
    const auto minusHalfInvVar = -0.5 / (p.sigma * p.sigma);

    torch::Tensor sum;
    for (int64_t k = 0; k < componentCount(p.amp); ++k) {
        const auto dx = x3 - component(p.center_x, k);
        const auto dy = y3 - component(p.center_y, k);
        auto r2 = torch::addcmul(dx * dx, dy, dy);
        auto g = inplace ? r2.mul_(component(minusHalfInvVar, k)).clamp_min_(kMinExponent).exp_()
                         : (r2 * component(minusHalfInvVar, k)).clamp_min(kMinExponent).exp();
        if (!sum.defined())
            sum = inplace ? g.mul_(component(p.amp, k)) : g * component(p.amp, k);
        else
            sum = inplace ? sum.addcmul_(g, component(p.amp, k)) : torch::addcmul(sum, g, component(p.amp, k));
    }
    return sum;
}

} // namespace astrorim::light

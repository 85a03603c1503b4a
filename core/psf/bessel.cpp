#include "psf/bessel.h"

#include <torch/torch.h>

#include <initializer_list>

namespace astrorim::psf {

namespace {

// c0 + t (c1 + t (c2 + …)) on a tensor. The in-place add_ is safe under
// autograd: the product it modifies is a fresh tensor whose value no
// backward formula needs.
torch::Tensor horner(const torch::Tensor &t, std::initializer_list<double> coefficients)
{
    auto it = std::rbegin(coefficients);
    torch::Tensor p = torch::full_like(t, *it++);
    for (; it != std::rend(coefficients); ++it)
        p = (p * t).add_(*it);
    return p;
}

// A&S 9.4.4: J1(x)/x for |x| ≤ 3 as a polynomial in (x/3)², |error| < 1.3e-8.
torch::Tensor smallArgument(const torch::Tensor &a)
{
    const auto t = (a * (1.0 / 3.0)).square();
    return horner(t, {0.5, -0.56249985, 0.21093573, -0.03954289, 0.00443319, -0.00031761, 0.00001109});
}

// A&S 9.4.6: J1(x) = f1 cos θ1 / √x for x ≥ 3, with f1 and θ1 polynomials
// in 3/x (|error| < 4e-8 in f1, < 9e-8 in θ1).
torch::Tensor largeArgument(const torch::Tensor &a)
{
    const auto u = 3.0 / a;
    const auto f1 = horner(u, {0.79788456, 0.00000156, 0.01659667, 0.00017105, -0.00249511, 0.00113653,
                               -0.00020033});
    const auto theta1 = a + horner(u, {-2.35619449, 0.12499612, 0.00005650, -0.00637879, 0.00074348,
                                       0.00079824, -0.00029166});
    return f1 * theta1.cos() * a.rsqrt();
}

} // namespace

torch::Tensor besselJ1OverX(const torch::Tensor &x)
{
    const auto a = x.abs();
    // Both branches are evaluated everywhere (no host synchronization); the
    // large-argument one sees |x| clamped to ≥ 3 so that 3/x stays finite and
    // torch::where passes no NaN gradient from the branch it discards.
    const auto big = a.clamp_min(3.0);
    return torch::where(a <= 3.0, smallArgument(a), largeArgument(big) / big);
}

torch::Tensor besselJ1(const torch::Tensor &x)
{
    // J1 is odd and J1(x)/x even, so one product covers negative x too.
    return x * besselJ1OverX(x);
}

} // namespace astrorim::psf

#pragma once

#include <torch/types.h>

namespace astrorim::psf {

/// Bessel function of the first kind J1(x), element-wise on a floating
/// tensor of any device (LibTorch has no J1 before 2.0). Polynomial
/// approximations of Abramowitz & Stegun 9.4.4 (|x| ≤ 3) and 9.4.6 (|x| > 3):
/// absolute error below 1e-7 for all x; odd in x. Differentiable.
torch::Tensor besselJ1(const torch::Tensor &x);

/// J1(x)/x, with its limit ½ at x = 0 (no division there, so the value and
/// the gradient stay finite). The Airy pattern is (2 J1(x)/x)².
torch::Tensor besselJ1OverX(const torch::Tensor &x);

} // namespace astrorim::psf

#pragma once

// Batched LibTorch light profiles. Parameters are [B] tensors (or [B, K] for
// K components per system); positions x, y broadcast to [B, H, W]; results
// are surface brightness [B, H, W] in the units of `amp`.

#include <torch/types.h>

namespace astrorim::light {

/// Elliptical Sérsic, lenstronomy "SERSIC_ELLIPSE": I = amp · exp(−b_n ((R/R_sersic)^(1/n) − 1)),
/// R = sqrt(q x'² + y'²/q) in the frame rotated by φ = ½ atan2(e2, e1).
/// `amp` is the surface brightness at R = R_sersic. Shapes [B] or [B, K];
/// with [B, K] the K components are summed.
struct SersicTensor
{
    torch::Tensor amp, R_sersic, n_sersic, e1, e2, center_x, center_y;
};

/// x, y are [H, W] or [B or 1, H, W] (arcsec); separable grids ([1, 1, W] and
/// [1, H, 1]) save work. The centre is regularized: R ≥ 1e-6 R_sersic, so the
/// value and the gradient stay finite there. Differentiable in all inputs;
/// when no gradient is recorded it works in place to save memory traffic.
/// Throws astrorim::Error for mismatched shapes; parameter values are not
/// checked (that needs a host synchronization): R_sersic > 0, n > 0, |e| < 1.
torch::Tensor sersic(const SersicTensor &p, const torch::Tensor &x, const torch::Tensor &y);

/// The per-component constants sersic() evaluates with, each shaped like the
/// parameters: R²/R_sersic² = a dx² + b dx dy + c dy² and
/// I = ampEb · exp(max(minusBn · (R²/R_sersic²)^halfInvN, −70)).
/// For renderers that evaluate the same formula outside LibTorch.
struct SersicCoefficients
{
    torch::Tensor a, b, c, halfInvN, minusBn, ampEb;
};

SersicCoefficients sersicCoefficients(const SersicTensor &p);

/// Circular Gaussian blobs (star-forming clumps): amp · exp(−r² / (2 sigma²)).
/// Shapes [B, K]; the K blobs of each system are summed.
struct GaussianBlobsTensor
{
    torch::Tensor amp, sigma, center_x, center_y;
};

torch::Tensor gaussianBlobs(const GaussianBlobsTensor &p, const torch::Tensor &x, const torch::Tensor &y);

/// b_n for a tensor of Sérsic indices: the Ciotti & Bertin (1999) series
/// polished by Newton steps on P(2n, b_n) = ½ to the exact root (sersic.h),
/// within 1e-10 relative in float64 for 0.2 ≤ n ≤ 8. Differentiable; the
/// gradient in n is the series' (within its accuracy of the root's:
/// 4e-4 relative at n = 0.5, 3e-5 at n = 1).
torch::Tensor sersicBn(const torch::Tensor &n);

} // namespace astrorim::light

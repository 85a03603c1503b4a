#pragma once

#include <torch/types.h>

#include <string>

namespace astrorim::psf {

enum class PsfType { Gaussian = 0, Moffat = 1, Airy = 2 };

/// "gaussian", "moffat", "airy"; parsePsfType throws astrorim::Error on anything else.
std::string psfTypeName(PsfType type);
PsfType parsePsfType(const std::string &name);

/// A PSF: its type, full width at half maximum in arcsec, and the Moffat β
/// (ignored by the other types).
struct PsfSpec
{
    PsfType type = PsfType::Gaussian;
    double fwhm = 0.1;
    double moffatBeta = 3.0;
};

/// The analytic profile I(r)/I(0) at radius r (arcsec): Gaussian
/// exp(−r²/2σ²) with σ = FWHM/(2√(2 ln 2)); Moffat (1 + (r/α)²)^−β with
/// α = FWHM/(2√(2^{1/β} − 1)); Airy (2 J1(x)/x)² with x = 2 x½ r/FWHM, x½ =
/// kAiryHalfMaximumX. All are ½ at r = FWHM/2. Throws astrorim::Error for a
/// non-positive FWHM or a Moffat β ≤ 1.
double psfProfile(const PsfSpec &spec, double r);

/// A normalized kernel (sum 1) of size×size pixels (size odd), centred on the
/// central pixel, each pixel the mean of the profile over `supersample`²
/// sub-pixels. Returns a [size, size] double tensor on the CPU (Airy uses
/// std::cyl_bessel_j). Throws astrorim::Error for a non-positive FWHM or
/// pixel scale, an even size, supersample < 1, or β ≤ 1 for a Moffat.
torch::Tensor psfKernel(const PsfSpec &spec, double pixelScale, int size, int supersample = 5);

/// Batched kernels on the tensors' device: type [B] (int64 PsfType values),
/// fwhm, beta and pixelScale [B] (arcsec). Returns [B, size, size] in the
/// dtype of fwhm, each normalized, each pixel the mean over supersample²
/// sub-pixels. Airy uses besselJ1 (bessel.h; its kernels match psfKernel to ~1e-7).
/// Differentiable in fwhm, beta and pixelScale. Throws astrorim::Error for
/// bad shapes, even size or supersample < 1; values are not checked (that
/// would need a host synchronization), β only matters where type is Moffat.
torch::Tensor psfKernels(const torch::Tensor &type, const torch::Tensor &fwhm,
                         const torch::Tensor &beta, const torch::Tensor &pixelScale,
                         int size, int supersample = 3);

/// x at which the Airy pattern (2 J1(x)/x)² falls to one half; the Airy
/// profile uses x = 2 · kAiryHalfMaximumX · r / FWHM.
inline constexpr double kAiryHalfMaximumX = 1.6163399483107037;

/// FWHM of a [size, size] kernel measured along its central row and column,
/// interpolating the half-maximum crossing linearly, in arcsec (for tests and
/// headers): the mean of the two widths. Throws astrorim::Error when the
/// kernel is not square 2-D or does not fall below half its central value.
double measureFwhm(const torch::Tensor &kernel, double pixelScale);

} // namespace astrorim::psf

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

/// The analytic profile I(r)/I(0) at radius r (arcsec).
double psfProfile(const PsfSpec &spec, double r);

/// A normalized kernel (sum 1) of size×size pixels (size odd), centred on the
/// central pixel, each pixel the mean of the profile over `supersample`²
/// sub-pixels. Returns a [size, size] double tensor on the CPU. Throws
/// astrorim::Error for a non-positive FWHM or pixel scale, even size, β ≤ 1.
torch::Tensor psfKernel(const PsfSpec &spec, double pixelScale, int size, int supersample = 5);

/// Batched kernels on the tensors' device: type [B] (int64 PsfType values),
/// fwhm, beta and pixelScale [B] (arcsec). Returns [B, size, size], each normalized.
torch::Tensor psfKernels(const torch::Tensor &type, const torch::Tensor &fwhm,
                         const torch::Tensor &beta, const torch::Tensor &pixelScale,
                         int size, int supersample = 3);

/// FWHM of a [size, size] kernel measured along its central row and column,
/// interpolating the half-maximum crossing, in arcsec (for tests and headers).
double measureFwhm(const torch::Tensor &kernel, double pixelScale);

} // namespace astrorim::psf

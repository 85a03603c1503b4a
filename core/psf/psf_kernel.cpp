#include "psf/psf_kernel.h"

#include "common/error.h"
#include "psf/bessel.h"

#include <torch/torch.h>

#include <cmath>
#include <numbers>
#include <sstream>
#include <vector>

namespace astrorim::psf {

namespace {

std::string str(double v)
{
    std::ostringstream os;
    os.precision(9);
    os << v;
    return os.str();
}

// FWHM → the profiles' own scales. Gaussian: FWHM = 2 √(2 ln 2) σ, so
// r²/(2σ²) = 4 ln 2 · r²/FWHM². Moffat: (1 + (r/α)²)^−β halves where
// (r/α)² = 2^{1/β} − 1, so 1/α² = 4 (2^{1/β} − 1)/FWHM². Airy: x = k r with
// k = 2 x½ / FWHM.
double gaussianInvTwoSigma2(double fwhm)
{
    return 4.0 * std::numbers::ln2 / (fwhm * fwhm);
}

double moffatInvAlpha2(double fwhm, double beta)
{
    return 4.0 * (std::exp2(1.0 / beta) - 1.0) / (fwhm * fwhm);
}

void checkSpec(const PsfSpec &spec)
{
    if (!(spec.fwhm > 0.0) || !std::isfinite(spec.fwhm))
        fail("PSF fwhm", "must be positive and finite, got " + str(spec.fwhm));
    if (spec.type == PsfType::Moffat && (!(spec.moffatBeta > 1.0) || !std::isfinite(spec.moffatBeta)))
        fail("PSF Moffat beta", "must be finite and above 1 (the total flux diverges otherwise), got "
                                    + str(spec.moffatBeta));
    if (spec.type != PsfType::Gaussian && spec.type != PsfType::Moffat && spec.type != PsfType::Airy)
        fail("PSF type", "unknown value " + std::to_string(static_cast<int>(spec.type)));
}

void checkGrid(int size, int supersample)
{
    if (size < 1 || size % 2 == 0)
        fail("PSF kernel size", "must be a positive odd number of pixels, got " + std::to_string(size));
    if (supersample < 1)
        fail("PSF supersample", "must be at least 1, got " + std::to_string(supersample));
}

// Half-maximum crossing, in pixels from the centre, walking outwards from
// the centre of `line` in direction `step` (±1), with linear interpolation.
double halfCrossing(const std::vector<double> &line, int centre, int step, double half)
{
    for (int i = centre + step; i >= 0 && i < static_cast<int>(line.size()); i += step) {
        if (line[i] < half) {
            const double inner = line[i - step];
            const double fraction = (inner - half) / (inner - line[i]);
            return std::abs(i - step - centre) + fraction;
        }
    }
    fail("PSF kernel", "does not fall below half its central value inside " + std::to_string(line.size())
                           + " pixels: cannot measure its FWHM");
}

// The profile of one type at r/FWHM ([b, n, n]), Moffat with β ([b, 1, 1]).
torch::Tensor profileOfType(PsfType type, const torch::Tensor &rOverFwhm, const torch::Tensor &beta)
{
    switch (type) {
    case PsfType::Gaussian:
        return (rOverFwhm.square() * (-4.0 * std::numbers::ln2)).exp();
    case PsfType::Moffat:
        return (torch::log1p(rOverFwhm.square() * (4.0 * (torch::exp2(1.0 / beta) - 1.0))) * -beta).exp();
    case PsfType::Airy:
        break;
    }
    return (2.0 * besselJ1OverX(rOverFwhm * (2.0 * kAiryHalfMaximumX))).square();
}

// Every profile is evaluated for every system and torch::where picks one:
// branching would need the types on the host. The Moffat branch sees a
// harmless β where the system is not Moffat, so that a nonsense β there
// (e.g. 0) cannot put NaN into the gradient through the discarded branch.
torch::Tensor profilesBySelection(const torch::Tensor &kind, const torch::Tensor &rOverFwhm, const torch::Tensor &beta)
{
    const auto isMoffat = kind == static_cast<int64_t>(PsfType::Moffat);
    const auto safeBeta = torch::where(isMoffat, beta, torch::full({}, 3.0, beta.options()));
    return torch::where(kind == static_cast<int64_t>(PsfType::Gaussian),
                        profileOfType(PsfType::Gaussian, rOverFwhm, beta),
                        torch::where(isMoffat, profileOfType(PsfType::Moffat, rOverFwhm, safeBeta),
                                     profileOfType(PsfType::Airy, rOverFwhm, beta)));
}

// The same values with each profile evaluated only for the systems of its
// type: on the CPU the types are on the host already, and evaluating all
// three (Airy's Bessel function above all) costs more than the simulator's
// convolution does.
torch::Tensor profilesByType(const torch::Tensor &kind, const torch::Tensor &rOverFwhm, const torch::Tensor &beta)
{
    torch::Tensor profile = torch::empty_like(rOverFwhm);
    for (PsfType t : {PsfType::Gaussian, PsfType::Moffat, PsfType::Airy}) {
        const auto rows = (kind == static_cast<int64_t>(t)).nonzero().view({-1});
        if (rows.numel() > 0)
            profile = profile.index_copy(
                0, rows, profileOfType(t, rOverFwhm.index_select(0, rows), beta.index_select(0, rows)));
    }
    return profile;
}

} // namespace

std::string psfTypeName(PsfType type)
{
    switch (type) {
    case PsfType::Gaussian: return "gaussian";
    case PsfType::Moffat: return "moffat";
    case PsfType::Airy: return "airy";
    }
    fail("PSF type", "unknown value " + std::to_string(static_cast<int>(type)));
}

PsfType parsePsfType(const std::string &name)
{
    for (PsfType t : {PsfType::Gaussian, PsfType::Moffat, PsfType::Airy})
        if (name == psfTypeName(t))
            return t;
    fail("PSF type", "'" + name + "' is not one of gaussian, moffat, airy");
}

double psfProfile(const PsfSpec &spec, double r)
{
    checkSpec(spec);
    const double r2 = r * r;
    switch (spec.type) {
    case PsfType::Gaussian:
        return std::exp(-r2 * gaussianInvTwoSigma2(spec.fwhm));
    case PsfType::Moffat:
        return std::pow(1.0 + r2 * moffatInvAlpha2(spec.fwhm, spec.moffatBeta), -spec.moffatBeta);
    case PsfType::Airy: {
        const double x = 2.0 * kAiryHalfMaximumX * std::abs(r) / spec.fwhm;
        if (x < 1e-8)
            return 1.0; // 2 J1(x)/x → 1 − x²/8
        const double amplitude = 2.0 * std::cyl_bessel_j(1.0, x) / x;
        return amplitude * amplitude;
    }
    }
    return 0.0; // unreachable: checkSpec rejected unknown types
}

torch::Tensor psfKernel(const PsfSpec &spec, double pixelScale, int size, int supersample)
{
    checkSpec(spec);
    checkGrid(size, supersample);
    if (!(pixelScale > 0.0) || !std::isfinite(pixelScale))
        fail("pixel scale", "must be positive and finite, got " + str(pixelScale));

    // Sub-pixel offsets from the kernel centre along one axis, in arcsec.
    const int n = size * supersample;
    const double centre = 0.5 * (size - 1);
    std::vector<double> offsets(n);
    for (int i = 0; i < n; ++i)
        offsets[i] = ((i / supersample) - centre + ((i % supersample) + 0.5) / supersample - 0.5) * pixelScale;

    auto kernel = torch::zeros({size, size}, torch::kFloat64);
    auto k = kernel.accessor<double, 2>();
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            k[i / supersample][j / supersample] += psfProfile(spec, std::hypot(offsets[i], offsets[j]));
    return kernel / kernel.sum();
}

torch::Tensor psfKernels(const torch::Tensor &type, const torch::Tensor &fwhm, const torch::Tensor &beta,
                         const torch::Tensor &pixelScale, int size, int supersample)
{
    checkGrid(size, supersample);
    for (const auto *t : {&type, &fwhm, &beta, &pixelScale})
        if (!t->defined() || t->dim() != 1 || t->size(0) != fwhm.size(0))
            fail("PSF parameters", "type, fwhm, beta and pixelScale must all be [B] tensors of one size B");
    if (!torch::isFloatingType(fwhm.scalar_type()))
        fail("PSF fwhm", "must be a floating-point tensor");
    const int64_t batch = fwhm.size(0);
    const int64_t n = int64_t(size) * supersample;
    const auto opts = fwhm.options();

    // Sub-pixel radius in pixels, [n, n], shared by all systems; it carries
    // no gradient, so sqrt at the exact centre is harmless.
    const double centre = 0.5 * (size - 1);
    const auto pixel = torch::arange(n, opts).div_(supersample).floor_();
    const auto u = pixel - centre + (torch::arange(n, opts).remainder_(supersample) + 0.5).div_(supersample) - 0.5;
    const auto rPix = (u.square().unsqueeze(1) + u.square().unsqueeze(0)).sqrt_();

    const auto view = [](const torch::Tensor &t) { return t.view({-1, 1, 1}); };
    const auto rOverFwhm = rPix.unsqueeze(0) * view(pixelScale.to(opts.dtype()) / fwhm); // [B, n, n]
    const auto kind = type.to(fwhm.device());
    const auto betas = view(beta.to(opts.dtype()));
    const auto profile = fwhm.device().is_cpu() ? profilesByType(kind, rOverFwhm, betas)
                                                : profilesBySelection(view(kind), rOverFwhm, betas);

    // Mean over each pixel's sub-pixels, then unit sum.
    auto kernels = profile.view({batch, size, supersample, size, supersample}).sum({2, 4});
    return kernels / kernels.sum({1, 2}, true);
}

double measureFwhm(const torch::Tensor &kernel, double pixelScale)
{
    if (!kernel.defined() || kernel.dim() != 2 || kernel.size(0) != kernel.size(1) || kernel.size(0) < 3)
        fail("PSF kernel", "must be a square 2-D tensor of at least 3×3 pixels to measure its FWHM");
    const auto k = kernel.detach().to(torch::kCPU, torch::kFloat64).contiguous();
    const int size = static_cast<int>(k.size(0));
    const int centre = size / 2;
    const auto a = k.accessor<double, 2>();
    std::vector<double> row(size), column(size);
    for (int i = 0; i < size; ++i) {
        row[i] = a[centre][i];
        column[i] = a[i][centre];
    }
    const double half = 0.5 * a[centre][centre];
    const double rowWidth = halfCrossing(row, centre, -1, half) + halfCrossing(row, centre, 1, half);
    const double columnWidth = halfCrossing(column, centre, -1, half) + halfCrossing(column, centre, 1, half);
    return 0.5 * (rowWidth + columnWidth) * pixelScale;
}

} // namespace astrorim::psf

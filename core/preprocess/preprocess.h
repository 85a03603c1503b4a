#pragma once

// From an observed image to what the model reads: sky subtraction, the lens
// centre, a cutout resampled to the model grid with its pixel scale, a noise
// map, the PSF on the same grid, and warnings where the observation lies
// outside what the model was trained on. Images are [H, W] tensors in FITS
// order (row 0 at the bottom); positions are 0-based (column, row) pixel
// coordinates of the input image.

#include <torch/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::preprocess {

struct PixelPosition
{
    double x = 0, y = 0; ///< column, row
};

enum class SkyMethod {
    /// None when the image looks sky-subtracted, else EdgeMedian. Sky-subtracted
    /// means at least kSubtractedNegativeShare of the border strip lies below
    /// zero: noise about a zero level puts many pixels there even with lens
    /// light in the strip (9-49 % in every band of the real HST and Euclid
    /// cutouts and 32 % in the sample), while a sky left in more than 1.6σ
    /// above zero leaves under 5 %. A residual sky below that is left in.
    Auto,
    None,         ///< the image is sky-subtracted already (the level is 0; σ still from the MAD)
    EdgeMedian,   ///< median of a border strip
    SigmaClipped, ///< median of the whole image, clipped at 3σ (MAD) until stable
};

struct SkyEstimate
{
    double level = 0; ///< per pixel, in the image's units
    double sigma = 0; ///< robust rms of the background: 1.4826 × MAD
};

/// The share of negative border pixels from which SkyMethod::Auto takes an image as sky-subtracted.
inline constexpr double kSubtractedNegativeShare = 0.05;

/// Estimates the sky; NaN pixels are ignored. `border` is the strip width of
/// EdgeMedian (0: a tenth of the smaller side, at least 4 pixels). Throws
/// astrorim::Error for an empty image or one without finite pixels.
SkyEstimate estimateSky(const torch::Tensor &image, SkyMethod method, int border = 0);

enum class CentreMethod {
    ImageCentre,   ///< the middle of the image: where lens cutouts put the lens
    BrightestPeak, ///< maximum of the 3×3 box-smoothed image in the central half
    Centroid,      ///< light-weighted centroid of the positive flux within a quarter of the smaller side, iterated from the image's middle
    Manual,        ///< a given position
};

/// The lens centre in a sky-subtracted image. `manual` is required for
/// Manual and must lie inside the image. Throws astrorim::Error otherwise.
PixelPosition findCentre(const torch::Tensor &skySubtracted, CentreMethod method,
                         const std::optional<PixelPosition> &manual = {});

/// A cutout of `size`×`size` pixels of `outputScale` arcsec centred on
/// `centre`, from an image of `inputScale` arcsec per pixel. Each output
/// pixel averages bilinear samples of the input over its area and is
/// multiplied by the pixel-area ratio r² (r = outputScale/inputScale), so
/// fluxes per pixel — and the total flux — are conserved. The noise map is
/// carried as σ_out = r·min(r, 1)·rms(σ_in): independent input pixels summed
/// when r ≥ 1, one input pixel's noise scaled by r² when r < 1. Output pixels
/// that reach outside the input or onto NaN get data 0 and σ = +inf (no
/// weight in χ²).
struct Cutout
{
    torch::Tensor data, sigma;  ///< [size, size] float64
    double pixelScale = 0;      ///< arcsec per output pixel
    double factor = 1;          ///< r = output / input pixel size
    PixelPosition origin;       ///< input position of output pixel (0, 0)'s centre
    double maskedFraction = 0;  ///< share of output pixels with no data
};
Cutout cutout(const torch::Tensor &image, const torch::Tensor &sigma, PixelPosition centre, double inputScale,
              double outputScale, int size);

enum class NormalizationMethod {
    Robust,     ///< (x − median) / (1.4826 MAD)
    MinMax,     ///< (x − min) / (max − min)
    Percentile, ///< (x − p1) / (p99 − p1), percentiles as numpy's linear default
};

/// x ↦ (x − offset) / scale; noise maps divide by scale.
struct Normalization
{
    double offset = 0, scale = 1;
};

/// The normalization of the finite pixels of `image`. Throws astrorim::Error
/// when the image is constant (scale 0) or has no finite pixel.
Normalization normalization(const torch::Tensor &image, NormalizationMethod method);

/// "robust", "minmax", "percentile" and back (throws astrorim::Error naming the choices).
std::string normalizationName(NormalizationMethod method);
NormalizationMethod parseNormalization(const std::string &name);
std::string skyMethodName(SkyMethod method);
SkyMethod parseSkyMethod(const std::string &name);
std::string centreMethodName(CentreMethod method);
CentreMethod parseCentreMethod(const std::string &name);

/// A PSF image (any size, centred on its central pixel, `inputScale` arcsec
/// per pixel) resampled to `outputScale` and cut or padded to `size` (odd),
/// normalized to sum 1. Throws astrorim::Error naming `source` for an image
/// with no positive flux or non-finite pixels.
torch::Tensor resamplePsf(const torch::Tensor &psfImage, double inputScale, double outputScale, int size,
                          const std::string &source);

/// The ranges the shipped model was trained on: the envelope of the
/// simulator presets.
struct TrainedRanges
{
    double pixelScaleMin, pixelScaleMax; ///< arcsec
    double psfFwhmMin, psfFwhmMax;       ///< arcsec
    double thetaEMin, thetaEMax;         ///< arcsec
};
const TrainedRanges &trainedRanges();

/// One warning sentence per quantity outside the trained range (none when
/// all lie inside). Pass NaN to skip a quantity.
std::vector<std::string> rangeWarnings(double pixelScale, double psfFwhm, double thetaE);

} // namespace astrorim::preprocess

namespace astrorim::preprocess {

struct PreprocessOptions
{
    SkyMethod sky = SkyMethod::Auto;
    CentreMethod centre = CentreMethod::ImageCentre;
    std::optional<PixelPosition> manualCentre;
    NormalizationMethod normalization = NormalizationMethod::Robust;
    int gridSize = 96;
    /// Output pixel scale (arcsec); default: the input's, moved into the trained range.
    std::optional<double> pixelScale;
    /// Without a noise map, σ² = σ_sky² + max(x, 0)/gain (gain in e⁻ per data
    /// unit, so that x·gain counts electrons); 0 keeps the background only.
    double gain = 0;
};

struct PreparedObservation
{
    Cutout cutout;  ///< sky-subtracted data and its σ in the image's units (0 where there are no data)
    SkyEstimate sky; ///< in input units
    PixelPosition centre;
    /// Of the sky-subtracted cutout, for displays and the JSON's provenance.
    /// prepare() applies none: the image is normalized once, by the networks
    /// themselves (nn/normalization.h), and the fit works in the image's units.
    Normalization normalization;
    std::vector<std::string> warnings;
};

/// Sky → centre → noise map (the given one, or estimated) → cutout on the
/// model grid, and the normalization's scale measured on it (not applied). `noiseMap` may be undefined. Throws
/// astrorim::Error for an empty image, mismatched shapes, a non-positive
/// pixel scale or an image without finite pixels.
PreparedObservation prepare(const torch::Tensor &image, double pixelScale, const torch::Tensor &noiseMap,
                            const PreprocessOptions &options);

} // namespace astrorim::preprocess

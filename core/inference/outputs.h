#pragma once

// What a reconstruction leaves on disk for each observation NAME, every
// file written atomically:
//   NAME_source.fits, NAME_source_sigma.fits
//     the source and its 1σ on the fit's source-plane grid, flux per source
//     pixel in the input's units, with a TAN WCS whose world coordinates are
//     the unlensed sky positions (the observation's tangent point); in the
//     legacy RIM mode the source on the cutout grid and no sigma file
//   NAME_forward.fits, NAME_residual.fits, NAME_chi2.fits
//     the maps on the model grid, in the observation's units per model pixel;
//     NAME_forward.fits also holds the PSF (extension PSF)
//   NAME_parameters.json
//     the lens in lenstronomy's terms (kwargs_lens with the frame and grid
//     that reproduce the cutout), the estimator's 1σ, the lens light, the
//     nine quantities of the original AstroRIM scripts, fit quality with
//     flags, warnings and provenance.

#include "common/atomic_file.h"
#include "fits/wcs.h"
#include "inference/reconstructor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::inference {

/// A quality indicator: raised when the fit looks suspect in this respect.
struct QualityFlag
{
    std::string name;
    bool raised = false;
    double value = 0, threshold = 0;
    std::string explanation; ///< one line
};

/// RMS residual (≥ 0.05 of the data peak), reduced χ² (≥ 2), negative flux
/// in the source (≥ 10 % of its absolute flux), residuals concentrated on
/// the Einstein ring (mean χ² within 2 pixels of θ_E ≥ 2× the rest) and
/// lens parameters outside the trained range.
std::vector<QualityFlag> qualityFlags(const ReconstructionResult &result);

/// Where a result came from, for the JSON's provenance.
struct Provenance
{
    std::string inputFile, hdu, modelFile, device;
    std::map<std::string, std::string> modelMetadata;
    int iterations = 0, refineRounds = 0;
    /// The mass analysis (analysis/mass_report.h), or null when the redshifts are unknown.
    nlohmann::ordered_json mass;
    /// The input image's celestial WCS, if it has one: the image-plane maps
    /// then carry a TAN WCS tangent at the cutout's centre (the input's
    /// linear part scaled by the resampling; exact at the centre, and the
    /// projections differ by far less than a pixel over a cutout), and the
    /// JSON gives the lens centre's RA/Dec.
    std::optional<fits::Wcs> wcs;
    /// What was given with the image (empty or unset: found in the file,
    /// measured, or none), so that the run can be repeated.
    std::string noiseFile, psfFile, maskFile;
    std::optional<double> psfFwhm, pixelScale;
};

nlohmann::ordered_json parametersJson(const ReconstructionResult &result, const Provenance &provenance);

/// The names writeOutputs gives its files: NAME + each suffix.
inline constexpr const char *kOutputSuffixes[] = {"_source.fits", "_source_sigma.fits", "_forward.fits",
                                                  "_residual.fits", "_chi2.fits", "_parameters.json"};

/// The files a result was made from (input, noise, PSF, mask, model): what
/// its outputs must not replace.
InputFiles inputFiles(const Provenance &provenance);

/// Writes the files (five in RIM mode, six with the fit) into `folder` (created if missing) and returns their paths.
/// Refuses, before writing any, to replace a file named in `provenance`
/// (the input, its noise, PSF and mask files, the model).
/// The map headers hold PIXSCALE, the cutout's place in the input (ORIGX,
/// ORIGY, RESAMPLE) and, for the image-plane maps, the WCS when known.
std::vector<std::filesystem::path> writeOutputs(const ReconstructionResult &result, const Provenance &provenance,
                                                const std::filesystem::path &folder);

} // namespace astrorim::inference

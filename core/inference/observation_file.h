#pragma once
// Reading an observed lens from its FITS files, as the command-line tool and
// the GUI both do: the image HDU (by index, EXTNAME or band), its pixel
// scale and WCS, a noise map and a PSF, found beside the image in
// multi-band files or given as files of their own.

#include "analysis/lens_catalog.h"
#include "fits/wcs.h"
#include "inference/reconstructor.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::inference {

struct ObservationFileOptions
{
    /// INDEX, EXTNAME or a band (VIS picks VIS_FLUX, VIS_BGSUB or VIS_SCI);
    /// empty: the primary, else the first SCI/*FLUX/*BGSUB, else the first image.
    std::string hdu;
    std::optional<double> pixelScale;  ///< arcsec; overrides the header
    std::filesystem::path noiseFile;   ///< 1σ map; empty: the file's <BAND>_RMS, NOISE, ERR or RMS extension
    std::filesystem::path psfFile;     ///< PSF image; empty: psfFwhm, a <BAND>_PSF or PSF extension, or PSFFWHM
    std::optional<double> psfFwhm;     ///< arcsec, a Gaussian PSF
    /// A mask of the image's shape: pixels where it is non-zero (neighbours,
    /// artefacts) count as having no data. Empty: none.
    std::filesystem::path maskFile;
    /// Supplies a pixel scale for files whose header states none
    /// (pixel_scale_arcsec column), looked up by the observation's name.
    const analysis::LensCatalog *catalog = nullptr;
};

struct ObservationFile
{
    Observation observation;
    std::optional<fits::Wcs> wcs; ///< the image's celestial WCS, if any
    std::string hdu;              ///< the image HDU read, as "EXTNAME" or "#index"
};

/// The observation's name for `file`: its file name without .fits, .fits.gz,
/// .fits.fz, .fit or .fz.
std::string observationName(const std::filesystem::path &file);

/// The 2-D image HDUs of `file` a user may choose from, as selectors
/// parseHduSelector accepts (EXTNAME when there is one, else the index).
std::vector<std::string> imageHduChoices(const std::filesystem::path &file);

/// `hdu` as `file` names it: a band alone (VIS) becomes the EXTNAME of its
/// image (VIS_FLUX, VIS_BGSUB or VIS_SCI); anything else is returned as given.
std::string resolveImageHdu(const std::filesystem::path &file, const std::string &hdu);

/// Reads one observation. Without a noise map the background rms is
/// measured later (preprocess). Masked pixels become NaN in the image, which
/// preprocessing treats as no data. Throws astrorim::Error naming the file for
/// unreadable files, an image without a finite pixel (all NaN, infinite or
/// masked), a missing pixel scale or PSF, or a noise map or mask of another shape.
ObservationFile readObservationFile(const std::filesystem::path &file, const ObservationFileOptions &options);

} // namespace astrorim::inference

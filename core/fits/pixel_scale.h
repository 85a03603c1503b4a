#pragma once

#include "fits/fits_header.h"

#include <optional>
#include <string>

namespace astrorim::fits {

/// A pixel scale and where it was found, for messages and the CLI.
struct PixelScale
{
    double arcsec = 0;  ///< arcsec per pixel
    std::string source; ///< "WCS", "PIXSCALE keyword" or "T11..T22 matrix"
};

/// The pixel scale a header states, looked for in this order:
///  1. a celestial WCS (Wcs::pixelScaleArcsec: sqrt|det| of CD or PC × CDELT);
///  2. a PIXSCALE keyword, in arcsec per pixel;
///  3. lenstronomy's pixel-to-angle matrix in T11 T12 T21 T22 (arcsec per
///     pixel), as the dolphin/lenstronomy data sets write it: sqrt|det T|.
/// Returns nullopt when none is present. Throws Error naming `fileForMessages`
/// when one is present but unusable (singular matrix, PIXSCALE <= 0, an
/// incomplete T matrix).
std::optional<PixelScale> findPixelScale(const FitsHeader &header, const std::string &fileForMessages = {});

/// findPixelScale's value alone, in arcsec per pixel.
std::optional<double> pixelScaleArcsec(const FitsHeader &header, const std::string &fileForMessages = {});

} // namespace astrorim::fits

#pragma once

#include "fits/fits_header.h"

#include <cstddef>
#include <string>
#include <vector>

namespace astrorim::fits {

/// A 2-D image read from (or to be written to) a FITS HDU.
/// Pixels are row-major in FITS order: pixels[row * width + col], row 0 is
/// the first row in the file (the bottom of the image as displayed), col grows
/// with x. BSCALE/BZERO are applied; BLANK and non-finite pixels are NaN.
struct FitsImage
{
    std::string path;    ///< file it came from (empty if built in memory)
    int hdu = 0;         ///< 0-based HDU index in that file
    std::string extname; ///< EXTNAME of that HDU, empty if none
    long width = 0;      ///< NAXIS1
    long height = 0;     ///< NAXIS2
    std::vector<float> pixels;
    FitsHeader header;

    [[nodiscard]] float at(long col, long row) const { return pixels[static_cast<std::size_t>(row * width + col)]; }
};

} // namespace astrorim::fits

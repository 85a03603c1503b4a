#pragma once

#include "fits/fits_image.h"

#include <filesystem>
#include <vector>

namespace astrorim::fits {

/// An image HDU to write: 32-bit float pixels in FitsImage order, plus the
/// header keywords to add (structural keywords such as SIMPLE, BITPIX, NAXIS*,
/// EXTEND, PCOUNT, GCOUNT are written by the writer and ignored if present).
/// `extname`, if not empty, becomes EXTNAME.
struct ImageHdu
{
    long width = 0;
    long height = 0;
    const float *pixels = nullptr;
    FitsHeader header;
    std::string extname;
};

/// Writes the HDUs to `path` atomically (temporary file, then rename): the
/// first becomes the primary HDU, the rest image extensions. Overwrites an
/// existing file. Throws astrorim::Error naming `path` and the reason.
void writeImages(const std::filesystem::path &path, const std::vector<ImageHdu> &hdus);

/// Single-image convenience form of writeImages.
void writeImage(const std::filesystem::path &path, const ImageHdu &hdu);

} // namespace astrorim::fits

// libFuzzer target: the FITS reader as the applications use it. The input is
// one file (plain, gzip-compressed or tile-compressed: CFITSIO tells them
// apart by their bytes); it goes through every public reading function of
// core/fits and the WCS and pixel-scale parsing of each header. Bad input
// must end in astrorim::Error, never a crash, a sanitizer report or a leak.

#include "fuzz_input_file.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/pixel_scale.h"
#include "fits/wcs.h"

#include <cstddef>
#include <cstdint>

using namespace astrorim;

namespace {

void useHeader(const fits::FitsHeader &header, const std::string &file)
{
    try {
        if (const auto wcs = fits::Wcs::fromHeader(header, file))
            (void)wcs->pixelToWorld(0.0, 0.0);
    } catch (const Error &) {
    }
    try {
        (void)fits::findPixelScale(header, file);
    } catch (const Error &) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const fuzz::InputFile input(data, size, ".fits");
    const auto file = input.path().string();
    try {
        const auto hdus = fits::listHdus(input.path());
        (void)fits::defaultImageHdu(hdus);
        for (const auto &header : fits::readAllHeaders(input.path()))
            useHeader(header, file);
        for (const auto &hdu : hdus) {
            try {
                (void)fits::readHeader(input.path(), fits::HduSelector{hdu.index, {}});
                const auto image = fits::readImage(input.path(), fits::HduSelector{hdu.index, {}});
                useHeader(image.header, file);
            } catch (const Error &) {
            }
        }
    } catch (const Error &) {
    }
    try {
        const auto image = fits::readImage(input.path());
        useHeader(image.header, file);
    } catch (const Error &) {
    }
    try {
        (void)fits::readImage(input.path(), fits::parseHduSelector("SCI"));
    } catch (const Error &) {
    }
    return 0;
}

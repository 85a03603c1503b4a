// astrorim-cli fits-info FILE [--hdu N|EXTNAME]: what a FITS file holds and
// what AstroRIM would make of it (default image, WCS, pixel scale, centre).

#include "command_runner.h"
#include "commands.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/pixel_scale.h"
#include "fits/sexagesimal.h"
#include "fits/wcs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace astrorim::cli {

namespace {

std::string format(const char *pattern, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string label(const fits::HduInfo &hdu)
{
    return "HDU " + std::to_string(hdu.index) + (hdu.extname.empty() ? "" : " (" + hdu.extname + ")");
}

void printTable(const std::string &path, const std::vector<fits::HduInfo> &hdus, std::optional<int> defaultHdu)
{
    std::cout << "File: " << path << '\n' << "HDU  EXTNAME               TYPE           BITPIX  SHAPE\n";
    for (const auto &h : hdus) {
        char line[160];
        std::snprintf(line, sizeof line, "%3d  %-20s  %-13s  %6d  %s", h.index,
                      h.extname.empty() ? "-" : h.extname.c_str(), fits::toString(h.type).c_str(), h.bitpix,
                      h.shape().c_str());
        std::cout << line << (h.tileCompressed ? "  (tile-compressed)" : "")
                  << (defaultHdu && *defaultHdu == h.index ? "  <- default image" : "") << '\n';
    }
    if (!defaultHdu)
        std::cout << "No 2-D image in this file.\n";
}

void printCoordinates(const fits::Wcs &wcs, double col, double row)
{
    const auto sky = wcs.pixelToWorld(col, row);
    std::cout << "  centre pixel: (" << format("%.1f", col) << ", " << format("%.1f", row) << ")  ";
    if (wcs.longitudeType() == "RA") {
        std::cout << "RA " << fits::formatRightAscension(sky.ra) << "  Dec " << fits::formatDeclination(sky.dec)
                  << "  (" << format("%.7f", sky.ra) << ", " << format("%+.7f", sky.dec) << " deg)\n";
    } else {
        std::cout << wcs.longitudeType() << ' ' << format("%.7f", sky.ra) << "  latitude "
                  << format("%+.7f", sky.dec) << " deg\n";
    }
}

// WCS and pixel-scale problems are reported in the listing, not as a failure:
// the rest of the file is still worth describing.
void describeImage(const std::string &path, const fits::HduInfo &hdu, const fits::FitsHeader &header)
{
    std::cout << '\n' << label(hdu) << ": " << hdu.dims[0] << " x " << hdu.dims[1] << " image\n";
    std::optional<fits::Wcs> wcs;
    try {
        wcs = fits::Wcs::fromHeader(header, path);
        if (wcs)
            std::cout << "  WCS:          yes (" << wcs->longitudeType() << ", " << wcs->projection()
                      << " projection)\n";
        else
            std::cout << "  WCS:          none\n";
    } catch (const Error &e) {
        std::cout << "  WCS:          unusable: " << e.what() << '\n';
    }
    try {
        if (const auto scale = fits::findPixelScale(header, path))
            std::cout << "  pixel scale:  " << format("%.6f", scale->arcsec) << " arcsec/pixel (from "
                      << scale->source << ")\n";
        else
            std::cout << "  pixel scale:  unknown (no WCS, PIXSCALE or T11..T22 in the header)\n";
    } catch (const Error &e) {
        std::cout << "  pixel scale:  unusable: " << e.what() << '\n';
    }
    if (wcs) {
        try {
            printCoordinates(*wcs, (static_cast<double>(hdu.dims[0]) - 1) / 2.0,
                             (static_cast<double>(hdu.dims[1]) - 1) / 2.0);
        } catch (const Error &e) {
            std::cout << "  centre pixel: " << e.what() << '\n';
        }
    }
}

void printStatistics(const fits::FitsImage &image)
{
    std::vector<float> finite;
    finite.reserve(image.pixels.size());
    for (float p : image.pixels)
        if (std::isfinite(p))
            finite.push_back(p);
    const auto blank = image.pixels.size() - finite.size();
    std::cout << "  pixels:       " << finite.size() << " finite, " << blank << " NaN (blank)\n";
    if (finite.empty())
        return;
    const auto mid = finite.begin() + static_cast<std::ptrdiff_t>(finite.size() / 2);
    std::nth_element(finite.begin(), mid, finite.end());
    const auto [lo, hi] = std::minmax_element(finite.begin(), finite.end());
    std::cout << "  values:       min " << format("%.6g", *lo) << ", median " << format("%.6g", *mid)
              << ", max " << format("%.6g", *hi) << '\n';
}

} // namespace

int runFitsInfo(const std::vector<std::string> &args)
{
    ArgumentParser parser("fits-info",
                          "Lists the HDUs of a FITS file and, for its 2-D images, the WCS, pixel scale and "
                          "the sky position of the centre pixel.");
    parser.setPositional("FILE", "FITS file (.fits, .fits.gz, tile-compressed .fz)", 1, 1);
    parser.addOption("hdu", "N|EXTNAME",
                     "describe only this HDU (0-based index or EXTNAME), with pixel statistics");
    return runCommand(parser, args, [&] {
        const std::string path = parser.positional()[0];
        const auto hdus = fits::listHdus(path);
        const auto defaultHdu = fits::defaultImageHdu(hdus);
        printTable(path, hdus, defaultHdu);

        if (parser.isSet("hdu")) {
            const auto image = fits::readImage(path, fits::parseHduSelector(parser.value("hdu")));
            const auto &hdu = hdus[static_cast<std::size_t>(image.hdu)];
            describeImage(path, hdu, image.header);
            printStatistics(image);
            return 0;
        }
        const auto headers = fits::readAllHeaders(path);
        for (const auto &hdu : hdus)
            if (hdu.isImage2D())
                describeImage(path, hdu, headers.at(static_cast<std::size_t>(hdu.index)));
        return 0;
    });
}

} // namespace astrorim::cli

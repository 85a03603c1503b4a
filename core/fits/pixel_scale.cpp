#include "fits/pixel_scale.h"

#include "common/error.h"
#include "fits/wcs.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace astrorim::fits {

namespace {

std::string subjectOf(const std::string &file)
{
    return file.empty() ? std::string("FITS header") : file;
}

std::optional<PixelScale> fromTransformMatrix(const FitsHeader &header, const std::string &file)
{
    static const std::array<const char *, 4> keys = {"T11", "T12", "T21", "T22"};
    std::array<double, 4> t{};
    int found = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (auto v = header.number(keys[i])) {
            t[i] = *v;
            ++found;
        }
    }
    if (found == 0)
        return std::nullopt;
    if (found != 4)
        fail(subjectOf(file), "the pixel-to-angle matrix T11 T12 T21 T22 is incomplete (found "
                                  + std::to_string(found) + " of 4 numeric keywords)");
    const double det = t[0] * t[3] - t[1] * t[2];
    const double norm = std::max({std::abs(t[0]), std::abs(t[1]), std::abs(t[2]), std::abs(t[3])});
    if (!std::isfinite(det) || !(std::abs(det) > 1e-10 * norm * norm))
        fail(subjectOf(file), "the pixel-to-angle matrix T11 T12 T21 T22 is singular");
    return PixelScale{std::sqrt(std::abs(det)), "T11..T22 matrix"};
}

} // namespace

std::optional<PixelScale> findPixelScale(const FitsHeader &header, const std::string &fileForMessages)
{
    if (auto wcs = Wcs::fromHeader(header, subjectOf(fileForMessages)))
        return PixelScale{wcs->pixelScaleArcsec(), "WCS"};

    if (header.has("PIXSCALE")) {
        const auto value = header.number("PIXSCALE");
        if (!value || !std::isfinite(*value) || *value <= 0) {
            std::ostringstream os;
            os << "PIXSCALE must be a positive number of arcsec per pixel";
            if (value)
                os << ", got " << *value;
            fail(subjectOf(fileForMessages), os.str());
        }
        return PixelScale{*value, "PIXSCALE keyword"};
    }
    return fromTransformMatrix(header, fileForMessages);
}

std::optional<double> pixelScaleArcsec(const FitsHeader &header, const std::string &fileForMessages)
{
    if (auto scale = findPixelScale(header, fileForMessages))
        return scale->arcsec;
    return std::nullopt;
}

} // namespace astrorim::fits

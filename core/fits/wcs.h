#pragma once

#include "fits/fits_header.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace astrorim::fits {

/// A sky position in degrees, in the header's celestial frame (RA/Dec for
/// equatorial headers, the usual case; see Wcs::longitudeType()).
struct SkyPosition
{
    double ra = 0;  ///< celestial longitude, degrees in [0, 360)
    double dec = 0; ///< celestial latitude, degrees
};

/// A 0-based pixel position in FitsImage coordinates: col along NAXIS1,
/// row along NAXIS2, (0, 0) the centre of the first pixel in the file.
struct PixelPosition
{
    double col = 0;
    double row = 0;
};

/// The celestial world coordinate system of an image HDU, parsed by wcslib.
/// Public coordinates are 0-based (col, row) as in FitsImage; the conversion
/// to FITS's 1-based pixel convention happens inside.
///
/// Thread safety: wcslib's wcsprm caches state and records errors inside the
/// struct, so one Wcs must not be used from several threads at once. Copy it
/// (copies are independent) and give each thread its own.
class Wcs
{
public:
    /// Parses the celestial WCS of `header` (its raw cards, or the cards
    /// formatted when it was built in memory). Returns nullopt when the header
    /// has no celestial axes (no CTYPE RA/DEC, GLON/GLAT...) on pixel axes 1
    /// and 2. Throws astrorim::Error naming `fileForMessages` when a WCS is
    /// there but unusable: singular CD (or PC × CDELT) matrix, unknown
    /// projection, inconsistent keywords.
    static std::optional<Wcs> fromHeader(const FitsHeader &header, const std::string &fileForMessages);

    Wcs(const Wcs &other);
    Wcs &operator=(const Wcs &other);
    Wcs(Wcs &&other) noexcept;
    Wcs &operator=(Wcs &&other) noexcept;
    ~Wcs();

    /// Sky position of the 0-based pixel (col, row). Throws Error when the
    /// pixel has no sky position (outside the projection's domain).
    [[nodiscard]] SkyPosition pixelToWorld(double col, double row) const;

    /// 0-based pixel position of (ra, dec) in degrees. Throws Error when the
    /// position cannot be projected (e.g. the far hemisphere for TAN).
    [[nodiscard]] PixelPosition worldToPixel(double ra, double dec) const;

    /// Pixel scale in arcsec per pixel: sqrt(|det J|) of the linear
    /// pixel-to-intermediate-world matrix J (CD, or PC scaled by CDELT), i.e.
    /// the scale at the reference point. For the small images AstroRIM models
    /// the projection's own distortion is far below 1e-4 of this.
    [[nodiscard]] double pixelScaleArcsec() const;

    /// The linear matrix J in arcsec per pixel, row-major {J11, J12, J21, J22}:
    /// d(world_i) = J_ij d(pixel_j), world axis 1 the longitude axis.
    [[nodiscard]] std::array<double, 4> jacobianArcsec() const;

    /// Type of the longitude axis without the projection: "RA", "GLON", "ELON", ...
    [[nodiscard]] std::string longitudeType() const;
    /// Projection code, e.g. "TAN", "SIN".
    [[nodiscard]] std::string projection() const;

private:
    struct Impl;
    explicit Wcs(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace astrorim::fits

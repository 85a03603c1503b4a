// World coordinates (wcslib) and pixel scales. Synthetic headers have known
// answers: the gnomonic (TAN) projection inverted by hand below, from
// Calabretta & Greisen 2002, A&A 395, 1077, eqs. (5), (54) with the default
// LONPOLE = 180 deg for a zenithal projection at the reference point.

#include "check.h"
#include "temp_dir.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/fits_writer.h"
#include "fits/pixel_scale.h"
#include "fits/sexagesimal.h"
#include "fits/wcs.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include <unistd.h>

using namespace astrorim;
using namespace astrorim::fits;
namespace fs = std::filesystem;

using astrorim::test::TempDir;

namespace {

constexpr double deg = std::numbers::pi / 180.0;
constexpr double arcsec = 1.0 / 3600.0; // in degrees

// A TAN header: reference pixel (FITS 1-based) 50.5, 50.5 at RA 150, Dec 2;
// scale 0.1"/pixel, rotated by 30 deg, RA increasing to the left (east left).
struct Tan
{
    double crpix1 = 50.5, crpix2 = 50.5, ra0 = 150.0, dec0 = 2.0;
    double scale = 0.1 * arcsec, rotation = 30.0 * deg;
    double cd11() const { return -scale * std::cos(rotation); }
    double cd12() const { return scale * std::sin(rotation); }
    double cd21() const { return scale * std::sin(rotation); }
    double cd22() const { return scale * std::cos(rotation); }
};

FitsHeader cdHeader(const Tan &t)
{
    FitsHeader h;
    h.set("NAXIS", std::int64_t{2});
    h.set("NAXIS1", std::int64_t{100});
    h.set("NAXIS2", std::int64_t{100});
    h.set("CTYPE1", std::string("RA---TAN"));
    h.set("CTYPE2", std::string("DEC--TAN"));
    h.set("CRPIX1", t.crpix1);
    h.set("CRPIX2", t.crpix2);
    h.set("CRVAL1", t.ra0);
    h.set("CRVAL2", t.dec0);
    h.set("CD1_1", t.cd11());
    h.set("CD1_2", t.cd12());
    h.set("CD2_1", t.cd21());
    h.set("CD2_2", t.cd22());
    return h;
}

// Gnomonic inverse by hand: 0-based pixel -> (ra, dec) in degrees.
SkyPosition tanByHand(const Tan &t, double col, double row)
{
    const double dx = col + 1 - t.crpix1, dy = row + 1 - t.crpix2;
    const double x = (t.cd11() * dx + t.cd12() * dy) * deg; // intermediate world, radians
    const double y = (t.cd21() * dx + t.cd22() * dy) * deg;
    const double d0 = t.dec0 * deg;
    const double denom = std::cos(d0) - y * std::sin(d0);
    const double ra = t.ra0 + std::atan2(x, denom) / deg;
    const double dec = std::atan2(y * std::cos(d0) + std::sin(d0), std::hypot(x, denom)) / deg;
    return {ra, dec};
}

// Angular distance in arcsec (small-angle form, fine below a degree).
double separationArcsec(SkyPosition a, SkyPosition b)
{
    const double dra = (a.ra - b.ra) * std::cos(0.5 * (a.dec + b.dec) * deg);
    return std::hypot(dra, a.dec - b.dec) * 3600.0;
}

fs::path realData(const std::string &relative)
{
    const fs::path path = fs::path(ASTRORIM_REAL_DATA_DIR) / relative;
    if (!fs::exists(path))
        SKIP("real data not found: " + path.string());
    return path;
}

/// cdHeader's header with the CD matrix replaced by CDELT alone (no rotation
/// yet: the caller adds PC, or leaves the classic diagonal form).
FitsHeader cdeltHeader(const Tan &t)
{
    FitsHeader h = cdHeader(t);
    for (const char *k : {"CD1_1", "CD1_2", "CD2_1", "CD2_2"})
        h.remove(k);
    h.set("CDELT1", -t.scale);
    h.set("CDELT2", t.scale);
    return h;
}

/// Reads the WCS of `h` and checks it against the hand projection of `t` at
/// one pixel, with its 0.1" scale, also as findPixelScale reports it.
Wcs checkedAgainstHandProjection(const FitsHeader &h, const Tan &t, const std::string &file)
{
    const auto wcs = Wcs::fromHeader(h, file);
    CHECK(wcs.has_value());
    const auto sky = wcs->pixelToWorld(10, 90);
    const auto expected = tanByHand(t, 10, 90);
    CHECK_NEAR(sky.ra, expected.ra, 1e-10);
    CHECK_NEAR(sky.dec, expected.dec, 1e-10);
    CHECK_NEAR(wcs->pixelScaleArcsec(), 0.1, 1e-12);
    const auto scale = findPixelScale(h, file);
    CHECK(scale.has_value());
    CHECK_EQ(scale->source, std::string("WCS"));
    CHECK_NEAR(scale->arcsec, 0.1, 1e-12);
    return *wcs;
}

} // namespace

TEST_CASE(tanCdMatchesHandProjection)
{
    const Tan t;
    const auto wcs = Wcs::fromHeader(cdHeader(t), "synthetic.fits");
    CHECK(wcs.has_value());
    CHECK_EQ(wcs->longitudeType(), std::string("RA"));
    CHECK_EQ(wcs->projection(), std::string("TAN"));

    // The reference pixel (FITS 50.5 = 0-based 49.5) is exactly CRVAL.
    const auto ref = wcs->pixelToWorld(49.5, 49.5);
    CHECK_NEAR(ref.ra, 150.0, 1e-12);
    CHECK_NEAR(ref.dec, 2.0, 1e-12);

    for (auto [col, row] : {std::pair{0.0, 0.0}, {99.0, 0.0}, {17.25, 83.5}, {99.0, 99.0}, {-500.0, 1200.0}}) {
        const auto sky = wcs->pixelToWorld(col, row);
        const auto expected = tanByHand(t, col, row);
        CHECK_NEAR(sky.ra, expected.ra, 1e-10);
        CHECK_NEAR(sky.dec, expected.dec, 1e-10);
        const auto back = wcs->worldToPixel(sky.ra, sky.dec);
        CHECK_NEAR(back.col, col, 1e-8);
        CHECK_NEAR(back.row, row, 1e-8);
    }
    // sqrt|det CD| = 0.1" whatever the rotation.
    CHECK_NEAR(wcs->pixelScaleArcsec(), 0.1, 1e-12);
    const auto j = wcs->jacobianArcsec();
    CHECK_NEAR(j[0], -0.1 * std::cos(30 * deg), 1e-12);
    CHECK_NEAR(j[1], 0.1 * std::sin(30 * deg), 1e-12);
}

TEST_CASE(cdeltPcFormEqualsCdForm)
{
    // CD = diag(CDELT) * PC, here CDELT = (-s, s) and PC the rotation.
    const Tan t;
    FitsHeader h = cdeltHeader(t);
    h.set("PC1_1", std::cos(t.rotation));
    h.set("PC1_2", -std::sin(t.rotation));
    h.set("PC2_1", std::sin(t.rotation));
    h.set("PC2_2", std::cos(t.rotation));
    checkedAgainstHandProjection(h, t, "pc.fits");
}

TEST_CASE(cdeltOnlyFormHasDiagonalMatrix)
{
    // CDELT without PC or CD (the classic AIPS form; rotation 0): wcslib then
    // leaves its pixel matrix unset, which crashed the reader. The matrix is
    // diag(CDELT), so the hand projection with rotation 0 applies.
    Tan t;
    t.rotation = 0.0;
    const auto wcs = checkedAgainstHandProjection(cdeltHeader(t), t, "cdelt.fits");
    const auto j = wcs.jacobianArcsec();
    CHECK_NEAR(j[0], -0.1, 1e-12);
    CHECK_NEAR(j[1], 0.0, 1e-12);
    CHECK_NEAR(j[2], 0.0, 1e-12);
    CHECK_NEAR(j[3], 0.1, 1e-12);

    // Celestial axes and nothing else: CDELT defaults to 1 degree.
    FitsHeader bare;
    bare.set("NAXIS", std::int64_t{2});
    bare.set("NAXIS1", std::int64_t{16});
    bare.set("NAXIS2", std::int64_t{16});
    bare.set("CTYPE1", std::string("RA---TAN"));
    bare.set("CTYPE2", std::string("DEC--TAN"));
    const auto unit = Wcs::fromHeader(bare, "bare.fits");
    CHECK(unit.has_value());
    CHECK_NEAR(unit->pixelScaleArcsec(), 3600.0, 1e-9);
}

TEST_CASE(wcsSurvivesFileRoundTrip)
{
    // Written by our writer, read back: wcslib then parses the raw header text.
    TempDir dir;
    const Tan t;
    const std::vector<float> pixels(100 * 100, 0.0f);
    writeImage(dir.path / "wcs.fits", {100, 100, pixels.data(), cdHeader(t), "SCI"});
    const auto image = readImage(dir.path / "wcs.fits");
    CHECK(!image.header.raw().empty());
    const auto wcs = Wcs::fromHeader(image.header, image.path);
    CHECK(wcs.has_value());
    const auto expected = tanByHand(t, 3, 77);
    const auto sky = wcs->pixelToWorld(3, 77);
    CHECK_NEAR(sky.ra, expected.ra, 1e-10);
    CHECK_NEAR(sky.dec, expected.dec, 1e-10);
}

TEST_CASE(editedReferencePixelIsUsed)
{
    // A cutout starting at column 10, row 20 of the original moves CRPIX by
    // (-10, -20); the same sky position then sits at (col-10, row-20).
    TempDir dir;
    const Tan t;
    const std::vector<float> pixels(100 * 100, 0.0f);
    writeImage(dir.path / "full.fits", {100, 100, pixels.data(), cdHeader(t), {}});
    FitsHeader header = readImage(dir.path / "full.fits").header;
    header.set("CRPIX1", t.crpix1 - 10);
    header.set("CRPIX2", t.crpix2 - 20);
    const auto cut = Wcs::fromHeader(header, "cutout");
    CHECK(cut.has_value());
    const auto expected = tanByHand(t, 40, 70);
    const auto sky = cut->pixelToWorld(30, 50);
    CHECK_NEAR(sky.ra, expected.ra, 1e-10);
    CHECK_NEAR(sky.dec, expected.dec, 1e-10);
}

TEST_CASE(copiesAreIndependent)
{
    std::optional<Wcs> copy;
    {
        const auto original = Wcs::fromHeader(cdHeader(Tan{}), "copy.fits");
        copy = *original; // copy constructor
    }
    CHECK_NEAR(copy->pixelToWorld(49.5, 49.5).ra, 150.0, 1e-12);
    Wcs moved = std::move(*copy);
    CHECK_NEAR(moved.pixelScaleArcsec(), 0.1, 1e-12);
}

TEST_CASE(extraSpectralAxisIsIgnored)
{
    // A cube header with a third (frequency) axis: the celestial part of axes 1, 2 is used.
    FitsHeader h = cdHeader(Tan{});
    h.set("NAXIS", std::int64_t{3});
    h.set("NAXIS3", std::int64_t{1});
    h.set("WCSAXES", std::int64_t{3});
    h.set("CTYPE3", std::string("FREQ"));
    h.set("CRVAL3", 1.4e9);
    h.set("CDELT3", 1e6);
    h.set("CRPIX3", 1.0);
    const auto wcs = Wcs::fromHeader(h, "cube.fits");
    CHECK(wcs.has_value());
    CHECK_NEAR(wcs->pixelToWorld(49.5, 49.5).dec, 2.0, 1e-12);
    CHECK_NEAR(wcs->pixelScaleArcsec(), 0.1, 1e-12);
}

TEST_CASE(galacticFrameIsReported)
{
    FitsHeader h = cdHeader(Tan{});
    h.set("CTYPE1", std::string("GLON-TAN"));
    h.set("CTYPE2", std::string("GLAT-TAN"));
    const auto wcs = Wcs::fromHeader(h, "gal.fits");
    CHECK(wcs.has_value());
    CHECK_EQ(wcs->longitudeType(), std::string("GLON"));
}

TEST_CASE(noCelestialWcs)
{
    FitsHeader none;
    none.set("NAXIS", std::int64_t{2});
    none.set("OBJECT", std::string("no coordinates here"));
    CHECK(!Wcs::fromHeader(none, "none.fits").has_value());
    CHECK(!findPixelScale(none, "none.fits").has_value());
    CHECK(!pixelScaleArcsec(none).has_value());
    CHECK(!Wcs::fromHeader(FitsHeader{}, "empty.fits").has_value());

    FitsHeader linear; // a WCS, but not on the sky
    linear.set("CTYPE1", std::string("LINEAR"));
    linear.set("CTYPE2", std::string("LINEAR"));
    linear.set("CDELT1", 2.0);
    linear.set("CDELT2", 2.0);
    CHECK(!Wcs::fromHeader(linear, "linear.fits").has_value());
}

TEST_CASE(unterminatedStringCardIsSkipped)
{
    // A string value without its closing quote made wcslib 7.12's header
    // scanner overflow a buffer (glibc aborted the program; found by
    // tests/fuzz/fuzz_fits). The card is skipped: here CTYPE1, so what is
    // left is a latitude axis alone, which wcslib refuses.
    const auto card = [](const std::string &text) { return text + std::string(80 - text.size(), ' '); };
    std::string raw = FitsHeader::parse(cdHeader(Tan{}).cardText()).cardText();
    const std::string ctype1 = card("CTYPE1  = 'RA---TAN'");
    const auto at = raw.find(ctype1);
    CHECK(at != std::string::npos);
    raw.replace(at, 80, card("CTYPE1  = 'RA---TAN"));
    FitsHeader broken;
    broken.setRaw(raw);
    CHECK_THROWS_WITH(Wcs::fromHeader(broken, "unterminated.fits"), "unterminated.fits", "invalid WCS");

    // A quote written as '' inside a string does not end it; a string that
    // ends in column 80 is terminated.
    FitsHeader quoted;
    quoted.setRaw(FitsHeader::parse(cdHeader(Tan{}).cardText()).cardText() + card("OBJECT  = 'O''Brien''s lens'")
                  + card("ORIGIN  = '" + std::string(68, 'x') + "'"));
    CHECK(Wcs::fromHeader(quoted, "quoted.fits").has_value());
}

TEST_CASE(singularCdIsAnError)
{
    FitsHeader h = cdHeader(Tan{});
    // Both pixel axes map onto the same sky direction: det CD = 0.
    h.set("CD1_1", 1e-5);
    h.set("CD1_2", 1e-5);
    h.set("CD2_1", 2e-5);
    h.set("CD2_2", 2e-5);
    CHECK_THROWS_WITH(Wcs::fromHeader(h, "singular.fits"), "singular.fits", "singular");
    CHECK_THROWS_WITH(findPixelScale(h, "singular.fits"), "singular.fits", "singular");
    h.set("CD1_2", 0.0);
    h.set("CD2_1", 0.0);
    h.set("CD2_2", 0.0); // a zero row is singular too
    CHECK_THROWS_WITH(Wcs::fromHeader(h, "zero.fits"), "zero.fits", "singular");
}

TEST_CASE(unknownProjectionIsAnError)
{
    FitsHeader h = cdHeader(Tan{});
    h.set("CTYPE1", std::string("RA---XYZ"));
    h.set("CTYPE2", std::string("DEC--XYZ"));
    CHECK_THROWS_WITH(Wcs::fromHeader(h, "xyz.fits"), "xyz.fits", "WCS");
}

TEST_CASE(pixscaleFallback)
{
    FitsHeader h;
    h.set("PIXSCALE", 0.04, "arcsec/pix");
    h.set("T11", -0.05); // PIXSCALE comes first
    h.set("T12", 0.0);
    h.set("T21", 0.0);
    h.set("T22", 0.05);
    const auto scale = findPixelScale(h, "hst.fits");
    CHECK(scale.has_value());
    CHECK_EQ(scale->arcsec, 0.04);
    CHECK_EQ(scale->source, std::string("PIXSCALE keyword"));
    h.set("PIXSCALE", -1.0);
    CHECK_THROWS_WITH(findPixelScale(h, "hst.fits"), "hst.fits", "PIXSCALE", "positive");
    h.set("PIXSCALE", std::string("0.04"));
    CHECK_THROWS_WITH(findPixelScale(h, "hst.fits"), "PIXSCALE");
}

TEST_CASE(transformMatrixFallback)
{
    // lenstronomy's transform_pix2angle, arcsec per pixel; scale = sqrt|det T|.
    // det = (-0.04)(0.04) - (0.001)(0.002) = -0.001602 -> 0.0400249922...
    FitsHeader h;
    h.set("T11", -0.04);
    h.set("T12", 0.001);
    h.set("T21", 0.002);
    h.set("T22", 0.04);
    const auto scale = findPixelScale(h, "t.fits");
    CHECK(scale.has_value());
    CHECK_NEAR(scale->arcsec, std::sqrt(0.001602), 1e-15);
    CHECK_EQ(scale->source, std::string("T11..T22 matrix"));
    CHECK_NEAR(*pixelScaleArcsec(h), std::sqrt(0.001602), 1e-15);

    h.remove("T22");
    CHECK_THROWS_WITH(findPixelScale(h, "t.fits"), "t.fits", "incomplete");
    h.set("T22", -0.08); // rows proportional: singular
    h.set("T12", 0.002);
    h.set("T21", 0.004);
    h.set("T11", 0.0); // det = 0*(-0.08) - 0.002*0.004 != 0 -> fine
    CHECK(findPixelScale(h, "t.fits").has_value());
    h.set("T11", 0.002);
    h.set("T12", 0.004);
    h.set("T21", 0.001);
    h.set("T22", 0.002); // det = 0.002*0.002 - 0.004*0.001 = 0
    CHECK_THROWS_WITH(findPixelScale(h, "t.fits"), "t.fits", "singular");
}

TEST_CASE(sexagesimalFormatting)
{
    // 266.3231377 deg = 17h45m17.553s; +65.93682015 deg = +65d56m12.55s.
    CHECK_EQ(formatRightAscension(266.3231377), std::string("17:45:17.553"));
    CHECK_EQ(formatDeclination(65.93682015), std::string("+65:56:12.55"));
    CHECK_EQ(formatDeclination(-50.5609975), std::string("-50:33:39.59"));
    CHECK_EQ(formatDeclination(-0.5), std::string("-00:30:00.00"));
    CHECK_EQ(formatRightAscension(359.9999999), std::string("00:00:00.000")); // rounds over 24h
    CHECK_EQ(formatRightAscension(-15.0), std::string("23:00:00.000"));
    CHECK_EQ(formatDeclination(10.0 - 1e-9), std::string("+10:00:00.00")); // no "60.00" seconds
}

// ---------------------------------------------------------------- real data

TEST_CASE(realEuclidCentreMatchesTarget)
{
    // Target from the data set's info.json: target_ra 266.3231377, target_dec 65.93682015.
    const auto path = realData("EUCLJ174517.55+655612.5/EUCLJ174517.55+655612.5.fits");
    const auto image = readImage(path, parseHduSelector("VIS_FLUX"));
    const auto wcs = Wcs::fromHeader(image.header, image.path);
    CHECK(wcs.has_value());
    const auto centre = wcs->pixelToWorld((image.width - 1) / 2.0, (image.height - 1) / 2.0);
    const double offset = separationArcsec(centre, {266.3231377, 65.93682015});
    CHECK_MSG(offset < 0.5, "centre is " << offset << "\" from the target");
    CHECK_NEAR(wcs->pixelScaleArcsec(), 0.1, 1e-3);
    CHECK_NEAR(*pixelScaleArcsec(image.header, image.path), 0.1, 1e-3);
}

TEST_CASE(realEuclidQ1CentreMatchesTarget)
{
    // The folder name 102019126_NEG589666030505609975 is <tile>_<object id>,
    // with the Euclid object id = RA x 1e7 (9 digits) followed by |Dec| x 1e7
    // (9 digits), "NEG" marking Dec < 0: RA 58.9666030, Dec -50.5609975.
    // The data README gives RA 58.9666, Dec -50.5610: the same to 1e-4 deg.
    const std::string id = "589666030505609975";
    const double ra = std::stod(id.substr(0, 9)) / 1e7;
    const double dec = -std::stod(id.substr(9)) / 1e7;
    CHECK_NEAR(ra, 58.9666, 1e-4);
    CHECK_NEAR(dec, -50.5610, 1e-4);

    const auto path = realData("EUCLID_Q1_102019126_NEG589666030505609975/102019126_NEG589666030505609975.fits");
    for (const char *band : {"VIS_BGSUB", "NIR_H_BGSUB"}) {
        const auto image = readImage(path, parseHduSelector(band));
        const auto wcs = Wcs::fromHeader(image.header, image.path);
        CHECK(wcs.has_value());
        const auto centre = wcs->pixelToWorld((image.width - 1) / 2.0, (image.height - 1) / 2.0);
        const double offset = separationArcsec(centre, {ra, dec});
        CHECK_MSG(offset < 0.5, band << ": centre is " << offset << "\" from the target");
        CHECK_NEAR(wcs->pixelScaleArcsec(), 0.1, 1e-3);
        const auto back = wcs->worldToPixel(ra, dec);
        CHECK_NEAR(back.col, 49.5, 5.0);
        CHECK_NEAR(back.row, 49.5, 5.0);
    }
}

TEST_CASE(realHstScale)
{
    // No WCS; PIXSCALE = 0.04000127770776799 and the T matrix agree:
    // sqrt|(-0.04000257434)(0.03999998083) - (-3.38587e-6)(-3.37395e-6)| = 0.0400012777.
    const auto image = readImage(realData("SL2SJ0219-0829/image_F475X.fits"));
    CHECK(!Wcs::fromHeader(image.header, image.path).has_value());
    const auto scale = findPixelScale(image.header, image.path);
    CHECK(scale.has_value());
    CHECK_EQ(scale->source, std::string("PIXSCALE keyword"));
    CHECK_NEAR(scale->arcsec, 0.04, 1e-4);
    FitsHeader onlyT = image.header;
    onlyT.remove("PIXSCALE"); // also drops the raw text, which still has PIXSCALE
    CHECK(onlyT.raw().empty());
    const auto fromT = findPixelScale(onlyT, image.path);
    CHECK(fromT.has_value());
    CHECK_EQ(fromT->source, std::string("T11..T22 matrix"));
    CHECK_NEAR(fromT->arcsec, scale->arcsec, 1e-9);
}

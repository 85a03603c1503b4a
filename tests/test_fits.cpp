// FITS reading and writing. Files are written by the tests themselves with raw
// CFITSIO calls (independent of the code under test), so every expected value
// below is stated where the file is made. Real observations are read when
// ASTRORIM_REAL_DATA_DIR exists (see /work/shared/data/real/README.md).

#include "check.h"
#include "raw_fits.h"
#include "temp_dir.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/fits_writer.h"

#include <atomic>
#include <exception>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

#include <fitsio.h>
#include <unistd.h>

using namespace astrorim;
using namespace astrorim::fits;
namespace fs = std::filesystem;

using astrorim::test::RawFits;
using astrorim::test::TempDir;
using astrorim::test::isNaN;
using astrorim::test::num;
using astrorim::test::str;
using astrorim::test::ramp;
using astrorim::test::readBytes;
using astrorim::test::writeBytes;
using astrorim::test::writeMultiExtension;

// ---------------------------------------------------------------- pixel values

TEST_CASE(everyBitpixWithBscaleBzero)
{
    // physical = BSCALE * raw + BZERO (FITS standard 4.0, section 4.4.2.5).
    TempDir dir;
    const std::vector<double> raw = {0, 1, 2, 3, 4, 100};
    const double bscale = 0.5, bzero = -3.0;
    for (int bitpix : {8, 16, 32, 64, -32, -64}) {
        const auto path = dir / ("bitpix" + std::to_string(bitpix) + ".fits");
        {
            RawFits f(path);
            f.image(bitpix, {3, 2}).key("BSCALE", bscale).key("BZERO", bzero).raw(raw);
        }
        const FitsImage image = readImage(path);
        CHECK_EQ(image.width, 3);
        CHECK_EQ(image.height, 2);
        for (std::size_t i = 0; i < raw.size(); ++i)
            CHECK_MSG(image.pixels[i] == static_cast<float>(bscale * raw[i] + bzero),
                      "BITPIX " << bitpix << " pixel " << i << " = " << image.pixels[i]);
        const int writtenBitpix = listHdus(path).at(0).bitpix;
        CHECK_EQ(writtenBitpix, bitpix);
    }
}

TEST_CASE(unsignedAndSignedByteConventions)
{
    // CFITSIO writes unsigned 16/32-bit as signed with BZERO 2^15 / 2^31 and
    // signed bytes with BZERO -128; readers must undo that.
    TempDir dir;
    const auto path = dir / "unsigned.fits";
    {
        RawFits f(path);
        f.image(USHORT_IMG, {3, 1});
        unsigned short u16[] = {0, 40000, 65535};
        int status = 0;
        fits_write_img(f.get(), TUSHORT, 1, 3, u16, &status);
        f.image(ULONG_IMG, {2, 1});
        unsigned int u32[] = {3000000000u, 7u};
        fits_write_img(f.get(), TUINT, 1, 2, u32, &status);
        f.image(SBYTE_IMG, {2, 1});
        signed char s8[] = {-100, 100};
        fits_write_img(f.get(), TSBYTE, 1, 2, s8, &status);
        CHECK_EQ(status, 0);
    }
    const auto u16 = readImage(path, parseHduSelector("0"));
    CHECK_EQ(u16.pixels[1], 40000.0f);
    CHECK_EQ(u16.pixels[2], 65535.0f);
    const auto u32 = readImage(path, parseHduSelector("1"));
    CHECK_REL(u32.pixels[0], 3.0e9, 1e-7); // float32 keeps 24 bits
    CHECK_EQ(u32.pixels[1], 7.0f);
    const auto s8 = readImage(path, parseHduSelector("2"));
    CHECK_EQ(s8.pixels[0], -100.0f);
    CHECK_EQ(s8.pixels[1], 100.0f);
}

TEST_CASE(blankBecomesNaN)
{
    TempDir dir;
    const auto path = dir / "blank.fits";
    {
        RawFits f(path);
        f.image(SHORT_IMG, {2, 2}).key("BLANK", 7LL).key("BSCALE", 2.0).key("BZERO", 1.0).raw({5, 7, -7, 0});
    }
    const auto image = readImage(path);
    CHECK_EQ(image.pixels[0], 11.0f); // 2*5+1
    CHECK(isNaN(image.pixels[1]));    // raw 7 == BLANK
    CHECK_EQ(image.pixels[2], -13.0f);
    CHECK_EQ(image.pixels[3], 1.0f);
}

TEST_CASE(nonFiniteFloatsBecomeNaN)
{
    TempDir dir;
    const auto path = dir / "nan.fits";
    const float inf = std::numeric_limits<float>::infinity();
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {2, 2}).floats({1.5f, std::numeric_limits<float>::quiet_NaN(), inf, -inf});
    }
    const auto image = readImage(path);
    CHECK_EQ(image.pixels[0], 1.5f);
    CHECK(isNaN(image.pixels[1]));
    CHECK(isNaN(image.pixels[2]));
    CHECK(isNaN(image.pixels[3]));
}

TEST_CASE(firstRowInFileIsRowZero)
{
    // FITS stores NAXIS1 (x) fastest, starting at pixel (1,1), which viewers
    // show at the bottom left. FitsImage keeps that order: pixels[row*w + col].
    TempDir dir;
    const auto path = dir / "orient.fits";
    {
        RawFits f(path);
        std::vector<float> v(4 * 3);
        for (int row = 0; row < 3; ++row)
            for (int col = 0; col < 4; ++col)
                v[static_cast<std::size_t>(row * 4 + col)] = static_cast<float>(10 * row + col);
        f.image(FLOAT_IMG, {4, 3}).floats(v);
        // FITS pixel (x=2, y=3), 1-based, is FitsImage (col 1, row 2).
        long first[2] = {2, 3};
        float marker = -1.0f;
        int status = 0;
        fits_write_pix(f.get(), TFLOAT, first, 1, &marker, &status);
        CHECK_EQ(status, 0);
    }
    const auto image = readImage(path);
    CHECK_EQ(image.width, 4);
    CHECK_EQ(image.height, 3);
    CHECK_EQ(image.at(0, 0), 0.0f);
    CHECK_EQ(image.at(3, 0), 3.0f);
    CHECK_EQ(image.at(0, 1), 10.0f);
    CHECK_EQ(image.at(1, 2), -1.0f);
    CHECK_EQ(image.at(3, 2), 23.0f);
}

TEST_CASE(cubeWithOnePlaneIsAnImage)
{
    TempDir dir;
    const auto path = dir / "plane.fits";
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {3, 2, 1}).floats(ramp(3, 2));
    }
    const auto image = readImage(path);
    CHECK_EQ(image.width, 3);
    CHECK_EQ(image.height, 2);
    CHECK_EQ(image.at(2, 1), 5.0f);
}

// ------------------------------------------------------------- HDU selection

TEST_CASE(listsHdus)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const auto hdus = listHdus(path);
    CHECK_EQ(hdus.size(), 4u);
    CHECK(hdus[0].isEmpty());
    CHECK(hdus[0].type == HduType::Image);
    CHECK_EQ(hdus[1].extname, std::string("ERR"));
    CHECK_EQ(hdus[1].bitpix, -32);
    CHECK(hdus[1].dims == std::vector<long>({4, 3}));
    CHECK(hdus[1].isImage2D());
    CHECK_EQ(hdus[2].index, 2);
    CHECK_EQ(hdus[2].shape(), std::string("4 x 3"));
    CHECK(hdus[3].type == HduType::BinaryTable);
    CHECK_EQ(hdus[3].extname, std::string("CATALOG"));
    CHECK(hdus[3].dims == std::vector<long>({1, 3})); // 1 column, 3 rows
    CHECK_EQ(toString(hdus[3].type), std::string("binary table"));
}

TEST_CASE(selectsByIndexAndByName)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const auto err = readImage(path, parseHduSelector("1"));
    CHECK_EQ(err.hdu, 1);
    CHECK_EQ(err.extname, std::string("ERR"));
    CHECK_EQ(err.pixels[5], 1.0f);
    const auto sci = readImage(path, parseHduSelector("sci")); // EXTNAME is compared case-insensitively
    CHECK_EQ(sci.hdu, 2);
    CHECK_EQ(sci.extname, std::string("SCI"));
    CHECK_EQ(sci.path, path.string());
    CHECK_EQ(sci.at(3, 2), 11.0f);
}

TEST_CASE(parsesHduSelectors)
{
    CHECK(parseHduSelector("").isDefault());
    CHECK_EQ(parseHduSelector("2").index.value_or(-1), 2);
    const HduSelector byName = parseHduSelector("VIS_FLUX");
    CHECK_EQ(byName.name, std::string("VIS_FLUX"));
    CHECK(!parseHduSelector("VIS_FLUX").index);
    CHECK_THROWS_WITH(parseHduSelector("-1"), "-1", "negative");
    CHECK_THROWS_WITH(parseHduSelector("99999999999"), "too large");
}

TEST_CASE(defaultPrefersNamedScienceExtension)
{
    // Empty primary: the first 2-D image named SCI or ending in FLUX / BGSUB,
    // even after other images (here the ERR image comes first).
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const auto image = readImage(path);
    CHECK_EQ(image.hdu, 2);
    CHECK_EQ(image.extname, std::string("SCI"));

    const auto bgsub = dir / "bgsub.fits";
    {
        RawFits f(bgsub);
        f.empty();
        f.image(FLOAT_IMG, {5}).extname("SPECTRUM").floats(ramp(5, 1));  // 1-D: skipped
        f.image(FLOAT_IMG, {2, 2, 3}).extname("CUBE").floats(ramp(2, 6)); // cube: skipped
        f.image(FLOAT_IMG, {2, 2}).extname("VIS_PSF").floats(ramp(2, 2));
        f.image(FLOAT_IMG, {2, 2}).extname("VIS_BGSUB").floats(ramp(2, 2));
    }
    const auto chosen = readImage(bgsub);
    CHECK_EQ(chosen.extname, std::string("VIS_BGSUB"));
}

TEST_CASE(defaultFallsBackToFirst2DImage)
{
    TempDir dir;
    const auto path = dir / "plain.fits";
    {
        RawFits f(path);
        f.empty();
        f.table("EVENTS");
        f.image(FLOAT_IMG, {3}).extname("ONE_D").floats(ramp(3, 1));
        f.image(FLOAT_IMG, {2, 2}).extname("FIRST").floats(ramp(2, 2));
        f.image(FLOAT_IMG, {2, 2}).extname("SECOND").floats(ramp(2, 2));
    }
    const auto image = readImage(path);
    CHECK_EQ(image.hdu, 3);
    CHECK_EQ(image.extname, std::string("FIRST"));
}

TEST_CASE(defaultTakesPrimaryWithData)
{
    TempDir dir;
    const auto path = dir / "primary.fits";
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {2, 2}).floats({1, 2, 3, 4});
        f.image(FLOAT_IMG, {2, 2}).extname("SCI").floats({5, 6, 7, 8});
    }
    const auto image = readImage(path);
    CHECK_EQ(image.hdu, 0);
    CHECK_EQ(image.pixels[0], 1.0f);
}

// ----------------------------------------------------------------- headers

TEST_CASE(headerValuesAreTyped)
{
    TempDir dir;
    const auto path = dir / "header.fits";
    const std::string longText(150, 'x');
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {2, 2}).floats({0, 0, 0, 0});
        f.logical("FLAG", true).key("COUNT", 42LL).key("EXPTIME", 1.5e-3).key("OBJECT", "it's a lens");
        f.key("LONGSTR", longText.c_str());
        f.record("GAIN    =               1.5D+2 / Fortran-style exponent");
        f.record("COMMENT this is commentary, not a keyword");
        f.record("DUP     =                    1");
        f.record("DUP     =                    2");
    }
    const auto header = readImage(path).header;
    CHECK(std::holds_alternative<bool>(header.find("FLAG")->value));
    CHECK(std::get<bool>(header.find("flag")->value)); // keys are case-insensitive
    CHECK(std::holds_alternative<std::int64_t>(header.find("COUNT")->value));
    CHECK_EQ(num(header, "COUNT"), 42.0);
    CHECK_EQ(num(header, "EXPTIME"), 1.5e-3);
    CHECK_EQ(num(header, "GAIN"), 150.0);
    CHECK_EQ(str(header, "OBJECT"), std::string("it's a lens"));
    CHECK_EQ(header.find("OBJECT")->comment, std::string("a string"));
    CHECK_EQ(str(header, "LONGSTR"), longText); // joined from CONTINUE cards
    CHECK_EQ(num(header, "NAXIS1"), 2.0);
    CHECK_EQ(num(header, "DUP"), 2.0);           // the last of duplicates wins
    CHECK(!header.has("COMMENT"));
    CHECK(!header.number("OBJECT"));                 // a string is not a number
    CHECK(!header.string("MISSING"));
    CHECK_EQ(header.raw().size() % 80, 0u);
    CHECK(header.raw().rfind("SIMPLE  =", 0) == 0);
    CHECK(header.raw().find("COMMENT this is commentary") != std::string::npos);
}

TEST_CASE(headerSetValidatesKeys)
{
    FitsHeader header;
    header.set("object", std::string("lens"));
    CHECK(header.has("OBJECT"));
    header.set("OBJECT", std::string("other"), "replaced");
    CHECK_EQ(header.cards().size(), 1u);
    CHECK_EQ(str(header, "object"), std::string("other"));
    CHECK_THROWS_WITH(header.set("TOOLONGKEY", 1.0), "TOOLONGKEY", "8 characters");
    CHECK_THROWS_WITH(header.set("BAD KEY", 1.0), "BAD KEY", "A-Z");
    CHECK_THROWS_WITH(header.set("", 1.0), "1 to 8");
}

TEST_CASE(readsHeadersWithoutPixels)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const auto headers = readAllHeaders(path);
    CHECK_EQ(headers.size(), 4u);
    CHECK_EQ(str(headers[2], "EXTNAME"), std::string("SCI"));
    CHECK_EQ(num(readHeader(path, parseHduSelector("CATALOG")), "TFIELDS"), 1.0);
    CHECK_EQ(str(readHeader(path), "EXTNAME"), std::string("SCI")); // default image
    CHECK_EQ(defaultImageHdu(listHdus(path)).value_or(-1), 2);
    CHECK(!defaultImageHdu({}).has_value());
}

TEST_CASE(editedHeaderIsFormattedFromCards)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    FitsHeader header = readImage(path).header;
    CHECK(!header.raw().empty());
    CHECK_EQ(header.cardText(), header.raw());
    header.set("OBJECT", std::string("lens 'A'"), "edited");
    CHECK(header.raw().empty()); // the file's text no longer describes the header
    const std::string text = header.cardText();
    CHECK_EQ(text.size() % 80, 0u);
    CHECK(text.find("OBJECT  = 'lens ''A'''") != std::string::npos);
    const FitsHeader again = FitsHeader::parse(text);
    CHECK_EQ(str(again, "OBJECT"), std::string("lens 'A'"));
    CHECK_EQ(again.find("OBJECT")->comment, std::string("edited"));
    CHECK_EQ(num(again, "NAXIS1"), 4.0);
    CHECK_EQ(str(again, "EXTNAME"), std::string("SCI"));
}

// ------------------------------------------------------------------ writing

TEST_CASE(writeReadRoundTrip)
{
    TempDir dir;
    const auto path = dir / "out.fits";
    std::vector<float> a = ramp(5, 4);
    a[7] = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> b = {1.25f, -2.5f, 3e30f, -1e-30f};

    ImageHdu first{5, 4, a.data(), {}, "MODEL"};
    first.header.set("SIMULATD", true, "made by the test");
    first.header.set("SEED", std::int64_t{1234567890123});
    first.header.set("THETA_E", 1.2345678901234567, "arcsec");
    first.header.set("OBJECT", std::string("O'Neil lens"));
    first.header.set("LONGTEXT", std::string(120, 'y'));
    // Structural and scaling keys are the writer's; these must be ignored.
    first.header.set("BITPIX", std::int64_t{16});
    first.header.set("NAXIS1", std::int64_t{99});
    first.header.set("BSCALE", 2.0);
    first.header.set("BZERO", 5.0);
    ImageHdu second{2, 2, b.data(), {}, "NOISE"};

    writeImages(path, {first, second});

    const auto hdus = listHdus(path);
    CHECK_EQ(hdus.size(), 2u);
    CHECK_EQ(hdus[0].extname, std::string("MODEL"));
    CHECK_EQ(hdus[0].bitpix, -32);

    const auto model = readImage(path, parseHduSelector("MODEL"));
    CHECK_EQ(model.width, 5);
    CHECK_EQ(model.height, 4);
    for (std::size_t i = 0; i < a.size(); ++i)
        CHECK(i == 7 ? isNaN(model.pixels[i]) : model.pixels[i] == a[i]);
    CHECK(std::get<bool>(model.header.find("SIMULATD")->value));
    CHECK_EQ(model.header.find("SIMULATD")->comment, std::string("made by the test"));
    CHECK_EQ(std::get<std::int64_t>(model.header.find("SEED")->value), std::int64_t{1234567890123});
    CHECK_EQ(num(model.header, "THETA_E"), 1.2345678901234567); // written with 17 digits
    CHECK_EQ(model.header.find("THETA_E")->comment, std::string("arcsec"));
    CHECK_EQ(str(model.header, "OBJECT"), std::string("O'Neil lens"));
    CHECK_EQ(str(model.header, "LONGTEXT"), std::string(120, 'y'));
    CHECK_EQ(num(model.header, "BITPIX"), -32.0);
    CHECK(!model.header.has("BSCALE"));

    const auto noise = readImage(path, parseHduSelector("1"));
    CHECK(noise.pixels == b);
    CHECK_EQ(noise.extname, std::string("NOISE"));

    // Re-reading a read image and writing it back keeps pixels and keywords.
    ImageHdu again{model.width, model.height, model.pixels.data(), model.header, {}};
    writeImage(path, again); // overwrites
    const auto back = readImage(path);
    CHECK_EQ(back.extname, std::string("MODEL")); // EXTNAME carried in the header
    CHECK_EQ(num(back.header, "THETA_E"), 1.2345678901234567);
    CHECK_EQ(listHdus(path).size(), 1u);
}

TEST_CASE(failedWriteKeepsOldFile)
{
    TempDir dir;
    const auto path = dir / "keep.fits";
    const std::vector<float> old = {1, 2, 3, 4};
    writeImage(path, {2, 2, old.data(), {}, "OLD"});
    const std::string before = readBytes(path);

    // The second HDU carries a keyword CFITSIO refuses ('=' in the name), so
    // the writer fails after it has written part of the temporary file.
    ImageHdu good{2, 2, old.data(), {}, "NEW"};
    ImageHdu bad{2, 2, old.data(), {}, "BAD"};
    bad.header.add({"A=B", 1.0, ""});
    const std::string name = path.string();
    CHECK_THROWS_WITH(writeImages(path, {good, bad}), name.c_str(), "HDU 1", "A=B");

    CHECK(readBytes(path) == before);
    const auto kept = readImage(path);
    CHECK_EQ(kept.extname, std::string("OLD"));
    int files = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir.path))
        ++files;
    CHECK_EQ(files, 1); // no temporary left behind
}

TEST_CASE(writerRefusesBadInput)
{
    TempDir dir;
    const std::vector<float> px = {1, 2, 3, 4};
    const auto path = dir / "x.fits";
    const std::string name = path.string();
    CHECK_THROWS_WITH(writeImages(path, {}), name.c_str(), "nothing to write");
    CHECK_THROWS_WITH(writeImage(path, {0, 2, px.data(), {}, {}}), name.c_str(), "size must be positive");
    CHECK_THROWS_WITH(writeImage(path, {2, 2, nullptr, {}, {}}), name.c_str(), "no pixel data");
    ImageHdu nan{2, 2, px.data(), {}, {}};
    nan.header.set("BAD", std::numeric_limits<double>::quiet_NaN());
    CHECK_THROWS_WITH(writeImage(path, nan), name.c_str(), "BAD", "finite");
    ImageHdu control{2, 2, px.data(), {}, {}};
    control.header.set("TEXT", std::string("tab\there"));
    CHECK_THROWS_WITH(writeImage(path, control), "TEXT", "printable ASCII");
    const auto nowhere = dir / "missing_dir" / "x.fits";
    const std::string nowhereName = nowhere.string();
    CHECK_THROWS_WITH(writeImage(nowhere, {2, 2, px.data(), {}, {}}), nowhereName.c_str(), "does not exist");
    CHECK(!fs::exists(path));
}

// ---------------------------------------------------------------- real data

namespace {

fs::path realData(const std::string &relative)
{
    const fs::path path = fs::path(ASTRORIM_REAL_DATA_DIR) / relative;
    if (!fs::exists(path))
        SKIP("real data not found: " + path.string());
    return path;
}

int finiteCount(const FitsImage &image)
{
    int n = 0;
    for (float p : image.pixels)
        n += std::isfinite(p) ? 1 : 0;
    return n;
}

} // namespace

TEST_CASE(realHstImage)
{
    // README: HST WFC3/UVIS F475X, 130 x 130, BITPIX -64 primary, PIXSCALE 0.040".
    const auto path = realData("SL2SJ0219-0829/image_F475X.fits");
    const auto image = readImage(path);
    CHECK_EQ(image.hdu, 0);
    CHECK_EQ(image.width, 130);
    CHECK_EQ(image.height, 130);
    CHECK_EQ(finiteCount(image), 130 * 130);
    CHECK_NEAR(num(image.header, "PIXSCALE"), 0.04, 1e-4);
    CHECK_EQ(str(image.header, "TELESCOP"), std::string("HST"));
    const auto psf = readImage(realData("SL2SJ0219-0829/psf_F475X.fits"));
    CHECK_EQ(psf.width, 61);
}

TEST_CASE(realEuclidFluxFile)
{
    // 25 HDUs: empty primary, then <BAND>_FLUX, <BAND>_PSF, <BAND>_RMS for
    // MEGACAM_U, HSC_G, MEGACAM_R, VIS, HSC_Z, NIR_Y, NIR_J, NIR_H.
    const auto path = realData("EUCLJ174517.55+655612.5/EUCLJ174517.55+655612.5.fits");
    const auto hdus = listHdus(path);
    CHECK_EQ(hdus.size(), 25u);
    CHECK(hdus[0].isEmpty());
    CHECK_EQ(hdus[10].extname, std::string("VIS_FLUX"));
    CHECK_EQ(hdus[11].extname, std::string("VIS_PSF"));
    CHECK(hdus[11].dims == std::vector<long>({21, 21}));

    const auto vis = readImage(path, parseHduSelector("VIS_FLUX"));
    CHECK_EQ(vis.hdu, 10);
    CHECK_EQ(vis.width, 100);
    CHECK_EQ(vis.height, 100);
    CHECK(finiteCount(vis) > 9000);
    CHECK_EQ(str(vis.header, "FILTER"), std::string("VIS"));
    // Default: the first image whose name ends in FLUX.
    const auto first = readImage(path);
    CHECK_EQ(first.extname, std::string("MEGACAM_U_FLUX"));
    CHECK_EQ(first.width, 100);
}

TEST_CASE(realEuclidBgsubFile)
{
    // 25 HDUs: empty primary, then <BAND>_BGSUB, <BAND>_PSF, <BAND>_RMS for
    // DES_G, DES_R, VIS, DES_I, DES_Z, NIR_Y, NIR_J, NIR_H.
    const auto path = realData("EUCLID_Q1_102019126_NEG589666030505609975/102019126_NEG589666030505609975.fits");
    const auto hdus = listHdus(path);
    CHECK_EQ(hdus.size(), 25u);
    CHECK_EQ(hdus[7].extname, std::string("VIS_BGSUB"));
    const auto vis = readImage(path, parseHduSelector("vis_bgsub"));
    CHECK_EQ(vis.hdu, 7);
    CHECK_EQ(vis.width, 100);
    CHECK_EQ(vis.height, 100);
    CHECK(finiteCount(vis) > 9000);
    const auto byDefault = readImage(path);
    CHECK_EQ(byDefault.extname, std::string("DES_G_BGSUB"));
    const auto psf = readImage(path, parseHduSelector("DES_G_PSF"));
    CHECK_EQ(psf.width, 49);
}

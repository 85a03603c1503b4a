// FITS reading and writing. Files are written by the tests themselves with raw
// CFITSIO calls (independent of the code under test), so every expected value
// below is stated where the file is made. Real observations are read when
// ASTRORIM_REAL_DATA_DIR exists (see /work/shared/data/real/README.md).

#include "check.h"
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

using astrorim::test::TempDir;

namespace {

// Raw CFITSIO writer for fixtures; any CFITSIO error fails the test at once.
class RawFits
{
public:
    explicit RawFits(const fs::path &path)
    {
        fs::remove(path);
        fits_create_file(&m_file, path.string().c_str(), &m_status);
        ok("create");
    }
    // Closing can fail (that is a test failure too), but not while another
    // failure is already unwinding the stack.
    ~RawFits() noexcept(false)
    {
        if (!m_file)
            return;
        if (std::uncaught_exceptions() > 0) {
            int ignored = 0;
            fits_close_file(m_file, &ignored);
            return;
        }
        close();
    }
    void close()
    {
        fits_close_file(m_file, &m_status);
        m_file = nullptr;
        ok("close");
    }
    RawFits &image(int bitpix, std::vector<long> axes)
    {
        fits_create_img(m_file, bitpix, static_cast<int>(axes.size()), axes.data(), &m_status);
        return ok("create_img");
    }
    RawFits &empty() { return image(8, {}); }
    RawFits &key(const char *name, double value)
    {
        fits_update_key(m_file, TDOUBLE, name, &value, "test value", &m_status);
        return ok(name);
    }
    RawFits &key(const char *name, long long value)
    {
        fits_update_key(m_file, TLONGLONG, name, &value, "test value", &m_status);
        return ok(name);
    }
    RawFits &key(const char *name, const char *value)
    {
        fits_update_key_longstr(m_file, name, value, "a string", &m_status);
        return ok(name);
    }
    RawFits &logical(const char *name, bool value)
    {
        int v = value ? 1 : 0;
        fits_update_key(m_file, TLOGICAL, name, &v, "a flag", &m_status);
        return ok(name);
    }
    RawFits &extname(const char *name) { return key("EXTNAME", name); }
    RawFits &record(const char *card)
    {
        fits_write_record(m_file, card, &m_status);
        return ok(card);
    }
    /// Writes raw (unscaled) values: BSCALE/BZERO in the header are not applied.
    RawFits &raw(const std::vector<double> &values)
    {
        fits_set_bscale(m_file, 1.0, 0.0, &m_status);
        fits_write_img(m_file, TDOUBLE, 1, static_cast<LONGLONG>(values.size()),
                       const_cast<double *>(values.data()), &m_status);
        return ok("write_img");
    }
    RawFits &floats(const std::vector<float> &values)
    {
        fits_write_img(m_file, TFLOAT, 1, static_cast<LONGLONG>(values.size()),
                       const_cast<float *>(values.data()), &m_status);
        return ok("write_img");
    }
    RawFits &table(const char *name)
    {
        char ttype[] = "FLUX";
        char tform[] = "1E";
        char *types[] = {ttype};
        char *forms[] = {tform};
        fits_create_tbl(m_file, BINARY_TBL, 3, 1, types, forms, nullptr, name, &m_status);
        return ok("create_tbl");
    }
    RawFits &compression(int type)
    {
        fits_set_compression_type(m_file, type, &m_status);
        return ok("set_compression_type");
    }
    fitsfile *get() { return m_file; }

private:
    RawFits &ok(const std::string &what)
    {
        if (m_status != 0) {
            char text[FLEN_STATUS];
            fits_get_errstatus(m_status, text);
            ::astrorim::test::fail(__FILE__, __LINE__, "fixture CFITSIO error at " + what + ": " + text);
        }
        return *this;
    }
    fitsfile *m_file = nullptr;
    int m_status = 0;
};

std::vector<float> ramp(long w, long h)
{
    std::vector<float> v(static_cast<std::size_t>(w * h));
    for (long i = 0; i < w * h; ++i)
        v[static_cast<std::size_t>(i)] = static_cast<float>(i);
    return v;
}

// A small valid file: empty primary, then images SCI (4x3) and ERR (4x3), then a table.
fs::path writeMultiExtension(const TempDir &dir)
{
    const auto path = dir / "multi.fits";
    RawFits f(path);
    f.empty();
    f.image(FLOAT_IMG, {4, 3}).extname("ERR").floats(std::vector<float>(12, 1.0f));
    f.image(FLOAT_IMG, {4, 3}).extname("SCI").floats(ramp(4, 3));
    f.table("CATALOG");
    return path;
}

void writeBytes(const fs::path &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string readBytes(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool isNaN(float v) { return std::isnan(v); }

// By value, so CHECK_EQ never binds a reference into a temporary optional.
double num(const FitsHeader &header, const std::string &key)
{
    const auto v = header.number(key);
    if (!v)
        ::astrorim::test::fail(__FILE__, __LINE__, "no numeric keyword " + key);
    return *v;
}

std::string str(const FitsHeader &header, const std::string &key)
{
    const auto v = header.string(key);
    if (!v)
        ::astrorim::test::fail(__FILE__, __LINE__, "no string keyword " + key);
    return *v;
}

} // namespace

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

// ------------------------------------------------- compressed files (CFITSIO)

TEST_CASE(readsTileCompressedImage)
{
    TempDir dir;
    const auto path = dir / "image.fits.fz";
    std::vector<short> raw(30 * 20);
    for (std::size_t i = 0; i < raw.size(); ++i)
        raw[i] = static_cast<short>(static_cast<int>(i % 97) - 40);
    {
        RawFits f(path);
        f.empty();
        f.compression(RICE_1).image(SHORT_IMG, {30, 20}).extname("SCI");
        int status = 0;
        fits_write_img(f.get(), TSHORT, 1, static_cast<LONGLONG>(raw.size()), raw.data(), &status);
        CHECK_EQ(status, 0);
    }
    const auto hdus = listHdus(path);
    CHECK_EQ(hdus.size(), 2u);
    CHECK(hdus[1].tileCompressed);
    CHECK_EQ(hdus[1].bitpix, 16);
    CHECK(hdus[1].dims == std::vector<long>({30, 20}));
    const auto image = readImage(path);
    CHECK_EQ(image.extname, std::string("SCI"));
    CHECK_EQ(image.width, 30);
    for (std::size_t i = 0; i < raw.size(); ++i)
        CHECK(image.pixels[i] == static_cast<float>(raw[i])); // RICE on integers is lossless
    // The header is the image's, not the binary table's that stores it.
    CHECK_EQ(num(image.header, "NAXIS1"), 30.0);
    CHECK(!image.header.has("ZIMAGE"));
}

// CFITSIO divides by ZTILEn (or ZNAXISn) and by a Rice BLOCKSIZE while it
// moves to a tile-compressed HDU: a 0 there raised SIGFPE inside the library
// (found by tests/fuzz/fuzz_fits). The reader refuses such headers before
// CFITSIO sees them.
TEST_CASE(zeroTileParametersAreRefused)
{
    TempDir dir;
    const auto good = dir / "good.fits.fz";
    {
        RawFits f(good);
        f.empty();
        f.compression(RICE_1).image(SHORT_IMG, {30, 20}).extname("SCI");
        std::vector<short> raw(30 * 20, 7);
        int status = 0;
        fits_write_img(f.get(), TSHORT, 1, static_cast<LONGLONG>(raw.size()), raw.data(), &status);
        CHECK_EQ(status, 0);
    }
    const std::string bytes = readBytes(good);
    const auto withCard = [&](const std::string &key, const std::string &value) {
        std::string patched = bytes;
        const auto at = patched.find(key, 2880);
        CHECK(at != std::string::npos && at % 80 == 0);
        const std::string card = key + std::string(8 - key.size(), ' ') + "= " + value;
        patched.replace(at, 80, card + std::string(80 - card.size(), ' '));
        const auto path = dir / (key + ".fits.fz");
        writeBytes(path, patched);
        return path;
    };
    const auto zeroTile = withCard("ZTILE2", "                   0");
    const std::string zeroTileName = zeroTile.string();
    CHECK_THROWS_WITH(listHdus(zeroTile), zeroTileName.c_str(), "ZTILE2 = 0");
    CHECK_THROWS_WITH(readImage(zeroTile), zeroTileName.c_str(), "tile size must be a positive integer");
    const auto junkTile = withCard("ZTILE1", "       0             1");
    CHECK_THROWS_WITH(readAllHeaders(junkTile), junkTile.string().c_str(), "ZTILE1");
    // ZNAXIS1 = 0 divides by zero where ZTILE1 is absent (it defaults to ZNAXIS1).
    const auto zeroAxis = withCard("ZNAXIS1", "                   0");
    CHECK_THROWS_WITH(listHdus(zeroAxis), zeroAxis.string().c_str(), "ZNAXIS1 = 0");
    // The same file cut inside its data, short of a whole 2880-byte block:
    // CFITSIO still parses the header, so the check must see it too.
    const std::string zeroBytes = readBytes(zeroTile);
    const auto cut = dir / "cut.fits.fz";
    writeBytes(cut, zeroBytes.substr(0, zeroBytes.find("END     ", 2880) + 400));
    CHECK_THROWS_WITH(listHdus(cut), cut.string().c_str(), "ZTILE2 = 0");
    const auto zeroBlock = withCard("ZVAL1", "                   0");
    CHECK_THROWS_WITH(readImage(zeroBlock), zeroBlock.string().c_str(), "BLOCKSIZE (ZVAL1) = 0");
    CHECK_EQ(readImage(good).at(3, 4), 7.0f);
}

TEST_CASE(readsGzippedFile)
{
    TempDir dir;
    const auto path = dir / "image.fits.gz"; // CFITSIO gzips files named *.gz on close
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {8, 6}).floats(ramp(8, 6));
    }
    const std::string bytes = readBytes(path);
    CHECK(bytes.size() > 2 && static_cast<unsigned char>(bytes[0]) == 0x1f
          && static_cast<unsigned char>(bytes[1]) == 0x8b);
    const auto image = readImage(path);
    CHECK_EQ(image.width, 8);
    CHECK_EQ(image.at(7, 5), 47.0f);
}

// --------------------------------------------------------------- bad input

TEST_CASE(missingFile)
{
    TempDir dir;
    const std::string name = (dir / "nope.fits").string();
    CHECK_THROWS_WITH(readImage(name), name.c_str(), "no such file");
    CHECK_THROWS_WITH(listHdus(name), name.c_str(), "no such file");
}

TEST_CASE(emptyFile)
{
    TempDir dir;
    const auto path = dir / "empty.fits";
    writeBytes(path, "");
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path), name.c_str(), "empty (0 bytes)");
}

TEST_CASE(directoryIsNotAFile)
{
    TempDir dir;
    const std::string name = dir.path.string();
    CHECK_THROWS_WITH(readImage(dir.path), name.c_str(), "is a directory");
}

TEST_CASE(nonFitsFile)
{
    TempDir dir;
    const auto path = dir / "notes.fits";
    writeBytes(path, "This is a text file, not an image.\n");
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path), name.c_str(), "not a FITS file");
    const auto png = dir / "image.png";
    writeBytes(png, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(3000, '\0'));
    const std::string pngName = png.string();
    CHECK_THROWS_WITH(listHdus(png), pngName.c_str(), "not a FITS file");
}

TEST_CASE(truncatedFiles)
{
    TempDir dir;
    const auto whole = dir / "whole.fits";
    {
        RawFits f(whole);
        f.image(FLOAT_IMG, {100, 100}).floats(ramp(100, 100)); // 2880 header + 40000 data bytes
    }
    const std::string bytes = readBytes(whole);

    const auto cutData = dir / "cut_data.fits";
    writeBytes(cutData, bytes.substr(0, 20000));
    const std::string cutDataName = cutData.string();
    CHECK_THROWS_WITH(readImage(cutData), cutDataName.c_str(), "HDU 0", "truncated", "20000 bytes");

    const auto cutHeader = dir / "cut_header.fits";
    writeBytes(cutHeader, bytes.substr(0, 1000));
    const std::string cutHeaderName = cutHeader.string();
    CHECK_THROWS_WITH(readImage(cutHeader), cutHeaderName.c_str(), "truncated");

    // A header that declares more data than the file holds (here 1000 x 1000
    // floats after a lone header block) is the same fault seen from the header.
    const auto liar = dir / "liar.fits";
    {
        RawFits f(liar);
        f.image(FLOAT_IMG, {1000, 1000});
    }
    std::string header = readBytes(liar).substr(0, 2880);
    writeBytes(liar, header + std::string(2880, '\0'));
    const std::string liarName = liar.string();
    CHECK_THROWS_WITH(readImage(liar), liarName.c_str(), "truncated", "1000 x 1000", "4000000 bytes");
}

TEST_CASE(oneDimensionalData)
{
    TempDir dir;
    const auto path = dir / "spectrum.fits";
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {50}).floats(ramp(50, 1));
    }
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path), name.c_str(), "HDU 0", "1-D", "50 values");
}

TEST_CASE(cubeIsRefused)
{
    TempDir dir;
    const auto path = dir / "cube.fits";
    {
        RawFits f(path);
        f.image(FLOAT_IMG, {4, 4, 3}).floats(ramp(4, 12));
    }
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path), name.c_str(), "HDU 0", "3-D cube", "4 x 4 x 3");
}

TEST_CASE(tableOnlyFile)
{
    TempDir dir;
    const auto path = dir / "catalog.fits";
    {
        RawFits f(path);
        f.empty();
        f.table("EVENTS");
    }
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path), name.c_str(), "no 2-D image", "EVENTS", "binary table");
    CHECK_THROWS_WITH(readImage(path, parseHduSelector("1")), name.c_str(), "HDU 1 (EVENTS)",
                      "binary table, not an image");
    CHECK_THROWS_WITH(readImage(path, parseHduSelector("0")), name.c_str(), "HDU 0", "no image data");
}

TEST_CASE(hduIndexOutOfRange)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path, parseHduSelector("7")), name.c_str(), "index 7", "out of range",
                      "4 HDUs (0 to 3)");
}

TEST_CASE(extnameNotFoundListsAvailable)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path, parseHduSelector("VIS_FLUX")), name.c_str(), "no HDU named 'VIS_FLUX'",
                      "ERR, SCI, CATALOG");
}

TEST_CASE(emptyPrimaryByIndexPointsToImages)
{
    TempDir dir;
    const auto path = writeMultiExtension(dir);
    const std::string name = path.string();
    CHECK_THROWS_WITH(readImage(path, parseHduSelector("0")), name.c_str(), "HDU 0", "no image data",
                      "1 (ERR), 2 (SCI)");
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

// FITS files that are compressed, damaged or not what a lens image should be:
// gzip and tile compression, header values that crashed CFITSIO or wcslib
// before (found by tests/fuzz), truncated and non-FITS files, wrong shapes
// and HDU choices that do not exist. Every file is written here with raw
// CFITSIO calls or bytes; test_bad_input runs the committed corpus.

#include "check.h"
#include "raw_fits.h"
#include "temp_dir.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/fits_writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fitsio.h>

using namespace astrorim;
using namespace astrorim::fits;
namespace fs = std::filesystem;

using astrorim::test::RawFits;
using astrorim::test::TempDir;
using astrorim::test::num;
using astrorim::test::ramp;
using astrorim::test::readBytes;
using astrorim::test::writeBytes;
using astrorim::test::writeMultiExtension;

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

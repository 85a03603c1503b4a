// PNG output and display stretches. The PNG is checked against the format's
// definition (W3C PNG specification, 2nd ed.): signature, IHDR fields, chunk
// CRCs, and the zlib stream decoding back to the filtered scanlines.

#include <zlib.h>

#include "check.h"

#include "common/error.h"
#include "render/montage.h"
#include "render/png_writer.h"
#include "render/stretch.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

using namespace astrorim;
using namespace astrorim::render;

namespace {

std::uint32_t bigEndian(const std::string &s, std::size_t at)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
        v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}

std::string readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

TEST_CASE(pngHasValidStructureAndDecodesToThePixels)
{
    Picture picture(5, 3, 3);
    for (std::size_t i = 0; i < picture.pixels.size(); ++i)
        picture.pixels[i] = static_cast<std::uint8_t>(i * 7);
    const auto path = std::filesystem::temp_directory_path() / "astrorim_test_render.png";
    writePng(path, picture);
    const std::string png = readFile(path);

    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    std::size_t at = 8;
    std::string idat;
    std::vector<std::string> types;
    while (at < png.size()) {
        const auto length = bigEndian(png, at);
        const std::string type = png.substr(at + 4, 4);
        const std::string body = png.substr(at + 4, 4 + length);
        const auto crc = ::crc32(0L, reinterpret_cast<const Bytef *>(body.data()), static_cast<uInt>(body.size()));
        CHECK_EQ(bigEndian(png, at + 8 + length), static_cast<std::uint32_t>(crc));
        if (type == "IHDR") {
            CHECK_EQ(bigEndian(png, at + 8), 5u);
            CHECK_EQ(bigEndian(png, at + 12), 3u);
            CHECK_EQ(static_cast<int>(png[at + 16]), 8); // bit depth
            CHECK_EQ(static_cast<int>(png[at + 17]), 2); // truecolour
        }
        if (type == "IDAT")
            idat += png.substr(at + 8, length);
        types.push_back(type);
        at += 12 + length;
    }
    CHECK(types.front() == "IHDR" && types.back() == "IEND");

    std::string raw(3 * (1 + 5 * 3), '\0');
    uLongf rawSize = static_cast<uLongf>(raw.size());
    CHECK_EQ(::uncompress(reinterpret_cast<Bytef *>(raw.data()), &rawSize,
                          reinterpret_cast<const Bytef *>(idat.data()), static_cast<uLong>(idat.size())), Z_OK);
    for (int y = 0; y < 3; ++y) {
        CHECK_EQ(static_cast<int>(raw[static_cast<std::size_t>(y * 16)]), 0); // filter: none
        for (int i = 0; i < 15; ++i)
            CHECK_EQ(static_cast<unsigned char>(raw[static_cast<std::size_t>(y * 16 + 1 + i)]),
                     picture.pixels[static_cast<std::size_t>(y * 15 + i)]);
    }
    std::filesystem::remove(path);
}

TEST_CASE(emptyPictureIsAnErrorNamingTheFile)
{
    CHECK_THROWS_WITH(writePng("/tmp/astrorim_empty.png", Picture{}), "astrorim_empty.png", "empty");
}

TEST_CASE(percentilesIgnoreNaN)
{
    std::vector<float> v;
    for (int i = 0; i <= 100; ++i)
        v.push_back(static_cast<float>(i));
    v.push_back(std::numeric_limits<float>::quiet_NaN());
    const auto limits = percentileLimits(v, 1.0, 99.0);
    CHECK_NEAR(limits.low, 1.0, 1e-9);
    CHECK_NEAR(limits.high, 99.0, 1e-9);
    const std::vector<float> flat(10, 2.0f);
    const auto flatLimits = percentileLimits(flat, 1.0, 99.0);
    CHECK(flatLimits.high > flatLimits.low);
}

TEST_CASE(asinhStretchIsMonotonicAndSaturates)
{
    const std::vector<float> v{-1.f, 0.f, 0.01f, 0.1f, 0.5f, 1.f, 2.f, std::numeric_limits<float>::quiet_NaN()};
    const auto g = asinhStretch(v, {0.0, 1.0});
    CHECK_EQ(static_cast<int>(g[0]), 0);
    CHECK_EQ(static_cast<int>(g[1]), 0);
    for (std::size_t i = 2; i < 6; ++i)
        CHECK(g[i] > g[i - 1]);
    CHECK_EQ(static_cast<int>(g[5]), 255);
    CHECK_EQ(static_cast<int>(g[6]), 255);
    CHECK_EQ(static_cast<int>(g[7]), 0);
    // Faint structure is lifted: 10 % of the range shows at
    // asinh(0.1/0.05)/asinh(1/0.05) = 39 % grey.
    CHECK_EQ(static_cast<int>(g[3]), static_cast<int>(std::lround(255 * std::asinh(2.0) / std::asinh(20.0))));
}

TEST_CASE(montageShowsFitsRowZeroAtTheBottom)
{
    // A 2×2 tile whose FITS row 0 is dark and row 1 bright.
    const std::vector<float> tile{0.f, 0.f, 1.f, 1.f};
    const Picture p = montage({{{2, 2, tile.data()}, {2, 2, tile.data()}}}, 1);
    CHECK_EQ(p.width, 2 * 2 + 3);
    CHECK_EQ(p.height, 2 + 2);
    Picture copy = p;
    CHECK_EQ(static_cast<int>(*copy.at(1, 1)), 255); // top row of the first tile: FITS row 1
    CHECK_EQ(static_cast<int>(*copy.at(1, 2)), 0);   // bottom row: FITS row 0
    CHECK_EQ(static_cast<int>(*copy.at(0, 0)), 255); // gap
}

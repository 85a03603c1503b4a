#include "render/png_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <zlib.h>

#include <fstream>
#include <string>

namespace astrorim::render {

namespace {

void appendBigEndian(std::string &out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

// A PNG chunk: length, type, data, CRC-32 of type and data (PNG spec §5.3).
void appendChunk(std::string &out, const char type[5], const std::string &data)
{
    appendBigEndian(out, static_cast<std::uint32_t>(data.size()));
    const std::string body = std::string(type, 4) + data;
    out += body;
    appendBigEndian(out, static_cast<std::uint32_t>(
                             ::crc32(0L, reinterpret_cast<const Bytef *>(body.data()), static_cast<uInt>(body.size()))));
}

} // namespace

void writePng(const std::filesystem::path &path, const Picture &picture)
{
    const std::size_t expected = static_cast<std::size_t>(picture.width) * picture.height * picture.channels;
    if (picture.width <= 0 || picture.height <= 0 || (picture.channels != 1 && picture.channels != 3)
        || picture.pixels.size() != expected)
        fail(path.string(), "cannot write an empty or inconsistent picture as PNG");

    // Scanlines, each led by filter type 0 (none).
    const std::size_t stride = static_cast<std::size_t>(picture.width) * picture.channels;
    std::string raw;
    raw.reserve((stride + 1) * static_cast<std::size_t>(picture.height));
    for (int y = 0; y < picture.height; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char *>(&picture.pixels[stride * static_cast<std::size_t>(y)]), stride);
    }
    uLongf compressedSize = ::compressBound(static_cast<uLong>(raw.size()));
    std::string compressed(compressedSize, '\0');
    if (::compress2(reinterpret_cast<Bytef *>(compressed.data()), &compressedSize,
                    reinterpret_cast<const Bytef *>(raw.data()), static_cast<uLong>(raw.size()), 6) != Z_OK)
        fail(path.string(), "PNG compression failed");
    compressed.resize(compressedSize);

    std::string header;
    appendBigEndian(header, static_cast<std::uint32_t>(picture.width));
    appendBigEndian(header, static_cast<std::uint32_t>(picture.height));
    header += std::string{8, static_cast<char>(picture.channels == 3 ? 2 : 0), 0, 0, 0}; // depth, colour, -, -, no interlace

    std::string png = "\x89PNG\r\n\x1a\n";
    appendChunk(png, "IHDR", header);
    appendChunk(png, "IDAT", compressed);
    appendChunk(png, "IEND", {});
    writeTextAtomically(path, png);
}

} // namespace astrorim::render

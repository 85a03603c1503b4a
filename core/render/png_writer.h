#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace astrorim::render {

/// An 8-bit picture, rows top to bottom (as displayed, unlike FITS), with
/// 1 (grey) or 3 (RGB) interleaved channels.
struct Picture
{
    int width = 0;
    int height = 0;
    int channels = 1;
    std::vector<std::uint8_t> pixels; ///< width · height · channels bytes

    Picture() = default;
    Picture(int w, int h, int c, std::uint8_t fill = 0)
        : width(w), height(h), channels(c), pixels(static_cast<std::size_t>(w) * h * c, fill)
    {
    }
    std::uint8_t *at(int x, int y) { return &pixels[(static_cast<std::size_t>(y) * width + x) * channels]; }
};

/// Writes `picture` as a PNG file, atomically. Throws astrorim::Error naming
/// the file when the picture is empty or inconsistent, or writing fails.
void writePng(const std::filesystem::path &path, const Picture &picture);

} // namespace astrorim::render

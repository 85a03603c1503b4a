#pragma once

// Files whose every byte depends on one number, the generation, so that a
// reader can tell a whole file of one generation from a mixture or a torn
// write. Shared by atomic_write_victim (which writes them until killed) and
// test_nothing_lost (which checks what the kill left).

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/fits_writer.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::test {

enum class GenerationWriter { Text, Fits };

inline constexpr std::size_t kGenerationTextBytes = 8u << 20;
inline constexpr long kGenerationImageSide = 1024; // 4 MB of float32 pixels

/// Writes generation `g` to `path` with the project's atomic writers:
/// writeTextAtomically, or fits::writeImage.
inline void writeGeneration(GenerationWriter writer, const std::filesystem::path &path, int g)
{
    if (writer == GenerationWriter::Text) {
        std::string text = "generation " + std::to_string(g) + "\n";
        text.resize(kGenerationTextBytes, static_cast<char>('a' + g % 26));
        writeTextAtomically(path, text);
        return;
    }
    const std::vector<float> pixels(static_cast<std::size_t>(kGenerationImageSide * kGenerationImageSide),
                                    static_cast<float>(g));
    fits::FitsHeader header;
    header.set("GEN", static_cast<std::int64_t>(g), "generation of this file");
    fits::writeImage(path, {kGenerationImageSide, kGenerationImageSide, pixels.data(), header, {}});
}

/// The generation in `path`, or nothing when the file is missing, torn or
/// mixes generations.
inline std::optional<int> readGeneration(GenerationWriter writer, const std::filesystem::path &path)
{
    if (writer == GenerationWriter::Text) {
        std::ifstream in(path, std::ios::binary);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        int g = -1;
        if (text.size() != kGenerationTextBytes || std::sscanf(text.c_str(), "generation %d\n", &g) != 1 || g < 0)
            return std::nullopt;
        const auto body = text.find('\n') + 1;
        if (text.find_first_not_of(static_cast<char>('a' + g % 26), body) != std::string::npos)
            return std::nullopt;
        return g;
    }
    try {
        const auto image = fits::readImage(path);
        const auto g = image.header.number("GEN");
        if (!g || image.width != kGenerationImageSide || image.height != kGenerationImageSide)
            return std::nullopt;
        for (const float p : image.pixels)
            if (p != static_cast<float>(*g))
                return std::nullopt;
        return static_cast<int>(*g);
    } catch (const Error &) {
        return std::nullopt;
    }
}

} // namespace astrorim::test

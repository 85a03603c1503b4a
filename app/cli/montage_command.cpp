#include "command_runner.h"
#include "commands.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_reader.h"
#include "render/montage.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace astrorim::cli {

int runMontage(const std::vector<std::string> &args)
{
    ArgumentParser parser("montage",
                          "Tiles simulated pairs into one PNG to look at: each row shows the observation,\n"
                          "the noiseless model and the unlensed source of one pair (north up, asinh stretch).");
    parser.setPositional("DIR", "folder written by 'astrorim-cli simulate'", 1, 1);
    parser.addOption("count", "N", "number of pairs (rows)", "8");
    parser.addOption("first", "I", "index of the first pair", "0");
    parser.addOption("out", "FILE", "PNG to write (default: DIR/montage.png)");
    return runCommand(parser, args, [&] {
        const std::filesystem::path dir = parser.positional()[0];
        const auto count = parser.integer("count", 1, 1000);
        const auto first = parser.integer("first", 0, 99'999);
        const std::filesystem::path out = parser.isSet("out") ? std::filesystem::path(parser.value("out"))
                                                              : dir / "montage.png";
        std::vector<fits::FitsImage> images;
        images.reserve(static_cast<std::size_t>(3 * count));
        std::vector<std::vector<render::Tile>> rows;
        InputFiles read;
        for (long long i = first; i < first + count; ++i) {
            char stem[32];
            std::snprintf(stem, sizeof stem, "%05lld.fits", i);
            const auto lensed = dir / (std::string("lensed_") + stem);
            if (!std::filesystem::exists(lensed)) {
                if (rows.empty())
                    fail(lensed.string(), "not found; is '" + dir.string() + "' a folder written by simulate?");
                break;
            }
            images.push_back(fits::readImage(lensed));
            images.push_back(fits::readImage(lensed, fits::parseHduSelector("MODEL")));
            const auto source = dir / (std::string("source_") + stem);
            images.push_back(fits::readImage(source));
            read.add(lensed);
            read.add(source);
            std::vector<render::Tile> row;
            for (auto it = images.end() - 3; it != images.end(); ++it)
                row.push_back({static_cast<int>(it->width), static_cast<int>(it->height), it->pixels.data()});
            rows.push_back(std::move(row));
        }
        read.checkOutput(out);
        render::writePng(out, render::montage(rows));
        std::cout << "wrote " << out.string() << " (" << rows.size() << " pairs: observation | model | source)\n";
        return 0;
    });
}

} // namespace astrorim::cli

#include "render/montage.h"

#include "render/stretch.h"

#include <algorithm>

namespace astrorim::render {

Picture montage(const std::vector<std::vector<Tile>> &rows, int gap)
{
    int cellWidth = 0, cellHeight = 0;
    std::size_t columns = 0;
    for (const auto &row : rows) {
        columns = std::max(columns, row.size());
        for (const auto &tile : row) {
            cellWidth = std::max(cellWidth, tile.width);
            cellHeight = std::max(cellHeight, tile.height);
        }
    }
    if (columns == 0 || cellWidth == 0)
        return {};
    const int n = static_cast<int>(columns), m = static_cast<int>(rows.size());
    Picture picture(n * cellWidth + (n + 1) * gap, m * cellHeight + (m + 1) * gap, 1, 255);
    for (int r = 0; r < m; ++r) {
        for (int c = 0; c < static_cast<int>(rows[static_cast<std::size_t>(r)].size()); ++c) {
            const Tile &tile = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            const std::span<const float> values(tile.pixels, static_cast<std::size_t>(tile.width) * tile.height);
            const auto grey = asinhStretch(values, percentileLimits(values, 1.0, 99.8));
            const int x0 = gap + c * (cellWidth + gap), y0 = gap + r * (cellHeight + gap);
            for (int y = 0; y < tile.height; ++y)
                for (int x = 0; x < tile.width; ++x)
                    *picture.at(x0 + x, y0 + y) = grey[static_cast<std::size_t>((tile.height - 1 - y) * tile.width + x)];
        }
    }
    return picture;
}

} // namespace astrorim::render

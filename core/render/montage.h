#pragma once

#include "render/png_writer.h"

#include <vector>

namespace astrorim::render {

/// A float image in FITS order (row 0 at the bottom), for display.
struct Tile
{
    int width = 0;
    int height = 0;
    const float *pixels = nullptr;
};

/// Lays out rows of tiles on a grid with `gap` white pixels between them,
/// each tile asinh-stretched between its own 1st and 99.8th percentiles and
/// flipped so that north (the last FITS row) is up. Tiles may differ in size;
/// each cell is as large as the largest tile.
Picture montage(const std::vector<std::vector<Tile>> &rows, int gap = 3);

} // namespace astrorim::render

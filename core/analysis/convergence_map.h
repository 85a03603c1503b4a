#pragma once

// The convergence κ of a lens model sampled on an image grid, in the image
// convention of core/model/image_grid.h: pixel (row, col) of a width × height
// grid with pixel scale s is centred at
//   x = center_x + (col + ½ − width/2) s,   y = center_y + (row + ½ − height/2) s,
// row 0 at the bottom (FITS order), x growing with the column. Arcsec,
// lenstronomy's frame.

#include "lensing/lens_params.h"

#include <vector>

namespace astrorim::analysis {

/// The pixels on which a map is sampled.
struct PixelGrid
{
    int width = 96;
    int height = 96;
    double pixelScale = 0.05; ///< arcsec per pixel
    double center_x = 0.0;    ///< arcsec
    double center_y = 0.0;    ///< arcsec
};

/// A map of values on a PixelGrid, row-major, row 0 at the bottom.
struct GridMap
{
    PixelGrid grid;
    std::vector<double> values;

    [[nodiscard]] double at(int row, int col) const { return values[static_cast<std::size_t>(row) * grid.width + col]; }
};

/// Throws astrorim::Error naming the field when width or height < 1, or
/// pixelScale ≤ 0, or a value is not finite.
void validate(const PixelGrid &grid);

/// Centre (arcsec) of pixel (row, col).
lensing::Vec2 pixelCenter(const PixelGrid &grid, int row, int col);

/// κ at every pixel centre. Throws astrorim::Error for an invalid grid or model.
GridMap convergenceMap(const lensing::LensModel &model, const PixelGrid &grid);

} // namespace astrorim::analysis

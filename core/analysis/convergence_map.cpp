#include "analysis/convergence_map.h"

#include "common/error.h"
#include "lensing/lens_model.h"
#include "lensing/validation.h"

#include <cmath>
#include <string>

namespace astrorim::analysis {

void validate(const PixelGrid &grid)
{
    if (grid.width < 1 || grid.height < 1)
        fail("grid size", "must be at least 1 × 1 pixels, got " + std::to_string(grid.width) + " × "
                              + std::to_string(grid.height));
    if (!(std::isfinite(grid.pixelScale) && grid.pixelScale > 0))
        fail("grid pixel scale", "must be a finite number > 0 arcsec, got "
                                     + lensing::validation::describe(grid.pixelScale));
    if (!std::isfinite(grid.center_x) || !std::isfinite(grid.center_y))
        fail("grid centre", "must be finite");
}

lensing::Vec2 pixelCenter(const PixelGrid &grid, int row, int col)
{
    return {grid.center_x + (col + 0.5 - 0.5 * grid.width) * grid.pixelScale,
            grid.center_y + (row + 0.5 - 0.5 * grid.height) * grid.pixelScale};
}

GridMap convergenceMap(const lensing::LensModel &model, const PixelGrid &grid)
{
    validate(grid);
    lensing::validate(model);
    GridMap map{grid, {}};
    map.values.reserve(static_cast<std::size_t>(grid.width) * grid.height);
    for (int row = 0; row < grid.height; ++row)
        for (int col = 0; col < grid.width; ++col) {
            const lensing::Vec2 p = pixelCenter(grid, row, col);
            map.values.push_back(lensing::convergence(model, p.x, p.y));
        }
    return map;
}

} // namespace astrorim::analysis

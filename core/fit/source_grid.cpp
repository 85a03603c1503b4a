#include "fit/source_grid.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace astrorim::fit {

SourceGrid resized(const SourceGrid &grid, int size)
{
    if (size < 8 || size > 256)
        fail("source grid", "size must lie in 8-256 pixels, got " + std::to_string(size));
    SourceGrid out = grid;
    out.size = size;
    out.pixelScale = grid.pixelScale * grid.size / size;
    return out;
}

std::vector<double> sampleOffsets(const SourceGrid &grid, int supersample)
{
    const int m = grid.size * supersample;
    std::vector<double> offsets(m);
    for (int k = 0; k < m; ++k)
        offsets[k] = ((k + 0.5) / supersample - 0.5 * grid.size) * grid.pixelScale;
    return offsets;
}

SourceGrid gridCovering(const std::vector<double> &xs, const std::vector<double> &ys,
                        const SourceGridOptions &options)
{
    if (options.size < 8 || options.size > 256)
        fail("source grid", "size must lie in 8-256 pixels, got " + std::to_string(options.size));
    if (!(options.margin >= 0) || !(options.minWidth > 0))
        fail("source grid", "margin must be ≥ 0 and the minimum width positive");
    if (xs.empty() || xs.size() != ys.size())
        fail("source grid", "no arc pixels to cover (is there arc light above the threshold?)");
    double x0 = xs[0], x1 = xs[0], y0 = ys[0], y1 = ys[0];
    for (std::size_t k = 0; k < xs.size(); ++k) {
        if (!std::isfinite(xs[k]) || !std::isfinite(ys[k]))
            fail("source grid", "a traced position is not finite");
        x0 = std::min(x0, xs[k]);
        x1 = std::max(x1, xs[k]);
        y0 = std::min(y0, ys[k]);
        y1 = std::max(y1, ys[k]);
    }
    const double footprint = std::max(x1 - x0, y1 - y0);
    const double width = std::max(footprint * (1 + 2 * options.margin), options.minWidth);
    SourceGrid grid;
    grid.size = options.size;
    grid.pixelScale = width / options.size;
    grid.centerX = 0.5 * (x0 + x1);
    grid.centerY = 0.5 * (y0 + y1);
    return grid;
}

} // namespace astrorim::fit

#pragma once

// Where the fit puts its pixels. The image plane is the N×N cutout (pixel
// scale s arcsec, FITS order: row 0 at the bottom, x along columns), sampled
// by S×S rays per pixel. The source plane has its own square grid, zoomed on
// the region the arcs come from: a lensed source is magnified, so its light
// falls on a small patch of the source plane, and a grid the size of the
// image would give it a handful of pixels.
//
// Both grids use pixel centres: image pixel (column i, row j) is centred at
// x = (i + ½ − N/2) s, y = (j + ½ − N/2) s; sub-pixel m of an axis at
// ((m + ½)/S − N/2) s. Source pixel (i, j) is centred at
// centerX + (i + ½ − n/2) h, centerY + (j + ½ − n/2) h, h its pixel scale.

#include <string>
#include <vector>

namespace astrorim::fit {

struct ImageGeometry
{
    int size = 96;          ///< N, pixels per side
    double pixelScale = 0;  ///< s, arcsec per pixel
    int supersample = 2;    ///< S, rays per pixel side

    /// Sub-pixel centre m (0 ≤ m < N·S) along either axis, arcsec.
    [[nodiscard]] double subpixel(int m) const { return ((m + 0.5) / supersample - 0.5 * size) * pixelScale; }
    /// Pixel centre i along either axis, arcsec.
    [[nodiscard]] double pixel(int i) const { return (i + 0.5 - 0.5 * size) * pixelScale; }
};

struct SourceGrid
{
    int size = 64;         ///< n, pixels per side
    double pixelScale = 0; ///< h, arcsec per source pixel
    double centerX = 0, centerY = 0; ///< arcsec, source-plane position of the grid's centre

    [[nodiscard]] double x(int i) const { return centerX + (i + 0.5 - 0.5 * size) * pixelScale; }
    [[nodiscard]] double y(int j) const { return centerY + (j + 0.5 - 0.5 * size) * pixelScale; }
    /// Fractional pixel coordinates of a source-plane position: 0 at the
    /// centre of pixel 0, 1 at the next centre.
    [[nodiscard]] double u(double x) const { return (x - centerX) / pixelScale + 0.5 * size - 0.5; }
    [[nodiscard]] double v(double y) const { return (y - centerY) / pixelScale + 0.5 * size - 0.5; }
    [[nodiscard]] int pixels() const { return size * size; }
};

struct SourceGridOptions
{
    int size = 64;          ///< pixels per side, 8-256
    double margin = 0.15;   ///< added on each side, as a fraction of the footprint's width
    double minWidth = 0.2;  ///< arcsec: never narrower than this
};

/// The same square region with `size` pixels a side.
SourceGrid resized(const SourceGrid &grid, int size);

/// Offsets from the grid's centre, arcsec, of the n·S sample centres along
/// either axis when each pixel is split into S×S samples: sample m is at
/// ((m + ½)/S − n/2) h. S = 1 gives the pixel centres x(i) − centerX.
std::vector<double> sampleOffsets(const SourceGrid &grid, int supersample = 1);

/// The square grid covering the source-plane positions `xs`, `ys` (arcsec,
/// the back-traced positions of the pixels that hold arc light) plus the
/// margin. Throws astrorim::Error for no positions, mismatched lengths,
/// non-finite positions or options outside their ranges.
SourceGrid gridCovering(const std::vector<double> &xs, const std::vector<double> &ys,
                        const SourceGridOptions &options);

} // namespace astrorim::fit

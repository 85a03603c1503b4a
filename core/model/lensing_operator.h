#pragma once

// The physical forward operator of the RIM: a pixelated source seen through
// a lens. Each image pixel sends S×S rays; a ray at θ lands at β = θ − α(θ)
// on the source plane, which shares the image grid (same pixel scale, same
// centre), and picks up the source by bilinear interpolation (zero outside
// the source grid). The rays of a pixel are averaged, then the PSF blurs the
// image. Everything is differentiable: in the source (the operator is linear
// in it) and, through the ray positions, in the lens parameters.

#include "lensing/tensor_lens.h"

#include <torch/types.h>

namespace astrorim::model {

struct OperatorConfig
{
    int gridSize = 96;   ///< pixels per side of the image and of the source grid
    int supersample = 2; ///< rays per pixel side
};

/// Where every ray of a batch lands: normalized source-plane positions
/// (x, y) in [B, N·S, N·S, 2], grid_sample's layout. Holds the autograd
/// graph back to the lens parameters when they require a gradient.
struct RayTrace
{
    torch::Tensor grid;
};

class LensingOperator
{
public:
    explicit LensingOperator(OperatorConfig config = {});

    /// Shoots the rays through `lens` for images of pixel scale
    /// `pixelScale` ([B], arcsec/pixel). Lens parameters in arcsec, image frame.
    [[nodiscard]] RayTrace trace(const lensing::LensSystemTensor &lens, const torch::Tensor &pixelScale) const;

    /// The lensed source before the PSF: source [B, N, N] → [B, N, N].
    /// Throws astrorim::Error when the shapes do not match the config or the rays.
    [[nodiscard]] torch::Tensor lensed(const torch::Tensor &source, const RayTrace &rays) const;

    /// PSF ∗ lensed(source): psf is [B, k, k] (odd k), normalized.
    [[nodiscard]] torch::Tensor blurred(const torch::Tensor &source, const RayTrace &rays,
                                        const torch::Tensor &psf) const;

    /// An approximate adjoint of lensed(), the "inverse warp" a RIM without
    /// autograd would use: every ray carries its pixel's value back to the
    /// source pixel it lands in (nearest, not bilinear), weighted 1/S² as in
    /// the average over a pixel's rays. image [B, N, N] → source plane [B, N, N].
    [[nodiscard]] torch::Tensor inverseWarp(const torch::Tensor &image, const RayTrace &rays) const;

    [[nodiscard]] const OperatorConfig &config() const { return m_config; }

private:
    OperatorConfig m_config;
};

} // namespace astrorim::model

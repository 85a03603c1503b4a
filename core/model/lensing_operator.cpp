#include "model/lensing_operator.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "model/image_grid.h"
#include "psf/convolution.h"

#include <torch/torch.h>

#include <string>

namespace astrorim::model {

namespace F = torch::nn::functional;

LensingOperator::LensingOperator(OperatorConfig config) : m_config(config)
{
    if (m_config.gridSize < 8 || m_config.gridSize > 4096)
        fail("forward operator", "grid size must be between 8 and 4096 pixels, got " +
                                     std::to_string(m_config.gridSize));
    if (m_config.supersample < 1 || m_config.supersample > 8)
        fail("forward operator", "supersampling must be between 1 and 8, got " +
                                     std::to_string(m_config.supersample));
}

RayTrace LensingOperator::trace(const lensing::LensSystemTensor &lens, const torch::Tensor &pixelScale) const
{
    if (!pixelScale.defined() || pixelScale.dim() != 1)
        fail("forward operator", "pixel scale must be a [B] tensor, got " + shapeText(pixelScale));
    const int64_t batch = pixelScale.size(0);
    const auto offsets = subpixelOffsets(m_config.gridSize, m_config.supersample, pixelScale.options());
    const auto scale = pixelScale.view({batch, 1, 1});
    const auto x = offsets.view({1, 1, -1}) * scale;
    const auto y = offsets.view({1, -1, 1}) * scale;
    const auto alpha = lensing::deflection(lens, x, y);
    const auto inverseHalfWidth = halfWidth(m_config.gridSize, pixelScale).reciprocal().view({batch, 1, 1});
    const auto betaX = (x - alpha.alpha_x) * inverseHalfWidth;
    const auto betaY = (y - alpha.alpha_y) * inverseHalfWidth;
    return {torch::stack({betaX, betaY}, -1)};
}

torch::Tensor LensingOperator::lensed(const torch::Tensor &source, const RayTrace &rays) const
{
    const int64_t n = m_config.gridSize, fine = n * m_config.supersample;
    if (!source.defined() || source.dim() != 3 || source.size(1) != n || source.size(2) != n)
        fail("forward operator", "source must be [B, " + std::to_string(n) + ", " + std::to_string(n) +
                                     "], got " + shapeText(source));
    if (!rays.grid.defined() || rays.grid.dim() != 4 || rays.grid.size(0) != source.size(0) ||
        rays.grid.size(1) != fine || rays.grid.size(2) != fine)
        fail("forward operator", "ray trace " + shapeText(rays.grid) + " does not match the source " +
                                     shapeText(source) + " and supersampling " +
                                     std::to_string(m_config.supersample));
    const auto sampled = F::grid_sample(source.unsqueeze(1), rays.grid.to(source.scalar_type()),
                                        F::GridSampleFuncOptions()
                                            .mode(torch::kBilinear)
                                            .padding_mode(torch::kZeros)
                                            .align_corners(false));
    if (m_config.supersample == 1)
        return sampled.squeeze(1);
    return torch::avg_pool2d(sampled, m_config.supersample).squeeze(1);
}

torch::Tensor LensingOperator::blurred(const torch::Tensor &source, const RayTrace &rays,
                                       const torch::Tensor &psf) const
{
    return psf::convolve(lensed(source, rays), psf);
}

torch::Tensor LensingOperator::inverseWarp(const torch::Tensor &image, const RayTrace &rays) const
{
    const int64_t n = m_config.gridSize, s = m_config.supersample;
    if (!image.defined() || image.dim() != 3 || image.size(1) != n || image.size(2) != n ||
        !rays.grid.defined() || rays.grid.dim() != 4 || rays.grid.size(0) != image.size(0) ||
        rays.grid.size(1) != n * s || rays.grid.size(2) != n * s)
        fail("forward operator", "inverse warp: image " + shapeText(image) + " and ray trace " +
                                     shapeText(rays.grid) + " do not match the operator");
    const int64_t batch = image.size(0);
    // Normalized coordinates (align_corners = false) → source pixel index.
    const auto pixel = ((rays.grid.detach() + 1) * (0.5 * static_cast<double>(n))).floor().to(torch::kLong);
    const auto column = pixel.select(-1, 0), row = pixel.select(-1, 1);
    const auto inside = (column >= 0) & (column < n) & (row >= 0) & (row < n);
    const auto target = (row.clamp(0, n - 1) * n + column.clamp(0, n - 1)).flatten(1);
    // Each ray carries its own pixel's value: the image repeated S×S.
    const auto carried = image.repeat_interleave(s, 1).repeat_interleave(s, 2) *
                         inside.to(image.scalar_type()) / static_cast<double>(s * s);
    return torch::zeros({batch, n * n}, image.options())
        .scatter_add_(1, target, carried.flatten(1))
        .view({batch, n, n});
}

} // namespace astrorim::model

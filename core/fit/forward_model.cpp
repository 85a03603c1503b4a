#include "fit/forward_model.h"

#include "common/error.h"
#include "fit/kernel_scatter.h"
#include "psf/convolution.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace astrorim::fit {

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// PSF ∗ each column of `columns` (an N² image each), the same convolution
/// as blur(), column by column through a dense scratch image: Eigen's
/// general sparse product took most of the operator's time.
SparseMatrix blurColumns(const SparseMatrix &columns, const torch::Tensor &psf, int n)
{
    const int k = static_cast<int>(psf.size(0));
    const double *K = psf.data_ptr<double>();
    ScatterScratch scratch(static_cast<std::size_t>(n) * n);
    SparseMatrix out(n * n, columns.cols());
    out.reserve(static_cast<Eigen::Index>(columns.nonZeros()) * k * k);
    for (Eigen::Index j = 0; j < columns.outerSize(); ++j) {
        out.startVec(j);
        for (SparseMatrix::InnerIterator it(columns, j); it; ++it)
            scatterThroughKernel(static_cast<int>(it.row()) / n, static_cast<int>(it.row()) % n, n, K, k, false,
                                 it.value(), [&](std::size_t cell, double v) { scratch.add(cell, v); });
        for (const int row : scratch.sortedCells())
            if (scratch[row] != 0)
                out.insertBack(row, j) = scratch[row];
        scratch.clear();
    }
    out.finalize();
    return out;
}

} // namespace

ForwardModel::ForwardModel(ImageGeometry geometry, const torch::Tensor &psf) : m_geometry(geometry)
{
    if (geometry.size < 8 || !(geometry.pixelScale > 0) || geometry.supersample < 1 || geometry.supersample > 8)
        fail("forward model", "needs at least 8 pixels a side, a positive pixel scale and 1-8 rays per pixel side");
    if (!psf.defined() || psf.dim() != 2 || psf.size(0) != psf.size(1) || psf.size(0) % 2 == 0)
        fail("forward model", "the PSF must be an odd square kernel");
    m_psf = psf.to(torch::kCPU, torch::kFloat64).contiguous();
    const double total = m_psf.sum().item<double>();
    if (!std::isfinite(total) || total <= 0 || !torch::isfinite(m_psf).all().item<bool>())
        fail("forward model", "the PSF must be finite with a positive sum");
    m_psf = m_psf / total;
    const int rays = geometry.size * geometry.supersample;
    std::vector<double> positions(rays);
    for (int m = 0; m < rays; ++m)
        positions[m] = geometry.subpixel(m);
    const auto axis = torch::tensor(positions, kDouble);
    m_x = axis.view({1, 1, rays});
    m_y = axis.view({1, rays, 1});
}

Rays ForwardModel::trace(const lensing::LensSystemTensor &lens) const
{
    const auto alpha = lensing::deflection(lens, m_x, m_y);
    return {(m_x - alpha.alpha_x).squeeze(0), (m_y - alpha.alpha_y).squeeze(0)};
}

torch::Tensor ForwardModel::lensedSource(const torch::Tensor &source, const SourceGrid &grid, const Rays &rays) const
{
    const int n = grid.size;
    if (source.dim() != 2 || source.size(0) != n || source.size(1) != n)
        fail("forward model", "the source must be " + std::to_string(n) + "×" + std::to_string(n));
    const auto u = (rays.x - grid.centerX) / grid.pixelScale + (0.5 * n - 0.5);
    const auto v = (rays.y - grid.centerY) / grid.pixelScale + (0.5 * n - 0.5);
    const auto i0 = u.detach().floor(), j0 = v.detach().floor();
    const auto wu = u - i0, wv = v - j0;
    const auto flat = source.reshape({-1});
    const auto corner = [&](const torch::Tensor &i, const torch::Tensor &j) {
        const auto inside = (i >= 0) & (i < n) & (j >= 0) & (j < n);
        const auto index = (j.clamp(0, n - 1) * n + i.clamp(0, n - 1)).to(torch::kLong);
        return flat.index_select(0, index.reshape({-1})).view_as(i) * inside.to(flat.scalar_type());
    };
    const auto sampled = (1 - wu) * (1 - wv) * corner(i0, j0) + wu * (1 - wv) * corner(i0 + 1, j0) +
                         (1 - wu) * wv * corner(i0, j0 + 1) + wu * wv * corner(i0 + 1, j0 + 1);
    const int N = m_geometry.size, S = m_geometry.supersample;
    return sampled.view({N, S, N, S}).mean({1, 3});
}

torch::Tensor ForwardModel::lightImages(const std::vector<light::SersicTensor> &light) const
{
    const int N = m_geometry.size, S = m_geometry.supersample;
    if (light.empty())
        return torch::zeros({0, N, N}, kDouble);
    std::vector<torch::Tensor> images;
    for (const auto &profile : light)
        images.push_back(light::sersic(profile, m_x, m_y).view({N, S, N, S}).mean({1, 3}));
    return torch::stack(images);
}

torch::Tensor ForwardModel::blur(const torch::Tensor &images) const
{
    if (images.dim() == 2)
        return psf::convolve(images.unsqueeze(0), m_psf).squeeze(0);
    return psf::convolve(images, m_psf);
}

torch::Tensor ForwardModel::render(const ParameterLayout &layout, const torch::Tensor &values,
                                   const torch::Tensor &source, const SourceGrid &grid,
                                   const torch::Tensor &amplitudes) const
{
    const auto p = toTensors(layout, values);
    auto image = lensedSource(source, grid, trace(p.lens));
    if (!p.light.empty()) {
        if (amplitudes.numel() != static_cast<int64_t>(p.light.size()))
            fail("forward model", "expected " + std::to_string(p.light.size()) + " light amplitudes");
        image = image + (lightImages(p.light) * amplitudes.view({-1, 1, 1})).sum(0);
    }
    return blur(image);
}

LinearOperator ForwardModel::linearOperator(const ParameterLayout &layout, const std::vector<double> &values,
                                            const SourceGrid &grid) const
{
    torch::NoGradGuard noGrad;
    const auto p = toTensors(layout, torch::tensor(values, kDouble));
    const Rays rays = trace(p.lens);
    const int N = m_geometry.size, S = m_geometry.supersample, n = grid.size, R = N * S;
    const auto rx = rays.x.contiguous(), ry = rays.y.contiguous();
    const double *X = rx.data_ptr<double>(), *Y = ry.data_ptr<double>();
    const double w = 1.0 / (S * S);
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(static_cast<std::size_t>(R) * R * 4);
    for (int my = 0; my < R; ++my)
        for (int mx = 0; mx < R; ++mx) {
            const double u = grid.u(X[my * R + mx]), v = grid.v(Y[my * R + mx]);
            if (!(u > -1 && u < n && v > -1 && v < n))
                continue;
            const int i0 = static_cast<int>(std::floor(u)), j0 = static_cast<int>(std::floor(v));
            const double fu = u - i0, fv = v - j0;
            const int row = (my / S) * N + mx / S;
            const auto add = [&](int i, int j, double weight) {
                if (i >= 0 && i < n && j >= 0 && j < n && weight != 0)
                    entries.emplace_back(row, j * n + i, w * weight);
            };
            add(i0, j0, (1 - fu) * (1 - fv));
            add(i0 + 1, j0, fu * (1 - fv));
            add(i0, j0 + 1, (1 - fu) * fv);
            add(i0 + 1, j0 + 1, fu * fv);
        }
    SparseMatrix mapping(N * N, n * n);
    mapping.setFromTriplets(entries.begin(), entries.end());
    LinearOperator out;
    out.sourceColumns = blurColumns(mapping, m_psf, N);
    out.unblurred = std::move(mapping);
    out.psf = m_psf;
    const auto light = blur(lightImages(p.light)).contiguous();
    out.lightColumns.resize(N * N, static_cast<Eigen::Index>(p.light.size()));
    for (std::size_t k = 0; k < p.light.size(); ++k)
        out.lightColumns.col(static_cast<Eigen::Index>(k)) = toVector(light[static_cast<int64_t>(k)]);
    return out;
}

torch::Tensor truncatePsf(const torch::Tensor &psf, double enclosed)
{
    if (!psf.defined() || psf.dim() != 2 || psf.size(0) != psf.size(1) || psf.size(0) % 2 == 0)
        fail("PSF", "must be an odd square kernel");
    const auto k = psf.size(0);
    const double total = psf.sum().item<double>();
    for (int64_t size = 5; size < k; size += 2) {
        const int64_t first = (k - size) / 2;
        const auto core = psf.slice(0, first, first + size).slice(1, first, first + size);
        if (core.sum().item<double>() >= enclosed * total)
            return core.contiguous();
    }
    return psf;
}

Eigen::VectorXd toVector(const torch::Tensor &image)
{
    const auto flat = image.detach().to(torch::kCPU, torch::kFloat64).contiguous().reshape({-1});
    return Eigen::Map<const Eigen::VectorXd>(flat.data_ptr<double>(), flat.numel());
}

torch::Tensor toImage(const Eigen::VectorXd &vector, int size)
{
    if (vector.size() != static_cast<Eigen::Index>(size) * size)
        fail("fit", "a vector of " + std::to_string(vector.size()) + " entries is not a " + std::to_string(size) +
                        "×" + std::to_string(size) + " image");
    return torch::from_blob(const_cast<double *>(vector.data()), {size, size}, kDouble).clone();
}

torch::Tensor toTensor(const Eigen::VectorXd &vector)
{
    return torch::from_blob(const_cast<double *>(vector.data()), {vector.size()}, kDouble).clone();
}

} // namespace astrorim::fit

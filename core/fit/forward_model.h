#pragma once

// The forward operator of the fit: rays through the lens onto the source
// grid, bilinear sampling of the source pixels, the average over each image
// pixel's rays, the PSF, plus the lens light. It is linear in the source
// pixels and in the light amplitudes, so it comes in two forms that agree to
// rounding (tested):
// - render(): LibTorch, float64, differentiable in the nonlinear parameters
//   (the lens optimizer's gradient at a fixed source);
// - mapping(): the same operator as a sparse matrix over the source pixels
//   plus dense columns for the light profiles (the linear inversion).
//
// Bilinear sampling treats the source pixels as samples at their centres
// with zeros outside the grid: a ray between the outer centres and the
// grid's edge sees the edge pixel fading to zero.

#include "fit/model_parameters.h"
#include "fit/source_grid.h"

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include <torch/types.h>

namespace astrorim::fit {

using SparseMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor>;

/// Source-plane positions of every ray, [N·S, N·S] float64 each, row index
/// along y.
struct Rays
{
    torch::Tensor x, y;
};

/// The linear part of the model for fixed nonlinear parameters: image
/// (flattened row by row, N² entries) = sourceColumns · s + lightColumns · a.
struct LinearOperator
{
    SparseMatrix sourceColumns;  ///< N² × n², PSF included
    Eigen::MatrixXd lightColumns; ///< N² × K, one Sérsic of amp 1 each, PSF included
    /// Optional: the source columns before the PSF (the rays' bilinear
    /// weights, N² × n²) and the PSF ([k, k] float64, as blurred with). With
    /// them the inversion may form its normal matrix column by column or as
    /// a dense product, whichever costs less (NormalMatrixPath), and the
    /// batched inversion applies the PSF as a convolution.
    SparseMatrix unblurred;
    torch::Tensor psf;
};

class ForwardModel
{
public:
    /// `psf` is an odd k×k kernel on the image grid (normalized here to sum 1).
    /// Throws astrorim::Error for a bad geometry or kernel.
    ForwardModel(ImageGeometry geometry, const torch::Tensor &psf);

    /// Back-traces the rays through `lens` (differentiable in its tensors).
    [[nodiscard]] Rays trace(const lensing::LensSystemTensor &lens) const;

    /// The source seen through the rays, before the PSF: source [n, n] → [N, N].
    [[nodiscard]] torch::Tensor lensedSource(const torch::Tensor &source, const SourceGrid &grid,
                                             const Rays &rays) const;

    /// Each light profile (amp as given) averaged over the pixels' rays, before the PSF: [K, N, N].
    [[nodiscard]] torch::Tensor lightImages(const std::vector<light::SersicTensor> &light) const;

    /// PSF ∗ images, zero outside the image ("same" size): [..., N, N].
    [[nodiscard]] torch::Tensor blur(const torch::Tensor &images) const;

    /// The model image [N, N] for parameter vector `values` ([count] float64,
    /// may require a gradient), source [n, n] and light amplitudes [K].
    [[nodiscard]] torch::Tensor render(const ParameterLayout &layout, const torch::Tensor &values,
                                       const torch::Tensor &source, const SourceGrid &grid,
                                       const torch::Tensor &amplitudes) const;

    /// The same operator as a matrix, for the rays and light of `values`.
    [[nodiscard]] LinearOperator linearOperator(const ParameterLayout &layout, const std::vector<double> &values,
                                                const SourceGrid &grid) const;

    [[nodiscard]] const ImageGeometry &geometry() const { return m_geometry; }
    [[nodiscard]] const torch::Tensor &psf() const { return m_psf; }
    /// Sub-pixel positions: x [1, 1, N·S] and y [1, N·S, 1], arcsec.
    [[nodiscard]] const torch::Tensor &rayX() const { return m_x; }
    [[nodiscard]] const torch::Tensor &rayY() const { return m_y; }

private:
    ImageGeometry m_geometry;
    torch::Tensor m_psf; ///< [k, k] float64, sum 1
    torch::Tensor m_x, m_y;
};

/// The central part of an odd square PSF that holds `enclosed` of its flux
/// (the smallest such odd square, at least 5 pixels): the fit's operator
/// costs grow with the kernel's area, and a 25-pixel kernel is mostly
/// empty wings. The fit renormalizes it to sum 1.
torch::Tensor truncatePsf(const torch::Tensor &psf, double enclosed = 0.995);

/// A tensor [n, n] (or [N, N]) as a column vector, row by row, and back.
Eigen::VectorXd toVector(const torch::Tensor &image);
torch::Tensor toImage(const Eigen::VectorXd &vector, int size);
/// A vector as a float64 tensor of its length (a copy).
torch::Tensor toTensor(const Eigen::VectorXd &vector);

} // namespace astrorim::fit

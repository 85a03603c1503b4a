#pragma once

// Regularization of a pixelated source (Warren & Dye 2003; Suyu et al. 2006,
// MNRAS 371, 983, section 2.2): the penalty ½ sᵀ H s with H = Dᵀ D, D the
// finite differences along both axes. Differences reach one pixel past the
// grid's edge, where the source is taken to be zero, so H is positive
// definite and its determinant, which the evidence needs, is finite.

#include <Eigen/SparseCore>

#include <string>

namespace astrorim::fit {

enum class Regularization {
    Gradient,  ///< first differences: penalizes the source's slope
    Curvature, ///< second differences: penalizes its curvature
};

std::string regularizationName(Regularization kind);
/// "gradient" or "curvature"; throws astrorim::Error naming the choices.
Regularization parseRegularization(const std::string &name);

/// H for an n×n source grid (pixels row by row), n² × n², symmetric positive definite.
Eigen::SparseMatrix<double> regularizationMatrix(int n, Regularization kind);

/// How the best λ moves when the pixels shrink by `ratio` (old / new pixel
/// size) at a fixed continuous source: the curvature penalty of a smooth
/// source falls as h², so λ grows as ratio²; the gradient penalty does not
/// depend on h. A starting guess for the evidence search on a finer grid.
double lambdaGridFactor(Regularization kind, double ratio);

/// log det H without factoring it: H = I ⊗ T + T ⊗ I, a Kronecker sum of the
/// one-axis operator T (D₁ᵀD₁ for the gradient, D₂² for the curvature), so
/// its eigenvalues are t_i + t_j over the n eigenvalues t of T.
double regularizationLogDeterminant(int n, Regularization kind);

} // namespace astrorim::fit

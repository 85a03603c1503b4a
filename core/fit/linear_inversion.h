#pragma once

// The regularized linear inversion (Warren & Dye 2003; Suyu et al. 2006,
// MNRAS 371, 983): for fixed nonlinear parameters the model is linear,
// d ≈ M x with x = (source pixels, light amplitudes), and
//   x̂(λ) = argmin  (M x − d)ᵀ C⁻¹ (M x − d) + xᵀ P(λ) x,
//   P(λ) = diag(λ H, ε),  A = Mᵀ C⁻¹ M + P(λ),  x̂ = A⁻¹ Mᵀ C⁻¹ d,
// with H the source regularization and ε a vague Gaussian prior on each
// light amplitude (10⁻⁶ of its data term). The Bayesian evidence,
//   log p(d | λ) = −½ χ² − ½ x̂ᵀ P x̂ − ½ log det A + ½ log det P − ½ Σ log 2πσ²,
// is the Gaussian marginal likelihood N(d; 0, C + M P⁻¹ Mᵀ) (tested against
// it); λ maximizes it. M is sparse (bilinear weights blurred by the PSF),
// so A is accumulated row by row of M; A itself fills in (the PSF couples
// every source pixel to its neighbours within the PSF's reach traced back,
// many pixels on a fine grid), so it is held dense and factored by LAPACK's
// Cholesky through LibTorch. A sparse LDLᵀ (Eigen's simplicial, AMD
// ordering) was measured first and was ten times slower at 32² (bench fit).
// The per-pixel 1σ, √diag(A⁻¹), comes from the same factor.

#include "fit/forward_model.h"

#include <memory>

namespace astrorim::fit {

struct InversionSolution
{
    double lambda = 0;
    Eigen::VectorXd source;     ///< n² pixels, row by row
    Eigen::VectorXd amplitudes; ///< one per light column
    Eigen::VectorXd model;      ///< M x̂, N² pixels
    double chi2 = 0;            ///< Σ (model − d)² / σ² over pixels with data
    double penalty = 0;         ///< x̂ᵀ P(λ) x̂
    double logEvidence = 0;
};

/// Checks an inversion's inputs (LinearInversion's constructor lists the
/// errors) and returns the weight with 0 wherever it is not positive and
/// finite. Both inversions, dense and iterative, call it.
Eigen::VectorXd checkedWeight(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                              const Eigen::SparseMatrix<double> &regularization);

/// The vague prior ε on a light amplitude: 10⁻⁶ of its column's data term
/// (Mlᵀ C⁻¹ Ml)_kk, or 1 for a column that reaches no pixel with data.
inline double lightAmplitudePrior(double dataTerm) { return dataTerm > 0 ? 1e-6 * dataTerm : 1.0; }

/// How Mᵀ C⁻¹ M is formed: from M's rows (each weighted row's outer
/// product), column by column as Lᵀ(Pᵀ C⁻¹ M) (needs the operator's
/// unblurred columns and PSF), or as one dense product DᵀD over the rows the
/// source reaches. All give the same matrix to rounding (tested); Automatic
/// takes the cheapest by an operation count.
enum class NormalMatrixPath { Automatic, Rows, Columns, Dense };

class LinearInversion
{
public:
    /// `weight` is 1/σ² per pixel (0: no data); data and weight have the
    /// operator's N² rows; `regularization` is n² × n². Throws
    /// astrorim::Error for mismatched sizes, no pixel with data or
    /// non-finite data.
    /// `logDetRegularization` is log det H (regularizationLogDeterminant).
    LinearInversion(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                    const Eigen::SparseMatrix<double> &regularization, double logDetRegularization,
                    NormalMatrixPath path = NormalMatrixPath::Automatic);
    ~LinearInversion();
    LinearInversion(const LinearInversion &) = delete;
    LinearInversion &operator=(const LinearInversion &) = delete;

    /// The solution at λ > 0. Throws astrorim::Error if A is not positive definite.
    InversionSolution solve(double lambda);

    /// The λ of largest evidence: a scan over ten decades around
    /// lambdaScale() in steps of one, then successive parabolic
    /// interpolation within a decade of the best until a step moves log λ
    /// by less than `tolerance` / 2. With `guess` > 0 (a λ found on a
    /// similar problem), the scan covers only one decade either side of it.
    InversionSolution solveBestEvidence(double tolerance = 0.02, double guess = 0);

    /// The Gauss-Newton Hessian in p nonlinear parameters of the penalized
    /// χ² with the source and amplitudes re-solved (the profile; their
    /// marginal differs from it by log det A, left out here):
    ///   2 (Jᵀ C⁻¹ J − Jᵀ C⁻¹ M A⁻¹ Mᵀ C⁻¹ J),
    /// with J (N² × p) the model's derivatives in those parameters at fixed
    /// source and amplitudes. Positive semi-definite by construction.
    Eigen::MatrixXd profileHessian(double lambda, const Eigen::MatrixXd &jacobian);
    /// The per-pixel 1σ of the source at λ, √diag(A⁻¹), n² entries.
    Eigen::VectorXd sourceSigma(double lambda);

    /// λ at which the regularization weighs as much as the data on average:
    /// mean diag of the source's data term over mean diag of H.
    [[nodiscard]] double lambdaScale() const;
    [[nodiscard]] int dataPixels() const;
    /// Cholesky factorizations of A so far (one per new λ).
    [[nodiscard]] int factorizations() const;
    /// The way the normal matrix was formed.
    [[nodiscard]] NormalMatrixPath normalMatrixPath() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::fit

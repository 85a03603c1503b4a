#pragma once

// The regularized linear inversion of linear_inversion.h, matrix-free: the
// same solution x̂ = A⁻¹ Mᵀ C⁻¹ d at a given λ, with A = Mᵀ C⁻¹ M + P(λ)
// applied as products with the sparse M and its transpose, never formed.
// Preconditioned conjugate gradients (Hestenes & Stiefel 1952); the
// preconditioner is block-diagonal: for the source pixels λH plus the data
// term's diagonal (a sparse Cholesky factor), for the K light amplitudes
// their own K×K block. The PSF's coupling of neighbouring source pixels and
// the source–light coupling (rank K: at most K more iterations) are left to
// the iterations. (The exact Schur complement of the light block against
// this approximate source block need not be positive definite.)
//
// It neither needs nor gives log det A: no evidence and no per-pixel 1σ. The
// fit picks λ by the evidence on its coarse grid (dense) and may then solve
// the final grid here.

#include "fit/forward_model.h"
#include "fit/linear_inversion.h"

#include <Eigen/SparseCore>

#include <memory>

namespace astrorim::fit {

struct IterativeOptions
{
    int maxIterations = 500;
    double tolerance = 1e-8; ///< on ‖A x − b‖ / ‖b‖
};

class IterativeInversion
{
public:
    /// Inputs as for LinearInversion (`weight` 1/σ², 0 without data), at a fixed λ > 0.
    /// Throws astrorim::Error for mismatched sizes, no pixel with data, non-finite data or λ ≤ 0.
    IterativeInversion(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                       const Eigen::SparseMatrix<double> &regularization, double lambda);
    ~IterativeInversion();
    IterativeInversion(const IterativeInversion &) = delete;
    IterativeInversion &operator=(const IterativeInversion &) = delete;

    /// The solution (logEvidence NaN). `start` (sources then amplitudes, or
    /// empty) warm-starts the iterations. Throws astrorim::Error if they do not
    /// reach the tolerance within maxIterations.
    InversionSolution solve(const IterativeOptions &options = {}, const Eigen::VectorXd &start = {});

    /// Iterations the last solve took.
    [[nodiscard]] int iterations() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::fit

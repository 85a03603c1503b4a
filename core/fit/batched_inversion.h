#pragma once

// The regularized linear inversion of linear_inversion.h for a batch of
// lenses at once, matrix-free, in LibTorch on any device (CPU or CUDA):
//   x̂_b = A_b⁻¹ M_bᵀ C_b⁻¹ d_b,  A_b = M_bᵀ C_b⁻¹ M_b + diag(λ_b H, ε_b),
// with M_b = P_b L_b applied as L_b (the rays' bilinear weights, one sparse
// block-diagonal matrix for the whole batch), then the PSF P_b as a
// convolution, plus the light columns; Mᵀ as the PSF's adjoint (a
// correlation) and Lᵀ. Nothing of size n² × n² is formed. Preconditioned
// conjugate gradients (Hestenes & Stiefel 1952), one per lens, run in
// lockstep: each lens stops updating when its own residual is small enough.
// The preconditioner is diagonal (Jacobi): the data term's exact diagonal
// plus λ diag(H), and ε for the light amplitudes.
//
// Every lens shares the image size, the source grid's pixel count, the
// regularization and the number of light columns; each has its own lens,
// grid region, PSF, noise and λ. Like IterativeInversion it gives neither
// log det A nor the per-pixel 1σ: λ comes from the evidence of a dense
// inversion (LinearInversion) on the coarse grid, as in the fit.

#include "fit/iterative_inversion.h"
#include "fit/linear_inversion.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace astrorim::fit {

/// One lens of a batch: its operator (with `unblurred` and `psf`), data,
/// weights (1/σ², 0 without data) and λ.
struct BatchedProblem
{
    const LinearOperator *op = nullptr;
    const Eigen::VectorXd *data = nullptr;
    const Eigen::VectorXd *weight = nullptr;
    double lambda = 0;
};

class BatchedInversion
{
public:
    /// Copies the batch onto `device`. Throws astrorim::Error for an empty
    /// batch, an operator without its unblurred columns and PSF, lenses that
    /// differ in image size, source pixels or light columns, λ ≤ 0, and
    /// everything LinearInversion refuses (checkedWeight).
    BatchedInversion(const std::vector<BatchedProblem> &batch, const Eigen::SparseMatrix<double> &regularization,
                     torch::Device device);
    ~BatchedInversion();
    BatchedInversion(const BatchedInversion &) = delete;
    BatchedInversion &operator=(const BatchedInversion &) = delete;

    /// Every lens's solution (logEvidence NaN), on the host. Throws
    /// astrorim::Error naming the first lens that did not reach the
    /// tolerance within maxIterations.
    std::vector<InversionSolution> solve(const IterativeOptions &options = {});

    /// Iterations the last solve ran (those of its slowest lens).
    [[nodiscard]] int iterations() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::fit

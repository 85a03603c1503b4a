#pragma once

// The objective of the lens optimization: for nonlinear parameters x, the
// penalized χ² at the inverted source,
//   f(x) = min over (s, a) of  χ²(x, s, a) + sᵀ λH s + aᵀ ε a,
// on a fixed source grid and at a fixed λ. By the envelope theorem its
// gradient is the partial derivative of χ² in x at the minimizing (s, a):
// no derivative of the solver is needed (DESIGN.md, "Lens optimization").
// The partial derivative comes from LibTorch's autograd through
// ForwardModel::render.

#include "fit/forward_model.h"
#include "fit/iterative_inversion.h"
#include "fit/linear_inversion.h"
#include "fit/regularization.h"

#include <Eigen/SparseCore>

namespace astrorim::fit {

class LensObjective
{
public:
    /// `data` and `weight` (1/σ², 0 without data) are N² vectors row by row.
    LensObjective(const ForwardModel &model, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                  ParameterLayout layout, SourceGrid grid, Regularization regularization, double lambda);

    struct Evaluation
    {
        double value = 0; ///< f(x) = χ² + penalty
        InversionSolution solution;
    };

    /// Inverts at x. Throws astrorim::Error for parameters outside their domain.
    [[nodiscard]] Evaluation evaluate(const std::vector<double> &x) const;

    /// ∂χ²/∂x at fixed source and amplitudes: the gradient of f at x when
    /// `solution` is evaluate(x).solution.
    [[nodiscard]] std::vector<double> gradient(const std::vector<double> &x, const InversionSolution &solution) const;

    /// The Gauss-Newton Hessian of f at x with the source and amplitudes
    /// re-solved (LinearInversion::profileHessian), the model's derivatives
    /// by central differences at the inverted source, steps of 10⁻³ of each
    /// entry's scale. Positive semi-definite, unlike the differences of the
    /// gradient, which the bilinear source and the lens light's cusp make
    /// rough at the optimum.
    [[nodiscard]] Eigen::MatrixXd gaussNewtonHessian(const std::vector<double> &x) const;

    /// The inversion at x with λ chosen by the evidence (λ is not changed here).
    /// With `guess` > 0 the search stays within a decade of it (LinearInversion::solveBestEvidence).
    [[nodiscard]] InversionSolution bestEvidence(const std::vector<double> &x, double guess = 0) const;
    /// The inversion through the lens x on this grid (its normal matrix
    /// formed once, for several λ and the source's 1σ).
    [[nodiscard]] LinearInversion inversionAt(const std::vector<double> &x) const;

    void setLambda(double lambda)
    {
        m_lambda = lambda;
        m_last = {};
    }
    /// evaluate() by conjugate gradients warm-started from the previous
    /// evaluation (IterativeInversion) instead of a dense factorization.
    void setMatrixFree(bool on) { m_matrixFree = on; }
    [[nodiscard]] double lambda() const { return m_lambda; }
    [[nodiscard]] const SourceGrid &grid() const { return m_grid; }
    [[nodiscard]] const ParameterLayout &layout() const { return m_layout; }

private:
    const ForwardModel &m_model;
    Eigen::VectorXd m_data, m_weight;
    torch::Tensor m_dataTensor, m_weightTensor;
    ParameterLayout m_layout;
    SourceGrid m_grid;
    Eigen::SparseMatrix<double> m_regularization;
    double m_logDetH;
    double m_lambda;
    bool m_matrixFree = false;
    mutable InversionSolution m_last; ///< the last matrix-free solution, the next one's start
};

} // namespace astrorim::fit

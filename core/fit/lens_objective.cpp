#include "fit/lens_objective.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace astrorim::fit {

namespace {
const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);
}

LensObjective::LensObjective(const ForwardModel &model, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                             ParameterLayout layout, SourceGrid grid, Regularization regularization, double lambda)
    : m_model(model), m_data(data), m_weight(weight), m_layout(layout), m_grid(grid),
      m_regularization(regularizationMatrix(grid.size, regularization)),
      m_logDetH(regularizationLogDeterminant(grid.size, regularization)), m_lambda(lambda)
{
    const int n = model.geometry().size;
    m_dataTensor = toImage(data, n);
    m_weightTensor = toImage(weight, n);
}

LinearInversion LensObjective::inversionAt(const std::vector<double> &x) const
{
    return LinearInversion(m_model.linearOperator(m_layout, x, m_grid), m_data, m_weight, m_regularization, m_logDetH);
}

LensObjective::Evaluation LensObjective::evaluate(const std::vector<double> &x) const
{
    ModelParameters p{m_layout, x};
    p.validate("lens parameters");
    Evaluation e;
    if (m_matrixFree) {
        // Conjugate gradients from the last solution: successive optimizer
        // steps move the source little. A system they do not solve within
        // the iteration cap (a wide PSF on a fine grid) goes to the dense
        // factorization instead: the optimizer needs the exact minimum.
        const auto op = m_model.linearOperator(m_layout, x, m_grid);
        IterativeInversion inversion(op, m_data, m_weight, m_regularization, m_lambda);
        Eigen::VectorXd start;
        if (m_last.source.size() > 0) {
            start.resize(m_last.source.size() + m_last.amplitudes.size());
            start << m_last.source, m_last.amplitudes;
        }
        try {
            e.solution = inversion.solve({300, 1e-9}, start);
        } catch (const Error &) {
            e.solution = LinearInversion(op, m_data, m_weight, m_regularization, m_logDetH).solve(m_lambda);
        }
        e.solution.logEvidence = std::nan("");
        m_last = e.solution;
    } else {
        e.solution = inversionAt(x).solve(m_lambda);
    }
    e.value = e.solution.chi2 + e.solution.penalty;
    return e;
}

std::vector<double> LensObjective::gradient(const std::vector<double> &x, const InversionSolution &solution) const
{
    torch::AutoGradMode enableGrad(true); // callers may hold a NoGradGuard
    auto values = torch::tensor(x, kDouble).requires_grad_(true);
    const auto source = toImage(solution.source, m_grid.size);
    const auto amplitudes = toTensor(solution.amplitudes);
    const auto model = m_model.render(m_layout, values, source, m_grid, amplitudes);
    const auto chi2 = (m_weightTensor * (model - m_dataTensor).square()).sum();
    chi2.backward();
    const auto g = values.grad().contiguous();
    return {g.data_ptr<double>(), g.data_ptr<double>() + g.numel()};
}

Eigen::MatrixXd LensObjective::gaussNewtonHessian(const std::vector<double> &x) const
{
    ModelParameters p{m_layout, x};
    p.validate("lens parameters");
    auto inversion = inversionAt(x);
    const auto solution = inversion.solve(m_lambda);
    const auto source = toImage(solution.source, m_grid.size);
    const auto amplitudes = toTensor(solution.amplitudes);
    torch::NoGradGuard noGrad;
    const auto modelAt = [&](const std::vector<double> &values) {
        return toVector(m_model.render(m_layout, torch::tensor(values, kDouble), source, m_grid, amplitudes));
    };
    const int count = m_layout.count();
    Eigen::MatrixXd jacobian(m_data.size(), count);
    for (int i = 0; i < count; ++i) {
        const double h = 1e-3 * p.scale(i);
        auto up = x, down = x;
        up[i] += h;
        down[i] -= h;
        jacobian.col(i) = (modelAt(up) - modelAt(down)) / (2 * h);
    }
    return inversion.profileHessian(m_lambda, jacobian);
}

InversionSolution LensObjective::bestEvidence(const std::vector<double> &x, double guess) const
{
    return inversionAt(x).solveBestEvidence(0.02, guess);
}

} // namespace astrorim::fit

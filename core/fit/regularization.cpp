#include "fit/regularization.h"

#include "common/error.h"

#include <Eigen/Dense>

#include <cmath>
#include <vector>

namespace astrorim::fit {

std::string regularizationName(Regularization kind)
{
    return kind == Regularization::Gradient ? "gradient" : "curvature";
}

Regularization parseRegularization(const std::string &name)
{
    if (name == "gradient")
        return Regularization::Gradient;
    if (name == "curvature")
        return Regularization::Curvature;
    fail("regularization", "unknown kind '" + name + "' (choose gradient or curvature)");
}

Eigen::SparseMatrix<double> regularizationMatrix(int n, Regularization kind)
{
    if (n < 2)
        fail("regularization", "the grid needs at least 2 pixels a side");
    // One row of D per pixel and axis: the difference stencil centred (or
    // starting) at that pixel, with pixels outside the grid left out (zero).
    const std::vector<std::pair<int, double>> stencil =
        kind == Regularization::Gradient ? std::vector<std::pair<int, double>>{{0, -1.0}, {1, 1.0}}
                                         : std::vector<std::pair<int, double>>{{-1, 1.0}, {0, -2.0}, {1, 1.0}};
    std::vector<Eigen::Triplet<double>> entries;
    const int pixels = n * n;
    for (int axis = 0; axis < 2; ++axis)
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const int row = axis * pixels + j * n + i;
                for (const auto &[offset, weight] : stencil) {
                    const int ii = axis == 0 ? i + offset : i, jj = axis == 1 ? j + offset : j;
                    if (ii >= 0 && ii < n && jj >= 0 && jj < n)
                        entries.emplace_back(row, jj * n + ii, weight);
                }
            }
    Eigen::SparseMatrix<double> d(2 * pixels, pixels);
    d.setFromTriplets(entries.begin(), entries.end());
    return Eigen::SparseMatrix<double>(d.transpose() * d);
}

double lambdaGridFactor(Regularization kind, double ratio)
{
    return kind == Regularization::Curvature ? ratio * ratio : 1.0;
}

double regularizationLogDeterminant(int n, Regularization kind)
{
    if (n < 2)
        fail("regularization", "the grid needs at least 2 pixels a side");
    // The one-axis difference matrix D (zero outside), then T = DᵀD.
    Eigen::MatrixXd d = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < n; ++i) {
        if (kind == Regularization::Gradient) {
            d(i, i) = -1;
            if (i + 1 < n)
                d(i, i + 1) = 1;
        } else {
            d(i, i) = -2;
            if (i > 0)
                d(i, i - 1) = 1;
            if (i + 1 < n)
                d(i, i + 1) = 1;
        }
    }
    const Eigen::MatrixXd t = d.transpose() * d;
    const Eigen::VectorXd e = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(t, Eigen::EigenvaluesOnly).eigenvalues();
    double sum = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            sum += std::log(e[i] + e[j]);
    return sum;
}

} // namespace astrorim::fit

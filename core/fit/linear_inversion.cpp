#include "fit/linear_inversion.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace astrorim::fit {

using Sparse = Eigen::SparseMatrix<double>;
using Factor = Eigen::SimplicialLDLT<Sparse, Eigen::Lower, Eigen::AMDOrdering<int>>;

struct LinearInversion::Private
{
    int sourcePixels = 0, lightCount = 0, dataPixels = 0;
    Sparse weightedM;       ///< diag(1/σ) M
    Eigen::VectorXd weightedData; ///< d/σ
    Sparse dataTerm;        ///< Mᵀ C⁻¹ M
    Sparse prior;           ///< diag(H, 0) padded to the unknowns
    Eigen::VectorXd epsilon; ///< the light amplitudes' prior
    Sparse epsilonMatrix;
    Eigen::VectorXd rhs;    ///< Mᵀ C⁻¹ d
    double logDetH = 0, dataNormalization = 0;
    Factor factor;
    double factoredLambda = -1;

    void factorize(double lambda)
    {
        if (lambda == factoredLambda)
            return;
        if (!(lambda > 0) || !std::isfinite(lambda))
            fail("linear inversion", "λ must be positive and finite");
        factor.factorize(Sparse(dataTerm + lambda * prior + epsilonMatrix));
        if (factor.info() != Eigen::Success || (factor.vectorD().array() <= 0).any())
            fail("linear inversion", "the normal matrix is not positive definite at λ = " + std::to_string(lambda));
        factoredLambda = lambda;
    }
};

LinearInversion::LinearInversion(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                                 const Sparse &regularization)
    : d(std::make_unique<Private>())
{
    const auto rows = op.sourceColumns.rows();
    d->sourcePixels = static_cast<int>(op.sourceColumns.cols());
    d->lightCount = static_cast<int>(op.lightColumns.cols());
    if (data.size() != rows || weight.size() != rows || (d->lightCount > 0 && op.lightColumns.rows() != rows))
        fail("linear inversion", "data, weights and operator disagree in size");
    if (regularization.rows() != d->sourcePixels || regularization.cols() != d->sourcePixels)
        fail("linear inversion", "the regularization does not match the source grid");
    const int unknowns = d->sourcePixels + d->lightCount;

    // M with its rows scaled by 1/σ; rows without data drop out.
    Eigen::VectorXd root = Eigen::VectorXd::Zero(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        if (weight[i] > 0 && std::isfinite(weight[i])) {
            if (!std::isfinite(data[i]))
                fail("linear inversion", "a pixel with weight has no finite data");
            root[i] = std::sqrt(weight[i]);
            ++d->dataPixels;
            d->dataNormalization += std::log(2 * std::numbers::pi / weight[i]);
        }
    }
    if (d->dataPixels == 0)
        fail("linear inversion", "no pixel has data");
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(static_cast<std::size_t>(op.sourceColumns.nonZeros()) + static_cast<std::size_t>(rows) * d->lightCount);
    for (int c = 0; c < op.sourceColumns.outerSize(); ++c)
        for (SparseMatrix::InnerIterator it(op.sourceColumns, c); it; ++it)
            if (root[it.row()] > 0)
                entries.emplace_back(it.row(), c, it.value() * root[it.row()]);
    for (int k = 0; k < d->lightCount; ++k)
        for (Eigen::Index i = 0; i < rows; ++i)
            if (root[i] > 0 && op.lightColumns(i, k) != 0)
                entries.emplace_back(i, d->sourcePixels + k, op.lightColumns(i, k) * root[i]);
    d->weightedM.resize(rows, unknowns);
    d->weightedM.setFromTriplets(entries.begin(), entries.end());
    d->weightedData = data.cwiseProduct(root);
    for (Eigen::Index i = 0; i < rows; ++i)
        if (root[i] == 0)
            d->weightedData[i] = 0;
    d->dataTerm = Sparse(d->weightedM.transpose() * d->weightedM);
    d->rhs = d->weightedM.transpose() * d->weightedData;

    entries.clear();
    for (int c = 0; c < regularization.outerSize(); ++c)
        for (Sparse::InnerIterator it(regularization, c); it; ++it)
            entries.emplace_back(it.row(), it.col(), it.value());
    d->prior.resize(unknowns, unknowns);
    d->prior.setFromTriplets(entries.begin(), entries.end());
    d->epsilon = Eigen::VectorXd::Ones(d->lightCount);
    entries.clear();
    for (int k = 0; k < d->lightCount; ++k) {
        const double term = d->dataTerm.coeff(d->sourcePixels + k, d->sourcePixels + k);
        d->epsilon[k] = term > 0 ? 1e-6 * term : 1.0;
        entries.emplace_back(d->sourcePixels + k, d->sourcePixels + k, d->epsilon[k]);
    }
    d->epsilonMatrix.resize(unknowns, unknowns);
    d->epsilonMatrix.setFromTriplets(entries.begin(), entries.end());

    Factor h(regularization);
    if (h.info() != Eigen::Success || (h.vectorD().array() <= 0).any())
        fail("linear inversion", "the regularization matrix is not positive definite");
    d->logDetH = h.vectorD().array().log().sum();
    d->factor.analyzePattern(Sparse(d->dataTerm + d->prior + d->epsilonMatrix));
}

LinearInversion::~LinearInversion() = default;

double LinearInversion::lambdaScale() const
{
    double data = 0, reg = 0;
    for (int i = 0; i < d->sourcePixels; ++i) {
        data += d->dataTerm.coeff(i, i);
        reg += d->prior.coeff(i, i);
    }
    return data > 0 ? data / reg : 1.0;
}

int LinearInversion::dataPixels() const { return d->dataPixels; }

InversionSolution LinearInversion::solve(double lambda)
{
    d->factorize(lambda);
    const Eigen::VectorXd x = d->factor.solve(d->rhs);
    InversionSolution s;
    s.lambda = lambda;
    s.source = x.head(d->sourcePixels);
    s.amplitudes = x.tail(d->lightCount);
    const Eigen::VectorXd weightedModel = d->weightedM * x;
    s.chi2 = (weightedModel - d->weightedData).squaredNorm();
    s.penalty = lambda * x.dot(d->prior * x) + x.dot(d->epsilonMatrix * x);
    const double logDetA = d->factor.vectorD().array().log().sum();
    const double logDetP = d->sourcePixels * std::log(lambda) + d->logDetH + d->epsilon.array().log().sum();
    s.logEvidence = -0.5 * (s.chi2 + s.penalty + logDetA - logDetP + d->dataNormalization);
    return s;
}

InversionSolution LinearInversion::solveBestEvidence(double tolerance)
{
    const double centre = std::log10(lambdaScale());
    auto evidence = [&](double logLambda) { return solve(std::pow(10.0, logLambda)).logEvidence; };
    double best = centre - 6, bestValue = evidence(best);
    for (double t = centre - 5; t <= centre + 4 + 1e-9; t += 1) {
        const double value = evidence(t);
        if (value > bestValue) {
            best = t;
            bestValue = value;
        }
    }
    // Golden section on [best − 1, best + 1].
    const double g = (std::sqrt(5.0) - 1) / 2;
    double a = best - 1, b = best + 1;
    double c = b - g * (b - a), e = a + g * (b - a);
    double fc = evidence(c), fe = evidence(e);
    while (b - a > tolerance) {
        if (fc > fe) {
            b = e;
            e = c;
            fe = fc;
            c = b - g * (b - a);
            fc = evidence(c);
        } else {
            a = c;
            c = e;
            fc = fe;
            e = a + g * (b - a);
            fe = evidence(e);
        }
    }
    const double chosen = std::max({fc, fe}) >= bestValue ? (fc > fe ? c : e) : best;
    return solve(std::pow(10.0, chosen));
}

Eigen::VectorXd LinearInversion::sourceSigma(double lambda)
{
    d->factorize(lambda);
    // Takahashi's recurrence on P A Pᵀ = L D Lᵀ (L unit lower triangular):
    // Z = (P A Pᵀ)⁻¹ is needed only on the pattern of L, and for j from the
    // last column down, Z_ij = −Σ_k Z_ik L_kj (i, k in column j's pattern),
    // Z_jj = 1/D_j − Σ_k L_kj Z_kj.
    const auto &L = d->factor.matrixL().nestedExpression();
    const Eigen::VectorXd D = d->factor.vectorD();
    const auto n = L.cols();
    const int *outer = L.outerIndexPtr(), *inner = L.innerIndexPtr();
    const double *value = L.valuePtr();
    std::vector<double> zColumn(static_cast<std::size_t>(L.nonZeros()), 0.0);
    Eigen::VectorXd zDiag(n);
    const auto lookup = [&](int r, int c) -> double { // Z_rc, r ≠ c, in the pattern
        if (r < c)
            std::swap(r, c);
        const int *first = inner + outer[c], *last = inner + outer[c] + (outer[c + 1] - outer[c]);
        const int *at = std::lower_bound(first, last, r);
        return (at != last && *at == r) ? zColumn[static_cast<std::size_t>(at - inner)] : 0.0;
    };
    for (auto j = n - 1; j >= 0; --j) {
        const int begin = outer[j], end = outer[j + 1];
        for (int p = begin; p < end; ++p) {
            const int i = inner[p];
            double sum = 0;
            for (int q = begin; q < end; ++q) {
                const int k = inner[q];
                sum += value[q] * (k == i ? zDiag[k] : lookup(i, k));
            }
            zColumn[static_cast<std::size_t>(p)] = -sum;
        }
        double diag = 1.0 / D[j];
        for (int p = begin; p < end; ++p)
            diag -= value[p] * zColumn[static_cast<std::size_t>(p)];
        zDiag[j] = diag;
    }
    const Eigen::VectorXd variance = d->factor.permutationPinv() * zDiag;
    return variance.head(d->sourcePixels).cwiseMax(0.0).cwiseSqrt();
}

} // namespace astrorim::fit

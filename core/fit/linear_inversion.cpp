#include "fit/linear_inversion.h"

#include "common/error.h"
#include "fit/kernel_scatter.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace astrorim::fit {

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);
using RowSparse = Eigen::SparseMatrix<double, Eigen::RowMajor>;

Eigen::VectorXd toEigen(const torch::Tensor &t)
{
    const auto c = t.contiguous();
    return Eigen::Map<const Eigen::VectorXd>(c.data_ptr<double>(), c.numel());
}

/// A dense matrix as a [rows, cols] float64 tensor, and back.
torch::Tensor toTensorMatrix(const Eigen::MatrixXd &m)
{
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const RowMajor rows = m;
    return torch::from_blob(const_cast<double *>(rows.data()), {m.rows(), m.cols()}, kDouble).clone();
}

Eigen::MatrixXd toEigenMatrix(const torch::Tensor &t)
{
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto c = t.contiguous();
    return Eigen::Map<const RowMajor>(c.data_ptr<double>(), c.size(0), c.size(1));
}

/// How many multiply-adds of the dense product take as long as one
/// scattered update of the column-wise path (measured by bench fit on
/// baseline and multi-instrument lenses).
constexpr double kMultiplyAddsPerScatter = 20;

/// The rows with data that some source column reaches, in the order first met.
std::vector<Eigen::Index> rowsReached(const SparseMatrix &source, const Eigen::VectorXd &w)
{
    std::vector<char> seen(static_cast<std::size_t>(source.rows()), 0);
    std::vector<Eigen::Index> rows;
    for (int j = 0; j < source.outerSize(); ++j)
        for (SparseMatrix::InnerIterator it(source, j); it; ++it)
            if (w[it.row()] > 0 && !seen[static_cast<std::size_t>(it.row())]) {
                seen[static_cast<std::size_t>(it.row())] = 1;
                rows.push_back(it.row());
            }
    return rows;
}

/// M = (source columns, light columns) row by row, for the row-wise normal matrix.
RowSparse rowMajorOperator(const SparseMatrix &source, const Eigen::MatrixXd &light)
{
    const auto rows = source.rows(), sourcePixels = source.cols();
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(static_cast<std::size_t>(source.nonZeros()) + static_cast<std::size_t>(rows * light.cols()));
    for (int c = 0; c < source.outerSize(); ++c)
        for (SparseMatrix::InnerIterator it(source, c); it; ++it)
            entries.emplace_back(it.row(), c, it.value());
    for (Eigen::Index k = 0; k < light.cols(); ++k)
        for (Eigen::Index i = 0; i < rows; ++i)
            if (light(i, k) != 0)
                entries.emplace_back(i, sourcePixels + k, light(i, k));
    RowSparse m(rows, sourcePixels + light.cols());
    m.setFromTriplets(entries.begin(), entries.end());
    return m;
}

/// Mᵀ C⁻¹ M (lower triangle, column-major into f: see Private::dataTerm)
/// and Mᵀ C⁻¹ d (into b) from M's rows: each weighted row's outer product. A row holds the PSF's area
/// times a few source entries, so the cost grows with the PSF's area squared.
void accumulateByRows(const RowSparse &m, const Eigen::VectorXd &w, const Eigen::VectorXd &data, double *f, double *b,
                      int u)
{
    std::vector<int> index;
    std::vector<double> value;
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        if (w[i] == 0)
            continue;
        index.clear();
        value.clear();
        for (RowSparse::InnerIterator it(m, i); it; ++it) {
            index.push_back(static_cast<int>(it.col()));
            value.push_back(it.value());
        }
        // Indices are sorted: the lower triangle (column ≤ row) only.
        for (std::size_t p = 0; p < index.size(); ++p) {
            const double wp = w[i] * value[p];
            b[index[p]] += wp * data[i];
            for (std::size_t q = 0; q <= p; ++q)
                f[static_cast<std::size_t>(index[q]) * u + index[p]] += wp * value[q];
        }
    }
}

/// The light columns' own block of Mᵀ C⁻¹ M and their part of Mᵀ C⁻¹ d,
/// over every pixel (the light reaches the whole image).
void accumulateLight(const Eigen::MatrixXd &light, const Eigen::VectorXd &w, const Eigen::VectorXd &data, double *f,
                     double *b, int sourcePixels, int u)
{
    for (int l = 0; l < light.cols(); ++l) {
        const Eigen::VectorXd weighted = light.col(l).cwiseProduct(w);
        b[sourcePixels + l] = weighted.dot(data);
        for (int m = 0; m <= l; ++m)
            f[static_cast<std::size_t>(sourcePixels + m) * u + sourcePixels + l] = weighted.dot(light.col(m));
    }
}

/// The same from M = P L (L: the rays' weights, P: the PSF) column by
/// column: for source pixel j, t = Pᵀ C⁻¹ M e_j (the PSF's adjoint, a
/// correlation, scattered from M's column), then A e_j = Lᵀ t. Each column
/// costs its blurred footprint times the PSF's area, plus the footprint
/// widened by the PSF times L's few entries per row: linear, not
/// quadratic, in the PSF's area.
void accumulateByColumns(const LinearOperator &op, const Eigen::VectorXd &w, const Eigen::VectorXd &data, double *f,
                         double *b, int u)
{
    const auto rows = op.sourceColumns.rows();
    const int n = static_cast<int>(std::lround(std::sqrt(static_cast<double>(rows))));
    const int sourcePixels = static_cast<int>(op.sourceColumns.cols()), lights = static_cast<int>(op.lightColumns.cols());
    const auto psf = op.psf.to(torch::kCPU, torch::kFloat64).contiguous();
    const int k = static_cast<int>(psf.size(0));
    const double *K = psf.data_ptr<double>();
    const RowSparse lensing = op.unblurred; // L by rows: the source pixels each image pixel sees
    // Column j writes only column j of f and entry j of b, so columns split
    // across threads give the serial result exactly.
    at::parallel_for(0, sourcePixels, 64, [&](int64_t first, int64_t last) {
        ScatterScratch scratch(static_cast<std::size_t>(rows));
        for (int j = static_cast<int>(first); j < static_cast<int>(last); ++j) {
            for (SparseMatrix::InnerIterator it(op.sourceColumns, j); it; ++it) {
                const auto p = it.row();
                const double g = w[p] * it.value();
                if (g == 0)
                    continue;
                b[j] += g * data[p];
                for (int l = 0; l < lights; ++l) // light rows come after every source row
                    f[static_cast<std::size_t>(j) * u + sourcePixels + l] += g * op.lightColumns(p, l);
                scatterThroughKernel(static_cast<int>(p / n), static_cast<int>(p % n), n, K, k, true, g,
                                     [&](std::size_t cell, double v) { scratch.add(cell, v); });
            }
            for (const int cell : scratch.cells()) {
                const double t = scratch[cell];
                for (RowSparse::InnerIterator it(lensing, cell); it; ++it)
                    if (it.col() >= j)
                        f[static_cast<std::size_t>(j) * u + it.col()] += it.value() * t;
            }
            scratch.clear();
        }
    });
    accumulateLight(op.lightColumns, w, data, f, b, sourcePixels, u);
}

/// The same by one dense product: the weighted rows of M that any source
/// column reaches, D = C^-1/2 M there, give Dᵀ D through BLAS. Its cost is
/// those rows times the unknowns squared, whatever the PSF: with wide
/// kernels, whose blurred columns are large, far below the column-wise
/// scatter's (bench fit --preset multi-instrument).
void accumulateDense(const SparseMatrix &source, const Eigen::MatrixXd &light, const Eigen::VectorXd &w,
                     const Eigen::VectorXd &data, const std::vector<Eigen::Index> &touched, double *f, double *b, int u)
{
    const int sourcePixels = static_cast<int>(source.cols()), lights = static_cast<int>(light.cols());
    const auto count = static_cast<int64_t>(touched.size());
    std::vector<int64_t> slot(static_cast<std::size_t>(source.rows()), -1); // image row → row of D
    for (int64_t r = 0; r < count; ++r)
        slot[static_cast<std::size_t>(touched[static_cast<std::size_t>(r)])] = r;
    auto dense = torch::zeros({count, u}, kDouble);
    auto weightedData = torch::empty({count}, kDouble);
    double *dd = dense.data_ptr<double>(), *wd = weightedData.data_ptr<double>();
    for (int64_t r = 0; r < count; ++r) {
        const auto i = touched[static_cast<std::size_t>(r)];
        const double root = std::sqrt(w[i]);
        wd[r] = root * data[i];
        for (int l = 0; l < lights; ++l)
            dd[r * u + sourcePixels + l] = root * light(i, l);
    }
    for (int j = 0; j < sourcePixels; ++j)
        for (SparseMatrix::InnerIterator it(source, j); it; ++it) {
            const auto r = slot[static_cast<std::size_t>(it.row())];
            if (r >= 0)
                dd[r * u + j] = std::sqrt(w[it.row()]) * it.value();
        }
    const auto product = torch::mm(dense.t(), dense).contiguous(); // symmetric: its lower triangle is used
    std::copy(product.data_ptr<double>(), product.data_ptr<double>() + static_cast<std::size_t>(u) * u, f);
    const auto projected = torch::mv(dense.narrow(1, 0, sourcePixels).t(), weightedData).contiguous();
    std::copy(projected.data_ptr<double>(), projected.data_ptr<double>() + sourcePixels, b);
    accumulateLight(light, w, data, f, b, sourcePixels, u); // over every pixel, not only the touched ones
}

} // namespace

Eigen::VectorXd checkedWeight(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                              const Eigen::SparseMatrix<double> &regularization)
{
    const auto rows = op.sourceColumns.rows(), sourcePixels = op.sourceColumns.cols();
    if (data.size() != rows || weight.size() != rows || (op.lightColumns.cols() > 0 && op.lightColumns.rows() != rows))
        fail("linear inversion", "data, weights and operator disagree in size");
    if (regularization.rows() != sourcePixels || regularization.cols() != sourcePixels)
        fail("linear inversion", "the regularization does not match the source grid");
    Eigen::VectorXd out = Eigen::VectorXd::Zero(rows);
    for (Eigen::Index i = 0; i < rows; ++i)
        if (weight[i] > 0 && std::isfinite(weight[i])) {
            if (!std::isfinite(data[i]))
                fail("linear inversion", "a pixel with weight has no finite data");
            out[i] = weight[i];
        }
    if ((out.array() == 0).all())
        fail("linear inversion", "no pixel has data");
    return out;
}

struct LinearInversion::Private
{
    int sourcePixels = 0, lightCount = 0, dataPixels = 0, unknowns = 0;
    SparseMatrix sourceColumns;   ///< M's source columns (blurred)
    Eigen::MatrixXd lightColumns; ///< M's light columns (blurred), N² × K
    Eigen::VectorXd data, root;   ///< d, and 1/σ (0 without data)
    /// Mᵀ C⁻¹ M, dense, its lower triangle only and column-major: entry
    /// (r, c), r ≥ c, at c·u + r. Each source column's pass then writes one
    /// contiguous row of memory, and LAPACK reads the buffer without a copy.
    torch::Tensor dataTerm;
    torch::Tensor rhs;            ///< Mᵀ C⁻¹ d [u]
    torch::Tensor priorIndex, priorValue; ///< H's entries as flat indices into [u, u] and values
    torch::Tensor epsilon;        ///< the light amplitudes' prior [K]
    double logDetH = 0, dataNormalization = 0;
    torch::Tensor factor;         ///< lower Cholesky factor of A at factoredLambda
    int factorizations = 0;
    NormalMatrixPath path = NormalMatrixPath::Automatic; ///< the one taken
    double factoredLambda = -1;

    void factorize(double lambda)
    {
        if (lambda == factoredLambda)
            return;
        if (!(lambda > 0) || !std::isfinite(lambda))
            fail("linear inversion", "λ must be positive and finite");
        auto a = dataTerm.clone();
        a.view({-1}).index_add_(0, priorIndex, priorValue * lambda);
        if (lightCount > 0)
            a.diagonal().narrow(0, sourcePixels, lightCount).add_(epsilon);
        auto [l, info] = torch::linalg_cholesky_ex(a.t()); // column-major already: LAPACK takes it as it is
        if (info.item<int64_t>() != 0)
            fail("linear inversion", "the normal matrix is not positive definite at λ = " + std::to_string(lambda));
        factor = l;
        factoredLambda = lambda;
        ++factorizations;
    }
};

LinearInversion::LinearInversion(const LinearOperator &op, const Eigen::VectorXd &data, const Eigen::VectorXd &weight,
                                 const Eigen::SparseMatrix<double> &regularization, double logDetRegularization,
                                 NormalMatrixPath path)
    : d(std::make_unique<Private>())
{
    const auto rows = op.sourceColumns.rows();
    d->sourcePixels = static_cast<int>(op.sourceColumns.cols());
    d->lightCount = static_cast<int>(op.lightColumns.cols());
    d->unknowns = d->sourcePixels + d->lightCount;
    const Eigen::VectorXd w = checkedWeight(op, data, weight, regularization);
    d->data = data;
    d->root = w.cwiseSqrt();
    for (Eigen::Index i = 0; i < rows; ++i)
        if (w[i] > 0) {
            ++d->dataPixels;
            d->dataNormalization += std::log(2 * std::numbers::pi / w[i]);
        }

    d->sourceColumns = op.sourceColumns;
    d->lightColumns = op.lightColumns;

    const int u = d->unknowns;
    d->dataTerm = torch::zeros({u, u}, kDouble);
    d->rhs = torch::zeros({u}, kDouble);
    double *f = d->dataTerm.data_ptr<double>(), *b = d->rhs.data_ptr<double>();
    const bool byColumns = op.unblurred.rows() == rows && op.unblurred.cols() == d->sourcePixels &&
                           op.psf.defined() && op.psf.dim() == 2 && op.psf.size(0) % 2 == 1;
    std::vector<Eigen::Index> touched; // the dense path's rows, found once
    if (path == NormalMatrixPath::Automatic) {
        // The column-wise scatter costs about nnz(M) k² scattered updates,
        // the dense product (touched rows) · u² multiply-adds at BLAS speed,
        // kMultiplyAddsPerScatter of which take as long as one update.
        path = byColumns ? NormalMatrixPath::Columns : NormalMatrixPath::Rows;
        if (byColumns) {
            touched = rowsReached(op.sourceColumns, w);
            const double k = static_cast<double>(op.psf.size(0));
            const double scatter = static_cast<double>(op.sourceColumns.nonZeros()) * k * k;
            const double dense = static_cast<double>(touched.size()) * u * u;
            if (dense < kMultiplyAddsPerScatter * scatter)
                path = NormalMatrixPath::Dense;
        }
    } else if (path == NormalMatrixPath::Dense) {
        touched = rowsReached(op.sourceColumns, w);
    }
    if (path == NormalMatrixPath::Columns && !byColumns)
        fail("linear inversion", "the column-wise normal matrix needs the operator's unblurred columns and PSF");
    switch (path) {
    case NormalMatrixPath::Columns: accumulateByColumns(op, w, data, f, b, u); break;
    case NormalMatrixPath::Dense: accumulateDense(op.sourceColumns, op.lightColumns, w, data, touched, f, b, u); break;
    default: accumulateByRows(rowMajorOperator(op.sourceColumns, op.lightColumns), w, data, f, b, u); break;
    }
    d->path = path;
    // Only the lower triangle is kept, column by column (see dataTerm):
    // LAPACK's Cholesky reads no other.

    std::vector<int64_t> flat;
    std::vector<double> values;
    for (int c = 0; c < regularization.outerSize(); ++c)
        for (Eigen::SparseMatrix<double>::InnerIterator it(regularization, c); it; ++it) {
            if (it.col() > it.row())
                continue; // H is symmetric: its lower triangle, like A's
            flat.push_back(static_cast<int64_t>(it.col()) * u + it.row());
            values.push_back(it.value());
        }
    d->priorIndex = torch::tensor(flat, torch::kLong);
    d->priorValue = torch::tensor(values, kDouble);
    d->epsilon = torch::ones({d->lightCount}, kDouble);
    for (int k = 0; k < d->lightCount; ++k) {
        d->epsilon[k] = lightAmplitudePrior(f[static_cast<std::size_t>(d->sourcePixels + k) * u + d->sourcePixels + k]);
    }
    if (!std::isfinite(logDetRegularization))
        fail("linear inversion", "log det of the regularization must be finite");
    d->logDetH = logDetRegularization;
}

LinearInversion::~LinearInversion() = default;

double LinearInversion::lambdaScale() const
{
    const double data = d->dataTerm.diagonal().narrow(0, 0, d->sourcePixels).sum().item<double>();
    double reg = 0;
    const auto index = d->priorIndex.accessor<int64_t, 1>();
    const auto value = d->priorValue.accessor<double, 1>();
    for (int64_t k = 0; k < index.size(0); ++k)
        if (index[k] / d->unknowns == index[k] % d->unknowns)
            reg += value[k];
    return data > 0 ? data / reg : 1.0;
}

int LinearInversion::dataPixels() const { return d->dataPixels; }

int LinearInversion::factorizations() const { return d->factorizations; }

NormalMatrixPath LinearInversion::normalMatrixPath() const { return d->path; }

InversionSolution LinearInversion::solve(double lambda)
{
    d->factorize(lambda);
    // LAPACK leaves the factor column-major: two triangular solves on an
    // Eigen map of it, without the copies torch::cholesky_solve makes
    // (9 ms → under 1 ms per solve at 32² on a baseline lens, a probe).
    const auto factor = d->factor.t().is_contiguous() ? d->factor : d->factor.t().contiguous().t();
    const Eigen::Map<const Eigen::MatrixXd> lower(factor.data_ptr<double>(), d->unknowns, d->unknowns);
    Eigen::VectorXd x = toEigen(d->rhs);
    lower.triangularView<Eigen::Lower>().solveInPlace(x);
    lower.transpose().triangularView<Eigen::Upper>().solveInPlace(x);
    const auto xt = torch::from_blob(x.data(), {d->unknowns}, kDouble);
    InversionSolution s;
    s.lambda = lambda;
    s.source = x.head(d->sourcePixels);
    s.amplitudes = x.tail(d->lightCount);
    s.model = d->sourceColumns * s.source;
    if (d->lightCount > 0)
        s.model += d->lightColumns * s.amplitudes;
    s.chi2 = (s.model - d->data).cwiseProduct(d->root).squaredNorm();
    // xᵀ P x with P = diag(λH, ε): from H's lower triangle, off-diagonal entries twice.
    const auto src = xt.narrow(0, 0, d->sourcePixels);
    const auto rowsOfH = torch::div(d->priorIndex, d->unknowns, "floor"), colsOfH = d->priorIndex.remainder(d->unknowns);
    const auto twice = torch::where(rowsOfH == colsOfH, torch::ones_like(d->priorValue), 2 * torch::ones_like(d->priorValue));
    const double sHs =
        (twice * d->priorValue * src.index_select(0, rowsOfH) * src.index_select(0, colsOfH)).sum().item<double>();
    const double aEa =
        d->lightCount > 0 ? (d->epsilon * xt.narrow(0, d->sourcePixels, d->lightCount).square()).sum().item<double>() : 0;
    s.penalty = lambda * sHs + aEa;
    const double logDetA = 2 * d->factor.diagonal().log().sum().item<double>();
    const double logDetP = d->sourcePixels * std::log(lambda) + d->logDetH + d->epsilon.log().sum().item<double>();
    s.logEvidence = -0.5 * (s.chi2 + s.penalty + logDetA - logDetP + d->dataNormalization);
    return s;
}

InversionSolution LinearInversion::solveBestEvidence(double tolerance, double guess)
{
    const bool near = guess > 0 && std::isfinite(guess);
    const double centre = std::log10(near ? guess : lambdaScale());
    const double below = near ? 1 : 6, above = near ? 1 : 4;
    std::map<double, double> seen; // log10 λ → log evidence
    InversionSolution best;
    const auto evidence = [&](double t) {
        const auto found = seen.find(t);
        if (found != seen.end())
            return found->second;
        auto s = solve(std::pow(10.0, t));
        if (seen.empty() || s.logEvidence > best.logEvidence)
            best = s;
        return seen[t] = s.logEvidence;
    };
    const auto bestSeen = [&] {
        return std::max_element(seen.begin(), seen.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
    };
    // A scan in steps of one decade; the search stays within a decade of its best.
    for (double t = centre - below; t <= centre + above + 1e-9; t += 1)
        evidence(t);
    const double scanned = bestSeen()->first, low = scanned - 1, high = scanned + 1;
    evidence(low);
    evidence(high);
    // Successive parabolic interpolation through the best point and its
    // nearest evaluated neighbours: log evidence is smooth and close to a
    // parabola in log λ near its maximum, so a few steps reach what a
    // golden-section search needed ten factorizations for (bench fit).
    for (int step = 0; step < 8; ++step) {
        const auto b = bestSeen();
        if (b == seen.begin() || std::next(b) == seen.end())
            break; // the maximum lies at the edge of the searched range
        const auto a = std::prev(b), c = std::next(b);
        const double da = b->first - a->first, dc = b->first - c->first;
        const double fa = b->second - a->second, fc = b->second - c->second; // both ≥ 0
        const double denominator = da * fc - dc * fa;
        if (!(std::abs(denominator) > 0))
            break;
        double vertex = b->first - 0.5 * (da * da * fc - dc * dc * fa) / denominator;
        if (!std::isfinite(vertex))
            break;
        vertex = std::clamp(vertex, a->first + 0.1 * da, c->first + 0.1 * dc); // strictly inside (a, c)
        if (std::abs(vertex - b->first) < 0.5 * tolerance || seen.count(vertex) > 0)
            break;
        evidence(vertex);
    }
    return best;
}

Eigen::MatrixXd LinearInversion::profileHessian(double lambda, const Eigen::MatrixXd &jacobian)
{
    if (jacobian.rows() != d->sourceColumns.rows())
        fail("linear inversion", "the Jacobian has " + std::to_string(jacobian.rows()) + " rows, the model " +
                                     std::to_string(d->sourceColumns.rows()));
    d->factorize(lambda);
    const Eigen::MatrixXd weighted = d->root.cwiseAbs2().asDiagonal() * jacobian; // C⁻¹ J
    Eigen::MatrixXd coupling(d->unknowns, jacobian.cols());                          // Mᵀ C⁻¹ J
    coupling.topRows(d->sourcePixels) = d->sourceColumns.transpose() * weighted;
    if (d->lightCount > 0) // an operator without light may carry a 0 × 0 block
        coupling.bottomRows(d->lightCount) = d->lightColumns.transpose() * weighted;
    const Eigen::MatrixXd solved =
        toEigenMatrix(torch::cholesky_solve(toTensorMatrix(coupling), d->factor));  // A⁻¹ Mᵀ C⁻¹ J
    const Eigen::MatrixXd hessian = 2.0 * (jacobian.transpose() * weighted - coupling.transpose() * solved);
    return 0.5 * (hessian + hessian.transpose());
}

Eigen::VectorXd LinearInversion::sourceSigma(double lambda)
{
    d->factorize(lambda);
    // A⁻¹ from the factor (LAPACK's potri, faster than solving L⁻¹ column by column).
    const auto variance = torch::cholesky_inverse(d->factor).diagonal().narrow(0, 0, d->sourcePixels);
    return toEigen(variance.sqrt());
}

} // namespace astrorim::fit

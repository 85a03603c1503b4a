// The fit's linear algebra (core/fit): the sparse operator against the
// differentiable renderer, the inversion against a dense solve, the evidence
// against the Gaussian marginal likelihood computed by brute force, the
// per-pixel 1σ against the dense inverse, and the source grid.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "fit/forward_model.h"
#include "fit/fitter.h"
#include "fit/lbfgs.h"
#include "fit/lens_objective.h"
#include "fit/parametric_source.h"
#include "fit/batched_inversion.h"
#include "fit/iterative_inversion.h"
#include "fit/linear_inversion.h"
#include "fit/regularization.h"
#include "fit/source_grid.h"

#include <Eigen/Dense>

#include <cmath>
#include <numbers>

using namespace astrorim;
using namespace astrorim::fit;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

torch::Tensor gaussianPsf(int k, double sigmaPixels)
{
    const auto r = torch::arange(k, kDouble) - (k / 2);
    const auto g = torch::exp(-0.5 * r * r / (sigmaPixels * sigmaPixels));
    return torch::outer(g, g);
}

ModelParameters lensWithLight()
{
    ModelParameters p;
    p.layout.lightComponents = 1;
    // θ_E, e1, e2, centre, shear; light R_sersic, n, e1, e2.
    p.values = {0.6, 0.12, -0.05, 0.02, -0.03, 0.03, -0.01, 0.5, 3.0, 0.1, 0.05};
    return p;
}

struct SmallProblem
{
    ForwardModel model;
    SourceGrid grid;
    LinearOperator op;
    Eigen::VectorXd data, weight;
};

/// A 16×16 image of 0.1" pixels, an 8×8 source grid of 0.06": small enough for dense algebra.
SmallProblem smallProblem(Regularization)
{
    ImageGeometry geometry{16, 0.1, 2};
    ForwardModel model(geometry, gaussianPsf(5, 0.9));
    SourceGrid grid{8, 0.06, 0.05, 0.02};
    const auto p = lensWithLight();
    auto op = model.linearOperator(p.layout, p.values, grid);
    torch::manual_seed(3);
    const auto source = torch::rand({8, 8}, kDouble);
    const Eigen::VectorXd truth = op.sourceColumns * toVector(source) + 0.7 * op.lightColumns.col(0);
    const Eigen::VectorXd noise = toVector(0.05 * torch::randn({16, 16}, kDouble));
    Eigen::VectorXd weight = Eigen::VectorXd::Constant(256, 1 / 0.0025);
    weight[17] = 0; // a pixel without data
    return {std::move(model), grid, std::move(op), truth + noise, weight};
}

/// The dense inversion of a small problem with its regularization.
LinearInversion inversionOf(const SmallProblem &p, Regularization kind)
{
    return LinearInversion(p.op, p.data, p.weight, regularizationMatrix(p.grid.size, kind),
                           regularizationLogDeterminant(p.grid.size, kind));
}

Eigen::MatrixXd denseOperator(const LinearOperator &op)
{
    Eigen::MatrixXd m(op.sourceColumns.rows(), op.sourceColumns.cols() + op.lightColumns.cols());
    m << Eigen::MatrixXd(op.sourceColumns), op.lightColumns;
    return m;
}

/// The prior P(λ) = diag(λH, ε) as LinearInversion defines it (ε = 10⁻⁶ of
/// each light column's data term), dense.
Eigen::MatrixXd densePrior(const SmallProblem &p, const Eigen::MatrixXd &m, double lambda, Regularization kind)
{
    const auto ns = p.op.sourceColumns.cols(), total = m.cols();
    Eigen::MatrixXd prior = Eigen::MatrixXd::Zero(total, total);
    prior.topLeftCorner(ns, ns) = lambda * Eigen::MatrixXd(regularizationMatrix(p.grid.size, kind));
    for (auto k = ns; k < total; ++k)
        prior(k, k) = 1e-6 * m.col(k).cwiseAbs2().dot(p.weight);
    return prior;
}

} // namespace

TEST_CASE(sparseOperatorMatchesRenderer)
{
    // The matrix and the differentiable renderer are two codings of one operator.
    ImageGeometry geometry{24, 0.08, 3};
    ForwardModel model(geometry, gaussianPsf(7, 1.2));
    SourceGrid grid{12, 0.05, 0.1, -0.05};
    auto p = lensWithLight();
    const auto op = model.linearOperator(p.layout, p.values, grid);
    CHECK_EQ(op.sourceColumns.rows(), 24 * 24);
    CHECK_EQ(op.sourceColumns.cols(), 12 * 12);
    torch::manual_seed(1);
    const auto source = torch::rand({12, 12}, kDouble);
    const auto amplitude = torch::tensor({0.3}, kDouble);
    const auto rendered = model.render(p.layout, torch::tensor(p.values, kDouble), source, grid, amplitude);
    const Eigen::VectorXd fromMatrix = op.sourceColumns * toVector(source) + 0.3 * op.lightColumns.col(0);
    const Eigen::VectorXd fromRenderer = toVector(rendered);
    CHECK(fromMatrix.norm() > 1);
    CHECK_NEAR((fromMatrix - fromRenderer).cwiseAbs().maxCoeff(), 0.0, 1e-12);
}

TEST_CASE(lensedUniformSourceIsUniformWhereRaysLandInside)
{
    // Surface brightness is conserved: a constant source seen through any lens
    // is the same constant wherever all of a pixel's rays land inside the grid.
    ImageGeometry geometry{20, 0.1, 2};
    ForwardModel model(geometry, torch::ones({1, 1}, kDouble));
    SourceGrid grid{40, 0.1, 0, 0}; // 4" wide: covers every ray of this lens
    auto p = lensWithLight();
    p.layout.lightComponents = 0;
    p.values.resize(7);
    const auto image = model.render(p.layout, torch::tensor(p.values, kDouble), torch::full({40, 40}, 2.5, kDouble),
                                    grid, torch::zeros({0}, kDouble));
    CHECK_NEAR((image - 2.5).abs().max().item<double>(), 0.0, 1e-12);
}

TEST_CASE(inversionMatchesDenseSolve)
{
    for (const auto kind : {Regularization::Gradient, Regularization::Curvature}) {
        const auto p = smallProblem(kind);
        const double lambda = 0.7;
        auto inversion = inversionOf(p, kind);
        const auto s = inversion.solve(lambda);

        const Eigen::MatrixXd m = denseOperator(p.op);
        const Eigen::MatrixXd a = m.transpose() * p.weight.asDiagonal() * m + densePrior(p, m, lambda, kind);
        const Eigen::VectorXd x = a.ldlt().solve(m.transpose() * p.weight.asDiagonal() * p.data);
        CHECK_NEAR((s.source - x.head(64)).cwiseAbs().maxCoeff(), 0.0, 1e-9);
        CHECK_NEAR(s.amplitudes[0], x[64], 1e-9);
        const Eigen::VectorXd r = m * x - p.data;
        CHECK_REL(s.chi2, r.cwiseAbs2().dot(p.weight), 1e-10);
        CHECK_EQ(inversion.dataPixels(), 255);
    }
}

TEST_CASE(normalMatrixByColumnsMatchesByRows)
{
    // The inversion forms Mᵀ C⁻¹ M as Lᵀ (Pᵀ C⁻¹ M) when the operator carries
    // its unblurred columns and PSF, as a dense product over the rows the
    // source reaches, or from M's rows. With a wide,
    // asymmetric kernel reaching past the image's edge, a pixel without data
    // and uneven weights, both must give the same solution and evidence.
    ImageGeometry geometry{16, 0.1, 2};
    torch::manual_seed(4);
    const auto psf = gaussianPsf(9, 2.0) * (1 + 0.3 * torch::rand({9, 9}, kDouble));
    ForwardModel model(geometry, psf);
    const SourceGrid grid{8, 0.06, 0.05, 0.02};
    const auto p = lensWithLight();
    const auto withPsf = model.linearOperator(p.layout, p.values, grid);
    CHECK(withPsf.unblurred.nonZeros() > 0);
    LinearOperator rowsOnly{withPsf.sourceColumns, withPsf.lightColumns, {}, {}};
    const Eigen::VectorXd data = toVector(torch::randn({16, 16}, kDouble));
    Eigen::VectorXd weight = toVector(1 + torch::rand({16, 16}, kDouble));
    weight[40] = 0;
    const auto h = regularizationMatrix(8, Regularization::Curvature);
    const double logDet = regularizationLogDeterminant(8, Regularization::Curvature);
    LinearInversion byRows(rowsOnly, data, weight, h, logDet);
    CHECK(byRows.normalMatrixPath() == NormalMatrixPath::Rows);
    const auto b = byRows.solve(0.3);
    // The column-wise scatter and the dense product over the touched rows.
    for (const auto path : {NormalMatrixPath::Columns, NormalMatrixPath::Dense}) {
        LinearInversion other(withPsf, data, weight, h, logDet, path);
        CHECK(other.normalMatrixPath() == path);
        const auto a = other.solve(0.3);
        CHECK_NEAR((a.source - b.source).cwiseAbs().maxCoeff(), 0.0, 1e-10 * b.source.cwiseAbs().maxCoeff());
        CHECK_REL(a.amplitudes[0], b.amplitudes[0], 1e-10);
        CHECK_REL(a.logEvidence, b.logEvidence, 1e-12);
    }
    CHECK_THROWS_WITH(LinearInversion(rowsOnly, data, weight, h, logDet, NormalMatrixPath::Columns), "unblurred");
}

TEST_CASE(matrixFreeInversionMatchesTheDenseSolve)
{
    // The same system by preconditioned conjugate gradients, never forming A:
    // a small, strongly and weakly regularized case (λ 0.05 and 10) with the
    // lens light's amplitude among the unknowns.
    for (const auto kind : {Regularization::Gradient, Regularization::Curvature})
        for (const double lambda : {0.05, 10.0}) {
            const auto p = smallProblem(kind);
            auto dense = inversionOf(p, kind);
            const auto expected = dense.solve(lambda);
            IterativeInversion iterative(p.op, p.data, p.weight, regularizationMatrix(8, kind), lambda);
            const auto s = iterative.solve({500, 1e-13});
            const double scale = expected.source.cwiseAbs().maxCoeff();
            CHECK_MSG((s.source - expected.source).cwiseAbs().maxCoeff() < 1e-7 * scale,
                      "λ " << lambda << ": " << (s.source - expected.source).cwiseAbs().maxCoeff());
            CHECK_REL(s.amplitudes[0], expected.amplitudes[0], 1e-7);
            CHECK_REL(s.chi2, expected.chi2, 1e-8);
            CHECK_REL(s.penalty, expected.penalty, 1e-6);
            const int tight = iterative.iterations();
            CHECK(tight > 0 && tight < 200);
            CHECK_NEAR(iterative.solve().chi2, expected.chi2, 0.01); // the default tolerance: Δχ² far below 1
            CHECK(std::isnan(s.logEvidence));
            // A warm start at the answer needs no iteration.
            Eigen::VectorXd start(65);
            start << s.source, s.amplitudes;
            iterative.solve({500, 1e-6}, start);
            CHECK_EQ(iterative.iterations(), 0);
        }
    const auto p = smallProblem(Regularization::Curvature);
    CHECK_THROWS_WITH(IterativeInversion(p.op, p.data, p.weight, regularizationMatrix(8, Regularization::Curvature), 0),
                      "λ must be positive");
    IterativeInversion capped(p.op, p.data, p.weight, regularizationMatrix(8, Regularization::Curvature), 1e-3);
    CHECK_THROWS_WITH(capped.solve({1, 1e-14}), "did not converge");
}

TEST_CASE(batchedInversionMatchesTheDenseSolves)
{
    // Three lenses in one batch, each with its own lens, grid region, PSF
    // (asymmetric 5×5 and 3×3 kernels: the smaller is padded), noise and λ, solved in
    // lockstep on the batch's device; each must match its own dense solve.
    // On CUDA too when this machine has a GPU.
    struct Lens
    {
        ForwardModel model;
        SourceGrid grid;
        LinearOperator op;
        Eigen::VectorXd data, weight;
        double lambda;
    };
    std::vector<Lens> lenses;
    torch::manual_seed(11);
    const std::vector<std::tuple<int, double, double, double>> cases{
        {5, 0.9, 0.6, 0.05}, {3, 0.6, 0.75, 2.0}, {5, 1.3, 0.5, 0.4}}; // PSF side, PSF σ, θ_E, λ
    for (const auto &[k, width, thetaE, lambda] : cases) {
        ForwardModel model({16, 0.1, 2}, gaussianPsf(k, width) * (1 + 0.5 * torch::rand({k, k}, kDouble)));
        auto p = lensWithLight();
        p.values[ThetaE] = thetaE;
        const SourceGrid grid{8, 0.05 + 0.01 * thetaE, 0.02 * thetaE, -0.01};
        auto op = model.linearOperator(p.layout, p.values, grid);
        const Eigen::VectorXd truth =
            op.sourceColumns * toVector(torch::rand({8, 8}, kDouble)) + 0.7 * op.lightColumns.col(0);
        Eigen::VectorXd weight = toVector((1 + torch::rand({16, 16}, kDouble)) / 0.0025);
        weight[static_cast<int>(lenses.size()) * 20 + 3] = 0; // a pixel without data
        lenses.push_back({std::move(model), grid, std::move(op),
                          truth + toVector(0.05 * torch::randn({16, 16}, kDouble)), weight, lambda});
    }
    const auto h = regularizationMatrix(8, Regularization::Curvature);
    const double logDet = regularizationLogDeterminant(8, Regularization::Curvature);
    std::vector<BatchedProblem> batch;
    for (const auto &l : lenses)
        batch.push_back({&l.op, &l.data, &l.weight, l.lambda});
    std::vector<torch::Device> devices{torch::kCPU};
    if (torch::cuda::is_available())
        devices.emplace_back(torch::kCUDA);
    for (const auto &device : devices) {
        BatchedInversion batched(batch, h, device);
        const auto solutions = batched.solve({1000, 1e-12});
        CHECK_EQ(solutions.size(), lenses.size());
        CHECK(batched.iterations() > 0 && batched.iterations() < 1000);
        for (std::size_t b = 0; b < lenses.size(); ++b) {
            LinearInversion dense(lenses[b].op, lenses[b].data, lenses[b].weight, h, logDet);
            const auto expected = dense.solve(lenses[b].lambda);
            const auto &s = solutions[b];
            const double scale = expected.source.cwiseAbs().maxCoeff();
            CHECK_MSG((s.source - expected.source).cwiseAbs().maxCoeff() < 1e-7 * scale,
                      device << " lens " << b << ": " << (s.source - expected.source).cwiseAbs().maxCoeff());
            CHECK_REL(s.amplitudes[0], expected.amplitudes[0], 1e-7);
            CHECK_REL(s.chi2, expected.chi2, 1e-8);
            CHECK_REL(s.penalty, expected.penalty, 1e-6);
            CHECK_NEAR((s.model - expected.model).cwiseAbs().maxCoeff(), 0.0, 1e-8 * expected.model.cwiseAbs().maxCoeff());
            CHECK_EQ(s.lambda, lenses[b].lambda);
            CHECK(std::isnan(s.logEvidence));
        }
    }
    // Lenses that cannot share a batch, and an operator without its PSF.
    ForwardModel other({16, 0.1, 2}, gaussianPsf(5, 0.9));
    const auto coarser = other.linearOperator(lensWithLight().layout, lensWithLight().values, SourceGrid{6, 0.08, 0, 0});
    auto mixed = batch;
    mixed.push_back({&coarser, &lenses[0].data, &lenses[0].weight, 0.1});
    CHECK_THROWS_WITH(BatchedInversion(mixed, h, torch::kCPU), "lens 3 differs");
    LinearOperator noPsf{lenses[0].op.sourceColumns, lenses[0].op.lightColumns, {}, {}};
    CHECK_THROWS_WITH(BatchedInversion({{&noPsf, &lenses[0].data, &lenses[0].weight, 0.1}}, h, torch::kCPU),
                      "no unblurred columns");
    CHECK_THROWS_WITH(BatchedInversion({{&lenses[0].op, &lenses[0].data, &lenses[0].weight, 0}}, h, torch::kCPU),
                      "λ must be positive");
    BatchedInversion capped(batch, h, torch::kCPU);
    CHECK_THROWS_WITH(capped.solve({2, 1e-14}), "did not converge");
}

TEST_CASE(evidenceIsTheGaussianMarginalLikelihood)
{
    // Brute force: d ~ N(0, C + M P⁻¹ Mᵀ) over the pixels with data, with the
    // dense 255×255 covariance (Suyu et al. 2006, eq. 19 is this integral done
    // analytically).
    for (const auto kind : {Regularization::Gradient, Regularization::Curvature})
        for (const double lambda : {0.05, 3.0}) {
            const auto p = smallProblem(kind);
            auto inversion = inversionOf(p, kind);
            const double evidence = inversion.solve(lambda).logEvidence;

            const Eigen::MatrixXd m = denseOperator(p.op);
            const Eigen::MatrixXd priorCovariance = densePrior(p, m, lambda, kind).inverse();
            std::vector<int> rows;
            for (int i = 0; i < 256; ++i)
                if (p.weight[i] > 0)
                    rows.push_back(i);
            const auto nd = static_cast<Eigen::Index>(rows.size());
            Eigen::MatrixXd md(nd, m.cols());
            Eigen::VectorXd dd(nd), cd(nd);
            for (Eigen::Index r = 0; r < nd; ++r) {
                md.row(r) = m.row(rows[r]);
                dd[r] = p.data[rows[r]];
                cd[r] = 1 / p.weight[rows[r]];
            }
            const Eigen::MatrixXd k = Eigen::MatrixXd(cd.asDiagonal()) + md * priorCovariance * md.transpose();
            const Eigen::LLT<Eigen::MatrixXd> llt(k);
            const double logDet = 2 * llt.matrixLLT().diagonal().array().log().sum();
            const double brute = -0.5 * (dd.dot(llt.solve(dd)) + logDet + nd * std::log(2 * std::numbers::pi));
            CHECK_NEAR(evidence, brute, 1e-6 * std::abs(brute));
        }
}

TEST_CASE(evidenceSearchFindsTheMaximum)
{
    const auto p = smallProblem(Regularization::Curvature);
    LinearInversion inversion(p.op, p.data, p.weight, regularizationMatrix(8, Regularization::Curvature),
                              regularizationLogDeterminant(8, Regularization::Curvature));
    const auto best = inversion.solveBestEvidence(0.01);
    for (const double factor : {0.8, 1.25, 0.1, 10.0})
        CHECK(inversion.solve(best.lambda * factor).logEvidence <= best.logEvidence + 1e-9);
    // From a guess within a decade, the short search finds the same maximum
    // with a handful of factorizations (three for the scan, two for its
    // neighbours at most, then the parabolic steps).
    for (const double factor : {0.2, 4.0}) {
        const int before = inversion.factorizations();
        const auto near = inversion.solveBestEvidence(0.01, best.lambda * factor);
        CHECK_NEAR(std::log10(near.lambda), std::log10(best.lambda), 0.02);
        CHECK_NEAR(near.logEvidence, best.logEvidence, 1e-3);
        CHECK_MSG(inversion.factorizations() - before <= 8, inversion.factorizations() - before);
    }
    // The evidence on a fine grid of λ around the maximum never beats it by
    // more than its flatness allows.
    for (double t = -0.3; t <= 0.3; t += 0.01)
        CHECK(inversion.solve(best.lambda * std::pow(10.0, t)).logEvidence <= best.logEvidence + 1e-4);
}

TEST_CASE(sourceSigmaIsTheDenseInverseDiagonal)
{
    const auto p = smallProblem(Regularization::Gradient);
    LinearInversion inversion(p.op, p.data, p.weight, regularizationMatrix(8, Regularization::Gradient),
                              regularizationLogDeterminant(8, Regularization::Gradient));
    const double lambda = 0.4;
    const Eigen::VectorXd sigma = inversion.sourceSigma(lambda);
    const Eigen::MatrixXd m = denseOperator(p.op);
    const Eigen::MatrixXd a =
        m.transpose() * p.weight.asDiagonal() * m + densePrior(p, m, lambda, Regularization::Gradient);
    const Eigen::VectorXd expected = a.inverse().diagonal().head(64).cwiseSqrt();
    CHECK_NEAR((sigma - expected).cwiseAbs().maxCoeff(), 0.0, 1e-9 * expected.maxCoeff());
}

TEST_CASE(profileHessianIsTheExactHessianOfAModelLinearInItsParameters)
{
    // With a model linear in the "nonlinear" parameters too, m = M x + J t,
    // f(t) = min_x χ²(t, x) + xᵀ P x is exactly quadratic in t, so its
    // Hessian by second differences of f (each f a fresh inversion of the
    // data d − J t) must equal LinearInversion::profileHessian(J).
    const auto p = smallProblem(Regularization::Curvature);
    const Eigen::MatrixXd jacobian = toVector(torch::randn({16, 16}, kDouble)).rowwise().replicate(3).cwiseProduct(
        Eigen::MatrixXd::Random(256, 3));
    const double lambda = 0.3;
    const auto f = [&](const Eigen::Vector3d &t) {
        auto inversion = LinearInversion(p.op, p.data - jacobian * t, p.weight,
                                         regularizationMatrix(8, Regularization::Curvature),
                                         regularizationLogDeterminant(8, Regularization::Curvature));
        const auto s = inversion.solve(lambda);
        return s.chi2 + s.penalty;
    };
    auto inversion = inversionOf(p, Regularization::Curvature);
    const Eigen::MatrixXd hessian = inversion.profileHessian(lambda, jacobian);
    const double h = 0.1;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            const Eigen::Vector3d ei = h * Eigen::Vector3d::Unit(i), ej = h * Eigen::Vector3d::Unit(j);
            const Eigen::Vector3d zero = Eigen::Vector3d::Zero();
            const double second = (f(zero + ei + ej) - f(zero + ei - ej) - f(zero - ei + ej) + f(zero - ei - ej)) / (4 * h * h);
            CHECK_NEAR(hessian(i, j), second, 1e-6 * hessian.diagonal().maxCoeff());
        }
    // Positive semi-definite, and smaller than 2 JᵀC⁻¹J: the source absorbs part of every change.
    CHECK(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(hessian).eigenvalues().minCoeff() > 0);
    CHECK(hessian(0, 0) < 2 * jacobian.col(0).cwiseAbs2().dot(p.weight));
    CHECK_THROWS_WITH(inversion.profileHessian(lambda, Eigen::MatrixXd::Zero(10, 3)), "rows");
}

TEST_CASE(regularizationIsPositiveDefinite)
{
    for (const auto kind : {Regularization::Gradient, Regularization::Curvature}) {
        const Eigen::MatrixXd h(regularizationMatrix(6, kind));
        CHECK_NEAR((h - h.transpose()).cwiseAbs().maxCoeff(), 0.0, 0.0);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(h);
        CHECK(eig.eigenvalues().minCoeff() > 1e-3);
        // Interior rows annihilate what the stencil ignores: constants for the
        // gradient, constants and ramps for the curvature.
        Eigen::VectorXd ramp(36);
        for (int j = 0; j < 6; ++j)
            for (int i = 0; i < 6; ++i)
                ramp[j * 6 + i] = kind == Regularization::Gradient ? 1.0 : 0.5 * i - 0.2 * j;
        const Eigen::VectorXd hr = h * ramp;
        CHECK_NEAR(hr[2 * 6 + 2], 0.0, 1e-12);
    }
    CHECK_THROWS_WITH(parseRegularization("smooth"), "gradient", "curvature");
}

TEST_CASE(regularizationLogDeterminantMatchesCholesky)
{
    // The Kronecker-sum eigenvalues against a dense Cholesky of H.
    for (const auto kind : {Regularization::Gradient, Regularization::Curvature})
        for (const int n : {2, 5, 9}) {
            const Eigen::LLT<Eigen::MatrixXd> llt{Eigen::MatrixXd(regularizationMatrix(n, kind))};
            const double expected = 2 * llt.matrixLLT().diagonal().array().log().sum();
            CHECK_NEAR(regularizationLogDeterminant(n, kind), expected, 1e-9 * std::max(1.0, std::abs(expected)));
        }
}

TEST_CASE(gridCoversTheFootprintWithMargin)
{
    const auto grid = gridCovering({-0.2, 0.4, 0.1}, {0.1, 0.0, 0.3}, {64, 0.1, 0.2});
    CHECK_NEAR(grid.centerX, 0.1, 1e-12);
    CHECK_NEAR(grid.centerY, 0.15, 1e-12);
    CHECK_NEAR(grid.pixelScale * 64, 0.6 * 1.2, 1e-12);
    CHECK_NEAR(grid.x(0) - 0.5 * grid.pixelScale, 0.1 - 0.36, 1e-12);
    CHECK_NEAR(grid.u(grid.x(5)), 5.0, 1e-12);
    CHECK_THROWS_WITH(gridCovering({}, {}, {}), "source grid", "arc");
    CHECK_THROWS_WITH(gridCovering({0.0}, {0.0}, {4, 0.1, 0.2}), "size");
}

TEST_CASE(sampleOffsetsSplitEachPixelEvenly)
{
    const SourceGrid grid{5, 0.2, 1.0, -2.0};
    const auto centres = sampleOffsets(grid);
    CHECK(centres.size() == 5u);
    for (int i = 0; i < 5; ++i)
        CHECK_NEAR(centres[i], grid.x(i) - grid.centerX, 1e-12);
    // Three samples per pixel: the middle one is the pixel's centre, the
    // outer ones a third of a pixel either side.
    const auto fine = sampleOffsets(grid, 3);
    CHECK(fine.size() == 15u);
    for (int i = 0; i < 5; ++i) {
        CHECK_NEAR(fine[3 * i + 1], centres[i], 1e-12);
        CHECK_NEAR(fine[3 * i + 2] - fine[3 * i], 2.0 * grid.pixelScale / 3.0, 1e-12);
    }
}

TEST_CASE(envelopeGradientMatchesFiniteDifferences)
{
    // f(x) = min_s penalized χ²; its gradient at the minimizing source is the
    // partial derivative at fixed source (envelope theorem). Central
    // differences of f itself, re-inverting at every step, must agree.
    ImageGeometry geometry{24, 0.08, 2};
    ForwardModel model(geometry, gaussianPsf(5, 1.0));
    SourceGrid grid{12, 0.06, 0.05, 0.0};
    auto truth = lensWithLight();
    const auto op = model.linearOperator(truth.layout, truth.values, grid);
    torch::manual_seed(5);
    const auto r = torch::arange(12, kDouble) - 5.5;
    const auto source = torch::exp(-(r.view({12, 1}).square() + r.view({1, 12}).square()) / 8.0);
    const Eigen::VectorXd data = op.sourceColumns * toVector(source) + 0.5 * op.lightColumns.col(0) +
                                 toVector(0.02 * torch::randn({24, 24}, kDouble));
    const Eigen::VectorXd weight = Eigen::VectorXd::Constant(24 * 24, 1 / 0.0004);
    LensObjective objective(model, data, weight, truth.layout, grid, Regularization::Curvature, 0.3);
    auto x = truth.values;
    x[ThetaE] += 0.02; // away from the optimum, so the gradient is not ~0
    x[E1] -= 0.03;
    const auto at = objective.evaluate(x);
    const auto g = objective.gradient(x, at.solution);
    for (int i = 0; i < truth.layout.count(); ++i) {
        const double h = 1e-5;
        auto up = x, down = x;
        up[i] += h;
        down[i] -= h;
        const double fd = (objective.evaluate(up).value - objective.evaluate(down).value) / (2 * h);
        CHECK_MSG(std::abs(g[i] - fd) <= 2e-3 * std::abs(fd) + 1e-3, "entry " << i << ": " << g[i] << " vs " << fd);
    }
}

TEST_CASE(lbfgsMinimizesRosenbrock)
{
    // Rosenbrock's valley, minimum at (1, 1): the textbook test of quasi-Newton methods.
    const Objective f = [](const std::vector<double> &x, std::vector<double> &g) {
        const double a = 1 - x[0], b = x[1] - x[0] * x[0];
        g = {-2 * a - 400 * x[0] * b, 200 * b};
        return a * a + 100 * b * b;
    };
    const auto r = minimizeLbfgs(f, {-1.2, 1.0}, {200, 6, 1e-8, 0, 0.5});
    CHECK_NEAR(r.x[0], 1.0, 1e-4);
    CHECK_NEAR(r.x[1], 1.0, 1e-4);
}

TEST_CASE(fitFindsTheLensFromAPoorFirstGuess)
{
    // A lens rendered by the forward model from a compact Gaussian source,
    // fitted from a first guess with θ_E 25 % low, the wrong ellipticity and
    // no shear: the starts, the annealed optimization and the ranking of the
    // basins by the evidence must find θ_E within 2 % and reach the noise.
    ImageGeometry geometry{40, 0.06, 2};
    const auto psf = gaussianPsf(5, 1.0);
    ForwardModel model(geometry, psf);
    const auto truth = lensWithLight();
    const SourceGrid fine{40, 0.02, 0.05, 0.02};
    const auto r = torch::arange(40, kDouble).sub(19.5).mul(0.02);
    const auto source = 4.0 * torch::exp(-((r.view({40, 1}) - 0.02).square() + (r.view({1, 40}) - 0.05).square()) /
                                         (2 * 0.08 * 0.08));
    torch::manual_seed(11);
    const double noise = 0.02;
    const auto clean = model.render(truth.layout, torch::tensor(truth.values, kDouble), source, fine,
                                    torch::tensor(std::vector<double>{0.5}, kDouble));
    FitInput input;
    input.data = clean + noise * torch::randn({40, 40}, kDouble);
    input.sigma = torch::full({40, 40}, noise, kDouble);
    input.psf = psf;
    input.pixelScale = geometry.pixelScale;
    input.start = truth;
    input.start.values[ThetaE] = 0.45;
    input.start.values[E1] = -0.05;
    input.start.values[Gamma1] = input.start.values[Gamma2] = 0;
    FitOptions options;
    options.grid.size = 24;
    options.optimizerGridSize = 16;
    options.uncertainties = false;
    const auto result = fitLens(input, options);
    CHECK_MSG(std::abs(result.parameters.values[ThetaE] / truth.values[ThetaE] - 1) < 0.02,
              "theta_E " << result.parameters.values[ThetaE] << " vs " << truth.values[ThetaE]);
    CHECK_MSG(result.reducedChi2 < 1.15, "reduced chi2 " << result.reducedChi2);
}

TEST_CASE(laplaceSigmaIsTheInverseHessianWithUnconstrainedDirectionsLeftOut)
{
    // f = −2 log posterior, so the covariance is 2 H⁻¹ (a Gaussian's identity).
    bool positive = false;
    Eigen::MatrixXd h(2, 2);
    h << 2, 1, 1, 2; // H⁻¹ = [[2, −1], [−1, 2]] / 3
    auto sigma = sigmaFromHessian(h, positive);
    CHECK(positive);
    CHECK_NEAR(sigma[0], std::sqrt(4.0 / 3.0), 1e-12);
    CHECK_NEAR(sigma[1], std::sqrt(4.0 / 3.0), 1e-12);
    // Units do not change a constrained covariance.
    const auto scaled = sigmaFromHessian(h, positive, {2.0, 0.01});
    CHECK_NEAR(scaled[0], sigma[0], 1e-12);
    CHECK_NEAR(scaled[1], sigma[1], 1e-12);
    CHECK_THROWS_WITH(sigmaFromHessian(h, positive, {1.0}), "scales");
    // In units of the scales, an entry of large curvature no longer makes a
    // well-measured one of small curvature look flat: H = diag(1e12, 1e-2)
    // is flat by the 1e-8 floor in raw units, not with scales 1e-6 and 1.
    Eigen::MatrixXd stiff(2, 2);
    stiff << 1e12, 0, 0, 1e-2;
    CHECK(std::isnan(sigmaFromHessian(stiff, positive)[1]));
    const auto fair = sigmaFromHessian(stiff, positive, {1e-6, 1.0});
    CHECK(positive);
    CHECK_NEAR(fair[1], std::sqrt(2 / 1e-2), 1e-9);

    // H = Q diag(0, 3, 5, 7) Qᵀ: one flat direction v = Q's first column,
    // mostly along entries 2 and 3 with a small share (≈ 0.05) on entry 0.
    // Entries 2 and 3 have no 1σ; entries 0 and 1 get the covariance of the
    // constrained directions, 2 Σ_{k≥1} q_k q_kᵀ / λ_k.
    Eigen::Vector4d flat(0.05, 0.0, 0.6, 0.8);
    flat.normalize();
    Eigen::Matrix4d seed = Eigen::Matrix4d::Identity();
    seed.col(0) = flat;
    seed.col(1) << 0.3, 1.0, 0.2, -0.1;
    const Eigen::Matrix4d q = Eigen::HouseholderQR<Eigen::Matrix4d>(seed).householderQ();
    const Eigen::Vector4d lambdas(0.0, 3.0, 5.0, 7.0);
    const Eigen::Matrix4d hessian = q * lambdas.asDiagonal() * q.transpose();
    sigma = sigmaFromHessian(hessian, positive);
    CHECK(!positive);
    CHECK(std::isnan(sigma[2]));
    CHECK(std::isnan(sigma[3]));
    Eigen::Matrix4d expected = Eigen::Matrix4d::Zero();
    for (int k = 1; k < 4; ++k)
        expected += 2.0 * q.col(k) * q.col(k).transpose() / lambdas[k];
    CHECK_NEAR(sigma[0], std::sqrt(expected(0, 0)), 1e-9);
    CHECK_NEAR(sigma[1], std::sqrt(expected(1, 1)), 1e-9);
    // The flat direction carried more than a tenth of entry 0: no 1σ there either.
    Eigen::Vector4d leaky(0.3, 0.0, 0.6, 0.8);
    seed.col(0) = leaky.normalized();
    const Eigen::Matrix4d q2 = Eigen::HouseholderQR<Eigen::Matrix4d>(seed).householderQ();
    sigma = sigmaFromHessian(q2 * lambdas.asDiagonal() * q2.transpose(), positive);
    CHECK(std::isnan(sigma[0]));
    CHECK(std::isfinite(sigma[1]));
}

TEST_CASE(sigmaCalibrationFactorsFollowTheKindOfEachEntry)
{
    const SigmaCalibration calibration{1.5, 2.0, 3.0, 2.5};
    ModelParameters p;
    p.layout = {true, false, 1}; // NFW perturber and one lens-light component
    p.values.assign(static_cast<std::size_t>(p.layout.count()), 0.1);
    const double expected[] = {1.5, 2.0, 2.0, 3.0, 3.0, 2.5, 2.5};
    for (int i = ThetaE; i <= Gamma2; ++i)
        CHECK_EQ(calibration.factor(p, i), expected[i]);
    // The perturber and the light have no truth on the calibration set: the largest factor.
    for (int i = Gamma2 + 1; i < p.layout.count(); ++i)
        CHECK_EQ(calibration.factor(p, i), 3.0);
    CHECK_THROWS_WITH((void)calibration.factor(p, p.layout.count()), "no entry");
}

namespace {

/// A 40×40 lens of 0.06" pixels with an exponential-disk source (n = 1:
/// b = 1.678, Ciotti & Bertin 1999) sampled on a fine pixel grid and drawn
/// through the forward model's pixel path, plus noise.
struct ExponentialSourceLens
{
    ForwardModel model{ImageGeometry{40, 0.06, 2}, gaussianPsf(5, 1.0)};
    ModelParameters truth = lensWithLight();
    SersicSource source{0.05, 0.02, 0.12, 1.0, 0.1, -0.05};
    torch::Tensor data, weight;
    double noise = 0.02;

    ExponentialSourceLens()
    {
        // 0.008" pixels over ±0.6" (5 R_sersic): the truncated tail is < 10⁻³ of the peak.
        const SourceGrid fine{150, 0.008, source.centerX, source.centerY};
        const auto axis = torch::arange(150, kDouble).sub(74.5).mul(0.008);
        const auto dx = axis.view({1, 150}), dy = axis.view({150, 1});
        // lenstronomy's elliptical radius: q = (1 − |e|)/(1 + |e|), axes along φ = atan2(e2, e1)/2.
        const double e = std::hypot(source.e1, source.e2), phi = 0.5 * std::atan2(source.e2, source.e1);
        const double q = (1 - e) / (1 + e);
        const auto xr = std::cos(phi) * dx + std::sin(phi) * dy, yr = -std::sin(phi) * dx + std::cos(phi) * dy;
        const auto r = torch::sqrt(q * xr.square() + yr.square() / q);
        const auto image = 3.0 * torch::exp(-1.678 * (r / source.rSersic - 1));
        torch::manual_seed(17);
        data = model.render(truth.layout, torch::tensor(truth.values, kDouble), image, fine,
                            torch::tensor(std::vector<double>{0.5}, kDouble)) +
               noise * torch::randn({40, 40}, kDouble);
        weight = torch::full({40, 40}, 1 / (noise * noise), kDouble);
    }
};

} // namespace

TEST_CASE(parametricGradientMatchesFiniteDifferences)
{
    // χ²(lens) at the best amplitudes: its gradient at fixed amplitudes is
    // the total one (envelope theorem); central differences re-solve them.
    const ExponentialSourceLens lens;
    auto x = lens.truth;
    x.values[ThetaE] += 0.03;
    x.values[Gamma1] -= 0.02;
    std::vector<double> g;
    parametricChi2(lens.model, lens.data, lens.weight, x, lens.source, &g);
    CHECK_EQ(g.size(), x.values.size());
    for (int i = 0; i < x.layout.count(); ++i) {
        const double h = 1e-6;
        auto up = x, down = x;
        up.values[i] += h;
        down.values[i] -= h;
        const double fd = (parametricChi2(lens.model, lens.data, lens.weight, up, lens.source) -
                           parametricChi2(lens.model, lens.data, lens.weight, down, lens.source)) /
                          (2 * h);
        CHECK_MSG(std::abs(g[i] - fd) <= 1e-4 * std::abs(fd) + 1e-2, "entry " << i << ": " << g[i] << " vs " << fd);
    }
}

TEST_CASE(sersicFromMomentsRecoversAnEllipticalSource)
{
    // The second moments of an elliptical profile have the axis ratio q of
    // its isophotes, and lenstronomy's e = (1 − q)/(1 + q) (cos 2φ, sin 2φ)
    // follows from them exactly. The grid's nearest edge lies 4.5 R_sersic
    // from the centre, beyond which an n = 1 profile has little flux.
    const SersicSource truth{0.05, -0.03, 0.06, 1.0, 0.2, -0.1};
    const SourceGrid grid{64, 0.01, 0.0, 0.0};
    const auto guess = sersicFromMoments(toVector(sersicSourceImage(truth, 1.0, grid)), grid);
    CHECK_NEAR(guess.centerX, truth.centerX, 0.002);
    CHECK_NEAR(guess.centerY, truth.centerY, 0.002);
    CHECK_NEAR(guess.e1, truth.e1, 0.02);
    CHECK_NEAR(guess.e2, truth.e2, 0.02);
    CHECK_NEAR(guess.nSersic, 1.0, 1e-12);
    CHECK(guess.rSersic > 0.5 * truth.rSersic && guess.rSersic < 2 * truth.rSersic);
    // Negative pixels (noise, ringing) are left out; an empty source falls
    // back on the grid's centre.
    const auto empty = sersicFromMoments(-Eigen::VectorXd::Ones(grid.pixels()), SourceGrid{64, 0.01, 0.3, 0.1});
    CHECK_NEAR(empty.centerX, 0.3, 1e-12);
    CHECK_NEAR(empty.centerY, 0.1, 1e-12);
    CHECK(empty.rSersic > 0);
    // One positive pixel has no second moments: a round source on it.
    Eigen::VectorXd single = Eigen::VectorXd::Zero(grid.pixels());
    single[10 * 64 + 20] = 1.0;
    const auto point = sersicFromMoments(single, grid);
    CHECK_NEAR(point.centerX, grid.x(20), 1e-12);
    CHECK_NEAR(point.centerY, grid.y(10), 1e-12);
    CHECK(point.e1 == 0.0 && point.e2 == 0.0 && point.rSersic > 0);
}

TEST_CASE(parametricSourceFitFindsTheLens)
{
    // From θ_E 20 % low, no shear and a round source at the wrong place and
    // size, the Sérsic-source fit must find θ_E within 1 % and the source's
    // centre within a source pixel of the fine grid, at the noise.
    const ExponentialSourceLens lens;
    auto start = lens.truth;
    start.values[ThetaE] *= 0.8;
    start.values[Gamma1] = start.values[Gamma2] = 0;
    const SersicSource guess{0.0, 0.0, 0.3, 1.0, 0.0, 0.0};
    const auto fit = fitParametricSource(lens.model, lens.data, lens.weight, start, guess, 150);
    CHECK_MSG(std::abs(fit.lens.values[ThetaE] / lens.truth.values[ThetaE] - 1) < 0.01,
              "theta_E " << fit.lens.values[ThetaE] << " vs " << lens.truth.values[ThetaE]);
    CHECK_NEAR(fit.source.centerX, lens.source.centerX, 0.012);
    CHECK_NEAR(fit.source.centerY, lens.source.centerY, 0.012);
    CHECK_NEAR(fit.source.nSersic, 1.0, 0.2);
    CHECK_MSG(fit.chi2 / 1600 < 1.1, "reduced chi2 " << fit.chi2 / 1600);
    // The source image on a grid peaks at the fitted centre.
    const SourceGrid grid{21, 0.01, fit.source.centerX, fit.source.centerY};
    const auto image = sersicSourceImage(fit.source, fit.amplitude, grid);
    CHECK_EQ(image.argmax().item<int64_t>(), int64_t{10 * 21 + 10});
}

#include "fit/iterative_inversion.h"

#include "common/error.h"

#include <Eigen/Dense>
#include <Eigen/SparseCholesky>

#include <cmath>

namespace astrorim::fit {

struct IterativeInversion::Private
{
    SparseMatrix source;          ///< M's source columns, N² × n²
    Eigen::MatrixXd light;        ///< M's light columns, N² × K
    Eigen::VectorXd data, weight; ///< weight 0 where there are no data
    Eigen::SparseMatrix<double> priorH;
    double lambda = 0;
    Eigen::VectorXd epsilon; ///< the light amplitudes' prior, as LinearInversion's
    Eigen::SimplicialLLT<Eigen::SparseMatrix<double>> sourceBlock; ///< diag(Msᵀ W Ms) + λH
    Eigen::LLT<Eigen::MatrixXd> lightBlock; ///< Mlᵀ W Ml + ε
    int sourcePixels = 0, lightCount = 0, lastIterations = 0;

    Eigen::VectorXd model(const Eigen::VectorXd &x) const
    {
        Eigen::VectorXd m = source * x.head(sourcePixels);
        if (lightCount > 0)
            m += light * x.tail(lightCount);
        return m;
    }

    Eigen::VectorXd transposed(const Eigen::VectorXd &image) const
    {
        Eigen::VectorXd out(sourcePixels + lightCount);
        out.head(sourcePixels) = source.transpose() * image;
        if (lightCount > 0)
            out.tail(lightCount) = light.transpose() * image;
        return out;
    }

    /// A x = Mᵀ W M x + P x.
    Eigen::VectorXd apply(const Eigen::VectorXd &x) const
    {
        Eigen::VectorXd out = transposed(weight.cwiseProduct(model(x)));
        out.head(sourcePixels) += lambda * (priorH * x.head(sourcePixels));
        if (lightCount > 0)
            out.tail(lightCount) += epsilon.cwiseProduct(x.tail(lightCount));
        return out;
    }

    /// The block-diagonal preconditioner's inverse.
    Eigen::VectorXd precondition(const Eigen::VectorXd &r) const
    {
        Eigen::VectorXd out(sourcePixels + lightCount);
        out.head(sourcePixels) = sourceBlock.solve(r.head(sourcePixels));
        if (lightCount > 0)
            out.tail(lightCount) = lightBlock.solve(r.tail(lightCount));
        return out;
    }
};

IterativeInversion::IterativeInversion(const LinearOperator &op, const Eigen::VectorXd &data,
                                       const Eigen::VectorXd &weight, const Eigen::SparseMatrix<double> &regularization,
                                       double lambda)
    : d(std::make_unique<Private>())
{
    d->sourcePixels = static_cast<int>(op.sourceColumns.cols());
    d->lightCount = static_cast<int>(op.lightColumns.cols());
    d->weight = checkedWeight(op, data, weight, regularization);
    if (!(lambda > 0) || !std::isfinite(lambda))
        fail("linear inversion", "λ must be positive and finite");
    d->source = op.sourceColumns;
    d->light = op.lightColumns;
    d->priorH = regularization;
    d->lambda = lambda;
    d->data = (d->weight.array() > 0).select(data, 0.0); // no non-finite value where there is no weight

    // Source block: the data term's diagonal plus λH, factored sparse.
    Eigen::VectorXd diagonal = Eigen::VectorXd::Zero(d->sourcePixels);
    for (int c = 0; c < d->source.outerSize(); ++c)
        for (SparseMatrix::InnerIterator it(d->source, c); it; ++it)
            diagonal[c] += d->weight[it.row()] * it.value() * it.value();
    Eigen::SparseMatrix<double> block = lambda * regularization;
    for (int i = 0; i < d->sourcePixels; ++i)
        block.coeffRef(i, i) += diagonal[i];
    d->sourceBlock.compute(block);
    if (d->sourceBlock.info() != Eigen::Success)
        fail("linear inversion", "the preconditioner is not positive definite");

    if (d->lightCount > 0) {
        const Eigen::MatrixXd weighted = d->weight.asDiagonal() * d->light;
        Eigen::MatrixXd c = d->light.transpose() * weighted; // Mlᵀ W Ml
        d->epsilon.resize(d->lightCount);
        for (int k = 0; k < d->lightCount; ++k)
            d->epsilon[k] = lightAmplitudePrior(c(k, k));
        c += d->epsilon.asDiagonal();
        d->lightBlock.compute(c);
        if (d->lightBlock.info() != Eigen::Success)
            fail("linear inversion", "the light amplitudes' block is not positive definite");
    }
}

IterativeInversion::~IterativeInversion() = default;

int IterativeInversion::iterations() const { return d->lastIterations; }

InversionSolution IterativeInversion::solve(const IterativeOptions &options, const Eigen::VectorXd &start)
{
    const int u = d->sourcePixels + d->lightCount;
    const Eigen::VectorXd b = d->transposed(d->weight.cwiseProduct(d->data));
    Eigen::VectorXd x = start.size() == u ? start : Eigen::VectorXd::Zero(u);
    Eigen::VectorXd r = b - d->apply(x);
    Eigen::VectorXd z = d->precondition(r);
    Eigen::VectorXd p = z;
    double rz = r.dot(z);
    const double target = options.tolerance * b.norm();
    int k = 0;
    while (r.norm() > target) {
        if (k == options.maxIterations)
            fail("linear inversion", "conjugate gradients did not converge in " + std::to_string(k) +
                                         " iterations (relative residual " + std::to_string(r.norm() / b.norm()) +
                                         ")");
        const Eigen::VectorXd ap = d->apply(p);
        const double alpha = rz / p.dot(ap);
        x += alpha * p;
        r -= alpha * ap;
        z = d->precondition(r);
        const double next = r.dot(z);
        p = z + (next / rz) * p;
        rz = next;
        ++k;
    }
    d->lastIterations = k;

    InversionSolution s;
    s.lambda = d->lambda;
    s.source = x.head(d->sourcePixels);
    s.amplitudes = x.tail(d->lightCount);
    s.model = d->model(x);
    s.chi2 = (s.model - d->data).cwiseAbs2().dot(d->weight);
    s.penalty = d->lambda * s.source.dot(d->priorH * s.source) +
                (d->lightCount > 0 ? d->epsilon.dot(s.amplitudes.cwiseAbs2()) : 0.0);
    s.logEvidence = std::nan("");
    return s;
}

} // namespace astrorim::fit

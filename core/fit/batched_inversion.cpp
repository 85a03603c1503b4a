#include "fit/batched_inversion.h"

#include "common/error.h"
#include "psf/convolution.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace astrorim::fit {

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// A sparse COO tensor [rows, cols] from (row, col, value) triples.
torch::Tensor sparse(const std::vector<int64_t> &rowIndex, const std::vector<int64_t> &colIndex,
                     const std::vector<double> &values, int64_t rows, int64_t cols, torch::Device device)
{
    const auto count = static_cast<int64_t>(values.size());
    auto indices = torch::empty({2, count}, torch::kLong);
    std::copy(rowIndex.begin(), rowIndex.end(), indices.data_ptr<int64_t>());
    std::copy(colIndex.begin(), colIndex.end(), indices.data_ptr<int64_t>() + count);
    return torch::sparse_coo_tensor(indices, torch::tensor(values, kDouble), {rows, cols}, kDouble)
        .coalesce()
        .to(device);
}

} // namespace

struct BatchedInversion::Private
{
    int batch = 0, imageSide = 0, sourcePixels = 0, lightCount = 0, lastIterations = 0;
    torch::Tensor lensing, lensingT; ///< L and Lᵀ, block-diagonal over the batch, sparse
    torch::Tensor psf, psfAdjoint;   ///< [B, k, k] and the same flipped (the adjoint is a correlation)
    torch::Tensor light;             ///< [B, N², K], PSF included
    torch::Tensor weight, data;      ///< [B, N²], zeros where there are no data
    torch::Tensor priorH;            ///< H, sparse [n², n²], shared
    torch::Tensor lambda, epsilon;   ///< [B, 1] and [B, K]
    torch::Tensor inverseDiagonal;   ///< the preconditioner: 1 / diag(A), [B, n² + K]
    torch::Tensor rhs;               ///< Mᵀ C⁻¹ d, [B, n² + K]

    /// M x for x = [B, n² + K]: the model images [B, N²].
    torch::Tensor model(const torch::Tensor &x) const
    {
        const int64_t n = imageSide;
        const auto source = x.narrow(1, 0, sourcePixels).reshape({-1, 1});
        auto image = psf::convolve(torch::mm(lensing, source).view({batch, n, n}), psf).reshape({batch, n * n});
        if (lightCount > 0)
            image = image + torch::bmm(light, x.narrow(1, sourcePixels, lightCount).unsqueeze(2)).squeeze(2);
        return image;
    }

    /// Mᵀ r for images r = [B, N²]: [B, n² + K].
    torch::Tensor transposed(const torch::Tensor &r) const
    {
        const int64_t n = imageSide;
        const auto correlated = psf::convolve(r.view({batch, n, n}), psfAdjoint).reshape({-1, 1});
        auto out = torch::mm(lensingT, correlated).view({batch, sourcePixels});
        if (lightCount > 0)
            out = torch::cat({out, torch::bmm(light.transpose(1, 2), r.unsqueeze(2)).squeeze(2)}, 1);
        return out;
    }

    /// A x = Mᵀ W M x + P x.
    torch::Tensor apply(const torch::Tensor &x) const
    {
        auto out = transposed(weight * model(x));
        const auto source = x.narrow(1, 0, sourcePixels);
        auto prior = lambda * torch::mm(priorH, source.t()).t();
        if (lightCount > 0)
            prior = torch::cat({prior, epsilon * x.narrow(1, sourcePixels, lightCount)}, 1);
        return out + prior;
    }
};

BatchedInversion::BatchedInversion(const std::vector<BatchedProblem> &batch,
                                   const Eigen::SparseMatrix<double> &regularization, torch::Device device)
    : d(std::make_unique<Private>())
{
    if (batch.empty())
        fail("batched inversion", "the batch is empty");
    const auto &first = *batch.front().op;
    const auto pixels = first.sourceColumns.rows();
    d->batch = static_cast<int>(batch.size());
    d->imageSide = static_cast<int>(std::lround(std::sqrt(static_cast<double>(pixels))));
    d->sourcePixels = static_cast<int>(first.sourceColumns.cols());
    d->lightCount = static_cast<int>(first.lightColumns.cols());
    if (static_cast<Eigen::Index>(d->imageSide) * d->imageSide != pixels)
        fail("batched inversion", "the image is not square");
    const int u = d->sourcePixels + d->lightCount;

    int kernelSide = 1;
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const auto &p = batch[b];
        const std::string which = "lens " + std::to_string(b);
        if (p.op == nullptr || p.data == nullptr || p.weight == nullptr)
            fail("batched inversion", which + " is incomplete");
        const auto &op = *p.op;
        if (op.sourceColumns.rows() != pixels || op.sourceColumns.cols() != d->sourcePixels ||
            op.lightColumns.cols() != d->lightCount)
            fail("batched inversion", which + " differs from the first in image size, source pixels or light columns");
        if (op.unblurred.rows() != pixels || op.unblurred.cols() != d->sourcePixels || !op.psf.defined() ||
            op.psf.dim() != 2 || op.psf.size(0) % 2 == 0)
            fail("batched inversion", which + " has no unblurred columns and odd PSF");
        if (!(p.lambda > 0) || !std::isfinite(p.lambda))
            fail("batched inversion", which + ": λ must be positive and finite");
        kernelSide = std::max(kernelSide, static_cast<int>(op.psf.size(0)));
    }

    std::vector<int64_t> rows, cols;
    std::vector<double> values;
    auto psfs = torch::zeros({d->batch, kernelSide, kernelSide}, kDouble);
    auto light = torch::zeros({d->batch, pixels, d->lightCount}, kDouble);
    auto weight = torch::zeros({d->batch, pixels}, kDouble), data = torch::zeros({d->batch, pixels}, kDouble);
    auto epsilon = torch::ones({d->batch, d->lightCount}, kDouble);
    auto diagonal = torch::zeros({d->batch, u}, kDouble);
    auto lambda = torch::zeros({d->batch, 1}, kDouble);
    const Eigen::VectorXd hDiagonal = regularization.diagonal();
    for (int b = 0; b < d->batch; ++b) {
        const auto &p = batch[static_cast<std::size_t>(b)];
        const auto &op = *p.op;
        const Eigen::VectorXd w = checkedWeight(op, *p.data, *p.weight, regularization);
        const Eigen::VectorXd dv = (w.array() > 0).select(*p.data, 0.0);
        weight[b].copy_(toTensor(w));
        data[b].copy_(toTensor(dv));
        lambda[b].fill_(p.lambda);
        for (int c = 0; c < op.unblurred.outerSize(); ++c)
            for (SparseMatrix::InnerIterator it(op.unblurred, c); it; ++it) {
                rows.push_back(static_cast<int64_t>(b) * pixels + it.row());
                cols.push_back(static_cast<int64_t>(b) * d->sourcePixels + c);
                values.push_back(it.value());
            }
        const int k = static_cast<int>(op.psf.size(0)), offset = (kernelSide - k) / 2;
        psfs[b].narrow(0, offset, k).narrow(1, offset, k).copy_(op.psf.to(torch::kCPU, torch::kFloat64));
        // The exact diagonal of Mᵀ W M from M's blurred columns, plus the prior's.
        auto diag = diagonal[b];
        auto *dd = diag.data_ptr<double>();
        for (int c = 0; c < op.sourceColumns.outerSize(); ++c) {
            double sum = 0;
            for (SparseMatrix::InnerIterator it(op.sourceColumns, c); it; ++it)
                sum += w[it.row()] * it.value() * it.value();
            dd[c] = sum + p.lambda * hDiagonal[c];
        }
        for (int l = 0; l < d->lightCount; ++l) {
            const Eigen::VectorXd column = op.lightColumns.col(l);
            const double term = column.cwiseAbs2().dot(w);
            epsilon[b][l].fill_(lightAmplitudePrior(term));
            dd[d->sourcePixels + l] = term + lightAmplitudePrior(term);
            light[b].select(1, l).copy_(toTensor(column));
        }
    }
    const int64_t totalRows = static_cast<int64_t>(d->batch) * pixels;
    const int64_t totalCols = static_cast<int64_t>(d->batch) * d->sourcePixels;
    d->lensing = sparse(rows, cols, values, totalRows, totalCols, device);
    d->lensingT = sparse(cols, rows, values, totalCols, totalRows, device);
    d->psf = psfs.to(device);
    d->psfAdjoint = d->psf.flip({-2, -1}).contiguous();
    d->light = light.to(device);
    d->weight = weight.to(device);
    d->data = data.to(device);
    d->lambda = lambda.to(device);
    d->epsilon = epsilon.to(device);
    d->inverseDiagonal = diagonal.reciprocal().to(device);

    std::vector<int64_t> hRows, hCols;
    std::vector<double> hValues;
    for (int c = 0; c < regularization.outerSize(); ++c)
        for (Eigen::SparseMatrix<double>::InnerIterator it(regularization, c); it; ++it) {
            hRows.push_back(it.row());
            hCols.push_back(it.col());
            hValues.push_back(it.value());
        }
    d->priorH = sparse(hRows, hCols, hValues, d->sourcePixels, d->sourcePixels, device);
    d->rhs = d->transposed(d->weight * d->data);
}

BatchedInversion::~BatchedInversion() = default;

int BatchedInversion::iterations() const { return d->lastIterations; }

std::vector<InversionSolution> BatchedInversion::solve(const IterativeOptions &options)
{
    torch::NoGradGuard noGrad;
    const auto &b = d->rhs;
    auto x = torch::zeros_like(b);
    auto r = b.clone();
    auto z = r * d->inverseDiagonal;
    auto p = z.clone();
    auto rz = (r * z).sum(1, true);
    const auto target = options.tolerance * b.norm(2, 1, true);
    auto active = (r.norm(2, 1, true) > target).to(torch::kFloat64); // 1 while a lens is short of the target
    int iteration = 0;
    // Convergence is read back to the host every few iterations only: on a
    // GPU each read waits for the queue to drain.
    constexpr int checkEvery = 8;
    bool converged = !(active.sum().item<double>() > 0);
    while (!converged && iteration < options.maxIterations) {
        const auto ap = d->apply(p);
        const auto alpha = active * rz / (p * ap).sum(1, true).clamp_min(1e-300);
        x.add_(alpha * p);
        r.sub_(alpha * ap);
        active = (r.norm(2, 1, true) > target).to(torch::kFloat64) * active;
        z = r * d->inverseDiagonal;
        const auto rzNew = (r * z).sum(1, true);
        const auto beta = rzNew / rz.clamp_min(1e-300);
        p = z + beta * p;
        rz = rzNew;
        ++iteration;
        if (iteration % checkEvery == 0)
            converged = !(active.sum().item<double>() > 0);
    }
    d->lastIterations = iteration;
    // A lens stays active until its residual first reaches the target, and
    // is not updated after: active marks exactly the lenses short of it.
    const auto unconverged = (active.squeeze(1) > 0).to(torch::kCPU);
    for (int lens = 0; lens < d->batch; ++lens)
        if (unconverged[lens].item<bool>())
            fail("batched inversion", "lens " + std::to_string(lens) + " did not converge within " +
                                          std::to_string(options.maxIterations) + " iterations");

    const auto model = d->model(x);
    const auto chi2 = (d->weight * (model - d->data).square()).sum(1);
    const auto source = x.narrow(1, 0, d->sourcePixels);
    auto penalty = d->lambda.squeeze(1) * (source * torch::mm(d->priorH, source.t()).t()).sum(1);
    if (d->lightCount > 0)
        penalty = penalty + (d->epsilon * x.narrow(1, d->sourcePixels, d->lightCount).square()).sum(1);
    const auto hostX = x.to(torch::kCPU).contiguous(), hostModel = model.to(torch::kCPU).contiguous();
    const auto hostChi2 = chi2.to(torch::kCPU), hostPenalty = penalty.to(torch::kCPU);
    const auto hostLambda = d->lambda.to(torch::kCPU);
    std::vector<InversionSolution> out(static_cast<std::size_t>(d->batch));
    for (int lens = 0; lens < d->batch; ++lens) {
        auto &s = out[static_cast<std::size_t>(lens)];
        const double *xs = hostX[lens].data_ptr<double>();
        s.lambda = hostLambda[lens][0].item<double>();
        s.source = Eigen::Map<const Eigen::VectorXd>(xs, d->sourcePixels);
        s.amplitudes = Eigen::Map<const Eigen::VectorXd>(xs + d->sourcePixels, d->lightCount);
        s.model = Eigen::Map<const Eigen::VectorXd>(hostModel[lens].data_ptr<double>(), hostModel.size(1));
        s.chi2 = hostChi2[lens].item<double>();
        s.penalty = hostPenalty[lens].item<double>();
        s.logEvidence = std::nan("");
    }
    return out;
}

} // namespace astrorim::fit

#include "fit/fitter.h"

#include "common/error.h"
#include "fit/forward_model.h"
#include "fit/lbfgs.h"
#include "fit/lens_objective.h"
#include "fit/parametric_source.h"

#include <Eigen/Dense>
#include <torch/torch.h>

#include <cmath>
#include <chrono>
#include <optional>
#include <random>
#include <algorithm>
#include <limits>

namespace astrorim::fit {

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// The pixel centres along either axis of the image, arcsec.
torch::Tensor pixelAxis(const ForwardModel &model)
{
    const int n = model.geometry().size;
    return torch::arange(n, kDouble).add(0.5 - 0.5 * n).mul(model.geometry().pixelScale);
}

/// The source-plane positions of the pixel centres where `selected` ([N, N] bool) holds.
void traceSelected(const ForwardModel &model, const ModelParameters &p, const torch::Tensor &selected,
                   std::vector<double> &xs, std::vector<double> &ys)
{
    torch::NoGradGuard noGrad;
    const int n = model.geometry().size;
    const auto axis = pixelAxis(model);
    const auto x = axis.view({1, 1, n}), y = axis.view({1, n, 1});
    const auto tensors = toTensors(p.layout, torch::tensor(p.values, kDouble));
    const auto alpha = lensing::deflection(tensors.lens, x, y);
    const auto bx = (x - alpha.alpha_x).squeeze(0).masked_select(selected).contiguous();
    const auto by = (y - alpha.alpha_y).squeeze(0).masked_select(selected).contiguous();
    xs.assign(bx.data_ptr<double>(), bx.data_ptr<double>() + bx.numel());
    ys.assign(by.data_ptr<double>(), by.data_ptr<double>() + by.numel());
}

torch::Tensor radiusFromLens(const ForwardModel &model, const ModelParameters &p)
{
    const int n = model.geometry().size;
    const auto axis = pixelAxis(model);
    return torch::sqrt((axis.view({1, n}) - p.values[CenterX]).square() +
                       (axis.view({n, 1}) - p.values[CenterY]).square());
}

/// The first grid: the footprint of the pixels that stand above the noise
/// once the lens light (its first-guess shape, amplitudes by least squares)
/// is subtracted, away from the lens core where that subtraction is poorest.
/// Without such pixels, the annulus 0.6-1.5 θ_E.
SourceGrid initialGrid(const ForwardModel &model, const torch::Tensor &data, const torch::Tensor &weight,
                       const ModelParameters &p, const FitOptions &options)
{
    torch::NoGradGuard noGrad;
    auto residual = data.clone();
    const auto tensors = toTensors(p.layout, torch::tensor(p.values, kDouble));
    if (!tensors.light.empty()) {
        const auto light = model.blur(model.lightImages(tensors.light)).flatten(1); // [K, N²]
        const auto w = weight.flatten();
        const auto normal = (light * w).matmul(light.t()) +
                            1e-9 * torch::eye(light.size(0), kDouble) * (light.square() * w).sum().clamp_min(1e-300);
        const auto amplitudes = torch::linalg::solve(normal, (light * w).matmul(data.flatten()), true);
        residual = data - amplitudes.matmul(light).view_as(data);
    }
    const auto r = radiusFromLens(model, p);
    const double thetaE = p.values[ThetaE];
    auto arcs = (residual * weight.sqrt() > options.arcThreshold) & (r > 0.3 * thetaE);
    if (arcs.sum().item<int64_t>() < 8)
        arcs = (r > 0.6 * thetaE) & (r < 1.5 * thetaE) & (weight > 0);
    std::vector<double> xs, ys;
    traceSelected(model, p, arcs, xs, ys);
    return gridCovering(xs, ys, options.grid);
}

/// The grid refined from a solution: the footprint of the pixels where the
/// lensed source model stands 2σ above zero and above 2 % of its peak.
SourceGrid gridFromModel(const ForwardModel &model, const ModelParameters &p, const SourceGrid &grid,
                         const InversionSolution &solution, const torch::Tensor &weight, const FitOptions &options)
{
    torch::NoGradGuard noGrad;
    const auto tensors = toTensors(p.layout, torch::tensor(p.values, kDouble));
    const auto lensed = model.blur(model.lensedSource(toImage(solution.source, grid.size), grid, model.trace(tensors.lens)));
    const double peak = lensed.max().item<double>();
    const auto selected = (lensed * weight.sqrt() > 2.0) & (lensed > 0.02 * peak);
    if (selected.sum().item<int64_t>() < 8)
        return grid;
    std::vector<double> xs, ys;
    traceSelected(model, p, selected, xs, ys);
    return gridCovering(xs, ys, options.grid);
}

std::vector<double> perturbed(const ModelParameters &p, std::mt19937_64 &rng)
{
    std::normal_distribution<double> normal;
    auto x = p.values;
    x[ThetaE] *= 1 + 0.08 * normal(rng);
    x[E1] += 0.08 * normal(rng);
    x[E2] += 0.08 * normal(rng);
    x[CenterX] += 0.03 * normal(rng);
    x[CenterY] += 0.03 * normal(rng);
    x[Gamma1] += 0.02 * normal(rng);
    x[Gamma2] += 0.02 * normal(rng);
    ModelParameters q{p.layout, x};
    q.clampToDomain();
    return q.values;
}

} // namespace

FitResult fitLens(const FitInput &input, const FitOptions &options, const FitCallback &callback,
                  const CancelToken &cancel)
{
    torch::NoGradGuard noGrad; // gradients are taken explicitly in LensObjective::gradient
    if (!input.data.defined() || input.data.dim() != 2 || input.data.size(0) != input.data.size(1))
        fail("fit", "the image must be square");
    if (!input.sigma.defined() || !input.sigma.sizes().equals(input.data.sizes()))
        fail("fit", "the noise map must have the image's shape");
    if (options.starts < 1 || options.maxIterations < 0)
        fail("fit", "needs at least one start and a non-negative iteration count");
    const int n = static_cast<int>(input.data.size(0));
    auto start = input.start;
    if (static_cast<int>(start.values.size()) != start.layout.count())
        start.validate("first guess"); // names the count mismatch
    start.clampToDomain();
    start.validate("first guess");

    const ForwardModel model({n, input.pixelScale, options.supersample}, input.psf);
    const auto sigma = input.sigma.to(torch::kCPU, torch::kFloat64);
    const auto valid = torch::isfinite(sigma) & (sigma > 0) & torch::isfinite(input.data);
    const auto weight = torch::where(valid, 1.0 / sigma.square(), torch::zeros_like(sigma));
    const auto data = torch::where(valid, input.data.to(torch::kCPU, torch::kFloat64), torch::zeros_like(sigma));
    const Eigen::VectorXd dataVector = toVector(data), weightVector = toVector(weight);

    FitResult result;
    int step = 0;
    const auto report = [&](const std::string &stage, int which, double value, const ModelParameters &p,
                            const SourceGrid &grid, const Eigen::VectorXd &source) {
        FitStep s{stage, which, ++step, value, p, grid, toImage(source, grid.size)};
        if (callback)
            callback(s);
        result.history.push_back(std::move(s));
    };

    // Grid and inversion through the first guess, on the optimizer's coarse
    // grid; the grid is then refined from the inverted source.
    ModelParameters best = start;
    auto clock = std::chrono::steady_clock::now();
    const auto lap = [&clock] {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - clock).count();
        clock = now;
        return seconds;
    };
    const int coarse = std::min(options.optimizerGridSize, options.grid.size);
    const auto coarseObjective = [&](const SourceGrid &g) {
        auto o = std::make_unique<LensObjective>(model, dataVector, weightVector, best.layout, resized(g, coarse),
                                                 options.regularization, 1.0);
        o->setMatrixFree(options.matrixFreeOptimizer);
        return o;
    };
    // A lens's own region of the source plane: the grid from the arcs, then
    // from the source inverted there; λ by the evidence on the latter.
    struct Basin
    {
        std::vector<double> x;
        std::unique_ptr<LensObjective> objective;
        InversionSolution solution; ///< at the evidence's λ on the objective's grid
    };
    const auto prepare = [&](const std::vector<double> &x) {
        const ModelParameters p{best.layout, x};
        Basin b{x, coarseObjective(resized(initialGrid(model, data, weight, p, options), options.grid.size)), {}};
        b.solution = b.objective->bestEvidence(x);
        b.objective = coarseObjective(resized(gridFromModel(model, p, b.objective->grid(), b.solution, weight, options),
                                              options.grid.size));
        b.solution = b.objective->bestEvidence(x, b.solution.lambda); // the same region, refined: λ moves little
        b.objective->setLambda(b.solution.lambda);
        return b;
    };
    // The grid following an optimized lens, λ by the evidence there within
    // a decade of `guess` (of the λ it was optimized at when 0): the basin's
    // evidence, which ranks the starts.
    const auto settle = [&](Basin &b, double guess) {
        const ModelParameters p{best.layout, b.x};
        const auto here = b.objective->evaluate(b.x).solution;
        b.objective = coarseObjective(
            resized(gridFromModel(model, p, b.objective->grid(), here, weight, options), options.grid.size));
        b.solution = b.objective->bestEvidence(b.x, guess > 0 ? guess : here.lambda);
        b.objective->setLambda(b.solution.lambda);
    };
    // A basin's copy at x: its grid and λ, an objective of its own.
    const auto onGridOf = [&](const Basin &b, const std::vector<double> &x) {
        Basin copy{x, coarseObjective(b.objective->grid()), b.solution};
        copy.objective->setLambda(b.objective->lambda());
        return copy;
    };
    // Basins whose grids differ are ranked by the evidence at one source
    // pixel size, the finest of theirs: on grids of one pixel count, a weak
    // lens that maps the arcs onto a source several times larger gets pixels
    // as many times coarser, and the evidence never sees its extra
    // structure. Each basin keeps its own region, with as many pixels as
    // that size needs (at most compareGridSize a side).
    const auto rankBasins = [&](const std::vector<Basin> &basins) -> std::size_t {
        if (basins.size() < 2)
            return 0;
        double finest = basins.front().objective->grid().pixelScale;
        for (const auto &b : basins)
            finest = std::min(finest, b.objective->grid().pixelScale);
        std::size_t winner = 0;
        double most = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < basins.size(); ++i) {
            const auto &b = basins[i];
            const auto &g = b.objective->grid();
            const int size = std::clamp(static_cast<int>(std::lround(g.size * g.pixelScale / finest)), g.size,
                                        std::max(g.size, options.compareGridSize));
            double evidence = b.solution.logEvidence;
            if (size > g.size) {
                const LensObjective common(model, dataVector, weightVector, best.layout, resized(g, size),
                                           options.regularization, 1.0);
                try {
                    evidence = common
                                   .bestEvidence(b.x, b.solution.lambda *
                                                          lambdaGridFactor(options.regularization,
                                                                           g.pixelScale / common.grid().pixelScale))
                                   .logEvidence;
                } catch (const Error &) {
                    continue;
                }
            }
            if (evidence > most) {
                most = evidence;
                winner = i;
            }
        }
        return winner;
    };
    Basin chosen = prepare(best.values);
    report("inversion", 0, chosen.solution.chi2 + chosen.solution.penalty, best, chosen.objective->grid(),
           chosen.solution.source);
    result.timings.grid = lap();

    if (options.optimizeLens && !cancel.cancelled()) {
        // Each start minimizes in units of the parameters' typical scales.
        const auto scales = best.scales();
        InversionSolution latest = chosen.solution;
        const auto toX = [&](const std::vector<double> &z, const std::vector<double> &origin) {
            std::vector<double> x(z.size());
            for (std::size_t i = 0; i < z.size(); ++i)
                x[i] = origin[i] + scales[i] * z[i];
            return x;
        };
        const auto optimize = [&](const LensObjective &objective, const std::vector<double> &origin, int which,
                                  int iterations) {
            const Objective f = [&](const std::vector<double> &z, std::vector<double> &g) {
                const auto x = toX(z, origin);
                ModelParameters p{best.layout, x};
                p.validate("lens parameters");
                const auto e = objective.evaluate(x);
                ++result.evaluations;
                latest = e.solution;
                const auto gx = objective.gradient(x, e.solution);
                g.resize(z.size());
                for (std::size_t i = 0; i < z.size(); ++i)
                    g[i] = gx[i] * scales[i];
                return e.value;
            };
            LbfgsOptions lbfgs;
            lbfgs.maxIterations = iterations;
            lbfgs.gradientTolerance = 1e-3;
            lbfgs.valueTolerance = 1e-6;
            lbfgs.maxStep = 1.0;
            const auto r = minimizeLbfgs(
                f, std::vector<double>(origin.size(), 0.0), lbfgs,
                [&](const std::vector<double> &z, double value) {
                    report("lens", which, value, ModelParameters{best.layout, toX(z, origin)}, objective.grid(),
                           latest.source);
                },
                cancel);
            auto x = toX(r.x, origin);
            ModelParameters p{best.layout, x};
            p.clampToDomain();
            return p.values;
        };
        // Two phases. The search: each start (the first guess, and the first
        // guess with θ_E scaled by thetaEStarts, on grids of their own) is
        // optimized with the regularization raised annealFactor-fold, which
        // smooths the source and so the objective: the lens must bring the
        // images together instead of the source bending to a wrong lens.
        // Each basin then settles on the grid of its optimum with λ by the
        // evidence there; basins that a Sérsic source fits much worse than
        // the best are vetoed (see below), and of the rest the largest
        // evidence wins (rankBasins). The refinement: the winner optimized
        // at the evidence's λ on its settled grid and settled again;
        // perturbed starts from it while the fit stays short of the noise,
        // kept where their evidence is larger.
        // On the first three held-out lenses of each preset (evaluate --fit
        // --first 3), the median θ_E error was 3.4 % with perturbed starts
        // ranked by the penalized χ² on one grid, 3.3 % with these starts
        // ranked by the evidence but without annealing (weak-lens basins
        // won), and 0.6 % with both.
        std::mt19937_64 rng(options.seed);
        const int pixels = static_cast<int>((weight > 0).sum().item<int64_t>());
        int which = 0;
        // Optimized from b's lens on its grid, then settled (λ guess as for settle).
        const auto refine = [&](Basin b, int iterations, int label, double guess = 0) -> std::optional<Basin> {
            try {
                b.x = optimize(*b.objective, b.x, label, iterations);
                settle(b, guess);
                return b;
            } catch (const Error &) {
                return std::nullopt; // a start that wanders out of the parameters' domain is dropped
            }
        };
        const auto search = [&](Basin b) -> std::optional<Basin> {
            const int label = which++;
            // The evidence's λ before the annealing: the annealed λ lies two
            // decades above it, beyond the reach of settle's search.
            const double evidenceLambda = b.objective->lambda();
            b.objective->setLambda(evidenceLambda * options.annealFactor);
            auto smooth = refine(std::move(b), options.searchIterations, label, evidenceLambda);
            return smooth ? refine(std::move(*smooth), options.searchIterations, label) : std::nullopt;
        };
        // One more start from the lens fitted with a Sérsic source
        // (parametric_source.h), from the same three lenses; the one of
        // least χ² starts a search of its own.
        std::optional<ModelParameters> parametric;
        if (options.parametricIterations > 0) {
            double least = std::numeric_limits<double>::infinity();
            std::vector<double> factors{1.0};
            factors.insert(factors.end(), options.thetaEStarts.begin(), options.thetaEStarts.end());
            for (const double factor : factors) {
                if (cancel.cancelled())
                    break;
                ModelParameters p = best;
                p.values[ThetaE] *= factor;
                try {
                    const auto g = initialGrid(model, data, weight, p, options);
                    const SersicSource source{g.centerX, g.centerY, 0.15 * g.size * g.pixelScale, 1.0, 0.0, 0.0};
                    const auto f = fitParametricSource(model, data, weight, p, source, options.parametricIterations,
                                                       cancel);
                    report("parametric", which++, f.chi2, f.lens, g, toVector(sersicSourceImage(f.source, f.amplitude, g)));
                    if (f.chi2 < least) {
                        least = f.chi2;
                        parametric = f.lens;
                    }
                } catch (const Error &) {
                }
            }
        }
        result.timings.parametric = lap();
        std::vector<Basin> basins;
        if (parametric && !cancel.cancelled()) {
            try {
                if (auto found = search(prepare(parametric->values)))
                    basins.push_back(std::move(*found));
            } catch (const Error &) {
            }
        }
        if (auto found = search(onGridOf(chosen, best.values)))
            basins.push_back(std::move(*found));
        for (const double factor : options.thetaEStarts) {
            if (cancel.cancelled())
                break;
            auto x = best.values;
            x[ThetaE] *= factor;
            try {
                if (auto found = search(prepare(x)))
                    basins.push_back(std::move(*found));
            } catch (const Error &) {
            }
        }
        // The Sérsic-source veto. A pixelated source can take the shape of
        // the arcs under a lens that barely bends the light, and the
        // evidence may then prefer that lens (docs/fit-evaluation.md). A
        // smooth source cannot: under such a lens its χ² stays far above
        // what it reaches under a lens that brings the images together.
        if (options.parametricIterations > 0 && basins.size() > 1 && !cancel.cancelled()) {
            std::vector<double> sersic(basins.size(), std::numeric_limits<double>::infinity());
            for (std::size_t k = 0; k < basins.size() && !cancel.cancelled(); ++k) {
                const auto &b = basins[k];
                const ModelParameters p{best.layout, b.x};
                const auto &g = b.objective->grid();
                try {
                    const auto f = fitParametricSource(model, data, weight, p, sersicFromMoments(b.solution.source, g),
                                                       options.parametricIterations, cancel, true);
                    sersic[k] = f.chi2;
                    report("parametric", which++, f.chi2, p, g, toVector(sersicSourceImage(f.source, f.amplitude, g)));
                } catch (const Error &) {
                }
            }
            const double least = *std::min_element(sersic.begin(), sersic.end());
            if (std::isfinite(least) && !cancel.cancelled()) {
                std::vector<Basin> kept;
                for (std::size_t k = 0; k < basins.size(); ++k)
                    if (sersic[k] <= least + options.sersicMargin + options.sersicFraction * least)
                        kept.push_back(std::move(basins[k]));
                basins = std::move(kept);
            }
        }
        if (!basins.empty())
            chosen = std::move(basins[rankBasins(basins)]);

        if (!cancel.cancelled())
            if (auto refined = refine(onGridOf(chosen, chosen.x), options.maxIterations, which++))
                chosen = std::move(*refined);
        for (int s = 1; s < options.starts && !cancel.cancelled(); ++s) {
            if (chosen.solution.chi2 / pixels < options.goodEnough)
                break;
            if (auto refined = refine(onGridOf(chosen, perturbed(ModelParameters{best.layout, chosen.x}, rng)),
                                      options.maxIterations, which++);
                refined && refined->solution.logEvidence > chosen.solution.logEvidence)
                chosen = std::move(*refined);
        }
        best.values = chosen.x;
        best.clampToDomain();
    }
    const auto &objective = chosen.objective;
    const SourceGrid grid = resized(objective->grid(), options.grid.size);
    result.cancelled = cancel.cancelled();
    result.timings.optimization = lap();

    // The final inversion, on the final grid, at the coarse grid's
    // evidence-chosen λ carried over to the finer pixels (lambdaGridFactor).
    // A search for the evidence's maximum on the final grid moved log λ by
    // at most 0.05 and the log evidence by at most 0.02 on nine held-out
    // lenses (baseline, wide-parameter, max-realism), for four more dense
    // factorizations: not worth them.
    const double coarseLambda = objective->lambda();
    const double coarseScale = objective->grid().pixelScale;
    const LensObjective finalObjective(model, dataVector, weightVector, best.layout, grid, options.regularization, 1.0);
    auto finalInversion = finalObjective.inversionAt(best.values);
    const auto solution = finalInversion.solve(coarseLambda *
                                    lambdaGridFactor(options.regularization, coarseScale / grid.pixelScale));
    result.timings.finalInversion = lap();
    result.parameters = best;
    result.grid = grid;
    result.source = toImage(solution.source, grid.size);
    result.lightAmplitudes.assign(solution.amplitudes.data(), solution.amplitudes.data() + solution.amplitudes.size());
    result.lambda = solution.lambda;
    result.logEvidence = solution.logEvidence;
    result.chi2 = solution.chi2;
    result.dataPixels = static_cast<int>((weight > 0).sum().item<int64_t>());
    result.reducedChi2 = result.chi2 / result.dataPixels;
    result.forward = toImage(solution.model, n);
    {
        const auto tensors = toTensors(best.layout, torch::tensor(best.values, kDouble));
        result.lensedSource = model.blur(model.lensedSource(result.source, grid, model.trace(tensors.lens)));
    }
    result.lensLight = result.forward - result.lensedSource;
    result.residual = torch::where(valid, data - result.forward, torch::full_like(data, NAN));
    result.chi2Map = torch::where(valid, result.residual.square() * weight, torch::full_like(data, NAN));
    report("final", 0, solution.chi2 + solution.penalty, best, grid, solution.source);

    if (options.uncertainties && !result.cancelled) {
        lap();
        result.sourceSigma = toImage(finalInversion.sourceSigma(solution.lambda), grid.size); // the same factor
        result.timings.sourceSigma = lap();
        // Laplace: f = χ² + penalty = −2 log(posterior) + const, so the
        // covariance is 2 (∇²f)⁻¹, with ∇²f the Gauss-Newton Hessian of the
        // profile on the optimizer's grid, which `objective` holds for the
        // final grid's region in every path; then the calibration factors.
        try {
            result.laplaceSigma =
                sigmaFromHessian(objective->gaussNewtonHessian(best.values), result.hessianPositive, best.scales());
            result.parameterSigma = result.laplaceSigma;
            result.sigmaCalibration = options.sigmaCalibration;
            for (int i = 0; i < best.layout.count(); ++i)
                result.parameterSigma[i] *= options.sigmaCalibration.factor(best, i);
        } catch (const Error &) {
            // The lens left the parameters' domain (validate): no 1σ.
            result.laplaceSigma.clear();
            result.parameterSigma.clear();
            result.hessianPositive = false;
        }
        result.timings.laplace = lap();
    }
    return result;
}

double SigmaCalibration::factor(const ModelParameters &parameters, int i) const
{
    if (i < ThetaE || i >= parameters.layout.count())
        fail("1σ calibration", "no entry " + std::to_string(i));
    if (i > Gamma2)
        return others();
    return i == ThetaE ? radius : i <= E2 ? ellipticity : i <= CenterY ? position : shear;
}

std::vector<double> sigmaFromHessian(const Eigen::MatrixXd &hessian, bool &positive, const std::vector<double> &scales)
{
    constexpr double unconstrainedShare = 0.1;
    Eigen::VectorXd d = Eigen::VectorXd::Ones(hessian.rows());
    if (!scales.empty()) {
        if (static_cast<Eigen::Index>(scales.size()) != hessian.rows())
            fail("Laplace 1σ", "expected " + std::to_string(hessian.rows()) + " scales, got " +
                                   std::to_string(scales.size()));
        d = Eigen::Map<const Eigen::VectorXd>(scales.data(), hessian.rows());
    }
    // In units of each entry's scale: D H D, so that the flatness test and
    // the shares compare like with like.
    const Eigen::MatrixXd symmetric = d.asDiagonal() * (0.5 * (hessian + hessian.transpose())) * d.asDiagonal();
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(symmetric);
    const Eigen::VectorXd &values = eig.eigenvalues();
    const Eigen::MatrixXd &vectors = eig.eigenvectors();
    const auto count = values.size();
    const double floor = 1e-8 * std::max(values.cwiseAbs().maxCoeff(), 1e-300);
    positive = values.minCoeff() > floor;
    Eigen::VectorXd inverse = Eigen::VectorXd::Zero(count);
    std::vector<bool> unconstrained(static_cast<std::size_t>(count), false);
    for (Eigen::Index k = 0; k < count; ++k) {
        if (values[k] > floor) {
            inverse[k] = 1.0 / values[k];
            continue;
        }
        for (Eigen::Index i = 0; i < count; ++i)
            if (std::abs(vectors(i, k)) >= unconstrainedShare)
                unconstrained[static_cast<std::size_t>(i)] = true;
    }
    const Eigen::MatrixXd covariance = 2.0 * vectors * inverse.asDiagonal() * vectors.transpose();
    std::vector<double> sigma;
    for (Eigen::Index i = 0; i < count; ++i)
        sigma.push_back(unconstrained[static_cast<std::size_t>(i)] ? NAN : d[i] * std::sqrt(covariance(i, i)));
    return sigma;
}

torch::Tensor sourceFluxPerPixel(const FitResult &result, double imagePixelScale)
{
    const double ratio = result.grid.pixelScale / imagePixelScale;
    return result.source * (ratio * ratio);
}

} // namespace astrorim::fit

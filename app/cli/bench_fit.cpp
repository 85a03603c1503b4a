// bench fit: milliseconds per stage of the fit (core/fit) on held-out lenses.

#include "bench_fit.h"

#include "common/error.h"
#include "evaluation/held_out_set.h"
#include "evaluation/labelled_batch.h"
#include "fit/fitter.h"
#include "fit/batched_inversion.h"
#include "fit/forward_model.h"
#include "fit/iterative_inversion.h"
#include "fit/linear_inversion.h"
#include "fit/regularization.h"
#include "nn/first_guess.h"
#include "nn/model_file.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>

namespace astrorim::cli {

namespace {

/// Median milliseconds of `repeats` calls (after one untimed call).
double medianMs(int repeats, const std::function<void()> &work)
{
    work();
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int benchFit(const ArgumentParser &parser)
{
    // The budgets are for two CPU threads (DESIGN.md): the default here.
    const int threads = static_cast<int>(parser.integer("threads", 0, 1024));
    torch::set_num_threads(threads > 0 ? threads : 2);
    const int lenses = static_cast<int>(parser.integer("lenses", 1, 12));
    const int gridSize = static_cast<int>(parser.integer("source-grid", 8, 256));
    const int psfSize = static_cast<int>(parser.integer("psf-size", 0, 25));
    const std::string presetName = parser.value("preset") == "all" ? "baseline" : parser.value("preset");
    const auto &preset = simulation::presetByName(presetName);
    std::size_t presetIndex = 0;
    while (simulation::presets()[presetIndex].name != preset.name)
        ++presetIndex;
    const evaluation::HeldOutSet set(1, torch::kCPU);
    const auto held = set.batch(static_cast<std::int64_t>(presetIndex));
    const auto &sim = held.batch;

    std::optional<nn::LoadedModel> loaded;
    nn::LensEstimate estimate;
    double estimatorMs = 0;
    if (parser.isSet("model")) {
        loaded = nn::loadModel(parser.value("model"), torch::kCPU);
        const auto labelled = evaluation::labelBatch(sim, loaded->model->config().gridSize);
        const auto one = [&] {
            torch::NoGradGuard noGrad;
            const auto obs = labelled.observation;
            const auto p = loaded->model->estimator->forward(obs.data.slice(0, 0, 1), obs.sigma.slice(0, 0, 1));
            return p;
        };
        estimatorMs = medianMs(5, [&] { one(); });
        torch::NoGradGuard noGrad;
        const auto p = loaded->model->estimator->forward(labelled.observation.data, labelled.observation.sigma);
        estimate = nn::decodeParameters(p.mean, labelled.observation.pixelScale, labelled.observation.dataScale,
                                        loaded->model->config().gridSize);
    }
    const auto labelled = evaluation::labelBatch(sim, 96);

    std::printf("bench fit: preset %s, %d held-out lenses, %d CPU threads, source grid %d², PSF %s\n"
                "columns: the operator M and one inversion at the fit's λ on the final grid, dense (normal matrix and "
                "Cholesky) and matrix-free (conjugate gradients to a relative residual of 1e-8), medians of 3; then the "
                "stages of one whole fit (fitLens) in seconds\n\n",
                preset.name.c_str(), lenses, torch::get_num_threads(), gridSize,
                psfSize > 0 ? (std::to_string(psfSize) + "×" + std::to_string(psfSize)).c_str()
                            : "core holding 99.5 % of the flux");
    std::printf("| lens | PSF | operator ms | nnz(M) | inversion ms | matrix-free inversion ms (iterations) | 32² normal "
                "matrix ms, columns / dense (chosen) | grid s | Sérsic-source fit s | optimization s | evaluations | final "
                "inversion s | source 1σ s | Laplace s | whole fit s | reduced χ² | SIE θ_E error | log evidence |\n"
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    // Each lens's final-grid operator, data, weight and λ, for the batched rows.
    struct Kept
    {
        fit::LinearOperator op;
        Eigen::VectorXd data, weight;
        double lambda = 0, pcgMs = NAN;
    };
    std::vector<Kept> kept;
    for (int b = 0; b < lenses; ++b) {
        fit::FitInput input;
        input.data = sim.observation[b].to(torch::kFloat64);
        input.sigma = sim.noiseMap[b].to(torch::kFloat64);
        const auto psf = sim.psf[b].to(torch::kFloat64);
        if (psfSize > 0) {
            const int64_t first = (psf.size(0) - psfSize) / 2;
            input.psf = psf.slice(0, first, first + psfSize).slice(1, first, first + psfSize);
        } else {
            input.psf = fit::truncatePsf(psf);
        }
        input.pixelScale = sim.truth.pixelScale[b].item<double>();
        input.start = loaded ? nn::toModelParameters(estimate, b) : nn::toModelParameters(labelled.truth, b);
        fit::FitOptions options;
        options.grid.size = gridSize;
        options.optimizeLens = false;
        options.uncertainties = false;
        const auto inverted = fit::fitLens(input, options);

        const fit::ForwardModel model({96, input.pixelScale, options.supersample}, input.psf);
        const Eigen::VectorXd dataVector = fit::toVector(input.data);
        const Eigen::VectorXd weightVector = fit::toVector(1.0 / input.sigma.square());
        fit::LinearOperator op;
        const double operatorMs =
            medianMs(3, [&] { op = model.linearOperator(input.start.layout, input.start.values, inverted.grid); });
        const auto h = fit::regularizationMatrix(gridSize, options.regularization);
        const double logDetH = fit::regularizationLogDeterminant(gridSize, options.regularization);
        const double inversionMs = medianMs(3, [&] {
            fit::LinearInversion inversion(op, dataVector, weightVector, h, logDetH);
            (void)inversion.solve(inverted.lambda);
        });
        int pcgIterations = 0;
        double pcgMs = NAN;
        try {
            pcgMs = medianMs(3, [&] {
                fit::IterativeInversion inversion(op, dataVector, weightVector, h, inverted.lambda);
                (void)inversion.solve({2000, 1e-8});
                pcgIterations = inversion.iterations();
            });
        } catch (const Error &) {
            pcgIterations = -1; // not converged in 2,000 iterations: shown as nan (-1)
        }
        kept.push_back({op, dataVector, weightVector, inverted.lambda, pcgMs});
        // The optimizer's normal matrix (its 32² grid) by the column-wise
        // scatter and by the dense product, and the one chosen.
        const auto coarseGrid = fit::resized(inverted.grid, options.optimizerGridSize);
        const auto coarseOp = model.linearOperator(input.start.layout, input.start.values, coarseGrid);
        const auto coarseH = fit::regularizationMatrix(coarseGrid.size, options.regularization);
        const double coarseLogDet = fit::regularizationLogDeterminant(coarseGrid.size, options.regularization);
        double normalMs[2];
        for (const auto path : {fit::NormalMatrixPath::Columns, fit::NormalMatrixPath::Dense})
            normalMs[path == fit::NormalMatrixPath::Dense] = medianMs(3, [&] {
                fit::LinearInversion inversion(coarseOp, dataVector, weightVector, coarseH, coarseLogDet, path);
            });
        const bool denseChosen =
            fit::LinearInversion(coarseOp, dataVector, weightVector, coarseH, coarseLogDet).normalMatrixPath() ==
            fit::NormalMatrixPath::Dense;
        options.optimizeLens = true;
        options.uncertainties = true;
        options.matrixFreeOptimizer = parser.isSet("matrix-free-optimizer");
        options.starts = static_cast<int>(parser.integer("starts", 1, 20));
        options.parametricIterations = static_cast<int>(parser.integer("sersic-iterations", 0, 1000));
        options.goodEnough = parser.number("good-enough", 0, 100);
        if (parser.isSet("inversions-only")) {
            std::printf("| %d | %lld² | %.1f | %lld | %.1f | %.1f (%d) | %.1f / %.1f (%s) | – | – | – | – | – | – | – | – | – "
                        "| – |\n",
                        b, static_cast<long long>(input.psf.size(0)), operatorMs,
                        static_cast<long long>(op.sourceColumns.nonZeros()), inversionMs, pcgMs, pcgIterations,
                        normalMs[0], normalMs[1], denseChosen ? "dense" : "columns");
            continue;
        }
        const auto started = std::chrono::steady_clock::now();
        const auto full = fit::fitLens(input, options);
        const double fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const auto &t = full.timings;
        const double trueThetaE = sim.truth.lens.sie.theta_E[b].item<double>();
        const double thetaError = std::abs(full.parameters.values[fit::ThetaE] - trueThetaE) / trueThetaE;
        std::printf("| %d | %lld² | %.1f | %lld | %.1f | %.1f (%d) | %.1f / %.1f (%s) | %.2f | %.2f | %.2f | %d | %.2f | %.2f | "
                    "%.2f | %.2f | %.3f | %.2f %% | %.1f |\n",
                    b, static_cast<long long>(input.psf.size(0)), operatorMs,
                    static_cast<long long>(op.sourceColumns.nonZeros()), inversionMs, pcgMs, pcgIterations,
                    normalMs[0], normalMs[1], denseChosen ? "dense" : "columns", t.grid,
                    t.parametric, t.optimization,
                    full.evaluations, t.finalInversion, t.sourceSigma, t.laplace, fitSeconds, full.reducedChi2,
                    100 * thetaError, full.logEvidence);
        std::fflush(stdout);
    }
    if (loaded)
        std::printf("\nfirst guess (estimator, one lens): %.1f ms\n", estimatorMs);

    // The same final-grid inversions, batched (BatchedInversion: one
    // LibTorch PCG for all lenses, Jacobi preconditioner), against the
    // single-lens matrix-free solver above as the peer measured in this run.
    std::vector<torch::Device> devices;
    const std::string deviceName = parser.value("device");
    if (deviceName != "cuda")
        devices.emplace_back(torch::kCPU);
    if (deviceName != "cpu" && torch::cuda::is_available())
        devices.emplace_back(torch::kCUDA);
    double peerMs = 0;
    for (const auto &k : kept)
        peerMs += k.pcgMs;
    peerMs /= static_cast<double>(kept.size());
    std::printf("\nbatched matrix-free inversion on the final grid (the lenses above, repeated to fill the batch), "
                "relative residual 1e-8, medians of 3\n\n"
                "| device | batch | ms per batch | ms per lens | iterations | lenses per second | per-lens time vs the "
                "single-lens matrix-free solver |\n|---|---:|---:|---:|---:|---:|---:|\n");
    const auto h = fit::regularizationMatrix(gridSize, fit::Regularization::Curvature);
    for (const auto &device : devices)
        for (const int size : device.is_cuda() ? std::vector<int>{lenses, 16 * lenses, 128 * lenses}
                                               : std::vector<int>{lenses, 4 * lenses}) {
            std::vector<fit::BatchedProblem> batch;
            for (int i = 0; i < size; ++i) {
                const auto &k = kept[static_cast<std::size_t>(i % lenses)];
                batch.push_back({&k.op, &k.data, &k.weight, k.lambda});
            }
            int iterations = 0;
            double ms = NAN;
            try {
                fit::BatchedInversion batched(batch, h, device);
                ms = medianMs(3, [&] {
                    (void)batched.solve({2000, 1e-8});
                    if (device.is_cuda())
                        torch::cuda::synchronize();
                    iterations = batched.iterations();
                });
            } catch (const Error &e) {
                std::fprintf(stderr, "batched inversion on %s, batch %d: %s\n", device.str().c_str(), size, e.what());
            }
            std::printf("| %s | %d | %.1f | %.2f | %d | %.1f | %.2f× |\n", device.str().c_str(), size, ms, ms / size,
                        iterations, 1000.0 * size / ms, (ms / size) / peerMs);
            std::fflush(stdout);
        }
    return 0;
}

} // namespace astrorim::cli

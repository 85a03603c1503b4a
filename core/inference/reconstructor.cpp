#include "inference/reconstructor.h"

#include "common/error.h"
#include "model/likelihood.h"
#include "fit/fitter.h"
#include "fit/forward_model.h"
#include "nn/first_guess.h"
#include "nn/lens_refinement.h"
#include "nn/model_file.h"
#include "nn/normalization.h"
#include "psf/psf_kernel.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace astrorim::inference {

namespace {

using torch::Tensor;

/// Pixels without data (masked, NaN, or outside the image) enter the
/// networks as sky, 0 ± the median σ. The networks never saw holes in
/// training: given a large σ there instead, the RIM filled masked neighbours
/// with flux of its own (reduced χ² 243 instead of 8.7 on a real Euclid lens
/// with its neighbour masked). χ² and the outputs still treat them as
/// having no data.
constexpr double kMissingSigma = 1.0;

/// One observation preprocessed, with its PSF on the model grid.
struct Prepared
{
    preprocess::PreparedObservation observation;
    Tensor psf;
    std::vector<std::string> warnings;
};

/// `psfSize`: the kernel side the model was trained with (its metadata).
Prepared prepareObservation(const Observation &o, const ReconstructionOptions &options, int gridSize, int psfSize)
{
    try {
        auto pre = options.preprocess;
        pre.gridSize = gridSize;
        Prepared p{preprocess::prepare(o.image, o.pixelScale, o.noiseMap, pre), {}, {}};
        const double scale = p.observation.cutout.pixelScale;
        if (o.psfImage.defined())
            p.psf = preprocess::resamplePsf(o.psfImage, o.psfPixelScale > 0 ? o.psfPixelScale : o.pixelScale, scale,
                                            psfSize, o.name + " PSF");
        else if (o.psfFwhm > 0 && std::isfinite(o.psfFwhm))
            p.psf = psf::psfKernel({psf::PsfType::Gaussian, o.psfFwhm, 3.0}, scale, psfSize);
        else
            fail(o.name, "needs a PSF: an image, or a FWHM in arcsec");
        p.warnings = p.observation.warnings;
        for (auto &w : preprocess::rangeWarnings(scale, psf::measureFwhm(p.psf, scale), NAN))
            p.warnings.push_back(std::move(w));
        return p;
    } catch (const Error &e) {
        const std::string message = e.what();
        if (message.rfind(o.name, 0) == 0)
            throw;
        fail(o.name, message);
    }
}

/// The networks' view of a batch of prepared observations.
nn::NormalizedObservation normalizeBatch(const std::vector<const Prepared *> &batch, torch::Device device)
{
    std::vector<Tensor> data, sigma, psf, scale;
    for (const auto *p : batch) {
        const auto &c = p->observation.cutout;
        const auto finite = torch::isfinite(c.sigma);
        const double typical = c.sigma.index({finite}).median().item<double>();
        data.push_back(c.data);
        sigma.push_back(torch::where(finite, c.sigma, torch::full_like(c.sigma, kMissingSigma * typical)));
        psf.push_back(p->psf);
        scale.push_back(torch::tensor(c.pixelScale, torch::kFloat64));
    }
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    return nn::normalizeObservation(torch::stack(data).to(options), torch::stack(sigma).to(options),
                                    torch::stack(scale).to(options), torch::stack(psf).to(options));
}

/// A [1] float64 tensor.
Tensor scalar(double v) { return torch::tensor({v}, torch::kFloat64); }

/// The fit's lens and light into the result's LensEstimate and 1σ vector,
/// so that exports and flags read one description of the lens.
void takeFitParameters(ReconstructionResult &out, const fit::FitResult &f)
{
    const auto &p = f.parameters;
    const auto &v = p.values;
    auto &lens = out.lens.lens;
    lens.sie = {scalar(v[fit::ThetaE]), scalar(v[fit::E1]), scalar(v[fit::E2]), scalar(v[fit::CenterX]),
                scalar(v[fit::CenterY])};
    lens.shear = {scalar(v[fit::Gamma1]), scalar(v[fit::Gamma2])};
    lens.hasNfw = p.layout.nfw;
    lens.hasSis = p.layout.sis;
    lens.nfw = {scalar(1.0), scalar(0.0), scalar(0.0), scalar(0.0)};
    lens.sis = {scalar(0.0), scalar(0.0), scalar(0.0)};
    if (p.layout.nfw) {
        const int o = p.layout.nfwOffset();
        lens.nfw = {scalar(v[o]), scalar(v[o + 1]), scalar(v[o + 2]), scalar(v[o + 3])};
    }
    if (p.layout.sis) {
        const int o = p.layout.sisOffset();
        lens.sis = {scalar(v[o]), scalar(v[o + 1]), scalar(v[o + 2])};
    }
    auto sigma = torch::full({nn::ParameterCount}, NAN, torch::kFloat64);
    const auto setSigma = [&](int64_t index, int entry) {
        if (static_cast<std::size_t>(entry) < f.parameterSigma.size())
            sigma[index] = f.parameterSigma[static_cast<std::size_t>(entry)];
    };
    for (const auto &[index, entry] : {std::pair{nn::ThetaE, fit::ThetaE}, {nn::E1, fit::E1}, {nn::E2, fit::E2},
                                      {nn::CenterX, fit::CenterX}, {nn::CenterY, fit::CenterY},
                                      {nn::Gamma1, fit::Gamma1}, {nn::Gamma2, fit::Gamma2}})
        setSigma(index, entry);
    if (p.layout.lightComponents > 0) {
        const int o = p.layout.lightOffset(0);
        auto &light = out.lens.lensLight;
        const double amp = f.lightAmplitudes.empty() ? 0.0 : f.lightAmplitudes.front();
        light = {scalar(amp),    scalar(v[o]),            scalar(v[o + 1]),        scalar(v[o + 2]),
                 scalar(v[o + 3]), scalar(v[fit::CenterX]), scalar(v[fit::CenterY])};
        setSigma(nn::LightLogR, o);
        setSigma(nn::LightN, o + 1);
        setSigma(nn::LightE1, o + 2);
        setSigma(nn::LightE2, o + 3);
    }
    out.parameterSigma = sigma;
}

/// Fills `out` from the fit of its prepared data: maps, lens, 1σ.
void runFit(ReconstructionResult &out, const fit::ModelParameters &firstGuess, const ReconstructionOptions &options,
            const SourceCallback &callback, const CancelToken &cancel)
{
    fit::FitInput input;
    input.data = out.data;
    input.sigma = out.sigma;
    input.psf = fit::truncatePsf(out.psf);
    out.psf = input.psf / input.psf.sum(); // the kernel the forward model used, as exported
    input.pixelScale = out.prepared.cutout.pixelScale;
    input.start = firstGuess;
    auto fitOptions = options.fit;
    fitOptions.optimizeLens = options.mode == FitMode::Full && fitOptions.optimizeLens;
    const double scale = input.pixelScale;
    auto f = fit::fitLens(
        input, fitOptions,
        [&](const fit::FitStep &step) {
            if (callback) {
                const double ratio = step.grid.pixelScale / scale;
                callback({step.iteration, step.source * (ratio * ratio), step.grid.pixelScale, step.grid.centerX,
                          step.grid.centerY, step.stage, step.value});
            }
        },
        cancel);
    out.source = fit::sourceFluxPerPixel(f, scale);
    const double ratio = f.grid.pixelScale / scale;
    if (f.sourceSigma.defined())
        out.sourceSigma = f.sourceSigma * (ratio * ratio);
    for (const auto &step : f.history)
        if (step.grid.size == f.grid.size && step.grid.pixelScale == f.grid.pixelScale &&
            step.grid.centerX == f.grid.centerX && step.grid.centerY == f.grid.centerY)
            out.iterates.push_back(step.source * (ratio * ratio));
    out.forward = f.forward;
    takeFitParameters(out, f);
    out.iterationsRun = static_cast<int>(f.history.size()); // every step, on whichever grid
    out.cancelled = f.cancelled;
    out.fit = std::move(f);
}

} // namespace

std::string fitModeName(FitMode mode)
{
    switch (mode) {
    case FitMode::Full: return "fit";
    case FitMode::Inversion: return "inversion";
    case FitMode::Rim: return "rim";
    }
    return "fit";
}

FitMode parseFitMode(const std::string &name)
{
    for (const auto mode : {FitMode::Full, FitMode::Inversion, FitMode::Rim})
        if (fitModeName(mode) == name)
            return mode;
    fail("fit mode", "unknown mode '" + name + "' (choose fit, inversion or rim)");
}

struct Reconstructor::Private
{
    std::filesystem::path file;
    nn::LoadedModel loaded;
    nn::TrainingSettings training; ///< from the model's metadata
    torch::Device device = torch::kCPU;

    /// Runs the networks on `batch` and fills the results' maps and lens.
    std::vector<ReconstructionResult> reconstruct(const std::vector<const Prepared *> &batch,
                                                  const std::vector<std::string> &names,
                                                  const ReconstructionOptions &options, const SourceCallback &callback,
                                                  const CancelToken &cancel)
    {
        auto &model = *loaded.model;
        const auto obs = normalizeBatch(batch, device);
        // Back to each observation's units from the model's normalization, the only one.
        std::vector<double> toObservation;
        for (size_t b = 0; b < batch.size(); ++b)
            toObservation.push_back(obs.dataScale[static_cast<int64_t>(b)].item<double>());
        const auto inUnits = [&](const Tensor &x, size_t b) {
            return x[static_cast<int64_t>(b)].detach().to(torch::kCPU, torch::kFloat64) * toObservation[b];
        };

        torch::NoGradGuard noGrad;
        nn::Reconstruction r;
        bool cancelled = false;
        const bool fitting = options.mode != FitMode::Rim;
        if (fitting) {
            // The estimator's first guess; the fit does the rest per observation.
            r.parameters = model.estimator->forward(obs.data, obs.sigma);
            r.lens = nn::decodeParameters(r.parameters.mean, obs.pixelScale, obs.dataScale, model.config().gridSize);
        } else if (options.refineRounds > 0) {
            r = nn::refineLens(model, obs, {options.refineRounds, 20, options.iterations, 5e-3, true}, cancel)
                    .reconstruction;
            cancelled = cancel.cancelled();
        } else {
            r = model.reconstruct(obs, options.iterations, [&](int t, const Tensor &estimate, const Tensor &) {
                if (callback)
                    callback({t, inUnits(estimate, 0), obs.pixelScale[0].item<double>(), 0, 0, "rim", 0});
                cancelled = cancel.cancelled();
                return !cancelled;
            });
        }

        std::vector<ReconstructionResult> results;
        for (size_t b = 0; b < batch.size(); ++b) {
            const auto &p = *batch[b];
            ReconstructionResult out;
            out.name = names[b];
            out.prepared = p.observation;
            out.psf = p.psf;
            out.warnings = p.warnings;
            out.data = p.observation.cutout.data;
            out.sigma = p.observation.cutout.sigma;
            for (const auto &x : r.iterates)
                out.iterates.push_back(inUnits(x, b));
            if (!fitting) {
                out.source = out.iterates.back();
                out.forward = inUnits(r.model, b);
            }
            out.lens = nn::selectSystem(r.lens, static_cast<int64_t>(b));
            out.parameters = r.parameters.mean[static_cast<int64_t>(b)].detach().to(torch::kCPU, torch::kFloat64);
            out.logVariance = r.parameters.logVar[static_cast<int64_t>(b)].detach().to(torch::kCPU, torch::kFloat64);
            out.parameterSigma = torch::full({nn::ParameterCount}, NAN, torch::kFloat64);
            for (int64_t k = 0; k < nn::ParameterCount; ++k)
                if (k != nn::NfwLogit && k != nn::SisLogit)
                    out.parameterSigma[k] = nn::physicalSigma(r.parameters.mean, r.parameters.logVar, obs.pixelScale,
                                                              obs.dataScale, model.config().gridSize, k)[static_cast<int64_t>(b)]
                                                .item<double>();
            out.iterationsRun = static_cast<int>(r.iterates.size());
            out.cancelled = cancelled;
            out.mode = options.mode;
            if (fitting)
                runFit(out, nn::toModelParameters(r.lens, static_cast<int64_t>(b)), options,
                       b == 0 ? callback : SourceCallback{}, cancel);
            const auto has = torch::isfinite(out.sigma);
            out.residual = torch::where(has, out.data - out.forward, torch::zeros_like(out.data));
            out.chi2 = torch::where(has, (out.residual / out.sigma).square(), torch::zeros_like(out.data));
            const double pixels = has.sum().item<double>();
            out.reducedChi2 = out.chi2.sum().item<double>() / pixels;
            out.rmsResidual = std::sqrt(out.residual.square().sum().item<double>() / pixels) /
                              out.data.index({has}).max().item<double>();
            if (!torch::isfinite(out.source).all().item<bool>())
                fail(out.name, "the reconstruction is not finite");
            results.push_back(std::move(out));
        }
        return results;
    }
};

Reconstructor::Reconstructor(const std::filesystem::path &modelFile, torch::Device device)
    : d(std::make_unique<Private>())
{
    d->file = modelFile;
    d->device = device;
    d->loaded = nn::loadModel(modelFile, device);
    d->training = nn::trainingSettings(d->loaded.metadata, modelFile.string());
    d->loaded.model->eval();
}

Reconstructor::~Reconstructor() = default;

int Reconstructor::gridSize() const { return d->loaded.model->config().gridSize; }
int Reconstructor::trainedIterations() const { return d->training.rimIterations; }

ReconstructionOptions Reconstructor::withTrainedIterations(ReconstructionOptions options) const
{
    options.iterations = d->training.iterations(options.iterations);
    return options;
}
torch::Device Reconstructor::device() const { return d->device; }
const std::map<std::string, std::string> &Reconstructor::modelMetadata() const { return d->loaded.metadata; }
const std::filesystem::path &Reconstructor::modelFile() const { return d->file; }

ReconstructionResult Reconstructor::run(const Observation &observation, const ReconstructionOptions &options,
                                        const SourceCallback &callback, const CancelToken &cancel)
{
    if (options.iterations < 0 || options.iterations > 100 || options.refineRounds < 0)
        fail(observation.name, "iterations must be 1-100 (0: as trained) and refinement rounds ≥ 0");
    if (options.mode != FitMode::Rim && options.refineRounds > 0)
        fail(observation.name, "MAP refinement belongs to the RIM mode; the fit optimizes the lens itself");
    const auto chosen = withTrainedIterations(options);
    const auto prepared = prepareObservation(observation, chosen, gridSize(), d->training.psfSize);
    return d->reconstruct({&prepared}, {observation.name}, chosen, callback, cancel).front();
}

std::vector<ReconstructionResult> Reconstructor::runBatch(const std::vector<Observation> &observations,
                                                          const ReconstructionOptions &options, int batchSize,
                                                          const ProgressCallback &progress, const CancelToken &cancel)
{
    if (batchSize < 1)
        fail("reconstruction", "batch size must be positive");
    if (options.iterations < 0 || options.iterations > 100)
        fail("reconstruction", "iterations must be 1-100 (0: as trained)");
    const auto chosen = withTrainedIterations(options);
    std::vector<Prepared> prepared;
    for (const auto &o : observations)
        prepared.push_back(prepareObservation(o, chosen, gridSize(), d->training.psfSize));
    std::vector<ReconstructionResult> results;
    for (size_t first = 0; first < observations.size() && !cancel.cancelled(); first += static_cast<size_t>(batchSize)) {
        std::vector<const Prepared *> batch;
        std::vector<std::string> names;
        for (size_t i = first; i < std::min(observations.size(), first + static_cast<size_t>(batchSize)); ++i) {
            batch.push_back(&prepared[i]);
            names.push_back(observations[i].name);
        }
        for (auto &r : d->reconstruct(batch, names, chosen, {}, cancel))
            results.push_back(std::move(r));
        if (progress)
            progress(static_cast<std::int64_t>(results.size()), static_cast<std::int64_t>(observations.size()));
    }
    return results;
}

} // namespace astrorim::inference

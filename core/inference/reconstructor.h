#pragma once

// The whole reconstruction of one observed lens, as the command-line tool
// and the GUI run it: preprocessing (preprocess/preprocess.h) → the model's
// normalization → lens estimate → the fit (fit/fitter.h: source grid,
// inversion, lens optimization) or, in the legacy mode, RIM iterations on
// the image grid (optionally alternating with MAP refinement of the lens) →
// source, forward model, residual and χ² maps in the observation's units. The model's device is chosen once;
// calls are not thread-safe (one Reconstructor per worker thread).

#include "common/progress.h"
#include "fit/fitter.h"
#include "nn/lens_parameters.h"
#include "nn/rim.h"
#include "preprocess/preprocess.h"

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::inference {

/// An observed lens as read from its files.
struct Observation
{
    std::string name;         ///< names the outputs and the messages (usually the file's stem)
    torch::Tensor image;      ///< [H, W] in the file's units, FITS order (row 0 at the bottom)
    torch::Tensor noiseMap;   ///< [H, W] 1σ, or undefined: estimated from the background
    double pixelScale = 0;    ///< arcsec per pixel
    torch::Tensor psfImage;   ///< a PSF image, or undefined: a Gaussian of psfFwhm
    double psfPixelScale = 0; ///< arcsec per pixel of psfImage (0: the image's)
    double psfFwhm = 0;       ///< arcsec, used without psfImage
};

enum class FitMode {
    Full,      ///< the estimator's first guess, source grid, inversion, lens optimization (the default)
    Inversion, ///< the inversion through the estimator's lens, without optimizing it (faster)
    Rim,       ///< the model file's RIM on the image grid, as trained before the fit existed (legacy)
};
/// "fit", "inversion", "rim" and back (throws astrorim::Error naming the choices).
std::string fitModeName(FitMode mode);
FitMode parseFitMode(const std::string &name);

struct ReconstructionOptions
{
    FitMode mode = FitMode::Full;
    fit::FitOptions fit;  ///< the fit's settings (modes Full and Inversion)
    int iterations = 0;   ///< RIM iterations, 1-100 (mode Rim); 0: as the model was trained (its metadata)
    int refineRounds = 0; ///< MAP refinement rounds of the lens (mode Rim; 0: the estimator's lens)
    preprocess::PreprocessOptions preprocess;
};

/// Maps are [N, N] float64 on the CPU in the observation's units per model
/// pixel (sky subtracted), on the cutout grid of `prepared`.
struct ReconstructionResult
{
    std::string name;
    preprocess::PreparedObservation prepared;
    torch::Tensor psf;                   ///< [k, k] on the model grid, sum 1
    torch::Tensor data, sigma;           ///< what was fitted (σ = +inf where there are no data)
    std::vector<torch::Tensor> iterates; ///< the source after each iteration (RIM) or optimizer step on the final grid (fit)
    /// residual = data − forward; chi2 = (residual/σ)². The source lies on
    /// the fit's source grid (fit->grid) in flux per source pixel, or, in
    /// mode Rim, on the cutout's grid in flux per cutout pixel.
    torch::Tensor source, forward, residual, chi2;
    torch::Tensor sourceSigma;           ///< 1σ of the source, same grid and units (undefined in mode Rim)
    std::optional<fit::FitResult> fit;   ///< the fit (modes Full and Inversion)
    FitMode mode = FitMode::Full;        ///< how it was made
    nn::LensEstimate lens;               ///< batch of one, CPU float64, arcsec in the cutout frame
    torch::Tensor parameters, logVariance; ///< [ParameterCount] normalized estimate and its log σ²
    torch::Tensor parameterSigma;        ///< [ParameterCount] 1σ in physical units (NaN for the presence logits)
    double reducedChi2 = 0;              ///< χ² per pixel with data
    double rmsResidual = 0;              ///< rms of the residual over pixels with data / peak of the data
    int iterationsRun = 0;               ///< RIM iterations (fewer than asked when cancelled), or the fit's steps
    bool cancelled = false;
    std::vector<std::string> warnings;
};

/// The source after one RIM iteration or fit step, with the grid it lies on.
struct SourceStep
{
    int iteration = 0;      ///< from 1
    torch::Tensor source;   ///< [n, n] on the CPU, the observation's units per pixel of its grid
    double pixelScale = 0;  ///< arcsec per pixel of that grid
    double centerX = 0, centerY = 0; ///< arcsec of the grid's centre from the cutout's (the RIM's: 0, 0)
    std::string stage;      ///< "rim", or the fit's stage: "inversion", "lens" or "final"
    double value = 0;       ///< the fit's penalized χ² (0 for the RIM)
};
/// Called after each step on the reconstructing thread. The fit's grid
/// changes between stages (the optimizer's coarse grid, then the final one).
using SourceCallback = std::function<void(const SourceStep &)>;

class Reconstructor
{
public:
    /// Loads the model (nn/model_file.h) onto `device`. Throws astrorim::Error naming the file.
    Reconstructor(const std::filesystem::path &modelFile, torch::Device device);
    ~Reconstructor();
    Reconstructor(const Reconstructor &) = delete;
    Reconstructor &operator=(const Reconstructor &) = delete;

    /// Reconstructs one observation. Cancelling stops after the current
    /// iteration and returns what was reached (cancelled = true). Throws
    /// astrorim::Error naming the observation for bad input.
    ReconstructionResult run(const Observation &observation, const ReconstructionOptions &options,
                             const SourceCallback &callback = {}, const CancelToken &cancel = {});

    /// Reconstructs several observations, preprocessing each and running the
    /// networks on them together, `batchSize` at a time (progress counts
    /// observations). A failing observation throws before any network runs.
    std::vector<ReconstructionResult> runBatch(const std::vector<Observation> &observations,
                                               const ReconstructionOptions &options, int batchSize = 8,
                                               const ProgressCallback &progress = {}, const CancelToken &cancel = {});

    [[nodiscard]] int gridSize() const;
    /// The RIM iterations the model was trained with (nn::trainingSettings).
    [[nodiscard]] int trainedIterations() const;
    /// `options` with iterations 0 replaced by trainedIterations().
    [[nodiscard]] ReconstructionOptions withTrainedIterations(ReconstructionOptions options) const;
    [[nodiscard]] torch::Device device() const;
    [[nodiscard]] const std::map<std::string, std::string> &modelMetadata() const;
    [[nodiscard]] const std::filesystem::path &modelFile() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::inference

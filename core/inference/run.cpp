#include "inference/run.h"

#include "analysis/mass_report.h"
#include "common/error.h"
#include "lensing/lenstronomy_kwargs.h"

#include <torch/torch.h>

namespace astrorim::inference {

Provenance makeProvenance(const std::filesystem::path &input, const ObservationFile &file,
                          const ObservationFileOptions &read, const Reconstructor &reconstructor,
                          const ReconstructionOptions &options)
{
    Provenance p;
    p.inputFile = input.string();
    p.hdu = file.hdu;
    p.modelFile = reconstructor.modelFile().string();
    p.device = reconstructor.device().str();
    p.modelMetadata = reconstructor.modelMetadata();
    p.iterations = reconstructor.withTrainedIterations(options).iterations;
    p.refineRounds = options.refineRounds;
    p.wcs = file.wcs;
    p.noiseFile = read.noiseFile.string();
    p.psfFile = read.psfFile.string();
    p.maskFile = read.maskFile.string();
    p.psfFwhm = read.psfFwhm;
    p.pixelScale = read.pixelScale;
    return p;
}

nlohmann::ordered_json massAnalysis(const ReconstructionResult &r, const MassRequest &mass)
{
    const auto lens = lensing::lenstronomyLens(r.lens.lens, 0, r.lens.lens.hasNfw, r.lens.lens.hasSis);
    return analysis::massReport(lensing::lensModelFromLenstronomy(lens["lens_model_list"], lens["kwargs_lens"], r.name),
                                mass.cosmology, mass.zLens, mass.zSource,
                                r.parameterSigma[nn::ThetaE].item<double>());
}

Run completeRun(ReconstructionResult result, Provenance provenance, const std::optional<MassRequest> &mass)
{
    Run run{std::move(result), std::move(provenance), {}};
    if (mass) {
        try {
            run.provenance.mass = massAnalysis(run.result, *mass);
        } catch (const Error &e) {
            fail(run.result.name, std::string("mass analysis: ") + e.what());
        }
    }
    run.parameters = parametersJson(run.result, run.provenance);
    return run;
}

Run runObservation(Reconstructor &reconstructor, const std::filesystem::path &input, const ObservationFile &file,
                   const ObservationFileOptions &read, const ReconstructionOptions &options,
                   const std::optional<MassRequest> &mass, const SourceCallback &callback, const CancelToken &cancel)
{
    auto result = reconstructor.run(file.observation, options, callback, cancel);
    return completeRun(std::move(result), makeProvenance(input, file, read, reconstructor, options), mass);
}

} // namespace astrorim::inference

#pragma once

// One observation's run as the command-line tool and the desktop application
// both assemble it: the file as read → the reconstruction → provenance →
// mass analysis → the parameters JSON (the file written as
// NAME_parameters.json and what the window's tables show). Neither front
// end builds the provenance or the JSON by hand.

#include "analysis/cosmology.h"
#include "inference/observation_file.h"
#include "inference/outputs.h"
#include "inference/reconstructor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace astrorim::inference {

/// Redshifts and cosmology for the mass analysis.
struct MassRequest
{
    double zLens = 0, zSource = 0;
    analysis::Cosmology cosmology = analysis::Cosmology::planck18();
};

/// The provenance of a run of `reconstructor` on `file` (read from `input`
/// with `read`) with `options`: the HDU actually read, the files given with
/// the image, the model, the device and the RIM iterations actually used.
Provenance makeProvenance(const std::filesystem::path &input, const ObservationFile &file,
                          const ObservationFileOptions &read, const Reconstructor &reconstructor,
                          const ReconstructionOptions &options);

/// The mass analysis of a result's lens (analysis/mass_report.h), with the
/// estimator's or the fit's 1σ of θ_E. Throws astrorim::Error for bad redshifts.
nlohmann::ordered_json massAnalysis(const ReconstructionResult &result, const MassRequest &mass);

struct Run
{
    ReconstructionResult result;
    Provenance provenance;
    nlohmann::ordered_json parameters; ///< parametersJson(result, provenance)
};

/// Completes a reconstruction: the mass analysis when `mass` is given, then
/// the JSON. A failing mass analysis throws astrorim::Error naming the observation.
Run completeRun(ReconstructionResult result, Provenance provenance, const std::optional<MassRequest> &mass);

/// Reads nothing and writes nothing: reconstructs `file` with `options` and
/// completes the run. Throws astrorim::Error naming the observation.
Run runObservation(Reconstructor &reconstructor, const std::filesystem::path &input, const ObservationFile &file,
                   const ObservationFileOptions &read, const ReconstructionOptions &options,
                   const std::optional<MassRequest> &mass, const SourceCallback &callback = {},
                   const CancelToken &cancel = {});

} // namespace astrorim::inference

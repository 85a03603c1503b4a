#pragma once

// The model weights file: safetensors (weights/safetensors.h) holding the
// bundle's state dict, with metadata that rebuilds the architecture:
//   format = "astrorim-model", version = "1", config = ModelConfig as JSON,
//   normalization = "peak3x3" (nn/normalization.h), plus free-form entries
//   (training steps, preset mix, …). Loads the same in every LibTorch version.

#include "nn/rim_model.h"

#include <filesystem>
#include <map>
#include <string>

namespace astrorim::nn {

/// Writes `model`'s weights atomically. `extra` is added to the metadata.
void saveModel(const std::filesystem::path &file, const RimModelImpl &model,
               const std::map<std::string, std::string> &extra = {});

struct LoadedModel
{
    RimModel model{nullptr};
    std::map<std::string, std::string> metadata;
};

/// Reads a model file onto `device`, in eval mode. Throws astrorim::Error
/// naming the file when it is missing, corrupt, not an AstroRIM model, of an
/// unknown version, or does not match the architecture it declares.
LoadedModel loadModel(const std::filesystem::path &file, torch::Device device = torch::kCPU);

/// How a model was trained, as its metadata records it: what a
/// reconstruction with it should use unless told otherwise.
struct TrainingSettings
{
    int rimIterations = 10; ///< RIM iterations per training example
    int psfSize = 25;       ///< side of the PSF kernels it saw, model-grid pixels

    /// The RIM iterations to run when `requested` are asked for: 0 means "as
    /// trained"; any other value is the caller's to validate.
    [[nodiscard]] int iterations(int requested) const { return requested == 0 ? rimIterations : requested; }
};
inline constexpr const char *kRimIterationsKey = "rim_iterations";
inline constexpr const char *kPsfSizeKey = "psf_size";

/// Reads TrainingSettings from a model's metadata. Files written before these
/// keys existed get the trainer's values of that time (10 iterations, a
/// 25-pixel PSF). Throws astrorim::Error naming `source` for a value that is
/// not a number or out of range (iterations 1-100, PSF odd 3-101).
TrainingSettings trainingSettings(const std::map<std::string, std::string> &metadata, const std::string &source);

/// ModelConfig ↔ JSON text, as stored in the metadata.
std::string modelConfigToJson(const ModelConfig &config);
ModelConfig modelConfigFromJson(const std::string &json, const std::string &source);

} // namespace astrorim::nn

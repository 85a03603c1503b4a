#include "nn/model_file.h"

#include "common/error.h"
#include "weights/safetensors.h"
#include "weights/state_dict.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace astrorim::nn {

namespace {

constexpr const char *kFormat = "astrorim-model";
constexpr const char *kVersion = "1";
constexpr const char *kNormalization = "peak3x3";

} // namespace

std::string modelConfigToJson(const ModelConfig &c)
{
    const nlohmann::json j{{"grid_size", c.gridSize},
                           {"operator_supersample", c.operatorSupersample},
                           {"rim_channels", {c.rim.channels0, c.rim.channels1, c.rim.channels2}},
                           {"estimator_width", c.estimatorWidth},
                           {"correction_channels", c.correctionChannels},
                           {"gradient", gradientModeName(c.gradient)}};
    return j.dump();
}

ModelConfig modelConfigFromJson(const std::string &json, const std::string &source)
{
    try {
        const auto j = nlohmann::json::parse(json);
        ModelConfig c;
        c.gridSize = j.at("grid_size").get<int>();
        c.operatorSupersample = j.at("operator_supersample").get<int>();
        const auto channels = j.at("rim_channels").get<std::vector<int64_t>>();
        if (channels.size() != 3)
            fail(source, "model config needs three RIM channel counts");
        c.rim = {channels[0], channels[1], channels[2]};
        c.estimatorWidth = j.at("estimator_width").get<int64_t>();
        c.correctionChannels = j.at("correction_channels").get<int64_t>();
        // Version-1 files written before the ablation switch used autograd.
        c.gradient = gradientModeFromName(j.value("gradient", std::string("autograd")), source);
        if (c.gridSize < 16 || c.gridSize > 1024 || c.rim.channels0 < 1 || c.rim.channels0 > 1024 ||
            c.rim.channels1 < 1 || c.rim.channels1 > 1024 || c.rim.channels2 < 1 || c.rim.channels2 > 1024 ||
            c.estimatorWidth < 1 || c.estimatorWidth > 256 || c.correctionChannels < 1 || c.correctionChannels > 256)
            fail(source, "model config holds values out of range: " + json);
        return c;
    } catch (const nlohmann::json::exception &e) {
        fail(source, std::string("model config is not valid: ") + e.what());
    }
}

void saveModel(const std::filesystem::path &file, const RimModelImpl &model,
               const std::map<std::string, std::string> &extra)
{
    auto metadata = extra;
    metadata["format"] = kFormat;
    metadata["version"] = kVersion;
    metadata["config"] = modelConfigToJson(model.config());
    metadata["normalization"] = kNormalization;
    metadata["correction"] = model.correctionEnabled() ? "on" : "off";
    weights::writeSafetensors(file, weights::stateDict(model), metadata);
}

TrainingSettings trainingSettings(const std::map<std::string, std::string> &metadata, const std::string &source)
{
    TrainingSettings out;
    const auto read = [&](const char *key, int &value, int low, int high) {
        const auto it = metadata.find(key);
        if (it == metadata.end())
            return;
        std::size_t used = 0;
        int parsed = 0;
        try {
            parsed = std::stoi(it->second, &used);
        } catch (const std::exception &) {
            used = 0;
        }
        if (used == 0 || used != it->second.size() || parsed < low || parsed > high)
            fail(source, std::string("metadata ") + key + " must be a whole number in " + std::to_string(low) + "-" +
                             std::to_string(high) + ", got '" + it->second + "'");
        value = parsed;
    };
    read(kRimIterationsKey, out.rimIterations, 1, 100);
    read(kPsfSizeKey, out.psfSize, 3, 101);
    if (out.psfSize % 2 == 0)
        fail(source, "metadata psf_size must be odd, got " + std::to_string(out.psfSize));
    return out;
}

LoadedModel loadModel(const std::filesystem::path &file, torch::Device device)
{
    const std::string source = file.string();
    auto contents = weights::readSafetensors(file);
    const auto meta = [&](const char *key) {
        const auto it = contents.metadata.find(key);
        if (it == contents.metadata.end())
            fail(source, std::string("is not an AstroRIM model file (no '") + key + "' in its metadata)");
        return it->second;
    };
    if (meta("format") != kFormat)
        fail(source, "is not an AstroRIM model file (format '" + meta("format") + "')");
    if (meta("version") != kVersion)
        fail(source, "has model format version " + meta("version") + "; this program reads version " + kVersion);
    if (meta("normalization") != kNormalization)
        fail(source, "expects the normalization '" + meta("normalization") + "', which this program lacks");
    LoadedModel out{RimModel(modelConfigFromJson(meta("config"), source)), contents.metadata};
    weights::loadStateDict(*out.model, contents.tensors, source);
    const auto correction = contents.metadata.find("correction");
    out.model->setCorrectionEnabled(correction == contents.metadata.end() || correction->second != "off");
    out.model->to(device);
    out.model->eval();
    return out;
}

} // namespace astrorim::nn

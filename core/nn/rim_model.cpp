#include "nn/rim_model.h"

#include "common/error.h"
#include "model/lens_light.h"

#include <torch/torch.h>

namespace astrorim::nn {

std::string gradientModeName(GradientMode mode)
{
    return mode == GradientMode::Autograd ? "autograd" : "inverse-warp";
}

GradientMode gradientModeFromName(const std::string &name, const std::string &source)
{
    if (name == "autograd")
        return GradientMode::Autograd;
    if (name == "inverse-warp")
        return GradientMode::InverseWarp;
    fail(source, "unknown gradient mode '" + name + "' (autograd or inverse-warp)");
}

RimModelImpl::RimModelImpl(ModelConfig config)
    : m_config(config), m_physics(model::OperatorConfig{config.gridSize, config.operatorSupersample})
{
    estimator = register_module("estimator", LensEstimator(config.gridSize, config.estimatorWidth));
    cell = register_module("rim", RimCell(config.rim));
    correction = register_module("correction", model::OperatorCorrection(config.correctionChannels));
}

ForwardFunction RimModelImpl::forwardFunction(const OperatorSetup &setup)
{
    return [this, setup](const torch::Tensor &source) {
        auto image = m_physics.blurred(source, setup.rays, setup.psf);
        if (m_useCorrection)
            image = correction->forward(image);
        return setup.lensLight.defined() ? image + setup.lensLight : image;
    };
}

LikelihoodFunction RimModelImpl::likelihoodFunction(const OperatorSetup &setup, const torch::Tensor &data,
                                                    const torch::Tensor &sigma)
{
    auto forward = forwardFunction(setup);
    if (m_config.gradient == GradientMode::Autograd)
        return autogradLikelihood(std::move(forward), data, sigma);
    return [this, forward = std::move(forward), rays = setup.rays, data, sigma](const torch::Tensor &s) {
        const auto backProject = [&](const torch::Tensor &r) { return m_physics.inverseWarp(r, rays); };
        return model::backProjectedGradient(forward, backProject, s, data, sigma);
    };
}

OperatorSetup RimModelImpl::setup(const LensEstimate &lens, const NormalizedObservation &observation) const
{
    // The lens light is rendered in data units, then normalized like the data.
    const auto light = model::renderLensLight(lens.lensLight, observation.pixelScale, observation.psf,
                                              m_config.gridSize, m_config.operatorSupersample);
    return {m_physics.trace(lens.lens, observation.pixelScale), observation.psf,
            light / observation.dataScale.view({-1, 1, 1})};
}

Reconstruction RimModelImpl::reconstruct(const NormalizedObservation &observation, int iterations,
                                         const IterationCallback &callback)
{
    const auto parameters = estimator->forward(observation.data, observation.sigma);
    auto out = reconstructWith(decodeParameters(parameters.mean, observation.pixelScale, observation.dataScale,
                                                m_config.gridSize),
                               observation, iterations, callback);
    out.parameters = parameters;
    return out;
}

Reconstruction RimModelImpl::reconstructWith(const LensEstimate &lens, const NormalizedObservation &observation,
                                             int iterations, const IterationCallback &callback)
{
    Reconstruction out;
    out.lens = lens;
    const auto operatorSetup = setup(lens, observation);
    out.iterates = runRim(cell, likelihoodFunction(operatorSetup, observation.data, observation.sigma),
                          observation.data, observation.sigma, torch::zeros_like(observation.data), iterations,
                          callback);
    out.model = forwardFunction(operatorSetup)(out.iterates.back());
    return out;
}

} // namespace astrorim::nn

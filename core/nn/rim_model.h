#pragma once

// The trained model as one unit: the lens-parameter estimator, the RIM cell
// and the learned operator correction, over the physical lensing operator.
// Saved and loaded as one weights file (nn/model_file.h).

#include "model/lensing_operator.h"
#include "model/operator_correction.h"
#include "nn/lens_estimator.h"
#include "nn/lens_parameters.h"
#include "nn/normalization.h"
#include "nn/rim.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace astrorim::nn {

/// How the RIM gets the χ² gradient it reads.
enum class GradientMode {
    Autograd,    ///< the true gradient through the whole operator (PSF, correction)
    InverseWarp, ///< the residual carried back along the rays, no PSF transpose (ablation)
};

/// "autograd" / "inverse-warp", and back; throws astrorim::Error naming `source` for other words.
std::string gradientModeName(GradientMode mode);
GradientMode gradientModeFromName(const std::string &name, const std::string &source);

struct ModelConfig
{
    int gridSize = 96;
    int operatorSupersample = 2; ///< rays per pixel side in the forward operator
    RimConfig rim;
    int64_t estimatorWidth = 16;
    int64_t correctionChannels = 16;
    GradientMode gradient = GradientMode::Autograd; ///< a model runs with the gradient it was trained on
};

/// What the operator needs besides the source, for one batch.
struct OperatorSetup
{
    model::RayTrace rays;
    torch::Tensor psf;       ///< [B, k, k]
    torch::Tensor lensLight; ///< [B, N, N] normalized, PSF-convolved
};

struct Reconstruction
{
    std::vector<torch::Tensor> iterates; ///< source after each iteration, [B, N, N] normalized
    EstimatorOutput parameters;          ///< the estimator's normalized parameters
    LensEstimate lens;                   ///< the same, physical
    torch::Tensor model;                 ///< forward model of the last iterate, normalized
};

class RimModelImpl : public torch::nn::Module
{
public:
    explicit RimModelImpl(ModelConfig config = {});

    /// s ↦ A(s) = C(PSF ∗ L(s)) + lens light, with C the learned correction
    /// when it is enabled.
    [[nodiscard]] ForwardFunction forwardFunction(const OperatorSetup &setup);

    /// The data term the RIM reads for `data` and `sigma` under `setup`, by
    /// the config's gradient mode.
    [[nodiscard]] LikelihoodFunction likelihoodFunction(const OperatorSetup &setup, const torch::Tensor &data,
                                                        const torch::Tensor &sigma);

    /// Estimator → operator from the estimated lens, lens light and the
    /// given PSF → `iterations` RIM steps from a zero source.
    Reconstruction reconstruct(const NormalizedObservation &observation, int iterations,
                               const IterationCallback &callback = {});

    /// The same RIM pass with a given lens (a refined or the true one) in
    /// place of the estimator's; `parameters` is left empty.
    Reconstruction reconstructWith(const LensEstimate &lens, const NormalizedObservation &observation,
                                   int iterations, const IterationCallback &callback = {});

    /// The operator setup for an estimated (or true) lens.
    [[nodiscard]] OperatorSetup setup(const LensEstimate &lens, const NormalizedObservation &observation) const;

    void setCorrectionEnabled(bool enabled) { m_useCorrection = enabled; }
    [[nodiscard]] bool correctionEnabled() const { return m_useCorrection; }
    [[nodiscard]] const ModelConfig &config() const { return m_config; }
    [[nodiscard]] const model::LensingOperator &physics() const { return m_physics; }

    LensEstimator estimator{nullptr};
    RimCell cell{nullptr};
    model::OperatorCorrection correction{nullptr};

private:
    ModelConfig m_config;
    model::LensingOperator m_physics;
    bool m_useCorrection = true;
};
TORCH_MODULE(RimModel);

} // namespace astrorim::nn

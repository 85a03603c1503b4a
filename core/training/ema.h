#pragma once

#include <torch/nn/module.h>

#include <map>
#include <string>

namespace astrorim::training {

/// Exponential moving average of a module's parameters,
/// shadow ← decay · shadow + (1 − decay) · parameter after every step;
/// buffers are copied. The averaged weights are what gets evaluated and shipped.
class ExponentialMovingAverage
{
public:
    ExponentialMovingAverage(const torch::nn::Module &module, double decay);

    void update(const torch::nn::Module &module);
    /// Copies the averaged weights into `module` (same architecture).
    void copyTo(torch::nn::Module &module) const;

    [[nodiscard]] const std::map<std::string, torch::Tensor> &shadow() const { return m_shadow; }
    /// Restores a shadow saved from shadow(); throws astrorim::Error naming `source` on a mismatch.
    void loadShadow(const std::map<std::string, torch::Tensor> &shadow, const std::string &source);

private:
    double m_decay;
    std::map<std::string, torch::Tensor> m_shadow;
};

} // namespace astrorim::training

#pragma once

// AdamW (Loshchilov & Hutter 2019) with its state as plain named tensors, so
// that a checkpoint stores and restores it the same way in every LibTorch
// version (LibTorch's own optimizer keys its state by tensor addresses and
// has changed its serialization between releases). The update is the one
// torch.optim.AdamW performs (amsgrad off), tested against LibTorch's.

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace astrorim::training {

struct AdamWOptions
{
    double learningRate = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double weightDecay = 1e-2;
};

class AdamW
{
public:
    AdamW(std::vector<torch::Tensor> parameters, AdamWOptions options);

    /// One update from the parameters' .grad(); parameters without a gradient are skipped.
    void step();
    void zeroGrad();

    void setLearningRate(double lr) { m_options.learningRate = lr; }
    [[nodiscard]] double learningRate() const { return m_options.learningRate; }
    [[nodiscard]] int64_t steps() const { return m_step; }

    /// State as named tensors ("<i>.exp_avg", "<i>.exp_avg_sq", "step") for checkpoints.
    [[nodiscard]] std::map<std::string, torch::Tensor> state() const;
    /// Restores what state() gave; throws astrorim::Error naming `source` on a mismatch.
    void loadState(const std::map<std::string, torch::Tensor> &state, const std::string &source);

private:
    std::vector<torch::Tensor> m_parameters;
    std::vector<torch::Tensor> m_expAvg, m_expAvgSq;
    AdamWOptions m_options;
    int64_t m_step = 0;
};

} // namespace astrorim::training

#include "training/adamw.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

#include <cmath>

namespace astrorim::training {

AdamW::AdamW(std::vector<torch::Tensor> parameters, AdamWOptions options)
    : m_parameters(std::move(parameters)), m_options(options)
{
    for (const auto &p : m_parameters) {
        m_expAvg.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        m_expAvgSq.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    }
}

void AdamW::zeroGrad()
{
    for (auto &p : m_parameters)
        if (p.grad().defined())
            p.mutable_grad() = torch::Tensor();
}

void AdamW::step()
{
    torch::NoGradGuard noGrad;
    ++m_step;
    const auto &o = m_options;
    const double correction1 = 1.0 - std::pow(o.beta1, static_cast<double>(m_step));
    const double correction2 = 1.0 - std::pow(o.beta2, static_cast<double>(m_step));
    const double stepSize = o.learningRate / correction1;
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        auto &p = m_parameters[i];
        if (!p.grad().defined())
            continue;
        const auto grad = p.grad();
        p.mul_(1.0 - o.learningRate * o.weightDecay); // decoupled weight decay
        m_expAvg[i].mul_(o.beta1).add_(grad, 1.0 - o.beta1);
        m_expAvgSq[i].mul_(o.beta2).addcmul_(grad, grad, 1.0 - o.beta2);
        const auto denominator = (m_expAvgSq[i].sqrt() / std::sqrt(correction2)).add_(o.epsilon);
        p.addcdiv_(m_expAvg[i], denominator, -stepSize);
    }
}

std::map<std::string, torch::Tensor> AdamW::state() const
{
    std::map<std::string, torch::Tensor> out;
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        out[std::to_string(i) + ".exp_avg"] = m_expAvg[i].detach().cpu();
        out[std::to_string(i) + ".exp_avg_sq"] = m_expAvgSq[i].detach().cpu();
    }
    out["step"] = torch::tensor({m_step}, torch::kLong);
    return out;
}

void AdamW::loadState(const std::map<std::string, torch::Tensor> &state, const std::string &source)
{
    const auto take = [&](const std::string &key, torch::Tensor &into) {
        const auto it = state.find(key);
        if (it == state.end())
            fail(source, "optimizer state lacks '" + key + "'");
        if (it->second.sizes() != into.sizes())
            fail(source, "optimizer state '" + key + "' has shape " + shapeText(it->second) + ", the model needs " +
                             shapeText(into));
        torch::NoGradGuard noGrad;
        into.copy_(it->second);
    };
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        take(std::to_string(i) + ".exp_avg", m_expAvg[i]);
        take(std::to_string(i) + ".exp_avg_sq", m_expAvgSq[i]);
    }
    const auto it = state.find("step");
    if (it == state.end() || it->second.numel() != 1)
        fail(source, "optimizer state lacks its step count");
    m_step = it->second.item<int64_t>();
}

} // namespace astrorim::training

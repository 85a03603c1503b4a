#include "training/ema.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "weights/state_dict.h"

#include <torch/torch.h>

namespace astrorim::training {

ExponentialMovingAverage::ExponentialMovingAverage(const torch::nn::Module &module, double decay) : m_decay(decay)
{
    torch::NoGradGuard noGrad;
    for (const auto &[name, t] : weights::namedTensors(module))
        m_shadow[name] = t.detach().clone();
}

void ExponentialMovingAverage::update(const torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (const auto &[name, t] : weights::namedTensors(module)) {
        auto &s = m_shadow.at(name);
        if (torch::isFloatingType(t.scalar_type()))
            s.lerp_(t.detach(), 1.0 - m_decay);
        else
            s.copy_(t);
    }
}

void ExponentialMovingAverage::copyTo(torch::nn::Module &module) const
{
    torch::NoGradGuard noGrad;
    for (auto &[name, t] : weights::namedTensors(module))
        t.copy_(m_shadow.at(name));
}

void ExponentialMovingAverage::loadShadow(const std::map<std::string, torch::Tensor> &shadow,
                                          const std::string &source)
{
    torch::NoGradGuard noGrad;
    for (auto &[name, s] : m_shadow) {
        const auto it = shadow.find(name);
        if (it == shadow.end())
            fail(source, "averaged weights lack '" + name + "'");
        if (it->second.sizes() != s.sizes())
            fail(source, "averaged weight '" + name + "' has shape " + shapeText(it->second) + ", expected " +
                             shapeText(s));
        s.copy_(it->second);
    }
}

} // namespace astrorim::training

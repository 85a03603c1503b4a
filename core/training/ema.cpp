#include "training/ema.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

namespace astrorim::training {

namespace {

// Parameters and buffers by their dotted names, as state dicts name them.
std::map<std::string, torch::Tensor> namedState(const torch::nn::Module &module)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &p : module.named_parameters())
        out[p.key()] = p.value();
    for (const auto &b : module.named_buffers())
        out[b.key()] = b.value();
    return out;
}

} // namespace

ExponentialMovingAverage::ExponentialMovingAverage(const torch::nn::Module &module, double decay) : m_decay(decay)
{
    torch::NoGradGuard noGrad;
    for (const auto &[name, t] : namedState(module))
        m_shadow[name] = t.detach().clone();
}

void ExponentialMovingAverage::update(const torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (const auto &[name, t] : namedState(module)) {
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
    for (auto &[name, t] : namedState(module))
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

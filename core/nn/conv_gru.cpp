#include "nn/conv_gru.h"

#include <torch/torch.h>

namespace astrorim::nn {

namespace tnn = torch::nn;

ConvGruImpl::ConvGruImpl(int64_t inputChannels, int64_t hiddenChannels) : m_hidden(hiddenChannels)
{
    const int64_t both = inputChannels + hiddenChannels;
    m_gates = register_module("gates", tnn::Conv2d(tnn::Conv2dOptions(both, 2 * hiddenChannels, 3).padding(1)));
    m_candidate = register_module("candidate", tnn::Conv2d(tnn::Conv2dOptions(both, hiddenChannels, 3).padding(1)));
}

torch::Tensor ConvGruImpl::forward(const torch::Tensor &x, const torch::Tensor &h)
{
    const auto gates = torch::sigmoid(m_gates->forward(torch::cat({x, h}, 1))).chunk(2, 1);
    const auto &update = gates[0], &reset = gates[1];
    const auto candidate = torch::tanh(m_candidate->forward(torch::cat({x, reset * h}, 1)));
    return torch::lerp(h, candidate, update);
}

} // namespace astrorim::nn

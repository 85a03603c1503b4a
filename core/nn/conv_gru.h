#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace astrorim::nn {

/// A convolutional GRU cell (Ballas et al. 2016): the GRU's gates as 3×3
/// convolutions over the input and the hidden state, so the state keeps its
/// spatial layout. h' = (1 − z) h + z tanh(W [x, r ⊙ h]).
class ConvGruImpl : public torch::nn::Module
{
public:
    ConvGruImpl(int64_t inputChannels, int64_t hiddenChannels);

    /// x [B, Cin, H, W], h [B, Chid, H, W] → h' [B, Chid, H, W].
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &h);

    [[nodiscard]] int64_t hiddenChannels() const { return m_hidden; }

private:
    int64_t m_hidden;
    torch::nn::Conv2d m_gates{nullptr};     ///< [x, h] → (update z, reset r)
    torch::nn::Conv2d m_candidate{nullptr}; ///< [x, r ⊙ h] → candidate state
};
TORCH_MODULE(ConvGru);

} // namespace astrorim::nn

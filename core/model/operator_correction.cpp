#include "model/operator_correction.h"

#include <torch/torch.h>

namespace astrorim::model {

namespace nn = torch::nn;

OperatorCorrectionImpl::OperatorCorrectionImpl(int64_t channels)
{
    const auto conv = [](int64_t in, int64_t out) { return nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)); };
    nn::Conv2d last = conv(channels, 1);
    {
        torch::NoGradGuard noGrad;
        last->weight.zero_();
        last->bias.zero_();
    }
    m_net = register_module("net", nn::Sequential(conv(1, channels), nn::SiLU(), conv(channels, channels),
                                                  nn::SiLU(), last));
}

torch::Tensor OperatorCorrectionImpl::forward(const torch::Tensor &image)
{
    return image + m_net->forward(image.unsqueeze(1)).squeeze(1);
}

} // namespace astrorim::model

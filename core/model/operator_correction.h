#pragma once

// AstroRIM's "learned operator", placed on top of real ray tracing: a small
// residual CNN that corrects the physical operator's image for what a
// pixelated, bilinearly sampled source misses (sub-pixel structure in
// strongly magnified regions, the source grid's finite extent). It is
// trained jointly with the RIM to map PSF ∗ L(s_true) onto the simulator's
// exact, analytically rendered arcs. The last layer starts at zero, so an
// untrained correction is the identity; switched off, it is skipped.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace astrorim::model {

class OperatorCorrectionImpl : public torch::nn::Module
{
public:
    explicit OperatorCorrectionImpl(int64_t channels = 16);

    /// image [B, N, N] (the physical operator's output, normalized units) →
    /// corrected image, same shape.
    torch::Tensor forward(const torch::Tensor &image);

private:
    torch::nn::Sequential m_net{nullptr};
};
TORCH_MODULE(OperatorCorrection);

} // namespace astrorim::model

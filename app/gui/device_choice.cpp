#include "device_choice.h"

#include "common/error.h"

#include <torch/torch.h>

namespace astrorim::gui {

c10::Device chooseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda" && !torch::cuda::is_available())
        fail("device cuda", "no CUDA device is available (this LibTorch build or machine has none)");
    if (name == "cuda" || (name == "auto" && torch::cuda::is_available()))
        return torch::kCUDA;
    return torch::kCPU;
}

} // namespace astrorim::gui

#include "device_choice.h"

#include "common/error.h"

#include <torch/cuda.h>

namespace astrorim::nn {

std::optional<c10::Device> chooseDevice(const std::string &name, const std::string &what)
{
    if (name == "cpu")
        return c10::Device(c10::kCPU);
    if (name == "cuda") {
        if (!torch::cuda::is_available())
            fail(what + " cuda", "no CUDA device is available (this LibTorch build or machine has none)");
        return c10::Device(c10::kCUDA);
    }
    if (name == "auto")
        return c10::Device(torch::cuda::is_available() ? c10::kCUDA : c10::kCPU);
    return std::nullopt;
}

} // namespace astrorim::nn

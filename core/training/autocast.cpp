#include "training/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace astrorim::training {

namespace {

// LibTorch 2.4 replaced the CUDA-only calls by per-device ones.
void setCudaAutocast(bool enabled)
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(enabled);
#endif
}

} // namespace

AutocastGuard::AutocastGuard(torch::Device device, bool enabled) : m_active(enabled && device.is_cuda())
{
    if (m_active)
        setCudaAutocast(true);
}

AutocastGuard::~AutocastGuard()
{
    if (!m_active)
        return;
    setCudaAutocast(false);
    at::autocast::clear_cache();
}

} // namespace astrorim::training

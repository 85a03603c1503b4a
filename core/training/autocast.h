#pragma once

#include <torch/types.h>

namespace astrorim::training {

/// bf16 autocast on CUDA for the guard's lifetime (no loss scaling needed,
/// unlike fp16); does nothing on the CPU or when disabled.
class AutocastGuard
{
public:
    AutocastGuard(torch::Device device, bool enabled);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    bool m_active = false;
};

} // namespace astrorim::training

#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/StringUtil.h>

#include <string>

namespace astrorim {

/// A tensor's shape for error messages, e.g. "[8, 96, 96]", or "none" for an
/// undefined tensor. Header-only, so core/common itself needs no LibTorch.
inline std::string shapeText(const at::Tensor &t)
{
    return t.defined() ? c10::str(t.sizes()) : std::string("none");
}

} // namespace astrorim

#pragma once

// The safetensors dtype names and their LibTorch types; private to core/weights.

#include <c10/core/ScalarType.h>

#include <cstddef>
#include <string>

namespace astrorim::weights {

struct SafetensorsDtype
{
    const char *name;      ///< as in the header: "F32", "BF16", "BOOL", ...
    c10::ScalarType type;
    std::size_t bytes;     ///< bytes per element
};

/// The entry for a header name, or nullptr when the name is not one we read.
const SafetensorsDtype *safetensorsDtype(const std::string &name);

/// The entry for a LibTorch type, or nullptr when safetensors cannot hold it here.
const SafetensorsDtype *safetensorsDtype(c10::ScalarType type);

/// "F64, F32, ..." for error messages.
std::string supportedSafetensorsDtypes();

} // namespace astrorim::weights

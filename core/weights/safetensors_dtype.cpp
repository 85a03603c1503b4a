#include "weights/safetensors_dtype.h"

#include <array>

namespace astrorim::weights {

namespace {

// The safetensors types LibTorch 1.13 also has (it lacks U16, U32, U64 and the F8 types).
constexpr std::array<SafetensorsDtype, 10> kDtypes{{
    {"F64", c10::ScalarType::Double, 8},
    {"F32", c10::ScalarType::Float, 4},
    {"F16", c10::ScalarType::Half, 2},
    {"BF16", c10::ScalarType::BFloat16, 2},
    {"I64", c10::ScalarType::Long, 8},
    {"I32", c10::ScalarType::Int, 4},
    {"I16", c10::ScalarType::Short, 2},
    {"I8", c10::ScalarType::Char, 1},
    {"U8", c10::ScalarType::Byte, 1},
    {"BOOL", c10::ScalarType::Bool, 1},
}};

} // namespace

const SafetensorsDtype *safetensorsDtype(const std::string &name)
{
    for (const auto &d : kDtypes)
        if (name == d.name)
            return &d;
    return nullptr;
}

const SafetensorsDtype *safetensorsDtype(c10::ScalarType type)
{
    for (const auto &d : kDtypes)
        if (type == d.type)
            return &d;
    return nullptr;
}

std::string supportedSafetensorsDtypes()
{
    std::string list;
    for (const auto &d : kDtypes)
        list += (list.empty() ? "" : ", ") + std::string(d.name);
    return list;
}

} // namespace astrorim::weights

// libFuzzer target: the weights loader. readSafetensors promises to trust no
// length, offset or shape of the file; every input must either load (and
// then each tensor's bytes are read once, so ASan sees any view past the
// buffer) or end in astrorim::Error.

#include "fuzz_input_file.h"

#include "common/error.h"
#include "weights/safetensors.h"

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>

using namespace astrorim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const fuzz::InputFile input(data, size, ".safetensors");
    try {
        const auto file = weights::readSafetensors(input.path());
        for (const auto &[name, tensor] : file.tensors) {
            if (!tensor.defined() || !tensor.is_contiguous())
                __builtin_trap();
            // Touch every byte the tensor claims to own.
            const auto *bytes = static_cast<const std::uint8_t *>(tensor.data_ptr());
            unsigned sum = 0;
            for (std::int64_t i = 0; i < tensor.numel() * static_cast<std::int64_t>(tensor.element_size()); ++i)
                sum += bytes[i];
            (void)sum;
        }
    } catch (const Error &) {
    }
    return 0;
}

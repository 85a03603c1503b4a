#include "weights/safetensors.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "weights/safetensors_dtype.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <vector>

namespace astrorim::weights {

static_assert(std::endian::native == std::endian::little,
              "safetensors data are little-endian; a big-endian host would need byte swapping");

namespace {

struct PlannedTensor
{
    std::string name;
    torch::Tensor data; // CPU, contiguous
    const SafetensorsDtype *dtype;
};

std::vector<PlannedTensor> planTensors(const std::filesystem::path &file,
                                       const std::map<std::string, torch::Tensor> &tensors)
{
    std::vector<PlannedTensor> planned;
    for (const auto &[name, tensor] : tensors) {
        if (name == "__metadata__")
            fail(file.string(), "'__metadata__' is reserved for the metadata and cannot name a tensor");
        if (!tensor.defined())
            fail(file.string(), "tensor '" + name + "' is undefined");
        const SafetensorsDtype *dtype = safetensorsDtype(tensor.scalar_type());
        if (!dtype)
            fail(file.string(), "tensor '" + name + "' has dtype " + std::string(c10::toString(tensor.scalar_type()))
                                    + ", which cannot be stored (supported: " + supportedSafetensorsDtypes() + ")");
        planned.push_back({name, tensor.detach().to(torch::kCPU).contiguous(), dtype});
    }
    // Largest elements first: with an 8-aligned header every tensor then starts
    // at a multiple of its element size, as in files from the reference writer.
    std::stable_sort(planned.begin(), planned.end(),
                     [](const PlannedTensor &a, const PlannedTensor &b) { return a.dtype->bytes > b.dtype->bytes; });
    return planned;
}

std::uint64_t byteSize(const PlannedTensor &t)
{
    return static_cast<std::uint64_t>(t.data.numel()) * t.dtype->bytes;
}

// The JSON header, padded with spaces to a multiple of 8 bytes.
std::string headerText(const std::filesystem::path &file, const std::vector<PlannedTensor> &planned,
                       const std::map<std::string, std::string> &metadata)
{
    nlohmann::json header = nlohmann::json::object();
    std::uint64_t offset = 0;
    for (const PlannedTensor &t : planned) {
        const std::uint64_t end = offset + byteSize(t);
        header[t.name] = {{"dtype", t.dtype->name}, {"shape", t.data.sizes().vec()}, {"data_offsets", {offset, end}}};
        offset = end;
    }
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception &e) {
        fail(file.string(), std::string("a tensor name or metadata string is not valid UTF-8 (") + e.what() + ")");
    }
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

std::string littleEndian64(std::uint64_t v)
{
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return bytes;
}

} // namespace

void writeSafetensors(const std::filesystem::path &file, const std::map<std::string, torch::Tensor> &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    const auto planned = planTensors(file, tensors);
    const std::string header = headerText(file, planned, metadata);
    writeAtomically(file, [&](const std::filesystem::path &tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out << littleEndian64(header.size()) << header;
        for (const PlannedTensor &t : planned)
            out.write(static_cast<const char *>(t.data.data_ptr()), static_cast<std::streamsize>(byteSize(t)));
        out.flush();
        if (!out)
            fail(file.string(), "write failed (disk full or no permission?)");
    });
}

} // namespace astrorim::weights

#include "weights/safetensors.h"

#include "common/error.h"
#include "weights/safetensors_dtype.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <tuple>
#include <vector>

// Every length, offset and shape in a safetensors file is untrusted input
// (weights are downloaded and passed around): each is checked before it is
// used, and nothing is allocated until the header proves that the file holds
// exactly the bytes it describes.

namespace astrorim::weights {

namespace {

using nlohmann::json;

// The parser callback's depth of a shape's dimensions: header object 1, entry 2, shape 3.
constexpr int kMaxHeaderDepth = 3;

struct TensorEntry
{
    std::string name;
    const SafetensorsDtype *dtype = nullptr;
    std::vector<int64_t> shape;
    std::uint64_t begin = 0, end = 0;
};

// Errors name the file; this keeps the call sites short.
class Reader
{
public:
    explicit Reader(const std::filesystem::path &file) : file_(file) {}

    TensorFile read();

private:
    [[noreturn]] void error(const std::string &reason) const { fail(file_.string(), reason); }

    std::uint64_t openAndReadHeaderLength();
    json parseHeader(std::uint64_t headerBytes);
    std::uint64_t byteSize(const TensorEntry &entry) const;
    TensorEntry parseEntry(const std::string &name, const json &value) const;
    std::vector<int64_t> parseShape(const std::string &name, const json &shape) const;
    std::map<std::string, std::string> parseMetadata(const json &value) const;
    void checkLayout(std::vector<TensorEntry> &entries, std::uint64_t dataBytes) const;
    torch::Tensor readTensor(const TensorEntry &entry);
    void readBytes(char *into, std::uint64_t count, const std::string &what);

    std::filesystem::path file_;
    std::ifstream in_;
    std::uint64_t fileBytes_ = 0;
};

std::string quoted(const std::string &name)
{
    return "'" + name + "'";
}

std::string bytesText(std::uint64_t n)
{
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

std::uint64_t Reader::openAndReadHeaderLength()
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file_, ec))
        error(std::filesystem::exists(file_, ec) ? "is not a regular file" : "does not exist");
    fileBytes_ = std::filesystem::file_size(file_, ec);
    if (ec)
        error("cannot determine the size: " + ec.message());
    in_.open(file_, std::ios::binary);
    if (!in_)
        error("cannot be opened for reading");
    if (fileBytes_ < 8)
        error("is too short for a safetensors file (" + bytesText(fileBytes_)
              + "; the header length alone takes 8)");

    unsigned char length[8];
    readBytes(reinterpret_cast<char *>(length), 8, "the header length");
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | length[i];
    if (n > kMaxSafetensorsHeaderBytes)
        error("declares a " + bytesText(n) + " header, more than the 100 MB limit: not a safetensors file?");
    if (n > fileBytes_ - 8)
        error("is truncated: the header takes " + bytesText(n) + " but only " + bytesText(fileBytes_ - 8)
              + " follow the length");
    return n;
}

json Reader::parseHeader(std::uint64_t headerBytes)
{
    std::string text(headerBytes, '\0');
    readBytes(text.data(), headerBytes, "the header");
    // JSON text has no raw NUL, and nlohmann's lexer would take one for the
    // end of input and ignore whatever follows it.
    if (text.find('\0') != std::string::npos)
        error("header is not valid JSON: it contains a NUL byte");
    // nlohmann keeps the last of repeated keys silently; a repeated tensor
    // name means a corrupt or hand-edited file, so it is an error. A valid
    // header nests three levels deep (header, entry, shape); stopping deeper
    // nesting early keeps a hostile "[[[[…" from costing gigabytes.
    std::set<std::string> names;
    const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json &parsed) {
        if (depth > kMaxHeaderDepth)
            error("header nests deeper than a safetensors header can");
        if (event == json::parse_event_t::key && depth == 1 && !names.insert(parsed.get<std::string>()).second)
            error("header names " + quoted(parsed.get<std::string>()) + " more than once");
        return true;
    };
    json header;
    try {
        header = json::parse(text, check);
    } catch (const json::exception &e) {
        error(std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object())
        error("header is not a JSON object");
    return header;
}

std::vector<int64_t> Reader::parseShape(const std::string &name, const json &shape) const
{
    if (!shape.is_array())
        error("tensor " + quoted(name) + ": shape is not an array");
    std::vector<int64_t> dims;
    for (const json &d : shape) {
        if (d.is_number_integer() && !d.is_number_unsigned())
            error("tensor " + quoted(name) + ": negative dimension " + d.dump());
        if (!d.is_number_unsigned())
            error("tensor " + quoted(name) + ": dimension " + d.dump() + " is not a non-negative integer");
        const auto v = d.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max()))
            error("tensor " + quoted(name) + ": dimension " + d.dump() + " is too large");
        dims.push_back(static_cast<int64_t>(v));
    }
    return dims;
}

// numel × element size. LibTorch multiplies the dimensions (zeros counted as
// ones) into int64 strides, so that product must fit as well, even for a
// tensor with no elements.
std::uint64_t Reader::byteSize(const TensorEntry &entry) const
{
    constexpr auto kLimit = static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max());
    std::uint64_t bytes = entry.dtype->bytes, strides = 1;
    for (int64_t d : entry.shape) {
        const auto u = static_cast<std::uint64_t>(d);
        if (__builtin_mul_overflow(bytes, u, &bytes) || __builtin_mul_overflow(strides, std::max<std::uint64_t>(u, 1), &strides)
            || strides > kLimit)
            error("tensor " + quoted(entry.name) + ": shape " + c10::str(c10::IntArrayRef(entry.shape))
                  + " has too many elements");
    }
    return bytes;
}

TensorEntry Reader::parseEntry(const std::string &name, const json &value) const
{
    if (!value.is_object())
        error("tensor " + quoted(name) + ": entry is not a JSON object");
    for (const auto &[key, field] : value.items())
        if (key != "dtype" && key != "shape" && key != "data_offsets")
            error("tensor " + quoted(name) + ": unknown field " + quoted(key));
    for (const char *key : {"dtype", "shape", "data_offsets"})
        if (!value.contains(key))
            error("tensor " + quoted(name) + ": missing field " + quoted(key));

    TensorEntry entry;
    entry.name = name;
    const json &dtype = value["dtype"];
    if (!dtype.is_string() || !(entry.dtype = safetensorsDtype(dtype.get<std::string>())))
        error("tensor " + quoted(name) + ": unknown dtype " + dtype.dump() + " (supported: "
              + supportedSafetensorsDtypes() + ")");
    entry.shape = parseShape(name, value["shape"]);

    const json &offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned()
        || !offsets[1].is_number_unsigned())
        error("tensor " + quoted(name) + ": data_offsets " + offsets.dump()
              + " is not a pair of non-negative integers");
    entry.begin = offsets[0].get<std::uint64_t>();
    entry.end = offsets[1].get<std::uint64_t>();
    if (entry.end < entry.begin)
        error("tensor " + quoted(name) + ": data_offsets " + offsets.dump() + " end before they begin");

    const std::uint64_t bytes = byteSize(entry);
    if (bytes != entry.end - entry.begin)
        error("tensor " + quoted(name) + ": shape " + value["shape"].dump() + " of " + entry.dtype->name
              + " needs " + bytesText(bytes) + " but data_offsets " + offsets.dump() + " span "
              + bytesText(entry.end - entry.begin));
    return entry;
}

std::map<std::string, std::string> Reader::parseMetadata(const json &value) const
{
    if (!value.is_object())
        error("__metadata__ is not a JSON object");
    std::map<std::string, std::string> metadata;
    for (const auto &[key, v] : value.items()) {
        if (!v.is_string())
            error("__metadata__ value of " + quoted(key) + " is not a string: " + v.dump());
        metadata[key] = v.get<std::string>();
    }
    return metadata;
}

// As in the reference implementation, the tensors must tile the data exactly:
// sorted by offset, each begins where the previous ended, the last ends at the
// end of the file.
void Reader::checkLayout(std::vector<TensorEntry> &entries, std::uint64_t dataBytes) const
{
    for (const TensorEntry &e : entries)
        if (e.end > dataBytes)
            error("tensor " + quoted(e.name) + ": data_offsets end at byte " + std::to_string(e.end)
                  + " but the data hold only " + bytesText(dataBytes) + " (truncated file?)");
    std::sort(entries.begin(), entries.end(), [](const TensorEntry &a, const TensorEntry &b) {
        return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
    });
    std::uint64_t cursor = 0;
    const TensorEntry *previous = nullptr;
    for (const TensorEntry &e : entries) {
        if (e.begin < cursor)
            error("tensors " + quoted(previous->name) + " and " + quoted(e.name) + " overlap in the data");
        if (e.begin > cursor)
            error("data bytes " + std::to_string(cursor) + " to " + std::to_string(e.begin)
                  + " belong to no tensor (gap before " + quoted(e.name) + ")");
        cursor = e.end;
        previous = &e;
    }
    if (cursor != dataBytes)
        error(bytesText(dataBytes - cursor) + " of trailing data after the last tensor");
}

void Reader::readBytes(char *into, std::uint64_t count, const std::string &what)
{
    in_.read(into, static_cast<std::streamsize>(count));
    if (static_cast<std::uint64_t>(in_.gcount()) != count)
        error("read failed in " + what + " (file changed while reading?)");
}

torch::Tensor Reader::readTensor(const TensorEntry &entry)
{
    auto tensor = torch::empty(entry.shape, torch::TensorOptions().dtype(entry.dtype->type));
    readBytes(static_cast<char *>(tensor.data_ptr()), entry.end - entry.begin, "tensor " + quoted(entry.name));
    // Any other byte in a bool tensor is undefined behaviour in LibTorch.
    if (entry.dtype->type == torch::kBool && tensor.numel() > 0 && tensor.view(torch::kUInt8).max().item<int>() > 1)
        error("tensor " + quoted(entry.name) + ": BOOL data hold bytes other than 0 and 1");
    return tensor;
}

TensorFile Reader::read()
{
    const std::uint64_t headerBytes = openAndReadHeaderLength();
    const json header = parseHeader(headerBytes);

    TensorFile result;
    std::vector<TensorEntry> entries;
    for (const auto &[name, value] : header.items()) {
        if (name == "__metadata__")
            result.metadata = parseMetadata(value);
        else
            entries.push_back(parseEntry(name, value));
    }
    checkLayout(entries, fileBytes_ - 8 - headerBytes);
    // Sorted by offset, so the data are read front to back.
    for (const TensorEntry &e : entries)
        result.tensors[e.name] = readTensor(e);
    return result;
}

} // namespace

TensorFile readSafetensors(const std::filesystem::path &file)
{
    return Reader(file).read();
}

} // namespace astrorim::weights

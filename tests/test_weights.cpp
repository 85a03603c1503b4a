// The weights file format (core/weights): safetensors reading and writing,
// checked against the format's specification, on every malformed input, and
// on a module's state round trip.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"

#include "common/error.h"
#include "weights/safetensors.h"
#include "weights/state_dict.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace astrorim;
using namespace astrorim::weights;
using astrorim::test::TempDir;

namespace {

std::string le64(std::uint64_t v)
{
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>(v >> (8 * i));
    return bytes;
}

template <typename T>
std::string rawBytes(std::initializer_list<T> values)
{
    std::string bytes(values.size() * sizeof(T), '\0');
    std::memcpy(bytes.data(), std::data(values), bytes.size());
    return bytes;
}

// A file as the specification lays it out: u64 LE header length, header, data.
std::string fileBytes(const std::string &header, const std::string &data)
{
    return le64(header.size()) + header + data;
}

void writeBytes(const std::filesystem::path &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readBytes(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Same dtype, shape and bytes: NaN payloads and signed zeros included.
bool bitwiseEqual(const torch::Tensor &a, const torch::Tensor &b)
{
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    const auto ca = a.contiguous(), cb = b.contiguous();
    return ca.numel() == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.numel() * ca.element_size()) == 0;
}

// One tensor of every supported dtype, with the awkward cases: extremes,
// NaN and infinities, a 0-d scalar, empty shapes and non-contiguous views.
std::map<std::string, torch::Tensor> everyKindOfTensor()
{
    torch::manual_seed(7);
    const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
    const auto f64 = torch::randn({3, 5}, torch::kFloat64);
    return {
        {"f64", f64},
        {"f32", torch::tensor({1.5, -0.0, inf, -inf, nan, 3.4e38}, torch::kFloat32)},
        {"f16", torch::randn({2, 3, 4}).to(torch::kHalf)},
        {"bf16", torch::randn({7}).to(torch::kBFloat16)},
        {"i64", torch::tensor({std::numeric_limits<int64_t>::min(), int64_t{0}, std::numeric_limits<int64_t>::max()})},
        {"i32", torch::arange(-6, 6, torch::kInt32).view({3, 4})},
        {"i16", torch::tensor({-32768, 0, 32767}, torch::kInt16)},
        {"i8", torch::tensor({-128, 5, 127}, torch::kInt8)},
        {"u8", torch::tensor({0, 128, 255}, torch::kUInt8)},
        {"bool", torch::tensor({true, false, true})},
        {"scalar", torch::tensor(2.75, torch::kFloat64)},
        {"empty", torch::empty({0}, torch::kFloat32)},
        {"empty_2x0x3", torch::empty({2, 0, 3}, torch::kInt64)},
        {"transposed", f64.t()},
        {"strided", torch::arange(40, torch::kFloat32).view({5, 8}).slice(1, 0, 8, 3)},
        {"θ_E lens", torch::ones({1})},
    };
}

// A small lens-finding network: a convolution, batch normalization (with
// running-statistics buffers) and a linear head.
struct TinyNetImpl : torch::nn::Module
{
    TinyNetImpl()
        : conv(register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 4, 3)))),
          bn(register_module("bn", torch::nn::BatchNorm2d(4))),
          head(register_module("head", torch::nn::Linear(4 * 6 * 6, 3)))
    {
    }
    torch::Tensor forward(const torch::Tensor &x) { return head(torch::relu(bn(conv(x))).flatten(1)); }

    torch::nn::Conv2d conv;
    torch::nn::BatchNorm2d bn;
    torch::nn::Linear head;
};
TORCH_MODULE(TinyNet);

// A trained-looking instance: the running statistics moved by two training batches.
TinyNet trainedNet(uint64_t seed)
{
    torch::manual_seed(seed);
    TinyNet net;
    net->train();
    for (int i = 0; i < 2; ++i)
        net->forward(torch::randn({8, 1, 8, 8}) * 2 + 1);
    net->eval();
    return net;
}

} // namespace

TEST_CASE(everyDtypeRoundTripsBitForBit)
{
    TempDir dir;
    const auto path = dir / "all.safetensors";
    const auto tensors = everyKindOfTensor();
    const std::map<std::string, std::string> metadata{{"format", "pt"}, {"model", "RIM θ_E σ=1.5"}, {"empty", ""}};
    writeSafetensors(path, tensors, metadata);

    const TensorFile read = readSafetensors(path);
    CHECK(read.metadata == metadata);
    CHECK_EQ(read.tensors.size(), tensors.size());
    for (const auto &[name, tensor] : tensors) {
        CHECK_MSG(read.tensors.count(name), name);
        const auto &back = read.tensors.at(name);
        CHECK_MSG(bitwiseEqual(back, tensor), name);
        CHECK_MSG(back.is_contiguous() && back.device().is_cpu(), name);
    }
    CHECK_EQ(read.tensors.at("scalar").dim(), int64_t{0});
}

TEST_CASE(noTensorsAndNoMetadataIsAValidFile)
{
    TempDir dir;
    writeSafetensors(dir / "empty.safetensors", {});
    const TensorFile read = readSafetensors(dir / "empty.safetensors");
    CHECK(read.tensors.empty() && read.metadata.empty());
    CHECK_EQ(readBytes(dir / "empty.safetensors"), le64(8) + "{}      ");
}

// The writer's bytes, spelled out from the specification: the header (keys
// in nlohmann's sorted order) padded with spaces to 8 bytes, then F64 data
// before F32 (largest elements first, so each tensor is aligned), then I8.
TEST_CASE(writerProducesTheSpecifiedBytes)
{
    TempDir dir;
    const auto path = dir / "layout.safetensors";
    writeSafetensors(path,
                     {{"a", torch::tensor({1.0f, 2.0f})},
                      {"b", torch::tensor({-1.0}, torch::kFloat64)},
                      {"c", torch::tensor({3}, torch::kInt8)}},
                     {{"format", "pt"}});
    std::string header = R"({"__metadata__":{"format":"pt"},)"
                         R"("a":{"data_offsets":[8,16],"dtype":"F32","shape":[2]},)"
                         R"("b":{"data_offsets":[0,8],"dtype":"F64","shape":[1]},)"
                         R"("c":{"data_offsets":[16,17],"dtype":"I8","shape":[1]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::string expected = fileBytes(header, rawBytes({-1.0}) + rawBytes({1.0f, 2.0f}) + std::string(1, '\3'));
    CHECK(readBytes(path) == expected);
}

// The example of the format's documentation (huggingface/safetensors README):
// one I32 [2, 2] tensor "test" and {"format": "pt"} metadata, built byte by byte.
TEST_CASE(readsAFileBuiltFromTheSpecification)
{
    TempDir dir;
    const auto path = dir / "spec.safetensors";
    const std::string header
        = R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},"__metadata__":{"format":"pt"}})";
    writeBytes(path, fileBytes(header, rawBytes<int32_t>({1, -2, 3, 0x7fffffff})));
    const TensorFile read = readSafetensors(path);
    CHECK(read.metadata == (std::map<std::string, std::string>{{"format", "pt"}}));
    const auto &t = read.tensors.at("test");
    CHECK(t.scalar_type() == torch::kInt32);
    CHECK(torch::equal(t, torch::tensor({1, -2, 3, 0x7fffffff}, torch::kInt32).view({2, 2})));

    // Tensors listed out of data order, space padding, a BF16 and a BOOL.
    const std::string header2 = R"({"z":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},)"
                                R"( "a":{"dtype":"BOOL","shape":[3],"data_offsets":[4,7]}}   )";
    // bfloat16 is the top half of a float32: 0x3FC0 = 1.5, 0xC000 = −2.
    writeBytes(path, fileBytes(header2, rawBytes<uint16_t>({0x3FC0, 0xC000}) + std::string("\1\0\1", 3)));
    const TensorFile read2 = readSafetensors(path);
    CHECK(torch::equal(read2.tensors.at("z"), torch::tensor({1.5, -2.0}).to(torch::kBFloat16)));
    CHECK(torch::equal(read2.tensors.at("a"), torch::tensor({true, false, true})));
}

struct Malformed
{
    const char *what;
    std::string bytes;
    const char *message;
};

// Each malformed file must give an Error that names the file and the problem.
TEST_CASE(malformedFilesAreRefusedWithTheirName)
{
    const std::string f32x2 = rawBytes({1.0f, 2.0f});
    auto one = [](const std::string &entry) { return R"({"t":)" + entry + "}"; };
    const Malformed cases[] = {
        {"empty file", "", "too short"},
        {"partial length", std::string(5, '\0'), "too short"},
        {"absurd header length", le64(std::uint64_t{1} << 40) + "{}", "100 MB"},
        {"header past the end", le64(200) + std::string(50, ' '), "truncated"},
        {"cut JSON", fileBytes(R"({"t":{"dtype")", ""), "not valid JSON"},
        {"not an object", fileBytes("[1, 2]", ""), "not a JSON object"},
        {"bad UTF-8", fileBytes("{\"\xff\xfe\":{}}", ""), "not valid JSON"},
        {"NUL padding", fileBytes(std::string("{}") + std::string(6, '\0'), ""), "not valid JSON"},
        {"repeated name",
         fileBytes(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                   f32x2),
         "more than once"},
        {"entry not an object", fileBytes(one("[0, 8]"), f32x2), "not a JSON object"},
        {"unknown dtype", fileBytes(one(R"({"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]})"), f32x2),
         "unknown dtype"},
        {"dtype not a string", fileBytes(one(R"({"dtype":4,"shape":[2],"data_offsets":[0,8]})"), f32x2),
         "unknown dtype"},
        {"missing shape", fileBytes(one(R"({"dtype":"F32","data_offsets":[0,8]})"), f32x2), "missing field 'shape'"},
        {"unknown field", fileBytes(one(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1})"), f32x2),
         "unknown field 'x'"},
        {"negative dimension", fileBytes(one(R"({"dtype":"F32","shape":[-2],"data_offsets":[0,8]})"), f32x2),
         "negative dimension -2"},
        {"fractional dimension", fileBytes(one(R"({"dtype":"F32","shape":[2.5],"data_offsets":[0,8]})"), f32x2),
         "not a non-negative integer"},
        {"shape not an array", fileBytes(one(R"({"dtype":"F32","shape":2,"data_offsets":[0,8]})"), f32x2),
         "not an array"},
        {"element count overflow",
         fileBytes(one(R"({"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]})"), f32x2),
         "too many elements"},
        {"stride overflow of an empty tensor",
         fileBytes(one(R"({"dtype":"F32","shape":[0,4294967296,4294967296],"data_offsets":[0,0]})"), ""),
         "too many elements"},
        {"shape disagrees with offsets", fileBytes(one(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})"), f32x2),
         "needs 12 bytes"},
        {"offsets backwards", fileBytes(one(R"({"dtype":"F32","shape":[0],"data_offsets":[8,0]})"), f32x2),
         "end before"},
        {"offsets not a pair", fileBytes(one(R"({"dtype":"F32","shape":[2],"data_offsets":[8]})"), f32x2),
         "pair of non-negative integers"},
        {"negative offset", fileBytes(one(R"({"dtype":"F32","shape":[2],"data_offsets":[-8,0]})"), f32x2),
         "pair of non-negative integers"},
        {"offsets past the end", fileBytes(one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})"), f32x2),
         "truncated"},
        {"overlap",
         fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                   f32x2 + f32x2.substr(0, 4)),
         "overlap"},
        {"gap",
         fileBytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                   R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                   f32x2 + f32x2.substr(0, 4)),
         "belong to no tensor"},
        {"trailing garbage", fileBytes(one(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})"), f32x2 + "junk"),
         "4 bytes of trailing data"},
        {"nested shape", fileBytes(one(R"({"dtype":"F32","shape":[[[[2]]]],"data_offsets":[0,8]})"), f32x2),
         "nests deeper"},
        {"deep nesting", fileBytes(std::string(1'000'000, '['), ""), "nests deeper"},
        {"metadata value not a string", fileBytes(R"({"__metadata__":{"epoch":3}})", ""), "not a string"},
        {"metadata not an object", fileBytes(R"({"__metadata__":"pt"})", ""), "__metadata__ is not"},
        {"BOOL byte 2", fileBytes(one(R"({"dtype":"BOOL","shape":[2],"data_offsets":[0,2]})"), "\1\2"), "BOOL"},
    };
    TempDir dir;
    for (const Malformed &m : cases) {
        const auto path = dir / "malformed.safetensors";
        writeBytes(path, m.bytes);
        bool threw = false;
        try {
            readSafetensors(path);
        } catch (const Error &e) {
            threw = true;
            const std::string msg = e.what();
            CHECK_MSG(msg.find(path.string()) != std::string::npos, m.what << ": '" << msg << "' lacks the file name");
            CHECK_MSG(msg.find(m.message) != std::string::npos, m.what << ": '" << msg << "' lacks '" << m.message << "'");
        }
        CHECK_MSG(threw, m.what << " was accepted");
    }
    CHECK_THROWS_WITH(readSafetensors(dir / "absent.safetensors"), "absent.safetensors", "does not exist");
    CHECK_THROWS_WITH(readSafetensors(dir.path), dir.path.string(), "not a regular file");
}

// Every prefix of a real file is refused cleanly; only the whole file reads.
TEST_CASE(truncatedFilesNeverCrash)
{
    TempDir dir;
    const auto path = dir / "full.safetensors";
    writeSafetensors(path,
                     {{"w", torch::arange(6, torch::kFloat32).view({2, 3})},
                      {"b", torch::tensor({true, false})},
                      {"n", torch::tensor(int64_t{12})}},
                     {{"format", "pt"}});
    const std::string full = readBytes(path);
    const auto cut = dir / "cut.safetensors";
    for (std::size_t n = 0; n < full.size(); ++n) {
        writeBytes(cut, full.substr(0, n));
        CHECK_THROWS_WITH(readSafetensors(cut), cut.string());
    }
    writeBytes(cut, full);
    CHECK(torch::equal(readSafetensors(cut).tensors.at("w"), torch::arange(6, torch::kFloat32).view({2, 3})));
}

// A deterministic stand-in for the fuzzer: every single-byte change of a real
// file either reads or throws Error (and the run does not crash).
TEST_CASE(corruptedBytesNeverCrash)
{
    TempDir dir;
    const auto path = dir / "full.safetensors";
    writeSafetensors(path, {{"w", torch::arange(4, torch::kFloat64)}, {"m", torch::tensor({true, true})}},
                     {{"k", "v"}});
    const std::string full = readBytes(path);
    std::mt19937 rng(2024);
    const auto corrupt = dir / "corrupt.safetensors";
    int refused = 0;
    for (std::size_t pos = 0; pos < full.size(); ++pos) {
        const unsigned char values[] = {0x00, 0x01, 0x22, 0x7b, 0x7d, 0xff, static_cast<unsigned char>(rng())};
        for (const unsigned char value : values) {
            std::string bytes = full;
            bytes[pos] = static_cast<char>(value);
            writeBytes(corrupt, bytes);
            try {
                readSafetensors(corrupt);
            } catch (const Error &) {
                ++refused;
            }
        }
    }
    CHECK(refused > 0);
}

TEST_CASE(writerRefusesWhatItCannotStore)
{
    TempDir dir;
    const auto path = dir / "bad.safetensors";
    CHECK_THROWS_WITH(writeSafetensors(path, {{"x", torch::Tensor()}}), path.string(), "'x' is undefined");
    CHECK_THROWS_WITH(writeSafetensors(path, {{"__metadata__", torch::ones({1})}}), path.string(), "reserved");
    CHECK_THROWS_WITH(writeSafetensors(path, {{"z", torch::ones({2}, torch::kComplexFloat)}}), path.string(),
                      "'z'", "cannot be stored");
    CHECK_THROWS_WITH(writeSafetensors(path, {{"bad\xff", torch::ones({1})}}), path.string(), "UTF-8");
    CHECK(!std::filesystem::exists(path));
    CHECK_THROWS_WITH(writeSafetensors(dir / "no_such_dir" / "w.safetensors", {}), "no_such_dir");

    // A refused write leaves an existing file as it was.
    writeSafetensors(path, {{"x", torch::ones({3})}});
    const std::string before = readBytes(path);
    CHECK_THROWS_WITH(writeSafetensors(path, {{"x", torch::Tensor()}}), path.string());
    CHECK(readBytes(path) == before);
}

TEST_CASE(stateDictHoldsParametersAndBuffers)
{
    TinyNet net = trainedNet(1);
    const auto state = stateDict(*net);
    for (const char *name : {"conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                             "bn.num_batches_tracked", "head.weight", "head.bias"})
        CHECK_MSG(state.count(name), name);
    CHECK_EQ(state.size(), std::size_t{9});
    CHECK_EQ(state.at("bn.num_batches_tracked").item<int64_t>(), int64_t{2});
    // Copies, not views: changing the module leaves the state alone.
    const auto before = state.at("head.bias").clone();
    {
        torch::NoGradGuard noGrad;
        net->head->bias.add_(1.0);
    }
    CHECK(torch::equal(state.at("head.bias"), before));
    CHECK(!state.at("conv.weight").requires_grad());
}

// Save a trained module, load it into a freshly initialized one: same outputs.
TEST_CASE(moduleRoundTripGivesIdenticalOutputs)
{
    TempDir dir;
    const auto path = dir / "tiny.safetensors";
    TinyNet trained = trainedNet(1);
    writeSafetensors(path, stateDict(*trained), {{"architecture", "TinyNet"}});

    TinyNet fresh = trainedNet(99);
    const auto x = torch::randn({5, 1, 8, 8});
    CHECK(!torch::equal(fresh->forward(x), trained->forward(x)));
    const TensorFile file = readSafetensors(path);
    loadStateDict(*fresh, file.tensors, path.string());
    CHECK(torch::equal(fresh->forward(x), trained->forward(x)));
    CHECK_EQ(fresh->bn->num_batches_tracked.item<int64_t>(), int64_t{2});
    CHECK(fresh->conv->weight.requires_grad()); // still a trainable parameter
}

TEST_CASE(loadConvertsDtypes)
{
    TinyNet trained = trainedNet(1);
    auto state = stateDict(*trained);
    for (auto &[name, t] : state)
        if (t.is_floating_point())
            t = t.to(torch::kFloat64);
    TinyNet fresh = trainedNet(5);
    loadStateDict(*fresh, state, "f64.safetensors");
    CHECK(fresh->head->weight.scalar_type() == torch::kFloat32);
    CHECK(torch::equal(fresh->head->weight, stateDict(*trained).at("head.weight")));
}

TEST_CASE(mismatchedStateIsRefusedAndChangesNothing)
{
    TinyNet trained = trainedNet(1);
    TinyNet target = trainedNet(2);
    const auto original = stateDict(*target);
    auto unchanged = [&] {
        for (const auto &[name, t] : stateDict(*target))
            if (!torch::equal(t, original.at(name)))
                return false;
        return true;
    };

    auto missing = stateDict(*trained);
    missing.erase("bn.running_var");
    CHECK_THROWS_WITH(loadStateDict(*target, missing, "rim_v1.safetensors"), "rim_v1.safetensors", "1 missing",
                      "bn.running_var");

    auto extra = stateDict(*trained);
    extra["decoder.weight"] = torch::ones({2});
    CHECK_THROWS_WITH(loadStateDict(*target, extra, "rim_v1.safetensors"), "rim_v1.safetensors", "1 unexpected",
                      "decoder.weight");

    auto reshaped = stateDict(*trained);
    reshaped["head.weight"] = torch::ones({3, 10});
    CHECK_THROWS_WITH(loadStateDict(*target, reshaped, "rim_v1.safetensors"), "rim_v1.safetensors",
                      "1 with the wrong shape", "head.weight [3, 10] in the file, [3, 144] in the model");

    CHECK_THROWS_WITH(loadStateDict(*target, {}, "rim_v1.safetensors"), "9 missing", "and 5 more");
    CHECK(unchanged());
}

TEST_CASE(cudaTensorsAreSavedFromAndLoadedToTheGpu)
{
    if (!torch::cuda::is_available())
        SKIP("no CUDA device");
    TempDir dir;
    const auto path = dir / "gpu.safetensors";
    TinyNet trained = trainedNet(1);
    trained->to(torch::kCUDA);
    writeSafetensors(path, stateDict(*trained));
    TinyNet fresh = trainedNet(3);
    fresh->to(torch::kCUDA);
    loadStateDict(*fresh, readSafetensors(path).tensors, path.string());
    const auto x = torch::randn({2, 1, 8, 8}, torch::kCUDA);
    CHECK(torch::equal(fresh->forward(x), trained->forward(x)));
}

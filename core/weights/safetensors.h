#pragma once

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace astrorim::weights {

/// The weights file format: safetensors (huggingface/safetensors). It is
/// chosen over torch::save because torch's pickle/zip archives differ between
/// LibTorch 1.13 (Debian, CPU) and CUDA LibTorch 2.x, while safetensors is
/// plain bytes any version reads the same way:
///
///     u64 little-endian N | N bytes of UTF-8 JSON header | data
///
/// The header maps each tensor name to {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]} (byte offsets into the data, which follows
/// the header), plus an optional "__metadata__" object of string → string.
/// Data are little-endian and C-contiguous; the header may end in spaces
/// that pad it to a multiple of 8 bytes.
///
/// Supported dtypes: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL.

/// Tensors and metadata of one file. Tensors are CPU, contiguous, owned.
struct TensorFile
{
    std::map<std::string, torch::Tensor> tensors;
    std::map<std::string, std::string> metadata;
};

/// The header length the reader accepts, as the reference implementation (100 MB).
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

/// Writes `tensors` (any device, layout or strides; saved as CPU C-contiguous
/// copies, the arguments are not modified) and `metadata` to `file`
/// atomically. Tensors are laid out by decreasing element size, then by name,
/// as the reference writer does, so every tensor's data is aligned to its
/// element size; the header is padded with spaces to a multiple of 8 bytes.
/// Throws astrorim::Error naming the file for an undefined tensor, an
/// unsupported dtype, the reserved name "__metadata__", names that are not
/// valid UTF-8, or a failed write (the old file is then left as it was).
void writeSafetensors(const std::filesystem::path &file, const std::map<std::string, torch::Tensor> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

/// Reads a safetensors file, validating all of it: no length, offset or
/// shape is trusted. Throws astrorim::Error naming the file and the problem
/// when it cannot be read, is shorter than 8 bytes, declares a header longer
/// than the file or than kMaxSafetensorsHeaderBytes, has a header that is not
/// a JSON object, contains a NUL, repeats a name or nests deeper than its
/// three levels, has a tensor entry without exactly the fields dtype / shape /
/// data_offsets, an unknown dtype, a negative or non-integer dimension, an
/// element count or byte size that overflows, data_offsets that are not
/// [begin ≤ end] or disagree with shape × dtype size, tensors whose data
/// overlap, leave gaps or run past the end of the file, a non-string metadata
/// value, or a BOOL byte other than 0 or 1.
/// Trailing bytes after the last tensor's data are refused as well: as in
/// the reference implementation the data must be covered exactly, so a file
/// that was appended to or concatenated is caught rather than half-read.
TensorFile readSafetensors(const std::filesystem::path &file);

} // namespace astrorim::weights

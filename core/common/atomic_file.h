#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace astrorim {

/// Writes `target` atomically: `writer` is called with a temporary path in the
/// same directory, and only when it returns normally is the temporary flushed
/// to disk (fsync) and renamed over `target`. If `writer` throws, the
/// temporary is removed and `target` is left as it was; if the process is
/// killed, `target` is the old file or the new one, never a mixture (a
/// hidden `.NAME.tmp.PID.N` may be left beside it). Throws Error naming
/// `target` when the directory is missing or the rename fails.
void writeAtomically(const std::filesystem::path &target,
                     const std::function<void(const std::filesystem::path &tmp)> &writer);

/// Writes `text` to `target` atomically (see writeAtomically).
void writeTextAtomically(const std::filesystem::path &target, const std::string &text);

/// The files a command reads, so that it can refuse to write over them.
/// Files are told apart by device and inode: the same file under any name
/// (relative or absolute, through a symbolic or a hard link) is caught.
class InputFiles
{
public:
    InputFiles() = default;
    /// Empty paths and files that do not exist are ignored.
    explicit InputFiles(const std::vector<std::filesystem::path> &inputs);
    void add(const std::filesystem::path &input);
    /// Throws Error naming `output` and the input when writing `output` would
    /// replace one of the inputs. Call it for every planned output before
    /// writing any.
    void checkOutput(const std::filesystem::path &output) const;

private:
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::filesystem::path> m_files; ///< (device, inode) → name
};

} // namespace astrorim

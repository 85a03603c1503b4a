#include "common/atomic_file.h"

#include "common/error.h"

#include <atomic>
#include <fstream>
#include <optional>
#include <system_error>

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

namespace astrorim {

namespace {

std::filesystem::path temporarySibling(const std::filesystem::path &target)
{
    static std::atomic<unsigned> counter{0};
    auto name = "." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + "."
                + std::to_string(counter.fetch_add(1));
    return target.parent_path() / name;
}

/// Flushes `path` (a file or a directory) to disk; false if that failed.
bool syncToDisk(const std::filesystem::path &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace

void writeAtomically(const std::filesystem::path &target,
                     const std::function<void(const std::filesystem::path &tmp)> &writer)
{
    const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        fail(target.string(), "cannot write, directory '" + dir.string() + "' does not exist");

    const auto tmp = temporarySibling(target);
    try {
        writer(tmp);
    } catch (...) {
        std::filesystem::remove(tmp, ec);
        throw;
    }
    // Without the fsync a crash of the machine soon after the rename can
    // leave an empty target on some file systems (ext4 without auto_da_alloc).
    if (!syncToDisk(tmp)) {
        std::filesystem::remove(tmp, ec);
        fail(target.string(), "cannot flush the written file to disk");
    }
    std::filesystem::rename(tmp, target, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail(target.string(), "cannot replace file: " + ec.message());
    }
    syncToDisk(dir); // the rename itself; best effort, the file is complete either way
}

void writeTextAtomically(const std::filesystem::path &target, const std::string &text)
{
    writeAtomically(target, [&](const std::filesystem::path &tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        out.flush();
        if (!out)
            fail(target.string(), "write failed (disk full or no permission?)");
    });
}

namespace {

std::optional<std::pair<std::uint64_t, std::uint64_t>> fileIdentity(const std::filesystem::path &path)
{
    struct stat st{};
    if (path.empty() || ::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return std::pair{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

} // namespace

InputFiles::InputFiles(const std::vector<std::filesystem::path> &inputs)
{
    for (const auto &input : inputs)
        add(input);
}

void InputFiles::add(const std::filesystem::path &input)
{
    if (const auto id = fileIdentity(input))
        m_files.emplace(*id, input);
}

void InputFiles::checkOutput(const std::filesystem::path &output) const
{
    if (const auto id = fileIdentity(output); id && m_files.contains(*id))
        fail(output.string(), "refusing to overwrite the input file '" + m_files.at(*id).string() +
                                  "'; choose another output folder or name");
}

} // namespace astrorim

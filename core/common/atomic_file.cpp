#include "common/atomic_file.h"

#include "common/error.h"

#include <atomic>
#include <fstream>
#include <system_error>

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
    std::filesystem::rename(tmp, target, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail(target.string(), "cannot replace file: " + ec.message());
    }
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

} // namespace astrorim

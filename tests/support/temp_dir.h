#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace astrorim::test {

/// A fresh, uniquely named directory under the system temp directory,
/// removed with everything in it when the object goes away.
class TempDir
{
public:
    explicit TempDir(const std::string &prefix = "astrorim_test")
    {
        static std::atomic<int> counter{0};
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = std::filesystem::temp_directory_path()
               / (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(stamp) + "_"
                  + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    [[nodiscard]] std::filesystem::path operator/(const std::string &name) const { return path / name; }

    std::filesystem::path path;
};

} // namespace astrorim::test

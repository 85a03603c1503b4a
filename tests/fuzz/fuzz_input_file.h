#pragma once

// The FITS and safetensors readers take file names, as the applications call
// them; a fuzz input is written to a file of its own first. The file lives in
// /dev/shm (memory, no disk wear) and is named after the process, so parallel
// fuzzing jobs (-jobs=N) do not overwrite each other's input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace astrorim::fuzz {

/// The input of one fuzz iteration as a file; removed when this goes out of scope.
class InputFile
{
public:
    InputFile(const std::uint8_t *data, std::size_t size, const std::string &suffix)
    {
        const std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                                             : std::filesystem::temp_directory_path();
        m_path = dir / ("astrorim-fuzz-" + std::to_string(::getpid()) + suffix);
        std::FILE *f = std::fopen(m_path.c_str(), "wb");
        if (!f)
            std::abort();
        if (size > 0 && std::fwrite(data, 1, size, f) != size)
            std::abort();
        std::fclose(f);
    }
    ~InputFile() { std::filesystem::remove(m_path); }
    InputFile(const InputFile &) = delete;
    InputFile &operator=(const InputFile &) = delete;

    [[nodiscard]] const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace astrorim::fuzz

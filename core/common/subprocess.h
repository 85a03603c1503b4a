#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace astrorim {

/// A program run in the background, its standard output and error appended
/// to a log file: for benchmarks that measure a whole run (its peak memory)
/// and for tests that kill a run midway. POSIX (posix_spawn, wait4).
class Subprocess
{
public:
    /// How it ended.
    struct Ended
    {
        int exitCode = -1;      ///< -1 when a signal ended it
        double peakRssMiB = 0;  ///< the kernel's ru_maxrss
    };

    /// Starts `program` with `args`. Throws Error naming the program when it
    /// cannot be started.
    Subprocess(const std::filesystem::path &program, const std::vector<std::string> &args,
               const std::filesystem::path &log);
    /// Kills and reaps it if it still runs.
    ~Subprocess();
    Subprocess(const Subprocess &) = delete;
    Subprocess &operator=(const Subprocess &) = delete;

    /// How it ended, or nothing while it runs.
    std::optional<Ended> poll();
    /// Waits for it to end.
    Ended wait();
    /// Sends SIGKILL and reaps it; true when it was still running.
    bool kill();

private:
    std::optional<Ended> reap(int options);

    pid_t m_pid = -1;
    std::optional<Ended> m_ended;
};

} // namespace astrorim

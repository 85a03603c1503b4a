#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace astrorim::test {

/// A program started in the background, for tests that kill it midway.
/// Its standard output and error go to `log`. The destructor kills and
/// reaps it if it still runs.
class ChildProcess
{
public:
    ChildProcess(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log);
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    /// The exit code once it has ended by itself (-1 when killed by a
    /// signal); nothing while it runs.
    std::optional<int> exitCode();
    /// Sends SIGKILL and waits for it; true when it was still running.
    bool kill();

private:
    pid_t m_pid = -1;
    std::optional<int> m_exit;
};

} // namespace astrorim::test

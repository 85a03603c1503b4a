#include "common/subprocess.h"

#include "common/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace astrorim {

Subprocess::Subprocess(const std::filesystem::path &program, const std::vector<std::string> &args,
                       const std::filesystem::path &log)
{
    std::vector<std::string> words{program.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (auto &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int error = ::posix_spawn(&m_pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
        fail(program.string(), std::string("cannot be started: ") + std::strerror(error));
}

Subprocess::~Subprocess()
{
    kill();
}

std::optional<Subprocess::Ended> Subprocess::reap(int options)
{
    if (m_ended)
        return m_ended;
    int status = 0;
    rusage usage{};
    pid_t reaped = -1;
    do
        reaped = ::wait4(m_pid, &status, options, &usage);
    while (reaped == -1 && errno == EINTR);
    if (reaped == 0) // WNOHANG: still running
        return std::nullopt;
    if (reaped != m_pid) // cannot be waited for (ECHILD): gone, nothing to report; never signalled again
        m_ended = Ended{};
    else
        m_ended = Ended{WIFEXITED(status) ? WEXITSTATUS(status) : -1, static_cast<double>(usage.ru_maxrss) / 1024.0};
    return m_ended;
}

std::optional<Subprocess::Ended> Subprocess::poll()
{
    return reap(WNOHANG);
}

Subprocess::Ended Subprocess::wait()
{
    return *reap(0);
}

bool Subprocess::kill()
{
    if (poll())
        return false;
    ::kill(m_pid, SIGKILL);
    wait();
    return true;
}

} // namespace astrorim

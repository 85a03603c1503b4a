#include "child_process.h"

#include "check.h"

#include <csignal>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace astrorim::test {

namespace {

int exitCodeOf(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

ChildProcess::ChildProcess(const std::string &program, const std::vector<std::string> &args,
                           const std::filesystem::path &log)
{
    std::vector<std::string> words{program};
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
        fail(__FILE__, __LINE__, "cannot start " + program);
}

ChildProcess::~ChildProcess()
{
    kill();
}

std::optional<int> ChildProcess::exitCode()
{
    int status = 0;
    if (!m_exit && ::waitpid(m_pid, &status, WNOHANG) == m_pid)
        m_exit = exitCodeOf(status);
    return m_exit;
}

bool ChildProcess::kill()
{
    if (exitCode())
        return false;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_exit = exitCodeOf(status);
    return true;
}

} // namespace astrorim::test

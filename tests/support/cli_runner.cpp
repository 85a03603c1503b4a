#include "cli_runner.h"

#include "check.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include <sys/wait.h>

namespace astrorim::test {

namespace {

std::string quoted(const std::string &word)
{
    std::string q = "'";
    for (char c : word)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

} // namespace

CliRun runCli(const std::vector<std::string> &args, bool mergeStderr)
{
    if (!std::filesystem::exists(ASTRORIM_CLI))
        SKIP("astrorim-cli not built: " ASTRORIM_CLI);
    std::string command = quoted(ASTRORIM_CLI);
    for (const auto &a : args)
        command += ' ' + quoted(a);
    command += mergeStderr ? " 2>&1" : " 2>/dev/null";
    CliRun run;
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        fail(__FILE__, __LINE__, "cannot start " + command);
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        run.out.append(buffer, n);
    const int status = ::pclose(pipe);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

CliRun runCli(const std::string &argumentLine, bool mergeStderr)
{
    std::vector<std::string> args;
    std::istringstream words(argumentLine);
    for (std::string w; words >> w;)
        args.push_back(w);
    return runCli(args, mergeStderr);
}

} // namespace astrorim::test

#pragma once

#include <string>
#include <vector>

namespace astrorim::test {

struct CliRun
{
    int exitCode = -1;
    std::string out; ///< stdout, plus stderr when merged
};

/// Runs the astrorim-cli built with the tests (ASTRORIM_CLI) with `args`,
/// each passed as one word. Skips the test when the binary is missing.
CliRun runCli(const std::vector<std::string> &args, bool mergeStderr = true);

/// Same, with the arguments given as one line split at spaces.
CliRun runCli(const std::string &argumentLine, bool mergeStderr = true);

} // namespace astrorim::test

#pragma once

#include "argument_parser.h"

#include "common/progress.h"

#include <c10/core/Device.h>

#include <functional>
#include <string>
#include <vector>

namespace astrorim::cli {

/// Parses `args` with `parser` and runs `body`, turning the outcomes into the
/// tool's exit codes: --help prints usage (0); a UsageError prints the message
/// and usage (2); an astrorim::Error or other exception prints
/// "astrorim-cli: <message>" (1). Otherwise returns what `body` returns.
int runCommand(ArgumentParser &parser, const std::vector<std::string> &args, const std::function<int()> &body);

/// "cpu", "cuda" or "auto" (CUDA when available). Throws UsageError for other
/// words and astrorim::Error when CUDA is asked for but absent.
c10::Device parseDevice(const std::string &name);

/// Sets LibTorch's intra-op threads: `requested` > 0, else all hardware threads.
/// (Debian's LibTorch otherwise starts with one thread.) Returns the count used.
int configureThreads(int requested);

/// The non-empty items of a comma-separated list: "a,,b" → {"a", "b"}.
std::vector<std::string> splitList(const std::string &text);

/// Routes SIGINT (Ctrl-C) to `token` while alive, also when the run throws:
/// long commands stop at their next step and keep what is complete.
class InterruptGuard
{
public:
    explicit InterruptGuard(CancelToken &token);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    void (*m_previous)(int);
};

} // namespace astrorim::cli

#pragma once

#include <stdexcept>
#include <string>

namespace astrorim {

/// The one exception type core/ throws for bad input or impossible requests.
/// The message names the file or parameter and the reason, and is meant to be
/// shown to the user as it is (the GUI puts it in a dialog, the CLI prints it).
class Error : public std::runtime_error
{
public:
    explicit Error(const std::string &message) : std::runtime_error(message) {}
};

/// Throws Error("<subject>: <reason>") — the house format for messages.
[[noreturn]] inline void fail(const std::string &subject, const std::string &reason)
{
    throw Error(subject + ": " + reason);
}

} // namespace astrorim

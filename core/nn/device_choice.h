#pragma once
// The compute device a user names: "auto" (CUDA when present), "cpu" or
// "cuda". The command-line tool's --device and the GUI's device boxes both
// come here, so they agree on what each word means.

#include <c10/core/Device.h>

#include <optional>
#include <string>

namespace astrorim::nn {

/// The device `name` stands for, or nullopt when it is none of "auto", "cpu"
/// and "cuda". Throws astrorim::Error naming `what` (the option or field the
/// name came from) when "cuda" is asked for and none is available.
std::optional<c10::Device> chooseDevice(const std::string &name, const std::string &what = "device");

} // namespace astrorim::nn

#pragma once
// The compute device a dialog offers: "auto" (CUDA when present), "cpu" or
// "cuda", turned into a LibTorch device on the worker thread.

#include <string>

namespace c10 {
struct Device;
}

namespace astrorim::gui {

/// Throws astrorim::Error when "cuda" is asked for and none is available.
c10::Device chooseDevice(const std::string &name);

} // namespace astrorim::gui

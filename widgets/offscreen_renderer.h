#pragma once

// Draws the widgets' figures into files from a program without a window:
// the command-line tool. The interface is free of Qt, so that the tool's
// own code stays Qt-free (tests/check_layering.sh).

#include "inference/diagnostics.h"

#include <filesystem>
#include <memory>

namespace astrorim::widgets {

class OffscreenRenderer
{
public:
    /// Starts an off-screen Qt application unless one is running. Construct
    /// on the main thread, one at a time.
    OffscreenRenderer();
    ~OffscreenRenderer();
    OffscreenRenderer(const OffscreenRenderer &) = delete;
    OffscreenRenderer &operator=(const OffscreenRenderer &) = delete;

    /// The six-panel diagnostics as PNG or PDF (by suffix), written
    /// atomically. Throws astrorim::Error naming `file` when it cannot be written.
    void saveDiagnostics(const inference::Diagnostics &diagnostics, const std::filesystem::path &file);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::widgets

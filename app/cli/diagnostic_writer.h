#pragma once

// NAME_diagnostic.png for the command-line tool. The figure is the GUI's
// six-panel widget (widgets/diagnostic_figure.h) rendered off screen, so a
// build without Qt (ASTRORIM_WITH_QT=OFF, as on GPU nodes) writes no PNG and
// says so.

#include "inference/diagnostics.h"

#include <filesystem>
#include <memory>

namespace astrorim::cli {

class DiagnosticWriter
{
public:
    /// Starts an off-screen Qt application when the build has the widgets
    /// (widgets/offscreen_renderer.h).
    /// Call on the main thread; one at a time.
    DiagnosticWriter();
    ~DiagnosticWriter();
    DiagnosticWriter(const DiagnosticWriter &) = delete;
    DiagnosticWriter &operator=(const DiagnosticWriter &) = delete;

    /// Whether this build can draw the figure.
    [[nodiscard]] static bool available();

    /// Writes the figure to `file` atomically. Throws astrorim::Error naming
    /// the file when it cannot be written or the build has no widgets.
    void write(const inference::Diagnostics &diagnostics, const std::filesystem::path &file);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::cli

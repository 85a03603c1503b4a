#include "diagnostic_writer.h"

#include "common/error.h"

#ifdef ASTRORIM_HAVE_WIDGETS
#include "offscreen_renderer.h"
#endif

namespace astrorim::cli {

#ifdef ASTRORIM_HAVE_WIDGETS

struct DiagnosticWriter::Private
{
    widgets::OffscreenRenderer renderer;
};

bool DiagnosticWriter::available() { return true; }

void DiagnosticWriter::write(const inference::Diagnostics &diagnostics, const std::filesystem::path &file)
{
    d->renderer.saveDiagnostics(diagnostics, file);
}

#else

struct DiagnosticWriter::Private
{
};

bool DiagnosticWriter::available() { return false; }

void DiagnosticWriter::write(const inference::Diagnostics &, const std::filesystem::path &file)
{
    fail(file.string(), "not written: this build has no Qt widgets (ASTRORIM_WITH_QT=OFF)");
}

#endif

DiagnosticWriter::DiagnosticWriter()
    : d(std::make_unique<Private>())
{
}

DiagnosticWriter::~DiagnosticWriter() = default;

} // namespace astrorim::cli

#include "offscreen_renderer.h"

#include "diagnostic_figure.h"

#include <QApplication>

namespace astrorim::widgets {

namespace {

QtMessageHandler previousHandler = nullptr;

/// The off-screen platform warns that it cannot propagate size hints every
/// time a figure is shown, and Qt that XDG_RUNTIME_DIR is unset on machines
/// without a desktop session; both are expected here and would only clutter
/// the tool's output. Everything else passes on.
void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QStringLiteral("propagateSizeHints")) || message.contains(QStringLiteral("XDG_RUNTIME_DIR")))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

struct OffscreenRenderer::Private
{
    // QApplication keeps references to argc and argv for its lifetime.
    int argc = 1;
    char name[9] = "astrorim";
    char *argv[2] = {name, nullptr};
    std::unique_ptr<QApplication> application;
};

OffscreenRenderer::OffscreenRenderer()
    : d(std::make_unique<Private>())
{
    if (QCoreApplication::instance())
        return;
    // Never a window: draw off screen, the same with or without a display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    previousHandler = qInstallMessageHandler(quietHandler);
    d->application = std::make_unique<QApplication>(d->argc, d->argv);
}

OffscreenRenderer::~OffscreenRenderer() = default;

void OffscreenRenderer::saveDiagnostics(const inference::Diagnostics &diagnostics, const std::filesystem::path &file)
{
    DiagnosticFigure::save(diagnostics, file);
}

} // namespace astrorim::widgets

#pragma once
// The six-panel mass diagnostics of one reconstruction (see
// core/inference/diagnostics.h for what each panel shows). The same widget
// sits in the main window and renders NAME_diagnostic.png for the
// command-line tool, so both show the same figure.

#include "inference/diagnostics.h"

#include <QWidget>

#include <filesystem>

class QCustomPlot;
class QCPAxisRect;
class QLabel;
class QTableWidget;

namespace astrorim::widgets {

class DiagnosticFigure : public QWidget
{
    Q_OBJECT

public:
    explicit DiagnosticFigure(QWidget *parent = nullptr);

    /// Shows `diagnostics` (copied).
    void setDiagnostics(const inference::Diagnostics &diagnostics);

    /// Replaces the exported parameters (after new redshifts or another
    /// cosmology, say): redraws the enclosed mass and the table.
    void setParameters(const nlohmann::ordered_json &parameters);

    [[nodiscard]] const inference::Diagnostics &diagnostics() const { return m_diagnostics; }

    /// Renders `diagnostics` at `size` (logical pixels) off screen.
    static QImage render(const inference::Diagnostics &diagnostics, QSize size = QSize(1800, 1100));

    /// Writes the figure as PNG or PDF (chosen by the suffix), atomically.
    /// Throws astrorim::Error naming `file` when it cannot be written.
    static void save(const inference::Diagnostics &diagnostics, const std::filesystem::path &file,
                     QSize size = QSize(1800, 1100));

private:
    void drawCheck();
    void drawKappa();
    void drawRadial();
    void drawAzimuthal();
    void drawEnclosedMass();
    void fillTable();
    void keepSquare();

    inference::Diagnostics m_diagnostics;
    QLabel *m_title = nullptr;
    QCustomPlot *m_check = nullptr;
    QCustomPlot *m_kappa = nullptr;
    QCustomPlot *m_radial = nullptr;
    QCustomPlot *m_azimuthal = nullptr;
    QCustomPlot *m_enclosed = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace astrorim::widgets

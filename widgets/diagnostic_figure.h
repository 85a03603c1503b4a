#pragma once
// The six-panel mass diagnostics of one reconstruction (see
// core/inference/diagnostics.h for what each panel shows). The same widget
// sits in the main window and renders NAME_diagnostic.png for the
// command-line tool, so both show the same figure.

#include "inference/diagnostics.h"

#include <QPicture>
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

    /// The size files are drawn at, in logical pixels.
    static constexpr QSize kFileSize{1800, 1100};

    /// What a recorded figure is for. Both keep lines and text as vectors;
    /// for Vector (PDF) the maps are also drawn at their size on the page,
    /// so that viewers do not smooth their pixels, which costs several times
    /// as long to record.
    enum class Output { Raster, Vector };

    /// This figure as laid out now, recorded as painting commands. Widgets
    /// need the GUI thread; the picture does not, so the costly part
    /// (rasterizing, compressing, writing) can run elsewhere.
    [[nodiscard]] QPicture record(Output output);

    /// `diagnostics` drawn at `size` (logical pixels) off screen, recorded.
    static QPicture record(const inference::Diagnostics &diagnostics, QSize size = kFileSize,
                           Output output = Output::Raster);

    /// Plays a recorded figure onto an image of its size (any thread).
    static QImage rasterize(const QPicture &figure);

    /// Writes a recorded figure atomically (any thread): PNG, or a vector
    /// PDF, chosen by the suffix. Throws astrorim::Error naming `file` when
    /// it cannot be written.
    static void write(const QPicture &figure, const std::filesystem::path &file);

    /// record() then write(); a PDF is recorded as Output::Vector.
    static void save(const inference::Diagnostics &diagnostics, const std::filesystem::path &file,
                     QSize size = kFileSize);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void drawCheck();
    void drawKappa();
    void drawRadial();
    void drawAzimuthal();
    void drawEnclosedMass();
    void fillTable();
    void keepSquare();
    void redraw(QCustomPlot *plot);

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

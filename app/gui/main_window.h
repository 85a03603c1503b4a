#pragma once
// The main window: the observation and the reconstruction's maps in linked
// image views, the live RIM (iterations stream into the source view), the
// iteration slider, the six-panel diagnostics with the mass inputs, and the
// exports. All computing happens on the worker thread
// (reconstruction_worker.h); this class only draws and forwards.

#include "reconstruction_worker.h"

#include <QMainWindow>
#include <QThread>

#include <functional>
#include <memory>

class QLabel;
class QMenu;
class QTabWidget;
class QTimer;

namespace astrorim::widgets {
class DiagnosticFigure;
class ImageView;
}

namespace astrorim::gui {

class DiagnosticsPage;
class EventLoopMonitor;
class ReconstructionPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// `modelFile` is loaded at once (empty: the last one used, else the bundled model).
    explicit MainWindow(const QString &modelFile = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a FITS file (its default image HDU, or `hdu`) for display.
    void openFile(const QString &file, const QString &hdu = {});
    /// Starts a reconstruction of the open file with the current settings.
    void reconstruct();
    /// Whether opening a file starts its reconstruction as well.
    void setReconstructOnOpen(bool on) { m_reconstructOnOpen = on; }
    /// Writes the FITS maps, the parameters JSON and the diagnostic PNG into
    /// `folder`, as reconstruct does (the figure is recorded here, everything
    /// is written on the worker thread).
    void exportTo(const QString &folder);
    /// The last finished reconstruction, or null.
    [[nodiscard]] std::shared_ptr<const ReconstructionOutcome> outcome() const { return m_outcome; }
    [[nodiscard]] EventLoopMonitor &eventLoopMonitor() const { return *m_monitor; }

Q_SIGNALS:
    // Forwarded to the worker thread.
    void requestInspect(const QString &file, const QString &hdu);
    void requestModel(const QString &file, const QString &device);
    void requestReconstruction(const astrorim::gui::ReconstructionSettings &settings);
    void requestPreview(const astrorim::gui::ReconstructionSettings &settings);
    void requestExport(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome,
                       const QString &folder, const QPicture &figure);
    void requestFigure(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome,
                       const QPicture &figure, const QString &file);
    void requestMass(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome, double zLens,
                     double zSource, const QString &cosmology, double H0, double Om0);
    /// Emitted when a reconstruction has finished and been drawn (tests wait on it).
    void reconstructionShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildViews();
    void buildMenus();
    void onOpened(const QString &file, const QString &hdu, const QStringList &hdus, const QVector<float> &pixels,
                  int width, int height, double pixelScale, const std::shared_ptr<const fits::Wcs> &wcs);
    void onIteration(int iteration, int total, const astrorim::gui::SourceFrame &frame);
    void onFinished(const std::shared_ptr<const ReconstructionOutcome> &outcome);
    void onFailed(const QString &message);
    void inspect(const QString &file, const QString &hdu);
    /// Calls `proceed` at once, or after the user agreed to discard the
    /// unexported reconstruction (a non-blocking question).
    void confirmDiscard(const std::function<void()> &proceed);
    void schedulePreview();
    void showOutcome();
    void showIterate(int iteration);
    void iterationsReleased();
    void setBusy(bool busy);
    void chooseFile();
    void chooseModel();
    void exportOutputs();
    void exportFigure();
    void copyParameters();
    void updateMass();
    void rememberRecent(const QString &file);
    void fillRecentMenu();
    /// Draws the last outcome on the hidden figure that files are recorded
    /// from, then, on a later event-loop turn (each step stays short),
    /// calls `done` with the recording.
    void recordFigure(bool vector, std::function<void(const QPicture &)> done);

    QThread m_thread;
    CancelToken m_cancel; ///< of the running reconstruction
    ReconstructionWorker *m_worker = nullptr;
    EventLoopMonitor *m_monitor = nullptr;
    std::shared_ptr<const ReconstructionOutcome> m_outcome;
    QString m_file, m_hdu, m_model;
    bool m_busy = false;
    bool m_unexported = false; ///< a finished reconstruction not yet exported
    bool m_exporting = false;  ///< an export is on its way
    bool m_closeWhenExported = false;
    bool m_reconstructOnOpen = false;

    ReconstructionPanel *m_panel = nullptr;
    DiagnosticsPage *m_diagnostics = nullptr;
    QTabWidget *m_tabs = nullptr;
    widgets::ImageView *m_observationView = nullptr;
    widgets::ImageView *m_sourceView = nullptr;
    widgets::ImageView *m_forwardView = nullptr;
    widgets::ImageView *m_residualView = nullptr;
    widgets::ImageView *m_chi2View = nullptr;
    widgets::ImageView *m_inputView = nullptr;
    std::unique_ptr<widgets::DiagnosticFigure> m_fileFigure; ///< hidden, at the files' size
    QTimer *m_previewTimer = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QLabel *m_cursorLabel = nullptr;
    QMenu *m_recentMenu = nullptr;
};

} // namespace astrorim::gui

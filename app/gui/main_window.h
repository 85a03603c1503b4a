#pragma once
// The main window: the observation and the reconstruction's maps in linked
// image views, the live RIM (iterations stream into the source view), the
// iteration slider, the six-panel diagnostics with the mass inputs, and the
// exports. All computing happens on the worker thread
// (reconstruction_worker.h); this class only draws and forwards.

#include "reconstruction_worker.h"

#include <QMainWindow>
#include <QThread>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QMenu;
class QTimer;

namespace astrorim::widgets {
class DiagnosticFigure;
class ImageView;
}

namespace astrorim::gui {

class EventLoopMonitor;

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
    /// Writes the FITS maps and parameters JSON (on the worker thread) and the
    /// diagnostic PNG into `folder`, as reconstruct does.
    void exportTo(const QString &folder);
    /// The last finished reconstruction, or null.
    [[nodiscard]] std::shared_ptr<const ReconstructionOutcome> outcome() const { return m_outcome; }
    [[nodiscard]] const EventLoopMonitor &eventLoopMonitor() const { return *m_monitor; }

Q_SIGNALS:
    // Forwarded to the worker thread.
    void requestInspect(const QString &file, const QString &hdu);
    void requestModel(const QString &file, const QString &device);
    void requestReconstruction(const astrorim::gui::ReconstructionSettings &settings);
    void requestPreview(const astrorim::gui::ReconstructionSettings &settings);
    void requestExport(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome,
                       const QString &folder);
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
    void buildDocks();
    void buildMenus();
    void onOpened(const QString &file, const QString &hdu, const QStringList &hdus, const QVector<float> &pixels,
                  int width, int height, double pixelScale, const std::shared_ptr<const fits::Wcs> &wcs);
    void onIteration(int iteration, int total, const QVector<float> &source, int size);
    void onFinished(const std::shared_ptr<const ReconstructionOutcome> &outcome);
    void onFailed(const QString &message);
    void schedulePreview();
    void showOutcome();
    void showIterate(int iteration);
    void sliderReleased();
    void setBusy(bool busy);
    void chooseFile();
    void chooseModel();
    void exportOutputs();
    void exportFigure();
    void copyParameters();
    void updateMass();
    void rememberRecent(const QString &file);
    void fillRecentMenu();
    [[nodiscard]] ReconstructionSettings settings() const;

    QThread m_thread;
    CancelToken m_cancel; ///< of the running reconstruction
    ReconstructionWorker *m_worker = nullptr;
    EventLoopMonitor *m_monitor = nullptr;
    std::shared_ptr<const ReconstructionOutcome> m_outcome;
    std::shared_ptr<const fits::Wcs> m_wcs;
    QString m_file, m_hdu, m_model;
    double m_pixelScale = 0;
    double m_modelScale = 0; ///< arcsec per pixel of the model grid, from the preview
    bool m_busy = false;
    bool m_unexported = false;
    bool m_reconstructOnOpen = false;

    widgets::ImageView *m_observationView = nullptr;
    widgets::ImageView *m_sourceView = nullptr;
    widgets::ImageView *m_forwardView = nullptr;
    widgets::ImageView *m_residualView = nullptr;
    widgets::ImageView *m_chi2View = nullptr;
    widgets::ImageView *m_inputView = nullptr;
    QTimer *m_previewTimer = nullptr;
    QLabel *m_warnings = nullptr;
    widgets::DiagnosticFigure *m_figure = nullptr;
    QComboBox *m_hduBox = nullptr;
    QComboBox *m_skyBox = nullptr;
    QComboBox *m_centreBox = nullptr;
    QComboBox *m_normalizationBox = nullptr;
    QDoubleSpinBox *m_psfFwhm = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_sliderLabel = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QLabel *m_cursorLabel = nullptr;
    QDoubleSpinBox *m_zLens = nullptr;
    QDoubleSpinBox *m_zSource = nullptr;
    QComboBox *m_cosmologyBox = nullptr;
    QMenu *m_recentMenu = nullptr;
};

} // namespace astrorim::gui

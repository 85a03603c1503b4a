#include "main_window.h"

#include "diagnostics_page.h"
#include "event_loop_monitor.h"
#include "reconstruction_panel.h"
#include "simulation_dialog.h"
#include "training_dialog.h"

#include "diagnostic_figure.h"
#include "image_view.h"

#include "common/data_paths.h"
#include "fits/wcs.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLocale>
#include <QLabel>
#include <QLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QDockWidget>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <cmath>

namespace astrorim::gui {

namespace {

constexpr int kRecentFiles = 8;

QString defaultModel()
{
    return QString::fromStdString(defaultModelPath().string());
}

} // namespace

MainWindow::MainWindow(const QString &modelFile, QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AstroRIM"));
    setAcceptDrops(true);
    m_monitor = new EventLoopMonitor(this);

    m_worker = new ReconstructionWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &MainWindow::requestInspect, m_worker, &ReconstructionWorker::inspect);
    connect(this, &MainWindow::requestModel, m_worker, &ReconstructionWorker::loadModel);
    connect(this, &MainWindow::requestReconstruction, m_worker, &ReconstructionWorker::reconstruct);
    connect(this, &MainWindow::requestPreview, m_worker, &ReconstructionWorker::preview);
    connect(m_worker, &ReconstructionWorker::previewReady, this,
            [this](const QVector<float> &pixels, int size, double scale, const QStringList &warnings) {
                m_inputView->setImage(size, size, pixels.constData(), scale);
                m_panel->setWarnings(warnings);
            });
    connect(m_worker, &ReconstructionWorker::previewFailed, this, [this](const QString &message) {
        m_inputView->clearImage();
        m_panel->setWarnings({tr("No preview: %1").arg(message)});
    });
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(200);
    connect(m_previewTimer, &QTimer::timeout, this, [this] {
        if (!m_file.isEmpty())
            Q_EMIT requestPreview(m_panel->settings(m_file, m_hdu));
    });
    connect(this, &MainWindow::requestExport, m_worker, &ReconstructionWorker::exportOutputs);
    connect(this, &MainWindow::requestFigure, m_worker, &ReconstructionWorker::writeFigure);
    connect(this, &MainWindow::requestMass, m_worker, &ReconstructionWorker::analyseMass);
    connect(m_worker, &ReconstructionWorker::opened, this, &MainWindow::onOpened);
    connect(m_worker, &ReconstructionWorker::iterationFinished, this, &MainWindow::onIteration);
    connect(m_worker, &ReconstructionWorker::finished, this, &MainWindow::onFinished);
    connect(m_worker, &ReconstructionWorker::massAnalysed, this, [this](const auto &outcome) {
        m_outcome = outcome;
        m_diagnostics->figure()->setParameters(outcome->diagnostics.parameters);
    });
    connect(m_worker, &ReconstructionWorker::failed, this, &MainWindow::onFailed);
    connect(m_worker, &ReconstructionWorker::modelLoaded, this,
            [this](const QString &file, const QString &device, int trainedIterations) {
        m_model = file;
        // The RIM's iterations: the user's last choice, else what the model was trained with.
        if (!QSettings().contains(QStringLiteral("iterations")))
            m_panel->setIterations(trainedIterations);
        m_deviceLabel->setText(tr("Model %1 on %2").arg(QFileInfo(file).fileName(), device.toUpper()));
        statusBar()->showMessage(tr("Loaded model %1").arg(file), 5000);
        QSettings().setValue(QStringLiteral("model"), file);
    });
    connect(m_worker, &ReconstructionWorker::exported, this, [this](const QStringList &files) {
        m_unexported = false;
        m_exporting = false;
        if (m_closeWhenExported)
            close();
        statusBar()->showMessage(tr("Wrote %1 files into %2").arg(files.size()).arg(QFileInfo(files.front()).path()),
                                 8000);
    });
    connect(m_worker, &ReconstructionWorker::figureWritten, this,
            [this](const QString &file) { statusBar()->showMessage(tr("Wrote %1").arg(file), 8000); });
    m_thread.start();

    buildViews();
    buildMenus();
    m_deviceLabel = new QLabel(this);
    m_cursorLabel = new QLabel(this);
    m_cursorLabel->setObjectName(QStringLiteral("cursorReadout"));
    statusBar()->addWidget(m_cursorLabel, 1);
    statusBar()->addPermanentWidget(m_deviceLabel);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
    m_panel->setIterations(settings.value(QStringLiteral("iterations"), 6).toInt());
    m_panel->setChoices(settings.value(QStringLiteral("preprocessing")).toMap());
    for (auto *view : findChildren<widgets::ImageView *>())
        if (const auto key = QStringLiteral("views/") + view->objectName(); settings.contains(key))
            view->setDisplayChoices(settings.value(key).toMap());
    QString model = modelFile;
    if (model.isEmpty())
        model = settings.value(QStringLiteral("model"), defaultModel()).toString();
    if (!model.isEmpty())
        Q_EMIT requestModel(model, QStringLiteral("auto"));
}

MainWindow::~MainWindow()
{
    m_cancel.cancel();
    m_thread.quit();
    m_thread.wait();
}

void MainWindow::buildViews()
{
    // The images, and the mass diagnostics on a page of their own: the
    // six panels need the room.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("centralTabs"));
    auto *images = new QWidget(m_tabs);
    auto *grid = new QGridLayout(images);
    const auto make = [&](const char *name, const QString &title, int row, int col) {
        auto *view = new widgets::ImageView(images);
        view->setObjectName(QString::fromLatin1(name));
        view->setTitle(title);
        grid->addWidget(view, row, col);
        connect(view, &widgets::ImageView::cursorMoved, this, [this, title](double x, double y, double value) {
            // 1-based pixels, as the views' own readouts and DS9 count them.
            m_cursorLabel->setText(tr("%1  x %2  y %3  value %4")
                                       .arg(title)
                                       .arg(x + 1, 0, 'f', 1)
                                       .arg(y + 1, 0, 'f', 1)
                                       .arg(value, 0, 'g', 5));
        });
        return view;
    };
    m_observationView = make("observationView", tr("Observation (click: lens centre)"), 0, 0);
    m_sourceView = make("sourceView", tr("Source"), 0, 1);
    m_forwardView = make("forwardView", tr("Forward model"), 0, 2);
    m_residualView = make("residualView", tr("Residual"), 1, 0);
    m_chi2View = make("chi2View", tr("χ²"), 1, 1);
    m_inputView = make("inputView", tr("Model input (preprocessed)"), 1, 2);
    m_residualView->setColourMap(widgets::ColourMap::Diverging, false);
    m_chi2View->setColourMap(widgets::ColourMap::Heat, false);
    // The image-plane maps share a frame: pan and zoom together.
    m_forwardView->link(m_residualView);
    m_forwardView->link(m_chi2View);
    m_residualView->link(m_chi2View);
    m_tabs->addTab(images, tr("&Images"));

    m_diagnostics = new DiagnosticsPage(m_tabs);
    connect(m_diagnostics, &DiagnosticsPage::massInputsChanged, this, &MainWindow::updateMass);
    m_tabs->addTab(m_diagnostics, tr("&Mass diagnostics"));
    setCentralWidget(m_tabs);

    // The reconstruction's controls, in a dock.
    m_panel = new ReconstructionPanel(this);
    connect(m_panel, &ReconstructionPanel::hduChosen, this, [this](const QString &hdu) { openFile(m_file, hdu); });
    connect(m_panel, &ReconstructionPanel::inputChanged, this, &MainWindow::schedulePreview);
    connect(m_panel, &ReconstructionPanel::runRequested, this, &MainWindow::reconstruct);
    connect(m_panel, &ReconstructionPanel::cancelRequested, this, [this] { m_cancel.cancel(); });
    connect(m_panel, &ReconstructionPanel::iterationsMoved, this, &MainWindow::showIterate);
    connect(m_panel, &ReconstructionPanel::iterationsReleased, this, &MainWindow::iterationsReleased);
    connect(m_observationView, &widgets::ImageView::clicked, this, [this](double x, double y) {
        m_panel->setClickedCentre(QPointF(x, y));
        m_observationView->setMarker(QPointF(x, y));
    });
    auto *controls = new QDockWidget(tr("Reconstruction"), this);
    controls->setObjectName(QStringLiteral("reconstructionDock"));
    controls->setWidget(m_panel);
    addDockWidget(Qt::LeftDockWidgetArea, controls);
}

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open FITS…"), QKeySequence::Open, this, &MainWindow::chooseFile);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    fillRecentMenu();
    file->addAction(tr("Load &Model…"), this, &MainWindow::chooseModel);
    file->addSeparator();
    file->addAction(tr("&Export Outputs…"), QKeySequence(tr("Ctrl+E")), this, &MainWindow::exportOutputs);
    file->addAction(tr("Export &Diagnostics (PNG/PDF)…"), this, &MainWindow::exportFigure);
    file->addAction(tr("&Copy Parameters JSON"), QKeySequence(tr("Ctrl+Shift+C")), this, &MainWindow::copyParameters);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto *run = menuBar()->addMenu(tr("&Reconstruct"));
    run->addAction(tr("&Run"), QKeySequence(Qt::Key_F5), this, &MainWindow::reconstruct)
        ->setObjectName(QStringLiteral("runAction"));
    run->addAction(tr("&Cancel"), QKeySequence(Qt::Key_Escape), this, [this] { m_cancel.cancel(); })
        ->setObjectName(QStringLiteral("cancelAction"));

    auto *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Simulate Training Set…"), this, [this] {
        auto *dialog = findChild<SimulationDialog *>();
        if (!dialog)
            dialog = new SimulationDialog(this);
        dialog->show();
        dialog->raise();
    });
    tools->addAction(tr("&Train Model…"), this, [this] {
        auto *dialog = findChild<TrainingDialog *>();
        if (!dialog) {
            dialog = new TrainingDialog(this);
            connect(dialog, &TrainingDialog::loadModelRequested, this,
                    [this](const QString &model) { Q_EMIT requestModel(model, QStringLiteral("auto")); });
        }
        dialog->show();
        dialog->raise();
    });

    auto *view = menuBar()->addMenu(tr("&View"));
    for (auto *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    auto *language = view->addMenu(tr("&Language"));
    const QString current = QSettings().value(QStringLiteral("language"), QLocale::system().name()).toString().left(2);
    for (const auto &[code, name] : {std::pair{QStringLiteral("en"), QStringLiteral("English")},
                                     std::pair{QStringLiteral("de"), QStringLiteral("Deutsch")}}) {
        auto *action = language->addAction(name, this, [this, code] {
            QSettings().setValue(QStringLiteral("language"), code);
            statusBar()->showMessage(tr("The language changes when AstroRIM starts again"), 8000);
        });
        action->setCheckable(true);
        action->setChecked(current == code || (code == QStringLiteral("en") && current != QStringLiteral("de")));
    }

    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About AstroRIM"), this, [this] {
        QMessageBox::about(this, tr("About AstroRIM"),
                           tr("<p><b>AstroRIM %1</b></p><p>Reconstructs the unlensed sources of strong "
                              "gravitational lenses with a Recurrent Inference Machine through a differentiable "
                              "lensing operator, and analyses the lens mass.</p><p>Worst event-loop stall so far: "
                              "%2 ms.</p>")
                               .arg(QApplication::applicationVersion())
                               .arg(m_monitor->worstStallMs(), 0, 'f', 1));
    });
}

void MainWindow::openFile(const QString &file, const QString &hdu)
{
    if (file != m_file)
        return confirmDiscard([this, file, hdu] {
            m_unexported = false;
            inspect(file, hdu);
        });
    inspect(file, hdu);
}

void MainWindow::inspect(const QString &file, const QString &hdu)
{
    statusBar()->showMessage(tr("Opening %1…").arg(file));
    Q_EMIT requestInspect(file, hdu);
}

void MainWindow::confirmDiscard(const std::function<void()> &proceed)
{
    // An export on its way counts as saved; if it fails, its error dialog says so.
    if (!m_unexported || m_exporting)
        return proceed();
    // Window-modal but not blocking, like the error dialogs.
    auto *box = new QMessageBox(QMessageBox::Question, tr("AstroRIM"),
                                tr("The reconstruction of %1 has not been exported. Discard it?")
                                    .arg(QFileInfo(QString::fromStdString(m_outcome->settings.file.string())).fileName()),
                                QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("discardDialog"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [box, proceed] {
        if (box->clickedButton() == box->button(QMessageBox::Discard))
            proceed();
    });
    box->open();
}

void MainWindow::onOpened(const QString &file, const QString &hdu, const QStringList &hdus,
                          const QVector<float> &pixels, int width, int height, double pixelScale,
                          const std::shared_ptr<const fits::Wcs> &wcs)
{
    if (file != m_file) // the PSF, noise and mask files and the centre were this file's
        m_panel->clearImageChoices();
    m_file = file;
    m_hdu = hdu;
    m_panel->setHdus(hdus, hdu);
    m_observationView->setMarker(m_panel->clickedCentre());
    m_observationView->setImage(width, height, pixels.constData(), pixelScale);
    if (wcs)
        m_observationView->setSkyLookup([wcs](double x, double y) -> std::optional<std::pair<double, double>> {
            const auto sky = wcs->pixelToWorld(x, y);
            return std::pair{sky.ra, sky.dec};
        });
    else
        m_observationView->setSkyLookup({});
    setWindowTitle(tr("AstroRIM — %1 [%2]").arg(QFileInfo(file).fileName(), hdu));
    rememberRecent(file);
    statusBar()->showMessage(tr("Opened %1, HDU %2").arg(file, hdu), 5000);
    schedulePreview();
    if (m_reconstructOnOpen)
        reconstruct();
}

void MainWindow::schedulePreview()
{
    m_previewTimer->start();
}

void MainWindow::reconstruct()
{
    if (m_busy)
        return;
    if (m_file.isEmpty()) {
        statusBar()->showMessage(tr("Open a FITS file first"), 5000);
        return;
    }
    setBusy(true);
    const bool rim = m_panel->method() == QStringLiteral("rim");
    m_panel->setProgress(0, rim ? m_panel->iterations() : 0);
    statusBar()->showMessage(tr("Reconstructing %1…").arg(QFileInfo(m_file).fileName()));
    m_cancel = CancelToken();
    auto request = m_panel->settings(m_file, m_hdu);
    request.cancel = m_cancel;
    Q_EMIT requestReconstruction(request);
}

namespace {

/// The title of the source view for one step.
QString stepTitle(const SourceFrame &frame, int step, int of)
{
    if (frame.stage == QStringLiteral("rim"))
        return MainWindow::tr("Source, iteration %1 of %2").arg(step).arg(of);
    const QString stage = frame.stage == QStringLiteral("inversion")    ? MainWindow::tr("first inversion")
                          : frame.stage == QStringLiteral("parametric") ? MainWindow::tr("Sérsic-source fit")
                          : frame.stage == QStringLiteral("lens")       ? MainWindow::tr("lens optimization")
                                                                        : MainWindow::tr("final inversion");
    // The grid (coarse while the lens is optimized) shows in the axes.
    return of > 0 ? MainWindow::tr("Source, fit step %1/%2: %3").arg(step).arg(of).arg(stage)
                  : MainWindow::tr("Source, fit step %1: %2").arg(step).arg(stage);
}

void showFrame(widgets::ImageView *view, const SourceFrame &frame)
{
    view->setImage(frame.size, frame.size, frame.pixels.data(), frame.pixelScale,
                   QPointF(frame.centerX, frame.centerY));
}

} // namespace

void MainWindow::onIteration(int iteration, int total, const SourceFrame &frame)
{
    m_panel->setProgress(iteration, total);
    showFrame(m_sourceView, frame);
    m_sourceView->setAxisUnit(widgets::ImageView::AxisUnit::Arcsec);
    m_sourceView->setTitle(stepTitle(frame, iteration, total));
}

void MainWindow::onFinished(const std::shared_ptr<const ReconstructionOutcome> &outcome)
{
    setBusy(false);
    m_outcome = outcome;
    m_unexported = true;
    showOutcome();
    updateMass();
    const bool rim = outcome->settings.mode == "rim";
    if (!rim)
        m_panel->setFitSteps(static_cast<int>(outcome->iterates.size()));
    const auto steps = outcome->iterates.size();
    m_panel->setProgress(static_cast<int>(steps), static_cast<int>(steps)); // ends the fit's busy indicator
    statusBar()->showMessage(
        outcome->cancelled ? (rim ? tr("Cancelled after %1 iterations") : tr("Cancelled after %1 fit steps")).arg(steps)
        : rim ? tr("Reconstructed in %1 iterations on %2").arg(steps).arg(outcome->device.toUpper())
              : tr("Fitted in %1 steps on %2: reduced χ² %3")
                    .arg(steps)
                    .arg(outcome->device.toUpper())
                    .arg(outcome->reducedChi2, 0, 'f', 3),
        8000);
    Q_EMIT reconstructionShown();
}

void MainWindow::onFailed(const QString &message)
{
    setBusy(false);
    m_panel->setProgress(0, 1); // no busy indicator left running
    m_exporting = m_closeWhenExported = false;
    statusBar()->showMessage(message, 10000);
    // Window-modal but not blocking: the event loop (and the worker's
    // reports) go on while the message is shown.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("AstroRIM"), message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showOutcome()
{
    const auto &d = m_outcome->diagnostics;
    const double s = d.grid.pixelScale;
    const int n = d.grid.width;
    m_forwardView->setImage(n, n, d.forward, s);
    m_residualView->setImage(n, n, d.residual, s);
    m_chi2View->setImage(n, n, d.chi2, s);
    if (m_outcome->modelInput.size() == d.forward.size()) // what this run saw, even if a preview is pending
        m_inputView->setImage(n, n, m_outcome->modelInput, s);

    // The views' arcsec frame is the cutout's: offsets from its centre, as the kwargs.
    std::vector<widgets::ImageView::Polyline> critical, caustics;
    const auto polyline = [](const std::vector<lensing::Vec2> &points) {
        widgets::ImageView::Polyline line;
        for (const auto &p : points)
            line.emplace_back(p.x, p.y);
        return line;
    };
    for (const auto &curve : d.criticalCurves) {
        critical.push_back(polyline(curve.critical));
        caustics.push_back(polyline(curve.caustic));
    }
    m_forwardView->setOverlay(critical, QColor(255, 80, 80));
    m_residualView->setOverlay(critical, QColor(40, 40, 40));
    m_sourceView->setOverlay(caustics, QColor(255, 200, 0));
    showIterate(static_cast<int>(m_outcome->iterates.size()));
    for (auto *view : {m_forwardView, m_residualView, m_chi2View, m_sourceView, m_inputView})
        view->setAxisUnit(widgets::ImageView::AxisUnit::Arcsec);
    m_diagnostics->figure()->setDiagnostics(d);
}

void MainWindow::showIterate(int iteration)
{
    if (!m_outcome || m_outcome->iterates.empty() || m_busy)
        return;
    const int stored = static_cast<int>(m_outcome->iterates.size());
    const int shown = std::clamp(iteration, 1, stored);
    const auto &frame = m_outcome->iterates[static_cast<std::size_t>(shown - 1)];
    showFrame(m_sourceView, frame);
    m_sourceView->setTitle(stepTitle(frame, shown, stored));
}

void MainWindow::iterationsReleased()
{
    // Within the stored history the slider scrubs; beyond it, it re-runs.
    if (m_panel->method() != QStringLiteral("rim"))
        return; // the fit's steps: scrubbing only
    QSettings().setValue(QStringLiteral("iterations"), m_panel->iterations());
    if (m_outcome && m_outcome->settings.mode == "rim" &&
        m_panel->iterations() > static_cast<int>(m_outcome->iterates.size()) && !m_busy)
        reconstruct();
}

void MainWindow::setBusy(bool busy)
{
    m_busy = busy;
    m_panel->setBusy(busy);
}

void MainWindow::chooseFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Open a FITS image"), QFileInfo(m_file).path(),
                                                      tr("FITS images (*.fits *.fit *.fits.gz *.fits.fz *.fz);;All files (*)"));
    if (!file.isEmpty())
        openFile(file);
}

void MainWindow::chooseModel()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Load a trained model"), QFileInfo(m_model).path(),
                                                      tr("Models (*.safetensors)"));
    if (!file.isEmpty())
        Q_EMIT requestModel(file, QStringLiteral("auto"));
}

void MainWindow::exportOutputs()
{
    if (!m_outcome)
        return onFailed(tr("Reconstruct a lens before exporting"));
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export into folder"), QFileInfo(m_file).path());
    if (!folder.isEmpty())
        exportTo(folder);
}

void MainWindow::recordFigure(bool vector, std::function<void(const QPicture &)> done)
{
    if (!m_fileFigure) {
        m_fileFigure = std::make_unique<widgets::DiagnosticFigure>();
        m_fileFigure->setAttribute(Qt::WA_DontShowOnScreen);
        m_fileFigure->resize(widgets::DiagnosticFigure::kFileSize);
    }
    auto diagnostics = m_outcome->diagnostics;
    diagnostics.parameters = m_diagnostics->figure()->diagnostics().parameters; // with the mass inputs
    m_fileFigure->setDiagnostics(diagnostics);
    m_fileFigure->layout()->activate();
    QTimer::singleShot(0, this, [this, vector, done = std::move(done)] {
        done(m_fileFigure->record(vector ? widgets::DiagnosticFigure::Output::Vector
                                         : widgets::DiagnosticFigure::Output::Raster));
    });
}

void MainWindow::exportTo(const QString &folder)
{
    if (!m_outcome)
        return onFailed(tr("Reconstruct a lens before exporting"));
    QDir().mkpath(folder);
    statusBar()->showMessage(tr("Writing into %1…").arg(folder));
    m_exporting = true;
    recordFigure(false, [this, outcome = m_outcome, folder](const QPicture &figure) {
        Q_EMIT requestExport(outcome, folder, figure);
    });
}

void MainWindow::exportFigure()
{
    if (!m_outcome)
        return onFailed(tr("Reconstruct a lens before exporting"));
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export diagnostics"),
        QFileInfo(m_file).path() + QLatin1Char('/') + QString::fromStdString(m_outcome->diagnostics.name) +
            QStringLiteral("_diagnostic.png"),
        tr("PNG image (*.png);;PDF document, vector (*.pdf)"));
    if (!file.isEmpty())
        recordFigure(file.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive),
                     [this, file, outcome = m_outcome](const QPicture &figure) {
                         Q_EMIT requestFigure(outcome, figure, file);
                     });
}

void MainWindow::copyParameters()
{
    if (!m_outcome)
        return;
    QApplication::clipboard()->setText(QString::fromStdString(m_outcome->diagnostics.parameters.dump(2)));
    statusBar()->showMessage(tr("Parameters JSON copied to the clipboard"), 5000);
}

void MainWindow::updateMass()
{
    if (!m_outcome || m_busy)
        return;
    Q_EMIT requestMass(m_outcome, m_diagnostics->zLens(), m_diagnostics->zSource(), m_diagnostics->cosmology(), 0, 0);
}

void MainWindow::rememberRecent(const QString &file)
{
    QSettings settings;
    auto files = settings.value(QStringLiteral("recentFiles")).toStringList();
    files.removeAll(file);
    files.prepend(file);
    while (files.size() > kRecentFiles)
        files.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), files);
    fillRecentMenu();
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    for (const auto &file : QSettings().value(QStringLiteral("recentFiles")).toStringList())
        m_recentMenu->addAction(file, this, [this, file] { openFile(file); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_exporting) { // closing would drop the export still queued for the worker
        m_closeWhenExported = true;
        statusBar()->showMessage(tr("Closing once the export is written…"));
        event->ignore();
        return;
    }
    if (m_unexported) {
        event->ignore();
        return confirmDiscard([this] {
            m_unexported = false;
            close();
        });
    }
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
    settings.setValue(QStringLiteral("preprocessing"), m_panel->choices());
    for (auto *view : findChildren<widgets::ImageView *>())
        settings.setValue(QStringLiteral("views/") + view->objectName(), view->displayChoices());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile())
        openFile(urls.front().toLocalFile());
}

} // namespace astrorim::gui

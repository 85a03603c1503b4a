#include "main_window.h"

#include "event_loop_monitor.h"
#include "simulation_dialog.h"
#include "training_dialog.h"

#include "diagnostic_figure.h"
#include "image_view.h"

#include "fits/sexagesimal.h"
#include "fits/wcs.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QLocale>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace astrorim::gui {

namespace {

constexpr int kRecentFiles = 8;

QString defaultModel()
{
#ifdef ASTRORIM_DEFAULT_MODEL
    return QStringLiteral(ASTRORIM_DEFAULT_MODEL);
#else
    return {};
#endif
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
                m_modelScale = scale;
                m_warnings->setText(warnings.join(QLatin1Char('\n')));
            });
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(200);
    connect(m_previewTimer, &QTimer::timeout, this, [this] {
        if (!m_file.isEmpty())
            Q_EMIT requestPreview(settings());
    });
    connect(this, &MainWindow::requestExport, m_worker, &ReconstructionWorker::exportOutputs);
    connect(this, &MainWindow::requestMass, m_worker, &ReconstructionWorker::analyseMass);
    connect(m_worker, &ReconstructionWorker::opened, this, &MainWindow::onOpened);
    connect(m_worker, &ReconstructionWorker::iterationFinished, this, &MainWindow::onIteration);
    connect(m_worker, &ReconstructionWorker::finished, this, &MainWindow::onFinished);
    connect(m_worker, &ReconstructionWorker::massAnalysed, this, [this](const auto &outcome) {
        m_outcome = outcome;
        m_figure->setParameters(outcome->diagnostics.parameters);
    });
    connect(m_worker, &ReconstructionWorker::failed, this, &MainWindow::onFailed);
    connect(m_worker, &ReconstructionWorker::modelLoaded, this, [this](const QString &file, const QString &device) {
        m_model = file;
        m_deviceLabel->setText(tr("Model %1 on %2").arg(QFileInfo(file).fileName(), device.toUpper()));
        statusBar()->showMessage(tr("Loaded model %1").arg(file), 5000);
        QSettings().setValue(QStringLiteral("model"), file);
    });
    connect(m_worker, &ReconstructionWorker::exported, this, [this](const QStringList &files) {
        m_unexported = false;
        statusBar()->showMessage(tr("Wrote %1 files").arg(files.size()), 8000);
    });
    m_thread.start();

    buildViews();
    buildDocks();
    buildMenus();
    m_deviceLabel = new QLabel(this);
    m_cursorLabel = new QLabel(this);
    m_cursorLabel->setObjectName(QStringLiteral("cursorReadout"));
    statusBar()->addWidget(m_cursorLabel, 1);
    statusBar()->addPermanentWidget(m_deviceLabel);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
    m_slider->setValue(settings.value(QStringLiteral("iterations"), 6).toInt());
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
    auto *central = new QWidget(this);
    auto *grid = new QGridLayout(central);
    const auto make = [&](const char *name, const QString &title, int row, int col) {
        auto *view = new widgets::ImageView(central);
        view->setObjectName(QString::fromLatin1(name));
        view->setTitle(title);
        grid->addWidget(view, row, col);
        connect(view, &widgets::ImageView::cursorMoved, this, [this, title](double x, double y, double value) {
            QString text = tr("%1  x %2  y %3  value %4").arg(title).arg(x, 0, 'f', 1).arg(y, 0, 'f', 1).arg(value, 0, 'g', 5);
            m_cursorLabel->setText(text);
        });
        return view;
    };
    m_observationView = make("observationView", tr("Observation"), 0, 0);
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
    setCentralWidget(central);
}

void MainWindow::buildDocks()
{
    // Reconstruction: input choices, iterations, run and cancel.
    auto *panel = new QWidget(this);
    auto *form = new QFormLayout(panel);
    m_hduBox = new QComboBox(panel);
    m_hduBox->setObjectName(QStringLiteral("hduBox"));
    connect(m_hduBox, &QComboBox::activated, this, [this] { openFile(m_file, m_hduBox->currentText()); });
    form->addRow(tr("Image HDU"), m_hduBox);
    m_skyBox = new QComboBox(panel);
    m_skyBox->addItem(tr("Border median"), QStringLiteral("edge-median"));
    m_skyBox->addItem(tr("σ-clipped median"), QStringLiteral("sigma-clipped"));
    m_skyBox->addItem(tr("None (sky-subtracted)"), QStringLiteral("none"));
    form->addRow(tr("Sky"), m_skyBox);
    m_centreBox = new QComboBox(panel);
    m_centreBox->addItem(tr("Image centre"), QStringLiteral("image-centre"));
    m_centreBox->addItem(tr("Light centroid"), QStringLiteral("centroid"));
    m_centreBox->addItem(tr("Brightest peak"), QStringLiteral("peak"));
    form->addRow(tr("Lens centre"), m_centreBox);
    m_normalizationBox = new QComboBox(panel);
    m_normalizationBox->addItem(tr("Robust (median/MAD)"), QStringLiteral("robust"));
    m_normalizationBox->addItem(tr("Min–max"), QStringLiteral("minmax"));
    m_normalizationBox->addItem(tr("Percentile 1–99"), QStringLiteral("percentile"));
    form->addRow(tr("Normalization"), m_normalizationBox);
    m_psfFwhm = new QDoubleSpinBox(panel);
    m_psfFwhm->setRange(0, 5);
    m_psfFwhm->setDecimals(3);
    m_psfFwhm->setSuffix(QStringLiteral("″"));
    m_psfFwhm->setSpecialValueText(tr("from the file"));
    form->addRow(tr("PSF FWHM"), m_psfFwhm);
    for (auto *box : {m_skyBox, m_centreBox, m_normalizationBox})
        connect(box, &QComboBox::currentIndexChanged, this, &MainWindow::schedulePreview);
    connect(m_psfFwhm, &QDoubleSpinBox::valueChanged, this, &MainWindow::schedulePreview);
    m_warnings = new QLabel(panel);
    m_warnings->setObjectName(QStringLiteral("preprocessWarnings"));
    m_warnings->setWordWrap(true);
    form->addRow(m_warnings);

    m_slider = new QSlider(Qt::Horizontal, panel);
    m_slider->setObjectName(QStringLiteral("iterationSlider"));
    m_slider->setRange(5, 20);
    m_sliderLabel = new QLabel(panel);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        m_sliderLabel->setText(QString::number(value));
        showIterate(value);
    });
    connect(m_slider, &QSlider::sliderReleased, this, &MainWindow::sliderReleased);
    auto *sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_slider);
    sliderRow->addWidget(m_sliderLabel);
    form->addRow(tr("RIM iterations"), sliderRow);

    m_runButton = new QPushButton(tr("Reconstruct"), panel);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_cancelButton = new QPushButton(tr("Cancel"), panel);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setEnabled(false);
    connect(m_runButton, &QPushButton::clicked, this, &MainWindow::reconstruct);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { m_cancel.cancel(); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    form->addRow(buttons);
    m_progress = new QProgressBar(panel);
    m_progress->setObjectName(QStringLiteral("iterationProgress"));
    form->addRow(m_progress);

    // Mass: redshifts and cosmology, applied at once.
    m_zLens = new QDoubleSpinBox(panel);
    m_zLens->setObjectName(QStringLiteral("zLens"));
    m_zSource = new QDoubleSpinBox(panel);
    m_zSource->setObjectName(QStringLiteral("zSource"));
    for (auto *box : {m_zLens, m_zSource}) {
        box->setRange(0, 20);
        box->setDecimals(3);
        box->setSingleStep(0.05);
        box->setSpecialValueText(tr("unknown"));
        connect(box, &QDoubleSpinBox::valueChanged, this, &MainWindow::updateMass);
    }
    m_cosmologyBox = new QComboBox(panel);
    m_cosmologyBox->addItems({QStringLiteral("planck18"), QStringLiteral("planck15"), QStringLiteral("wmap9")});
    connect(m_cosmologyBox, &QComboBox::currentIndexChanged, this, &MainWindow::updateMass);
    form->addRow(tr("z lens"), m_zLens);
    form->addRow(tr("z source"), m_zSource);
    form->addRow(tr("Cosmology"), m_cosmologyBox);

    auto *controls = new QDockWidget(tr("Reconstruction"), this);
    controls->setObjectName(QStringLiteral("reconstructionDock"));
    controls->setWidget(panel);
    addDockWidget(Qt::LeftDockWidgetArea, controls);

    m_figure = new widgets::DiagnosticFigure(this);
    auto *diagnostics = new QDockWidget(tr("Mass diagnostics"), this);
    diagnostics->setObjectName(QStringLiteral("diagnosticsDock"));
    diagnostics->setWidget(m_figure);
    addDockWidget(Qt::BottomDockWidgetArea, diagnostics);
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
    run->addAction(tr("&Run"), QKeySequence(Qt::Key_F5), this, &MainWindow::reconstruct);
    run->addAction(tr("&Cancel"), QKeySequence(Qt::Key_Escape), this, [this] { m_cancel.cancel(); });

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
                    [this](const QString &file) { Q_EMIT requestModel(file, QStringLiteral("auto")); });
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
    statusBar()->showMessage(tr("Opening %1…").arg(file));
    Q_EMIT requestInspect(file, hdu);
}

void MainWindow::onOpened(const QString &file, const QString &hdu, const QStringList &hdus,
                          const QVector<float> &pixels, int width, int height, double pixelScale,
                          const std::shared_ptr<const fits::Wcs> &wcs)
{
    m_file = file;
    m_hdu = hdu;
    m_wcs = wcs;
    m_pixelScale = pixelScale;
    m_hduBox->clear();
    m_hduBox->addItems(hdus);
    m_hduBox->setCurrentText(hdu);
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

ReconstructionSettings MainWindow::settings() const
{
    ReconstructionSettings s;
    s.file = m_file.toStdString();
    s.hdu = m_hdu.toStdString();
    s.sky = m_skyBox->currentData().toString().toStdString();
    s.centre = m_centreBox->currentData().toString().toStdString();
    s.normalization = m_normalizationBox->currentData().toString().toStdString();
    s.psfFwhm = m_psfFwhm->value();
    s.iterations = m_slider->value();
    return s;
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
    m_progress->setRange(0, m_slider->value());
    m_progress->setValue(0);
    statusBar()->showMessage(tr("Reconstructing %1…").arg(QFileInfo(m_file).fileName()));
    m_cancel = CancelToken();
    auto request = settings();
    request.cancel = m_cancel;
    Q_EMIT requestReconstruction(request);
}

void MainWindow::onIteration(int iteration, int total, const QVector<float> &source, int size)
{
    m_progress->setMaximum(total);
    m_progress->setValue(iteration);
    m_sourceView->setImage(size, size, source.constData(), m_modelScale);
    m_sourceView->setTitle(tr("Source, iteration %1 of %2").arg(iteration).arg(total));
}

void MainWindow::onFinished(const std::shared_ptr<const ReconstructionOutcome> &outcome)
{
    setBusy(false);
    m_outcome = outcome;
    m_unexported = true;
    showOutcome();
    updateMass();
    statusBar()->showMessage(outcome->cancelled ? tr("Cancelled after %1 iterations").arg(outcome->iterates.size())
                                                : tr("Reconstructed in %1 iterations on %2")
                                                      .arg(outcome->iterates.size())
                                                      .arg(outcome->device.toUpper()),
                             8000);
    Q_EMIT reconstructionShown();
}

void MainWindow::onFailed(const QString &message)
{
    setBusy(false);
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
    for (auto *view : {m_forwardView, m_residualView, m_chi2View, m_sourceView})
        view->setAxisUnit(widgets::ImageView::AxisUnit::Arcsec);
    m_figure->setDiagnostics(d);
}

void MainWindow::showIterate(int iteration)
{
    if (!m_outcome || m_outcome->iterates.empty() || m_busy)
        return;
    const int stored = static_cast<int>(m_outcome->iterates.size());
    const int shown = std::clamp(iteration, 1, stored);
    const int n = m_outcome->diagnostics.grid.width;
    m_sourceView->setImage(n, n, m_outcome->iterates[static_cast<std::size_t>(shown - 1)],
                           m_outcome->diagnostics.grid.pixelScale);
    m_sourceView->setTitle(tr("Source, iteration %1 of %2").arg(shown).arg(stored));
}

void MainWindow::sliderReleased()
{
    // Within the stored history the slider scrubs; beyond it, it re-runs.
    QSettings().setValue(QStringLiteral("iterations"), m_slider->value());
    if (m_outcome && m_slider->value() > static_cast<int>(m_outcome->iterates.size()) && !m_busy)
        reconstruct();
}

void MainWindow::setBusy(bool busy)
{
    m_busy = busy;
    m_runButton->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
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

void MainWindow::exportTo(const QString &folder)
{
    if (!m_outcome)
        return onFailed(tr("Reconstruct a lens before exporting"));
    QDir().mkpath(folder);
    Q_EMIT requestExport(m_outcome, folder);
    const auto png = std::filesystem::path(folder.toStdString()) / (m_outcome->diagnostics.name + "_diagnostic.png");
    try {
        widgets::DiagnosticFigure::save(m_outcome->diagnostics, png);
    } catch (const std::exception &e) {
        onFailed(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportFigure()
{
    if (!m_outcome)
        return onFailed(tr("Reconstruct a lens before exporting"));
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export diagnostics"),
        QFileInfo(m_file).path() + QLatin1Char('/') + QString::fromStdString(m_outcome->diagnostics.name) +
            QStringLiteral("_diagnostic.png"),
        tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (file.isEmpty())
        return;
    try {
        widgets::DiagnosticFigure::save(m_outcome->diagnostics, file.toStdString());
        statusBar()->showMessage(tr("Wrote %1").arg(file), 5000);
    } catch (const std::exception &e) {
        onFailed(QString::fromUtf8(e.what()));
    }
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
    const bool known = m_zLens->value() > 0 && m_zSource->value() > m_zLens->value();
    Q_EMIT requestMass(m_outcome, known ? m_zLens->value() : 0.0, m_zSource->value(), m_cosmologyBox->currentText(),
                       0, 0);
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
    if (m_unexported &&
        QMessageBox::question(this, tr("AstroRIM"), tr("The reconstruction has not been exported. Quit anyway?")) !=
            QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
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

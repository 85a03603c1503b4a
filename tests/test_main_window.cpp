// The main window end to end, off screen: open the bundled sample lens, fit
// it (the default method) and watch its steps arrive on the source grid;
// run the legacy RIM, scrub and re-run with the iteration slider, cancel,
// and export a parameters JSON that lenstronomy can read. Waits use QTRY_*, never fixed sleeps. The
// worst event-loop stall seen while the reconstructions ran is printed.

#include "event_loop_monitor.h"
#include "image_view.h"
#include "main_window.h"

#include <nlohmann/json.hpp>

#include "fits/fits_reader.h"
#include "fits/fits_writer.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using astrorim::gui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Settings in a test location, emptied: no choice of an earlier run applies.
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void fitShowsItsStepsOnTheSourceGridAndExports();
    void reconstructsScrubsReRunsAndExports();
    void cancelStopsWithinAnIteration();
    void theCentreIsClickedAndTheMaskAndPsfAreUsed();
    void choicesPersistBetweenSessions();
    void survivesFiftyOpensAndACancelInEveryState();
    void aMissingPixelScaleIsShownBesideTheChoices();
    void aBrokenFileGivesAMessageNamingIt();
    void asksBeforeDiscardingUnexportedResults();
};

namespace {

const QString kSample = QStringLiteral(ASTRORIM_SOURCE_DIR "/resources/sample/sample_lens.fits");
const QString kModel = QStringLiteral(ASTRORIM_SOURCE_DIR "/resources/models/default.safetensors");
constexpr int kTimeout = 120000; // ms; a 96-pixel reconstruction takes well under a second on two cores

/// Waits for the question about an unexported reconstruction, checks that it
/// names `file` and answers it with `button`; true once the box is gone.
bool answerDiscardQuestion(const MainWindow &window, const QString &file, QMessageBox::StandardButton button)
{
    QPointer<QMessageBox> box;
    if (!QTest::qWaitFor([&] { return (box = window.findChild<QMessageBox *>(QStringLiteral("discardDialog"))); },
                         kTimeout))
        return false;
    if (!box->text().contains(file))
        return false;
    box->button(button)->click();
    return QTest::qWaitFor([&] { return box.isNull(); }, kTimeout);
}

/// Chooses a method ("fit", "inversion" or "rim") in the panel.
void chooseMethod(const MainWindow &window, const QString &method)
{
    auto *box = window.findChild<QComboBox *>(QStringLiteral("methodBox"));
    QVERIFY(box);
    box->setCurrentIndex(box->findData(method));
    QCOMPARE(box->currentData().toString(), method);
}

} // namespace

void TestMainWindow::fitShowsItsStepsOnTheSourceGridAndExports()
{
    using astrorim::widgets::ImageView;
    MainWindow window(kModel);
    window.show();
    chooseMethod(window, QStringLiteral("fit"));
    auto *slider = window.findChild<QSlider *>(QStringLiteral("iterationSlider"));
    QVERIFY(!slider->isEnabled()); // nothing to scrub before a fit
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    auto &monitor = window.eventLoopMonitor();
    monitor.reset();
    window.reconstruct();
    auto *source = window.findChild<ImageView *>(QStringLiteral("sourceView"));
    // The steps arrive while it runs, titled by their stage.
    QTRY_VERIFY_WITH_TIMEOUT(source->title().contains(QStringLiteral("fit step")), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    qInfo("worst event-loop stall during the fit: %.1f ms", monitor.worstStallMs());
    const auto outcome = window.outcome();
    QVERIFY(!outcome->cancelled);
    QCOMPARE(outcome->settings.mode, std::string("fit"));
    QVERIFY(outcome->iterates.size() >= 3); // the first inversion, optimizer steps, the final inversion
    QCOMPARE(outcome->iterates.front().stage, QStringLiteral("inversion"));
    const auto &last = outcome->iterates.back();
    QCOMPARE(last.stage, QStringLiteral("final"));
    QCOMPARE(last.size, 64); // the default source grid
    // The sample reaches the noise (reduced χ² 1.007 measured with the CLI).
    QVERIFY2(outcome->reducedChi2 < 1.2, qPrintable(QString::number(outcome->reducedChi2)));

    // The slider scrubs through the fit's steps; the view follows each step's grid.
    QVERIFY(slider->isEnabled());
    QCOMPARE(slider->maximum(), static_cast<int>(outcome->iterates.size()));
    const auto centreOfView = [&] { return source->colourMapItem()->data()->keyRange().center(); };
    QVERIFY(std::abs(centreOfView() - last.centerX) < 1e-9);
    slider->setValue(1);
    const auto &first = outcome->iterates.front();
    QCOMPARE(source->colourMapItem()->data()->keySize(), first.size);
    QVERIFY(std::abs(centreOfView() - first.centerX) < 1e-9);
    Q_EMIT slider->sliderReleased(); // scrubbing only: no new run
    QCOMPARE(window.outcome(), outcome);

    QTemporaryDir dir;
    window.exportTo(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir.path() + QStringLiteral("/sample_lens_diagnostic.png")), kTimeout);
    QVERIFY(QFileInfo::exists(dir.path() + QStringLiteral("/sample_lens_source_sigma.fits")));
    const auto exported = astrorim::fits::readImage((dir.path() + QStringLiteral("/sample_lens_source.fits")).toStdString());
    QCOMPARE(exported.width, 64L);
    std::ifstream in((dir.path() + QStringLiteral("/sample_lens_parameters.json")).toStdString());
    const auto parameters = nlohmann::json::parse(in);
    QCOMPARE(parameters["fit"]["mode"].get<std::string>(), std::string("fit"));
    QVERIFY(parameters["provenance"]["iterations"].is_null()); // no RIM iterations in a fit

    // A cancelled fit stops early and says so.
    window.reconstruct();
    window.findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeout);
    QVERIFY(window.outcome()->cancelled);
}

void TestMainWindow::reconstructsScrubsReRunsAndExports()
{
    MainWindow window(kModel);
    window.show();
    chooseMethod(window, QStringLiteral("rim"));
    auto *slider = window.findChild<QSlider *>(QStringLiteral("iterationSlider"));
    auto *run = window.findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(slider && run);
    slider->setValue(6);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    // Opening and first showing the window are start-up; measure from here.
    auto &monitor = window.eventLoopMonitor();
    const auto waitForTicks = [&monitor] {
        const auto before = monitor.ticks();
        QTRY_VERIFY(monitor.ticks() > before + 2);
    };
    waitForTicks();
    qInfo("worst event-loop stall while starting and opening the file: %.1f ms", monitor.worstStallMs());
    monitor.reset();
    run->click();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    const auto outcome = window.outcome();
    QVERIFY(outcome);
    QCOMPARE(static_cast<int>(outcome->iterates.size()), 6);
    QVERIFY(!outcome->cancelled);
    auto *table = window.findChild<QTableWidget *>(QStringLiteral("parameterTable"));
    QVERIFY(table && table->rowCount() > 10);

    // Within the history the slider scrubs: no new run.
    slider->setValue(5);
    auto *source = window.findChild<astrorim::widgets::ImageView *>(QStringLiteral("sourceView"));
    QVERIFY(source);
    QCOMPARE(window.outcome(), outcome);
    // Beyond it, releasing the slider runs again with more iterations.
    slider->setValue(8);
    Q_EMIT slider->sliderReleased();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeout);
    QCOMPARE(static_cast<int>(window.outcome()->iterates.size()), 8);

    waitForTicks();
    qInfo("worst event-loop stall during two reconstructions: %.1f ms", monitor.worstStallMs());
    monitor.reset();

    QTemporaryDir dir;
    window.exportTo(dir.path());
    const QString json = dir.path() + QStringLiteral("/sample_lens_parameters.json");
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(json), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir.path() + QStringLiteral("/sample_lens_diagnostic.png")), kTimeout);
    waitForTicks();
    std::ifstream in(json.toStdString());
    const auto parameters = nlohmann::json::parse(in);
    QCOMPARE(parameters["lens_model_list"][0].get<std::string>(), std::string("SIE"));
    QVERIFY(parameters["kwargs_lens"][0]["theta_E"].get<double>() > 0);
    QCOMPARE(parameters["provenance"]["iterations"].get<int>(), 8);
    qInfo("worst event-loop stall during the export (the figure is recorded on the GUI thread, written on the "
          "worker): %.1f ms",
          monitor.worstStallMs());
}

void TestMainWindow::cancelStopsWithinAnIteration()
{
    MainWindow window(kModel);
    chooseMethod(window, QStringLiteral("rim"));
    auto *slider = window.findChild<QSlider *>(QStringLiteral("iterationSlider"));
    slider->setValue(20);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    window.reconstruct();
    window.findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    QVERIFY(window.outcome()->cancelled);
    QVERIFY(window.outcome()->iterates.size() < 20);
}

void TestMainWindow::theCentreIsClickedAndTheMaskAndPsfAreUsed()
{
    // A mask of the sample's shape with one corner blanked out.
    QTemporaryDir dir;
    const auto sample = astrorim::fits::readImage(kSample.toStdString());
    std::vector<float> mask(sample.pixels.size(), 0.0F);
    for (long row = 0; row < 10; ++row)
        for (long col = 0; col < 10; ++col)
            mask[static_cast<std::size_t>(row * sample.width + col)] = 1.0F;
    // Named as the export would name the residual map, to check that the export spares it.
    const QString maskFile = dir.path() + QStringLiteral("/sample_lens_residual.fits");
    astrorim::fits::writeImage(maskFile.toStdString(), {sample.width, sample.height, mask.data(), {}, {}});

    MainWindow window(kModel);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    chooseMethod(window, QStringLiteral("rim")); // the quicker method: this test is about the inputs
    window.findChild<QSlider *>(QStringLiteral("iterationSlider"))->setValue(5);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    auto *observation = window.findChild<astrorim::widgets::ImageView *>(QStringLiteral("observationView"));
    QVERIFY(observation);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    QTRY_VERIFY(observation->plot()->axisRect()->width() > 0);

    // A click on the observation places the lens centre there.
    auto *plot = observation->plot();
    const double col = 40, row = 52; // 0-based pixels; the axes are in pixels
    const QPoint at(int(std::lround(plot->xAxis->coordToPixel(col))), int(std::lround(plot->yAxis->coordToPixel(row))));
    QTest::mouseClick(plot, Qt::LeftButton, {}, at);
    auto *centre = window.findChild<QComboBox *>(QStringLiteral("centreBox"));
    QCOMPARE(centre->currentData().toString(), QStringLiteral("manual"));
    QVERIFY2(window.findChild<QLabel *>(QStringLiteral("centreLabel"))->text().contains(QStringLiteral("Clicked at pixel")),
             qPrintable(window.findChild<QLabel *>(QStringLiteral("centreLabel"))->text()));

    window.findChild<QLineEdit *>(QStringLiteral("maskFileEdit"))->setText(maskFile);
    window.findChild<QDoubleSpinBox *>(QStringLiteral("psfFwhm"))->setValue(0.12);
    window.reconstruct();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    const auto &settings = window.outcome()->settings;
    QCOMPARE(settings.centre, std::string("manual"));
    QVERIFY(std::abs(settings.manualCentreX - col) <= 0.5 && std::abs(settings.manualCentreY - row) <= 0.5);
    QCOMPARE(settings.maskFile.string(), maskFile.toStdString());
    QCOMPARE(settings.psfFwhm, 0.12);
    // The run used them: the provenance names the mask, the PSF and the centre.
    const auto &provenance = window.outcome()->diagnostics.parameters["provenance"];
    QVERIFY2(provenance.dump().find("sample_lens_residual.fits") != std::string::npos, provenance.dump().c_str());

    // Exporting beside it would replace the mask: refused, with a message, the mask intact.
    const auto maskBytes = [&] {
        QFile f(maskFile);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray before = maskBytes();
    window.exportTo(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox *>(QStringLiteral("errorDialog")), kTimeout);
    const QString refusal = window.findChild<QMessageBox *>(QStringLiteral("errorDialog"))->text();
    QVERIFY2(refusal.contains(QStringLiteral("refusing to overwrite the input file")), qPrintable(refusal));
    QCOMPARE(maskBytes(), before);
    QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/sample_lens_source.fits")));

    // Another file forgets this one's mask and centre (once the unexported result is discarded).
    window.openFile(maskFile);
    QVERIFY(answerDiscardQuestion(window, QStringLiteral("sample_lens.fits"), QMessageBox::Discard));
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens_residual.fits")), kTimeout);
    QVERIFY(window.findChild<QLineEdit *>(QStringLiteral("maskFileEdit"))->text().isEmpty());
    QCOMPARE(centre->currentData().toString(), QStringLiteral("image-centre"));
}

void TestMainWindow::choicesPersistBetweenSessions()
{
    using astrorim::widgets::ImageView;
    {
        MainWindow window(kModel);
        window.show();
        auto *observation = window.findChild<ImageView *>(QStringLiteral("observationView"));
        observation->setScale(astrorim::render::ScaleMode::Asinh);
        observation->setLimits(astrorim::render::LimitsMode::Percentile99);
        observation->setColourMap(astrorim::widgets::ColourMap::Viridis, true);
        auto *sky = window.findChild<QComboBox *>(QStringLiteral("skyBox"));
        sky->setCurrentIndex(sky->findData(QStringLiteral("sigma-clipped")));
        chooseMethod(window, QStringLiteral("rim"));
        window.findChild<QSlider *>(QStringLiteral("iterationSlider"))->setValue(9);
        Q_EMIT window.findChild<QSlider *>(QStringLiteral("iterationSlider"))->sliderReleased();
        QVERIFY(window.close());
    }
    MainWindow again(kModel);
    const auto choices = again.findChild<ImageView *>(QStringLiteral("observationView"))->displayChoices();
    QCOMPARE(choices.value(QStringLiteral("scale")).toInt(), int(astrorim::render::ScaleMode::Asinh));
    QCOMPARE(choices.value(QStringLiteral("limits")).toInt(), int(astrorim::render::LimitsMode::Percentile99));
    QCOMPARE(choices.value(QStringLiteral("colourMap")).toInt(), int(astrorim::widgets::ColourMap::Viridis));
    QVERIFY(choices.value(QStringLiteral("inverted")).toBool());
    QCOMPARE(again.findChild<QComboBox *>(QStringLiteral("skyBox"))->currentData().toString(),
             QStringLiteral("sigma-clipped"));
    QCOMPARE(again.findChild<QComboBox *>(QStringLiteral("methodBox"))->currentData().toString(), QStringLiteral("rim"));
    QCOMPARE(again.findChild<QSlider *>(QStringLiteral("iterationSlider"))->value(), 9);
    // The residual view keeps its own (diverging) map.
    QCOMPARE(again.findChild<ImageView *>(QStringLiteral("residualView"))->displayChoices().value(QStringLiteral("colourMap")).toInt(),
             int(astrorim::widgets::ColourMap::Diverging));
}

void TestMainWindow::survivesFiftyOpensAndACancelInEveryState()
{
    // A second lens file: the sample with one corner blanked.
    QTemporaryDir dir;
    auto sample = astrorim::fits::readImage(kSample.toStdString());
    for (long col = 0; col < 10; ++col)
        sample.pixels[static_cast<std::size_t>(col)] = 0.0F;
    const QString other = dir.path() + QStringLiteral("/other_lens.fits");
    astrorim::fits::writeImage(other.toStdString(), {sample.width, sample.height, sample.pixels.data(), sample.header, {}});

    MainWindow window(kModel);
    window.show();
    auto *cancel = window.findChild<QAction *>(QStringLiteral("cancelAction"));
    auto *run = window.findChild<QAction *>(QStringLiteral("runAction"));
    QVERIFY(cancel && run);
    chooseMethod(window, QStringLiteral("rim"));
    window.findChild<QSlider *>(QStringLiteral("iterationSlider"))->setValue(5);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);

    // Idle with nothing open: cancel and run do no harm.
    cancel->trigger();
    run->trigger();
    QVERIFY(!window.outcome());

    // Fifty opens in a row, a cancel after each; the last file is the one shown.
    for (int i = 0; i < 50; ++i) {
        window.openFile(i % 2 == 0 ? kSample : other);
        cancel->trigger();
    }
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("other_lens.fits")), kTimeout);

    // Cancel at once after starting, then run to the end, then cancel when finished.
    run->trigger();
    cancel->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    QVERIFY(window.outcome()->cancelled);
    run->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeout);
    QVERIFY(!window.outcome()->cancelled);
    QCOMPARE(static_cast<int>(window.outcome()->iterates.size()), 5);
    cancel->trigger();

    // Cancel during an export and while a file opens: the export still completes.
    window.exportTo(dir.path());
    cancel->trigger();
    window.openFile(kSample);
    cancel->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir.path() + QStringLiteral("/other_lens_parameters.json")), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir.path() + QStringLiteral("/other_lens_diagnostic.png")), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("errorDialog")));
}

void TestMainWindow::aMissingPixelScaleIsShownBesideTheChoices()
{
    // A header without WCS or PIXSCALE: the preview says so beside the
    // choices (every change of choice retries it), and giving the scale fixes it.
    QTemporaryDir dir;
    const auto sample = astrorim::fits::readImage(kSample.toStdString());
    const QString bare = dir.path() + QStringLiteral("/bare.fits");
    astrorim::fits::writeImage(bare.toStdString(), {sample.width, sample.height, sample.pixels.data(), {}, {}});
    MainWindow window(kModel);
    window.show();
    window.openFile(bare);
    auto *warnings = window.findChild<QLabel *>(QStringLiteral("preprocessWarnings"));
    QTRY_VERIFY_WITH_TIMEOUT(warnings->text().contains(QStringLiteral("no pixel scale")), kTimeout);
    QVERIFY(warnings->text().contains(QStringLiteral("bare.fits")));
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("errorDialog")));
    window.findChild<QDoubleSpinBox *>(QStringLiteral("pixelScale"))->setValue(0.04);
    QTRY_VERIFY_WITH_TIMEOUT(!warnings->text().contains(QStringLiteral("no pixel scale")), kTimeout);
}

void TestMainWindow::aBrokenFileGivesAMessageNamingIt()
{
    QTemporaryDir dir;
    const QString broken = dir.path() + QStringLiteral("/broken.fits");
    std::ofstream(broken.toStdString()) << "not a FITS file";
    MainWindow window(kModel);
    window.show();
    window.openFile(broken);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox *>(QStringLiteral("errorDialog")), kTimeout);
    QVERIFY(window.findChild<QMessageBox *>(QStringLiteral("errorDialog"))->text().contains(QStringLiteral("broken.fits")));
}

void TestMainWindow::asksBeforeDiscardingUnexportedResults()
{
    QTemporaryDir dir;
    const QString other = dir.path() + QStringLiteral("/other_lens.fits");
    QVERIFY(QFile::copy(kSample, other));
    MainWindow window(kModel);
    window.show();
    chooseMethod(window, QStringLiteral("rim"));
    window.findChild<QSlider *>(QStringLiteral("iterationSlider"))->setValue(5);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
    window.reconstruct();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeout);
    const auto result = window.outcome();

    // Opening another file asks first; Cancel keeps the result and the file.
    window.openFile(other);
    QVERIFY(answerDiscardQuestion(window, QStringLiteral("sample_lens.fits"), QMessageBox::Cancel));
    // Closing asks too; Cancel keeps the window open.
    QVERIFY(!window.close());
    QVERIFY(answerDiscardQuestion(window, QStringLiteral("sample_lens.fits"), QMessageBox::Cancel));
    QVERIFY(window.isVisible());
    QVERIFY(window.windowTitle().contains(QStringLiteral("sample_lens.fits")));
    QCOMPARE(window.outcome()->result, result->result); // the mass analysis may have updated the outcome, not the run

    // Discard opens the other file.
    window.openFile(other);
    QVERIFY(answerDiscardQuestion(window, QStringLiteral("sample_lens.fits"), QMessageBox::Discard));
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("other_lens.fits")), kTimeout);

    // An exported result is not asked about: the window closes at once.
    window.reconstruct();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeout);
    window.exportTo(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir.path() + QStringLiteral("/other_lens_parameters.json")), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(window.close(), kTimeout); // false while the export is still being written
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("discardDialog")));
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

// The main window end to end, off screen: open the bundled sample lens,
// reconstruct it with the bundled model, watch the iterations arrive, scrub
// and re-run with the iteration slider, cancel, and export a parameters
// JSON that lenstronomy can read. Waits use QTRY_*, never fixed sleeps. The
// worst event-loop stall seen while the reconstructions ran is printed.

#include "event_loop_monitor.h"
#include "image_view.h"
#include "main_window.h"

#include <nlohmann/json.hpp>

#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using astrorim::gui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void reconstructsScrubsReRunsAndExports();
    void cancelStopsWithinAnIteration();
    void aBrokenFileGivesAMessageNamingIt();
};

namespace {

const QString kSample = QStringLiteral(ASTRORIM_SOURCE_DIR "/resources/sample/sample_lens.fits");
const QString kModel = QStringLiteral(ASTRORIM_SOURCE_DIR "/resources/models/default.safetensors");
constexpr int kTimeout = 120000; // ms; a 96-pixel reconstruction takes well under a second on two cores

} // namespace

void TestMainWindow::reconstructsScrubsReRunsAndExports()
{
    MainWindow window(kModel);
    window.show();
    auto *slider = window.findChild<QSlider *>(QStringLiteral("iterationSlider"));
    auto *run = window.findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(slider && run);
    slider->setValue(6);
    QSignalSpy shown(&window, &MainWindow::reconstructionShown);
    window.openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("sample_lens.fits")), kTimeout);
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

    qInfo("worst event-loop stall during two reconstructions: %.1f ms", window.eventLoopMonitor().worstStallMs());

    QTemporaryDir dir;
    window.exportTo(dir.path());
    const QString json = dir.path() + QStringLiteral("/sample_lens_parameters.json");
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(json), kTimeout);
    QVERIFY(QFileInfo::exists(dir.path() + QStringLiteral("/sample_lens_diagnostic.png")));
    std::ifstream in(json.toStdString());
    const auto parameters = nlohmann::json::parse(in);
    QCOMPARE(parameters["lens_model_list"][0].get<std::string>(), std::string("SIE"));
    QVERIFY(parameters["kwargs_lens"][0]["theta_E"].get<double>() > 0);
    QCOMPARE(parameters["provenance"]["iterations"].get<int>(), 8);
    qInfo("worst event-loop stall including the export (the PNG is drawn on the GUI thread): %.1f ms",
          window.eventLoopMonitor().worstStallMs());
}

void TestMainWindow::cancelStopsWithinAnIteration()
{
    MainWindow window(kModel);
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

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

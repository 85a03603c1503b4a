// The background-job dialogs off screen: a small simulation writes its
// pairs and reports them, a cancelled one stops early and says how many it
// wrote, a two-step training run draws its loss, leaves a model to load and
// offers it to the main window, and a missing folder gives a message
// instead of a start. Waits use QTRY_*, never fixed sleeps.

#include "simulation_dialog.h"
#include "training_dialog.h"

#include "qcustomplot_include.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using astrorim::gui::SimulationDialog;
using astrorim::gui::TrainingDialog;

namespace {

constexpr int kTimeout = 300000; // ms: the CI machine has two cores and no GPU

template <typename T>
T *child(QWidget &parent, const char *name)
{
    auto *found = parent.findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

int countFiles(const QString &folder, const QString &suffix)
{
    int n = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(folder.toStdString()))
        n += entry.is_regular_file() && QString::fromStdString(entry.path().string()).endsWith(suffix);
    return n;
}

} // namespace

class TestJobDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simulationWritesItsPairs()
    {
        QTemporaryDir dir;
        SimulationDialog dialog;
        dialog.show();
        child<QSpinBox>(dialog, "countBox")->setValue(3);
        child<QComboBox>(dialog, "deviceBox")->setCurrentText(QStringLiteral("cpu"));
        child<QLineEdit>(dialog, "folderEdit")->setText(dir.path());
        QSignalSpy finished(&dialog, &SimulationDialog::simulationFinished);
        child<QPushButton>(dialog, "startButton")->click();
        QVERIFY(dialog.running());
        QVERIFY(!child<QPushButton>(dialog, "startButton")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QVERIFY(!dialog.running());
        QCOMPARE(finished.front().at(1).toLongLong(), 3);
        QCOMPARE(child<QProgressBar>(dialog, "simulationProgress")->value(), 3);
        QVERIFY(countFiles(dir.path(), QStringLiteral(".fits")) >= 3);
        QVERIFY(child<QLabel>(dialog, "statusLabel")->text().contains(QStringLiteral("3 of 3")));
    }

    void aCancelledSimulationStopsEarly()
    {
        QTemporaryDir dir;
        SimulationDialog dialog;
        child<QSpinBox>(dialog, "countBox")->setValue(100000);
        child<QComboBox>(dialog, "deviceBox")->setCurrentText(QStringLiteral("cpu"));
        child<QLineEdit>(dialog, "folderEdit")->setText(dir.path());
        QSignalSpy finished(&dialog, &SimulationDialog::simulationFinished);
        child<QPushButton>(dialog, "startButton")->click();
        child<QPushButton>(dialog, "cancelButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QVERIFY(finished.front().at(1).toLongLong() < 100000);
        QVERIFY(child<QPushButton>(dialog, "startButton")->isEnabled());
    }

    void withoutAFolderNothingStarts()
    {
        SimulationDialog dialog;
        dialog.show();
        child<QPushButton>(dialog, "startButton")->click();
        QVERIFY(!dialog.running());
        QTRY_VERIFY(dialog.findChild<QMessageBox *>(QStringLiteral("errorDialog")));
    }

    void trainingDrawsItsLossAndOffersTheModel()
    {
        QTemporaryDir dir;
        TrainingDialog dialog;
        dialog.show();
        child<QLineEdit>(dialog, "outputEdit")->setText(dir.path());
        child<QSpinBox>(dialog, "stepsBox")->setValue(2);
        child<QSpinBox>(dialog, "batchBox")->setValue(2);
        child<QSpinBox>(dialog, "iterationsBox")->setValue(2);
        child<QComboBox>(dialog, "deviceBox")->setCurrentText(QStringLiteral("cpu"));
        QSignalSpy stopped(&dialog, &TrainingDialog::trainingStopped);
        QSignalSpy load(&dialog, &TrainingDialog::loadModelRequested);
        child<QPushButton>(dialog, "startButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kTimeout);
        QVERIFY2(child<QLabel>(dialog, "statusLabel")->text().contains(QStringLiteral("Finished 2 steps")),
                 qPrintable(child<QLabel>(dialog, "statusLabel")->text()));
        QVERIFY(child<QCustomPlot>(dialog, "trainingCurves")->graph(0)->dataCount() >= 1);
        const QString model = dir.path() + QStringLiteral("/model.safetensors");
        QVERIFY(QFileInfo::exists(model));
        auto *use = child<QPushButton>(dialog, "loadButton");
        QVERIFY(use->isEnabled());
        use->click();
        QCOMPARE(load.count(), 1);
        QCOMPARE(load.front().at(0).toString(), model);
    }
};

QTEST_MAIN(TestJobDialogs)
#include "test_job_dialogs.moc"

#pragma once
// Simulates a training set in the background: preset, count, output
// folder, seed and device; progress and cancel. The pairs are written as
// `astrorim-cli simulate` writes them (core/simulation/dataset_writer.h).

#include "common/progress.h"

#include <QDialog>
#include <QThread>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace astrorim::gui {

class SimulationDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SimulationDialog(QWidget *parent = nullptr);
    ~SimulationDialog() override;

    /// Whether a simulation is running.
    [[nodiscard]] bool running() const { return m_thread != nullptr; }

Q_SIGNALS:
    /// `written` pairs of `requested` are in `folder` (fewer when cancelled).
    void simulationFinished(const QString &folder, qint64 written, qint64 requested);

protected:
    void reject() override;

private:
    void start();
    void onProgress(qint64 done, qint64 total);
    void onFinished(qint64 written, const QString &error);

    QComboBox *m_preset = nullptr;
    QSpinBox *m_count = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_device = nullptr;
    QLineEdit *m_folder = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QThread *m_thread = nullptr;
    CancelToken m_cancelToken;
};

} // namespace astrorim::gui

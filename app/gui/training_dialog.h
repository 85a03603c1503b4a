#pragma once
// Trains a model in the background: on lenses simulated on the fly or on a
// folder of FITS pairs; steps, learning rates, batch size, device; resume
// from the output folder's checkpoint. Live loss and validation-SSIM
// curves, progress and cancel; the finished model can be loaded into the
// main window.

#include "common/progress.h"

#include <QDialog>
#include <QThread>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace astrorim::gui {

class TrainingDialog : public QDialog
{
    Q_OBJECT

public:
    explicit TrainingDialog(QWidget *parent = nullptr);
    ~TrainingDialog() override;

    [[nodiscard]] bool running() const { return m_thread != nullptr; }

Q_SIGNALS:
    /// The user asks to use the trained model (model.safetensors) in the main window.
    void loadModelRequested(const QString &file);
    /// Training stopped (finished, cancelled or failed).
    void trainingStopped();

protected:
    void reject() override;

private:
    void start();
    void onRecord(qint64 step, double loss, bool validated, double ssim);
    void onFinished(qint64 steps, bool cancelled, const QString &error);

    QComboBox *m_source = nullptr;
    QLineEdit *m_dataset = nullptr;
    QLineEdit *m_output = nullptr;
    QSpinBox *m_steps = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_iterations = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QDoubleSpinBox *m_minLearningRate = nullptr;
    QComboBox *m_device = nullptr;
    QCheckBox *m_resume = nullptr;
    QCustomPlot *m_plot = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_load = nullptr;
    QThread *m_thread = nullptr;
    CancelToken m_cancelToken;
};

} // namespace astrorim::gui

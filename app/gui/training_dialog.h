#pragma once
// Trains a model in the background: on lenses simulated on the fly or on a
// folder of FITS pairs; steps, learning rates, batch size, device; resume
// from the output folder's checkpoint. Live loss and validation-SSIM
// curves, progress and cancel; the finished model can be loaded into the
// main window.

#include "background_job_dialog.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace astrorim::gui {

class TrainingDialog : public BackgroundJobDialog
{
    Q_OBJECT

public:
    explicit TrainingDialog(QWidget *parent = nullptr);

Q_SIGNALS:
    /// The user asks to use the trained model (model.safetensors) in the main window.
    void loadModelRequested(const QString &file);
    /// Training stopped (finished, cancelled or failed).
    void trainingStopped();

protected:
    void start() override;

private:
    void onRecord(qint64 step, double loss, bool validated, double error);

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
    QPushButton *m_load = nullptr;
};

} // namespace astrorim::gui

#pragma once
// Simulates a training set in the background: preset, count, output
// folder, seed and device; progress and cancel. The pairs are written as
// `astrorim-cli simulate` writes them (core/simulation/dataset_writer.h).

#include "background_job_dialog.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace astrorim::gui {

class SimulationDialog : public BackgroundJobDialog
{
    Q_OBJECT

public:
    explicit SimulationDialog(QWidget *parent = nullptr);

Q_SIGNALS:
    /// `written` pairs of `requested` are in `folder` (fewer when cancelled).
    void simulationFinished(const QString &folder, qint64 written, qint64 requested);

protected:
    void start() override;

private:
    QComboBox *m_preset = nullptr;
    QSpinBox *m_count = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_device = nullptr;
    QLineEdit *m_folder = nullptr;
};

} // namespace astrorim::gui

#include "simulation_dialog.h"

#include "nn/device_choice.h"
#include "simulation/dataset_writer.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSpinBox>

#include <limits>
#include <memory>

namespace astrorim::gui {

SimulationDialog::SimulationDialog(QWidget *parent)
    : BackgroundJobDialog(QStringLiteral("simulationDialog"), tr("Simulate a training set"),
                          QStringLiteral("simulationProgress"), parent)
{
    auto *form = new QFormLayout;
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetBox"));
    for (const auto &preset : simulation::presets())
        m_preset->addItem(QString::fromStdString(preset.name));
    form->addRow(tr("Preset"), m_preset);
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("countBox"));
    m_count->setRange(1, 10'000'000);
    m_count->setValue(1000);
    form->addRow(tr("Pairs"), m_count);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seedBox"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    form->addRow(tr("Seed"), m_seed);
    m_device = deviceBox();
    form->addRow(tr("Device"), m_device);
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("folderEdit"));
    form->addRow(tr("Output folder"), folderField(m_folder, tr("Output folder")));
    finishLayout(form);
}

void SimulationDialog::start()
{
    if (m_folder->text().isEmpty())
        return warn(tr("Choose an output folder."));
    const std::string preset = m_preset->currentText().toStdString(), device = m_device->currentText().toStdString();
    const auto seed = static_cast<std::uint64_t>(m_seed->value());
    const std::int64_t count = m_count->value();
    const QString folder = m_folder->text();
    m_progress->setRange(0, static_cast<int>(count));
    m_progress->setValue(0);
    auto written = std::make_shared<std::int64_t>(0);
    runJob(
        tr("Simulating…"),
        [this, preset, device, seed, count, folder, written](const CancelToken &cancel) {
            simulation::SimulationConfig config{simulation::presetByName(preset), seed};
            config.device = nn::chooseDevice(device).value_or(torch::kCPU); // the box offers auto, cpu, cuda
            *written = simulation::writeDataset(
                           config, count, 64, folder.toStdString(), false,
                           [this](std::int64_t done, std::int64_t total) {
                               post([this, done, total] {
                                   m_progress->setRange(0, static_cast<int>(total));
                                   m_progress->setValue(static_cast<int>(done));
                               });
                           },
                           cancel)
                           .written;
        },
        [this, count, folder, written](const QString &error) {
            if (!error.isEmpty())
                return;
            m_status->setText(tr("Wrote %1 of %2 pairs to %3").arg(*written).arg(count).arg(folder));
            Q_EMIT simulationFinished(folder, *written, count);
        });
}

} // namespace astrorim::gui

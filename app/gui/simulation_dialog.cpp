#include "simulation_dialog.h"

#include "nn/device_choice.h"

#include "simulation/dataset_writer.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace astrorim::gui {

SimulationDialog::SimulationDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("simulationDialog"));
    setWindowTitle(tr("Simulate a training set"));
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
    m_device = new QComboBox(this);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    form->addRow(tr("Device"), m_device);
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("folderEdit"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder);
    folderRow->addWidget(browse);
    form->addRow(tr("Output folder"), folderRow);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("simulationProgress"));
    m_status = new QLabel(this);
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    connect(m_start, &QPushButton::clicked, this, &SimulationDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_cancelToken.cancel(); });
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &SimulationDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

SimulationDialog::~SimulationDialog()
{
    m_cancelToken.cancel();
    if (m_thread)
        m_thread->wait();
}

void SimulationDialog::start()
{
    if (m_thread)
        return;
    if (m_folder->text().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose an output folder."));
        return;
    }
    m_cancelToken = CancelToken();
    const auto cancel = m_cancelToken;
    const std::string preset = m_preset->currentText().toStdString(), device = m_device->currentText().toStdString();
    const std::uint64_t seed = static_cast<std::uint64_t>(m_seed->value());
    const std::int64_t count = m_count->value();
    const std::filesystem::path folder = m_folder->text().toStdString();
    m_progress->setRange(0, static_cast<int>(count));
    m_progress->setValue(0);
    m_status->setText(tr("Simulating…"));
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_thread = QThread::create([this, preset, device, seed, count, folder, cancel] {
        std::int64_t written = 0;
        QString error;
        try {
            simulation::SimulationConfig config{simulation::presetByName(preset), seed};
            config.device = nn::chooseDevice(device).value_or(torch::kCPU); // the box offers auto, cpu, cuda
            const auto result = simulation::writeDataset(
                config, count, 64, folder, false,
                [this](std::int64_t done, std::int64_t total) {
                    QMetaObject::invokeMethod(this, [this, done, total] { onProgress(done, total); }, Qt::QueuedConnection);
                },
                cancel);
            written = result.written;
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, written, error] { onFinished(written, error); }, Qt::QueuedConnection);
    });
    m_thread->start();
}

void SimulationDialog::onProgress(qint64 done, qint64 total)
{
    m_progress->setRange(0, static_cast<int>(total));
    m_progress->setValue(static_cast<int>(done));
}

void SimulationDialog::onFinished(qint64 written, const QString &error)
{
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    if (!error.isEmpty()) {
        m_status->setText(error);
        QMessageBox::warning(this, windowTitle(), error);
        return;
    }
    m_status->setText(tr("Wrote %1 of %2 pairs to %3").arg(written).arg(m_count->value()).arg(m_folder->text()));
    Q_EMIT simulationFinished(m_folder->text(), written, m_count->value());
}

void SimulationDialog::reject()
{
    // Closing while it runs cancels: nothing runs on unseen.
    m_cancelToken.cancel();
    QDialog::reject();
}

} // namespace astrorim::gui

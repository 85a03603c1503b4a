#include "training_dialog.h"

#include "nn/device_choice.h"

#include "qcustomplot_include.h"

#include "training/trainer.h"

#include <torch/torch.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
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

#include <filesystem>

namespace astrorim::gui {

namespace {

QHBoxLayout *folderRow(QWidget *parent, QLineEdit *edit, const QString &title)
{
    auto *browse = new QPushButton(QObject::tr("Browse…"), parent);
    QObject::connect(browse, &QPushButton::clicked, parent, [parent, edit, title] {
        const QString folder = QFileDialog::getExistingDirectory(parent, title, edit->text());
        if (!folder.isEmpty())
            edit->setText(folder);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(edit);
    row->addWidget(browse);
    return row;
}

} // namespace

TrainingDialog::TrainingDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("trainingDialog"));
    setWindowTitle(tr("Train a model"));
    auto *form = new QFormLayout;
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("sourceBox"));
    m_source->addItem(tr("Lenses simulated on the fly (all presets)"));
    m_source->addItem(tr("A folder of simulated FITS pairs"));
    form->addRow(tr("Training data"), m_source);
    m_dataset = new QLineEdit(this);
    m_dataset->setObjectName(QStringLiteral("datasetEdit"));
    form->addRow(tr("Dataset folder"), folderRow(this, m_dataset, tr("Dataset folder")));
    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("outputEdit"));
    form->addRow(tr("Output folder"), folderRow(this, m_output, tr("Output folder")));
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("stepsBox"));
    m_steps->setRange(1, 10'000'000);
    m_steps->setValue(10000);
    form->addRow(tr("Optimizer steps"), m_steps);
    m_batch = new QSpinBox(this);
    m_batch->setRange(1, 1024);
    m_batch->setValue(16);
    form->addRow(tr("Batch size"), m_batch);
    m_iterations = new QSpinBox(this);
    m_iterations->setRange(1, 30);
    m_iterations->setValue(10);
    form->addRow(tr("RIM iterations"), m_iterations);
    m_learningRate = new QDoubleSpinBox(this);
    m_minLearningRate = new QDoubleSpinBox(this);
    for (auto *box : {m_learningRate, m_minLearningRate}) {
        box->setDecimals(7);
        box->setRange(1e-7, 1.0);
        box->setSingleStep(1e-4);
    }
    m_learningRate->setValue(1e-3);
    m_minLearningRate->setValue(1e-6);
    form->addRow(tr("Learning rate"), m_learningRate);
    form->addRow(tr("Final learning rate"), m_minLearningRate);
    m_device = new QComboBox(this);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    form->addRow(tr("Device"), m_device);
    m_resume = new QCheckBox(tr("Resume from the output folder's checkpoint"), this);
    m_resume->setObjectName(QStringLiteral("resumeBox"));
    form->addRow(m_resume);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("trainingCurves"));
    m_plot->setMinimumSize(420, 240);
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis)->setName(tr("training loss"));
    m_plot->graph(0)->setPen(QPen(QColor(31, 119, 180)));
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2)->setName(tr("validation SSIM"));
    m_plot->graph(1)->setPen(QPen(QColor(214, 39, 40), 2));
    m_plot->graph(1)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss"));
    m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("SSIM"));
    m_plot->yAxis2->setRange(0, 1);
    m_plot->legend->setVisible(true);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("trainingProgress"));
    m_status = new QLabel(this);
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    m_load = new QPushButton(tr("Use this model"), this);
    m_load->setObjectName(QStringLiteral("loadButton"));
    m_load->setEnabled(false);
    connect(m_start, &QPushButton::clicked, this, &TrainingDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_cancelToken.cancel(); });
    connect(m_load, &QPushButton::clicked, this, [this] {
        Q_EMIT loadModelRequested(m_output->text() + QStringLiteral("/model.safetensors"));
    });
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_load, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &TrainingDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

TrainingDialog::~TrainingDialog()
{
    m_cancelToken.cancel();
    if (m_thread)
        m_thread->wait();
}

void TrainingDialog::start()
{
    if (m_thread)
        return;
    if (m_output->text().isEmpty() || (m_source->currentIndex() == 1 && m_dataset->text().isEmpty())) {
        QMessageBox::warning(this, windowTitle(), tr("Choose an output folder (and a dataset folder to train on one)."));
        return;
    }
    training::TrainingConfig config;
    config.outputDir = m_output->text().toStdString();
    if (m_source->currentIndex() == 1)
        config.dataset = m_dataset->text().toStdString();
    config.steps = m_steps->value();
    config.batchSize = m_batch->value();
    config.rimIterations = m_iterations->value();
    config.learningRate = m_learningRate->value();
    config.minLearningRate = m_minLearningRate->value();
    const std::string device = m_device->currentText().toStdString();
    const bool resume = m_resume->isChecked();
    m_cancelToken = CancelToken();
    const auto cancel = m_cancelToken;
    for (int i = 0; i < 2; ++i)
        m_plot->graph(i)->data()->clear();
    m_progress->setRange(0, m_steps->value());
    m_status->setText(tr("Training…"));
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_load->setEnabled(false);
    m_thread = QThread::create([this, config, device, resume, cancel]() mutable {
        std::int64_t steps = 0;
        bool cancelled = false;
        QString error;
        try {
            config.device = nn::chooseDevice(device).value_or(torch::kCPU); // the box offers auto, cpu, cuda
            std::filesystem::create_directories(config.outputDir);
            training::Trainer trainer(config);
            if (resume)
                trainer.resume(config.outputDir / "checkpoint.safetensors");
            const auto result = trainer.run(
                [this](const training::TrainingRecord &r) {
                    const qint64 step = r.step;
                    const double loss = r.loss, ssim = r.validationSsim;
                    const bool validated = r.validated;
                    QMetaObject::invokeMethod(this, [=, this] { onRecord(step, loss, validated, ssim); },
                                              Qt::QueuedConnection);
                },
                cancel);
            steps = result.steps;
            cancelled = result.cancelled;
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [=, this] { onFinished(steps, cancelled, error); }, Qt::QueuedConnection);
    });
    m_thread->start();
}

void TrainingDialog::onRecord(qint64 step, double loss, bool validated, double ssim)
{
    m_progress->setValue(static_cast<int>(step));
    if (loss > 0 && std::isfinite(loss))
        m_plot->graph(0)->addData(static_cast<double>(step), loss);
    if (validated)
        m_plot->graph(1)->addData(static_cast<double>(step), ssim);
    m_plot->graph(0)->rescaleAxes();
    m_plot->yAxis2->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    m_status->setText(validated ? tr("Step %1: loss %2, validation SSIM %3").arg(step).arg(loss, 0, 'g', 4).arg(ssim, 0, 'f', 3)
                                : tr("Step %1: loss %2").arg(step).arg(loss, 0, 'g', 4));
}

void TrainingDialog::onFinished(qint64 steps, bool cancelled, const QString &error)
{
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    Q_EMIT trainingStopped();
    if (!error.isEmpty()) {
        m_status->setText(error);
        QMessageBox::warning(this, windowTitle(), error);
        return;
    }
    m_load->setEnabled(true);
    m_status->setText(cancelled ? tr("Cancelled at step %1; resume continues from the last checkpoint").arg(steps)
                                : tr("Finished %1 steps; the model is in %2").arg(steps).arg(m_output->text()));
}

void TrainingDialog::reject()
{
    m_cancelToken.cancel();
    QDialog::reject();
}

} // namespace astrorim::gui

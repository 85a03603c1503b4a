#include "training_dialog.h"

#include "nn/device_choice.h"

#include "qcustomplot_include.h"

#include "training/trainer.h"

#include <torch/torch.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

namespace astrorim::gui {

TrainingDialog::TrainingDialog(QWidget *parent)
    : BackgroundJobDialog(QStringLiteral("trainingDialog"), tr("Train a model"), QStringLiteral("trainingProgress"),
                          parent)
{
    auto *form = new QFormLayout;
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("sourceBox"));
    m_source->addItem(tr("Lenses simulated on the fly (all presets)"));
    m_source->addItem(tr("A folder of simulated FITS pairs"));
    form->addRow(tr("Training data"), m_source);
    m_dataset = new QLineEdit(this);
    m_dataset->setObjectName(QStringLiteral("datasetEdit"));
    form->addRow(tr("Dataset folder"), folderField(m_dataset, tr("Dataset folder")));
    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("outputEdit"));
    form->addRow(tr("Output folder"), folderField(m_output, tr("Output folder")));
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("stepsBox"));
    m_steps->setRange(1, 10'000'000);
    m_steps->setValue(10000);
    form->addRow(tr("Optimizer steps"), m_steps);
    m_batch = new QSpinBox(this);
    m_batch->setObjectName(QStringLiteral("batchBox"));
    m_batch->setRange(1, 1024);
    m_batch->setValue(16);
    form->addRow(tr("Batch size"), m_batch);
    m_iterations = new QSpinBox(this);
    m_iterations->setObjectName(QStringLiteral("iterationsBox"));
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
    m_device = deviceBox();
    form->addRow(tr("Device"), m_device);
    m_resume = new QCheckBox(tr("Resume from the output folder's checkpoint"), this);
    m_resume->setObjectName(QStringLiteral("resumeBox"));
    form->addRow(m_resume);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("trainingCurves"));
    m_plot->setMinimumSize(420, 240);
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis)->setName(tr("training loss"));
    m_plot->graph(0)->setPen(QPen(QColor(31, 119, 180)));
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2)->setName(tr("validation source error"));
    m_plot->graph(1)->setPen(QPen(QColor(214, 39, 40), 2));
    m_plot->graph(1)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss"));
    m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("source error ‖ŝ − s‖/‖s‖ (empty source: 1)"));
    m_plot->yAxis2->setRange(0, 1);
    m_plot->legend->setVisible(true);

    m_load = addButton(tr("Use this model"), QStringLiteral("loadButton"));
    m_load->setEnabled(false);
    connect(m_load, &QPushButton::clicked, this, [this] {
        Q_EMIT loadModelRequested(m_output->text() + QStringLiteral("/model.safetensors"));
    });
    finishLayout(form, m_plot);
}

void TrainingDialog::start()
{
    if (m_output->text().isEmpty() || (m_source->currentIndex() == 1 && m_dataset->text().isEmpty()))
        return warn(tr("Choose an output folder (and a dataset folder to train on one)."));
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
    for (int i = 0; i < 2; ++i)
        m_plot->graph(i)->data()->clear();
    m_progress->setRange(0, m_steps->value());
    m_load->setEnabled(false);
    struct Outcome
    {
        std::int64_t steps = 0;
        bool cancelled = false;
    };
    auto outcome = std::make_shared<Outcome>();
    runJob(
        tr("Training…"),
        [this, config, device, resume, outcome](const CancelToken &cancel) mutable {
            config.device = nn::chooseDevice(device).value_or(torch::kCPU); // the box offers auto, cpu, cuda
            std::filesystem::create_directories(config.outputDir);
            training::Trainer trainer(config);
            if (resume)
                trainer.resume(config.outputDir / "checkpoint.safetensors");
            const auto result = trainer.run(
                [this](const training::TrainingRecord &r) {
                    const qint64 step = r.step;
                    const double loss = r.loss, error = r.validationError;
                    const bool validated = r.validated;
                    post([=, this] { onRecord(step, loss, validated, error); });
                },
                cancel);
            outcome->steps = result.steps;
            outcome->cancelled = result.cancelled;
        },
        [this, outcome](const QString &error) {
            Q_EMIT trainingStopped();
            if (!error.isEmpty())
                return;
            m_load->setEnabled(true);
            m_status->setText(outcome->cancelled
                                  ? tr("Cancelled at step %1; resume continues from the last checkpoint").arg(outcome->steps)
                                  : tr("Finished %1 steps; the model is in %2").arg(outcome->steps).arg(m_output->text()));
        });
}

void TrainingDialog::onRecord(qint64 step, double loss, bool validated, double error)
{
    m_progress->setValue(static_cast<int>(step));
    if (loss > 0 && std::isfinite(loss))
        m_plot->graph(0)->addData(static_cast<double>(step), loss);
    if (validated)
        m_plot->graph(1)->addData(static_cast<double>(step), error);
    m_plot->graph(0)->rescaleAxes();
    // From 0 (perfect) to past 1 (the empty source), or to the worst error seen.
    bool found = false;
    const QCPRange errors = m_plot->graph(1)->getValueRange(found);
    m_plot->yAxis2->setRange(0, std::max(1.1, found ? 1.05 * errors.upper : 0.0));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    m_status->setText(validated ? tr("Step %1: loss %2, validation source error %3").arg(step).arg(loss, 0, 'g', 4).arg(error, 0, 'f', 3)
                                : tr("Step %1: loss %2").arg(step).arg(loss, 0, 'g', 4));
}

} // namespace astrorim::gui

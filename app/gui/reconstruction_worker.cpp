#include "reconstruction_worker.h"

#include "diagnostic_figure.h"

#include "nn/device_choice.h"

#include "analysis/cosmology.h"
#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/pixel_scale.h"
#include "fits/wcs.h"
#include "inference/observation_file.h"
#include "inference/outputs.h"
#include "inference/reconstructor.h"
#include "inference/run.h"

#include <torch/torch.h>

#include <QStringList>

namespace astrorim::gui {

struct ReconstructionWorker::Private
{
    std::unique_ptr<inference::Reconstructor> reconstructor;
    QString device;
};

ReconstructionWorker::ReconstructionWorker(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<ReconstructionSettings>();
    qRegisterMetaType<SourceFrame>();
    qRegisterMetaType<std::shared_ptr<const ReconstructionOutcome>>();
    qRegisterMetaType<std::shared_ptr<const fits::Wcs>>();
    qRegisterMetaType<QPicture>();
}

void ReconstructionWorker::inspect(const QString &file, const QString &hdu)
{
    try {
        const std::filesystem::path path = file.toStdString();
        QStringList choices;
        for (const auto &choice : inference::imageHduChoices(path))
            choices << QString::fromStdString(choice);
        // A band name alone (VIS) picks its image, as the command line does.
        const auto image =
            fits::readImage(path, fits::parseHduSelector(inference::resolveImageHdu(path, hdu.toStdString())));
        std::shared_ptr<const fits::Wcs> wcs;
        if (auto parsed = fits::Wcs::fromHeader(image.header, path.string()))
            wcs = std::make_shared<const fits::Wcs>(std::move(*parsed));
        const double scale = fits::pixelScaleArcsec(image.header, path.string()).value_or(0.0);
        const QString chosen = QString::fromStdString(image.extname.empty() ? std::to_string(image.hdu) : image.extname);
        Q_EMIT opened(file, chosen, choices, QVector<float>(image.pixels.begin(), image.pixels.end()),
                      static_cast<int>(image.width), static_cast<int>(image.height), scale, wcs);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

ReconstructionWorker::~ReconstructionWorker() = default;

void ReconstructionWorker::loadModel(const QString &file, const QString &device)
{
    try {
        // The device box offers only auto, cpu and cuda.
        const torch::Device where = nn::chooseDevice(device.toStdString()).value_or(torch::kCPU);
        d->reconstructor = std::make_unique<inference::Reconstructor>(file.toStdString(), where);
        d->device = QString::fromStdString(where.str());
        Q_EMIT modelLoaded(file, d->device, d->reconstructor->trainedIterations());
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

namespace {

/// A tensor's values as float32, in its (row-major) order.
QVector<float> floats(const torch::Tensor &tensor)
{
    const auto values = tensor.to(torch::kFloat32).contiguous();
    return QVector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
}

inference::ObservationFileOptions readOptions(const ReconstructionSettings &settings)
{
    inference::ObservationFileOptions read;
    read.hdu = settings.hdu;
    read.maskFile = settings.maskFile;
    read.noiseFile = settings.noiseFile;
    read.psfFile = settings.psfFile;
    if (settings.psfFwhm > 0)
        read.psfFwhm = settings.psfFwhm;
    if (settings.pixelScale > 0)
        read.pixelScale = settings.pixelScale;
    return read;
}

inference::ObservationFile readFile(const ReconstructionSettings &settings)
{
    return inference::readObservationFile(settings.file, readOptions(settings));
}

preprocess::PreprocessOptions preprocessOptions(const ReconstructionSettings &settings)
{
    preprocess::PreprocessOptions options;
    options.sky = preprocess::parseSkyMethod(settings.sky);
    options.centre = preprocess::parseCentreMethod(settings.centre);
    if (options.centre == preprocess::CentreMethod::Manual)
        options.manualCentre = preprocess::PixelPosition{settings.manualCentreX, settings.manualCentreY};
    options.normalization = preprocess::parseNormalization(settings.normalization);
    return options;
}

} // namespace

void ReconstructionWorker::preview(const ReconstructionSettings &settings)
{
    try {
        const auto file = readFile(settings);
        const auto &o = file.observation;
        auto options = preprocessOptions(settings);
        if (d->reconstructor)
            options.gridSize = d->reconstructor->gridSize();
        const auto prepared = preprocess::prepare(o.image, o.pixelScale, o.noiseMap, options);
        QStringList warnings;
        for (const auto &w : prepared.warnings)
            warnings << QString::fromStdString(w);
        Q_EMIT previewReady(floats(prepared.cutout.data), static_cast<int>(prepared.cutout.data.size(0)),
                            prepared.cutout.pixelScale, warnings);
    } catch (const std::exception &e) {
        Q_EMIT previewFailed(QString::fromUtf8(e.what()));
    }
}

void ReconstructionWorker::reconstruct(const ReconstructionSettings &settings)
{
    try {
        if (!d->reconstructor)
            fail("reconstruction", "no model is loaded");
        const auto file = readFile(settings);
        inference::ReconstructionOptions options;
        options.mode = inference::parseFitMode(settings.mode);
        options.iterations = settings.iterations;
        options.refineRounds = settings.refineRounds;
        options.preprocess = preprocessOptions(settings);

        auto outcome = std::make_shared<ReconstructionOutcome>();
        outcome->settings = settings;
        outcome->device = d->device;
        auto run = inference::runObservation(
            *d->reconstructor, settings.file, file, readOptions(settings), options, std::nullopt,
            [&](const inference::SourceStep &step) {
                const QVector<float> copy = floats(step.source);
                SourceFrame frame{{copy.begin(), copy.end()},
                                  static_cast<int>(step.source.size(0)),
                                  step.pixelScale,
                                  step.centerX,
                                  step.centerY,
                                  QString::fromStdString(step.stage)};
                outcome->iterates.push_back(frame);
                const bool rim = options.mode == inference::FitMode::Rim;
                Q_EMIT iterationFinished(step.iteration, rim ? settings.iterations : 0, frame);
            },
            settings.cancel);
        outcome->diagnostics = inference::makeDiagnostics(run.result, run.parameters);
        auto result = std::make_shared<inference::ReconstructionResult>(std::move(run.result));
        auto provenance = std::make_shared<inference::Provenance>(std::move(run.provenance));
        const auto input = floats(result->prepared.cutout.data);
        outcome->modelInput.assign(input.begin(), input.end());
        outcome->cancelled = result->cancelled;
        outcome->reducedChi2 = result->reducedChi2;
        outcome->result = std::move(result);
        outcome->provenance = std::move(provenance);
        Q_EMIT finished(outcome);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

void ReconstructionWorker::exportOutputs(const std::shared_ptr<const ReconstructionOutcome> &outcome,
                                         const QString &folder, const QPicture &figure)
{
    try {
        if (!outcome || !outcome->result)
            fail("export", "there is no reconstruction to export");
        const std::filesystem::path into = folder.toStdString();
        const auto png = into / (outcome->diagnostics.name + "_diagnostic.png");
        inference::inputFiles(*outcome->provenance).checkOutput(png); // writeOutputs checks its own files
        QStringList files;
        for (const auto &f : inference::writeOutputs(*outcome->result, *outcome->provenance, into))
            files << QString::fromStdString(f.string());
        widgets::DiagnosticFigure::write(figure, png);
        files << QString::fromStdString(png.string());
        Q_EMIT exported(files);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

void ReconstructionWorker::writeFigure(const std::shared_ptr<const ReconstructionOutcome> &outcome,
                                       const QPicture &figure, const QString &file)
{
    try {
        if (outcome && outcome->provenance)
            inference::inputFiles(*outcome->provenance).checkOutput(file.toStdString());
        widgets::DiagnosticFigure::write(figure, file.toStdString());
        Q_EMIT figureWritten(file);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

void ReconstructionWorker::analyseMass(const std::shared_ptr<const ReconstructionOutcome> &outcome, double zLens,
                                       double zSource, const QString &cosmology, double H0, double Om0)
{
    try {
        if (!outcome || !outcome->result)
            fail("mass analysis", "there is no reconstruction to analyse");
        auto updated = std::make_shared<ReconstructionOutcome>(*outcome);
        auto provenance = std::make_shared<inference::Provenance>(*outcome->provenance);
        if (zLens > 0) {
            const auto universe = cosmology == QStringLiteral("custom") ? analysis::Cosmology::custom(H0, Om0)
                                                                        : analysis::Cosmology::byName(cosmology.toStdString());
            provenance->mass = inference::massAnalysis(*outcome->result, {zLens, zSource, universe});
        } else {
            provenance->mass = nullptr;
        }
        updated->diagnostics.parameters = inference::parametersJson(*outcome->result, *provenance);
        updated->provenance = std::move(provenance);
        Q_EMIT massAnalysed(updated);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

} // namespace astrorim::gui

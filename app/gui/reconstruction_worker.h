#pragma once
// Runs reconstructions off the GUI thread. The worker lives on its own
// QThread: it reads the FITS file, runs the Reconstructor (the fit by
// default; on CUDA when there is one), reports the source after every step
// and hands back the diagnostics; the GUI thread only draws. LibTorch stays in the .cpp.

#include "common/progress.h"
#include "inference/diagnostics.h"

#include <QObject>
#include <QPicture>
#include <QString>
#include <QVector>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace astrorim::fits {
class Wcs;
}

namespace astrorim::inference {
struct ReconstructionResult;
struct Provenance;
}

namespace astrorim::gui {

/// What the user chose for one reconstruction.
struct ReconstructionSettings
{
    std::filesystem::path file;
    std::string hdu;                    ///< empty: the default image HDU
    std::filesystem::path maskFile, noiseFile, psfFile;
    double psfFwhm = 0;                 ///< arcsec; 0: from the file
    double pixelScale = 0;              ///< arcsec; 0: from the header
    std::string sky = "auto";           ///< preprocess::parseSkyMethod names
    std::string centre = "image-centre";
    double manualCentreX = 0, manualCentreY = 0; ///< input pixels (0-based), for centre "manual"
    std::string normalization = "robust";
    std::string mode = "fit";           ///< inference::parseFitMode names: fit, inversion, rim
    int iterations = 6;                 ///< RIM iterations (mode rim)
    int refineRounds = 0;
    /// Cancels this run; the GUI keeps a copy (a fresh token per run, made
    /// on the GUI thread, so a cancel before the worker starts still counts).
    CancelToken cancel;
};

/// The source after one step, on its own grid: the cutout's for the RIM, the
/// fit's source grid (coarse while the lens is optimized, then the final one).
struct SourceFrame
{
    std::vector<float> pixels; ///< size × size, FITS order, flux per pixel of this grid
    int size = 0;
    double pixelScale = 0;     ///< arcsec per pixel
    double centerX = 0, centerY = 0; ///< arcsec of the grid's centre in the cutout's frame
    QString stage;             ///< "rim", "inversion", "lens" or "final"
};

/// A finished reconstruction, shared read-only between threads.
struct ReconstructionOutcome
{
    ReconstructionSettings settings;
    std::shared_ptr<const inference::ReconstructionResult> result; ///< for the FITS exports
    std::shared_ptr<const inference::Provenance> provenance;
    QString device; ///< where it ran: "cpu" or "cuda"
    inference::Diagnostics diagnostics;  ///< maps, lens panels and the exported parameters
    std::vector<SourceFrame> iterates; ///< the source after each RIM iteration or fit step
    std::vector<float> modelInput; ///< the preprocessed cutout (sky-subtracted, image units) the run used, FITS order
    double reducedChi2 = 0; ///< over the pixels with data
    bool cancelled = false;
};

class ReconstructionWorker : public QObject
{
    Q_OBJECT

public:
    explicit ReconstructionWorker(QObject *parent = nullptr);
    ~ReconstructionWorker() override;

public Q_SLOTS:
    /// Reads the image HDU `hdu` of `file` (empty: the default) for display;
    /// emits opened or failed.
    void inspect(const QString &file, const QString &hdu);
    /// Preprocesses the file as a reconstruction would (sky, centre, cutout,
    /// normalization) and emits previewReady with the model's input, or
    /// previewFailed with the reason.
    void preview(const astrorim::gui::ReconstructionSettings &settings);
    /// Loads a model onto `device` ("auto", "cpu" or "cuda"). Emits
    /// modelLoaded or failed.
    void loadModel(const QString &file, const QString &device);
    /// Reconstructs; emits iterationFinished after each iteration, then
    /// finished (also when cancelled) or failed.
    void reconstruct(const astrorim::gui::ReconstructionSettings &settings);
    /// Writes the FITS maps and the parameters JSON of `outcome` into
    /// `folder`, and `figure` (recorded on the GUI thread) as
    /// NAME_diagnostic.png: the files reconstruct writes. Emits exported or failed.
    void exportOutputs(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome,
                       const QString &folder, const QPicture &figure);
    /// Writes a recorded diagnostic figure as PNG or PDF (by the suffix);
    /// emits figureWritten or failed.
    /// Writes the figure to `file`, unless that is one of `outcome`'s inputs.
    void writeFigure(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome,
                     const QPicture &figure, const QString &file);
    /// Redoes the mass analysis at new redshifts or another cosmology
    /// ("planck18", …, or "custom" with H0 and Om0); zLens ≤ 0 clears it.
    /// Emits finished with the updated outcome, or failed.
    void analyseMass(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome, double zLens,
                     double zSource, const QString &cosmology, double H0, double Om0);

Q_SIGNALS:
    /// `pixels` is [height × width], FITS order; `wcs` may be null; `hdus`
    /// are the file's image HDUs to choose from.
    void opened(const QString &file, const QString &hdu, const QStringList &hdus, const QVector<float> &pixels,
                int width, int height, double pixelScale, const std::shared_ptr<const astrorim::fits::Wcs> &wcs);
    /// The preprocessed cutout [size × size] (FITS order, sky-subtracted, in the image's units), and any warnings.
    void previewReady(const QVector<float> &pixels, int size, double pixelScale, const QStringList &warnings);
    /// The preview could not be made (e.g. no pixel scale yet): shown beside
    /// the choices, not as a dialog, since every change of choice retries it.
    void previewFailed(const QString &message);
    /// `trainedIterations`: the RIM iterations the model was trained with (its metadata).
    void modelLoaded(const QString &file, const QString &device, int trainedIterations);
    /// One step: `total` is the RIM's iteration count, 0 for the fit (not known ahead).
    void iterationFinished(int iteration, int total, const astrorim::gui::SourceFrame &frame);
    void finished(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome);
    void exported(const QStringList &files);
    void figureWritten(const QString &file);
    void massAnalysed(const std::shared_ptr<const astrorim::gui::ReconstructionOutcome> &outcome);
    void failed(const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace astrorim::gui

Q_DECLARE_METATYPE(astrorim::gui::ReconstructionSettings)
Q_DECLARE_METATYPE(astrorim::gui::SourceFrame)
Q_DECLARE_METATYPE(QPicture)
Q_DECLARE_METATYPE(std::shared_ptr<const astrorim::gui::ReconstructionOutcome>)
Q_DECLARE_METATYPE(std::shared_ptr<const astrorim::fits::Wcs>)

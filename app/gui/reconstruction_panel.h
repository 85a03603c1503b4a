#pragma once
// The reconstruction dock's controls: the image HDU, what goes with the
// image (pixel scale, PSF, noise map, mask), the preprocessing choices with
// the lens centre picked on the observation, the method (the fit, the
// inversion alone, or the legacy RIM), the step slider, run and cancel. It only collects choices; the main window sends them to the worker.

#include "reconstruction_worker.h"

#include <QPointF>
#include <QVariantMap>
#include <QWidget>

#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;

namespace astrorim::gui {

class FileField;

class ReconstructionPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ReconstructionPanel(QWidget *parent = nullptr);

    /// The choices for a run of `file`, HDU `hdu`, with the slider's iterations.
    [[nodiscard]] ReconstructionSettings settings(const QString &file, const QString &hdu) const;

    /// Offers `hdus` in the HDU box with `current` chosen.
    void setHdus(const QStringList &hdus, const QString &current);
    /// Forgets the files and the picked centre that belonged to the last image.
    void clearImageChoices();
    /// The lens centre clicked on the observation (0-based input pixels):
    /// chooses "clicked position" as the centre method.
    void setClickedCentre(QPointF pixel);
    [[nodiscard]] std::optional<QPointF> clickedCentre() const { return m_clickedCentre; }

    /// The preprocessing choices (sky, centre method, normalization) to keep
    /// between sessions, and back; a clicked centre belongs to one image and is not kept.
    [[nodiscard]] QVariantMap choices() const;
    void setChoices(const QVariantMap &choices);

    /// The method: "fit" (the default), "inversion" or "rim" (inference::parseFitMode names).
    [[nodiscard]] QString method() const;
    /// The RIM's iteration count (the slider's value in method "rim").
    [[nodiscard]] int iterations() const;
    void setIterations(int iterations);
    /// The fit's stored steps: in the fit's methods the slider scrubs through
    /// them (1 … steps); 0 disables it until a fit has run.
    void setFitSteps(int steps);
    /// Run disabled and cancel enabled while a reconstruction runs.
    void setBusy(bool busy);
    void setProgress(int iteration, int total);
    /// Preprocessing warnings from the last preview.
    void setWarnings(const QStringList &warnings);

Q_SIGNALS:
    void hduChosen(const QString &hdu);
    /// A choice that changes the model's input (worth a new preview).
    void inputChanged();
    void runRequested();
    void cancelRequested();
    /// The slider moved to `iterations` (scrub the stored history: RIM
    /// iterations, or the fit's steps).
    void iterationsMoved(int iterations);
    /// The slider was let go (re-run when beyond the history).
    void iterationsReleased();

private:
    QComboBox *m_hduBox = nullptr;
    QDoubleSpinBox *m_pixelScale = nullptr;
    FileField *m_psfFile = nullptr;
    QDoubleSpinBox *m_psfFwhm = nullptr;
    FileField *m_noiseFile = nullptr;
    FileField *m_maskFile = nullptr;
    QComboBox *m_skyBox = nullptr;
    QComboBox *m_centreBox = nullptr;
    QLabel *m_centreLabel = nullptr;
    QComboBox *m_normalizationBox = nullptr;
    QLabel *m_warnings = nullptr;
    QComboBox *m_methodBox = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_sliderLabel = nullptr;
    QLabel *m_sliderName = nullptr;
    int m_rimIterations = 6;
    int m_fitSteps = 0;
    /// The slider's range, value and name for the chosen method.
    void showMethod();
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    std::optional<QPointF> m_clickedCentre;
};

} // namespace astrorim::gui

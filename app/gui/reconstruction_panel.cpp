#include "reconstruction_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>

#include <algorithm>
#include <functional>
#include <utility>

namespace astrorim::gui {

/// A file chosen with "…" (or typed), with a button that clears it.
class FileField : public QWidget
{
public:
    FileField(const QString &name, const QString &caption, const QString &placeholder, QWidget *parent)
        : QWidget(parent)
    {
        setObjectName(name);
        edit = new QLineEdit(this);
        edit->setObjectName(name + QStringLiteral("Edit"));
        edit->setPlaceholderText(placeholder);
        edit->setClearButtonEnabled(true);
        auto *browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(caption);
        connect(browse, &QToolButton::clicked, this, [this, caption] {
            const QString file = QFileDialog::getOpenFileName(this, caption, QFileInfo(edit->text()).path(),
                                                              tr("FITS images (*.fits *.fit *.fits.gz *.fz);;All files (*)"));
            if (!file.isEmpty()) {
                edit->setText(file);
                changed();
            }
        });
        connect(edit, &QLineEdit::editingFinished, this, [this] { changed(); });
        connect(edit, &QLineEdit::textChanged, this, [this](const QString &text) {
            if (text.isEmpty()) // the clear button
                changed();
        });
        auto *row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(edit, 1);
        row->addWidget(browse);
    }

    [[nodiscard]] std::filesystem::path path() const { return edit->text().trimmed().toStdString(); }

    QLineEdit *edit = nullptr;
    std::function<void()> changed = [] {}; ///< a file chosen, typed or cleared
};

ReconstructionPanel::ReconstructionPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("reconstructionPanel"));
    auto *form = new QFormLayout(this);

    // The image and what goes with it.
    m_hduBox = new QComboBox(this);
    m_hduBox->setObjectName(QStringLiteral("hduBox"));
    connect(m_hduBox, &QComboBox::activated, this, [this] { Q_EMIT hduChosen(m_hduBox->currentText()); });
    form->addRow(tr("Image HDU"), m_hduBox);
    m_pixelScale = new QDoubleSpinBox(this);
    m_pixelScale->setObjectName(QStringLiteral("pixelScale"));
    m_pixelScale->setRange(0, 10);
    m_pixelScale->setDecimals(4);
    m_pixelScale->setSingleStep(0.01);
    m_pixelScale->setSuffix(QStringLiteral("″"));
    m_pixelScale->setSpecialValueText(tr("from the header"));
    form->addRow(tr("Pixel scale"), m_pixelScale);
    m_psfFile = new FileField(QStringLiteral("psfFile"), tr("Choose a PSF image"), tr("from the file, or the FWHM"),
                              this);
    form->addRow(tr("PSF image"), m_psfFile);
    m_psfFwhm = new QDoubleSpinBox(this);
    m_psfFwhm->setObjectName(QStringLiteral("psfFwhm"));
    m_psfFwhm->setRange(0, 5);
    m_psfFwhm->setDecimals(3);
    m_psfFwhm->setSuffix(QStringLiteral("″"));
    m_psfFwhm->setSpecialValueText(tr("from the file"));
    m_psfFwhm->setToolTip(tr("A Gaussian PSF of this FWHM, used when no PSF image is given"));
    form->addRow(tr("PSF FWHM"), m_psfFwhm);
    m_noiseFile = new FileField(QStringLiteral("noiseFile"), tr("Choose a 1σ noise map"),
                                tr("from the file, or measured"), this);
    form->addRow(tr("Noise map"), m_noiseFile);
    m_maskFile = new FileField(QStringLiteral("maskFile"), tr("Choose a mask (non-zero: no data)"), tr("none"), this);
    form->addRow(tr("Mask"), m_maskFile);

    // Preprocessing.
    m_skyBox = new QComboBox(this);
    m_skyBox->setObjectName(QStringLiteral("skyBox"));
    m_skyBox->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_skyBox->setToolTip(tr("Automatic: none when the image is sky-subtracted already (at least 5 % of the border "
                            "strip below zero), else the border median"));
    m_skyBox->addItem(tr("Border median"), QStringLiteral("edge-median"));
    m_skyBox->addItem(tr("σ-clipped median"), QStringLiteral("sigma-clipped"));
    m_skyBox->addItem(tr("None (sky-subtracted)"), QStringLiteral("none"));
    form->addRow(tr("Sky"), m_skyBox);
    m_centreBox = new QComboBox(this);
    m_centreBox->setObjectName(QStringLiteral("centreBox"));
    m_centreBox->addItem(tr("Image centre"), QStringLiteral("image-centre"));
    m_centreBox->addItem(tr("Light centroid"), QStringLiteral("centroid"));
    m_centreBox->addItem(tr("Brightest peak"), QStringLiteral("peak"));
    m_centreBox->addItem(tr("Clicked position"), QStringLiteral("manual"));
    form->addRow(tr("Lens centre"), m_centreBox);
    m_centreLabel = new QLabel(tr("Click on the observation to place the centre"), this);
    m_centreLabel->setObjectName(QStringLiteral("centreLabel"));
    m_centreLabel->setWordWrap(true);
    form->addRow(QString(), m_centreLabel);
    m_normalizationBox = new QComboBox(this);
    m_normalizationBox->addItem(tr("Robust (median/MAD)"), QStringLiteral("robust"));
    m_normalizationBox->addItem(tr("Min–max"), QStringLiteral("minmax"));
    m_normalizationBox->addItem(tr("Percentile 1–99"), QStringLiteral("percentile"));
    form->addRow(tr("Normalization"), m_normalizationBox);
    for (auto *box : {m_skyBox, m_centreBox, m_normalizationBox})
        connect(box, &QComboBox::currentIndexChanged, this, &ReconstructionPanel::inputChanged);
    for (auto *box : {m_pixelScale, m_psfFwhm})
        connect(box, &QDoubleSpinBox::valueChanged, this, &ReconstructionPanel::inputChanged);
    for (auto *field : {m_psfFile, m_noiseFile, m_maskFile})
        field->changed = [this] { Q_EMIT inputChanged(); };
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("preprocessWarnings"));
    m_warnings->setWordWrap(true);
    form->addRow(m_warnings);

    // The run.
    m_methodBox = new QComboBox(this);
    m_methodBox->setObjectName(QStringLiteral("methodBox"));
    m_methodBox->addItem(tr("Fit: optimized lens, source grid"), QStringLiteral("fit"));
    m_methodBox->addItem(tr("Inversion through the first-guess lens"), QStringLiteral("inversion"));
    m_methodBox->addItem(tr("RIM on the image grid (legacy model)"), QStringLiteral("rim"));
    m_methodBox->setToolTip(tr("The fit optimizes the lens and inverts the source on a source-plane grid "
                               "(reaches the noise). The inversion alone is faster. The legacy RIM runs the "
                               "model file's network on the image grid, as trained before the fit existed."));
    connect(m_methodBox, &QComboBox::currentIndexChanged, this, &ReconstructionPanel::showMethod);
    form->addRow(tr("Method"), m_methodBox);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("iterationSlider"));
    m_sliderLabel = new QLabel(this);
    m_sliderLabel->setMinimumWidth(m_sliderLabel->fontMetrics().horizontalAdvance(QStringLiteral("0000"))); // up to 3 digits
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        m_sliderLabel->setText(QString::number(value));
        if (method() == QStringLiteral("rim"))
            m_rimIterations = value;
        Q_EMIT iterationsMoved(value);
    });
    connect(m_slider, &QSlider::sliderReleased, this, &ReconstructionPanel::iterationsReleased);
    auto *sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_slider);
    sliderRow->addWidget(m_sliderLabel);
    m_sliderName = new QLabel(this);
    form->addRow(m_sliderName, sliderRow);
    showMethod();

    m_runButton = new QPushButton(tr("Reconstruct"), this);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setEnabled(false);
    connect(m_runButton, &QPushButton::clicked, this, &ReconstructionPanel::runRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &ReconstructionPanel::cancelRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    form->addRow(buttons);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("iterationProgress"));
    form->addRow(m_progress);
}

ReconstructionSettings ReconstructionPanel::settings(const QString &file, const QString &hdu) const
{
    ReconstructionSettings s;
    s.file = file.toStdString();
    s.hdu = hdu.toStdString();
    s.pixelScale = m_pixelScale->value();
    s.psfFile = m_psfFile->path();
    s.psfFwhm = m_psfFwhm->value();
    s.noiseFile = m_noiseFile->path();
    s.maskFile = m_maskFile->path();
    s.sky = m_skyBox->currentData().toString().toStdString();
    s.centre = m_centreBox->currentData().toString().toStdString();
    if (s.centre == "manual") {
        if (m_clickedCentre) {
            s.manualCentreX = m_clickedCentre->x();
            s.manualCentreY = m_clickedCentre->y();
        } else {
            s.centre = "image-centre"; // nothing clicked yet
        }
    }
    s.normalization = m_normalizationBox->currentData().toString().toStdString();
    s.mode = method().toStdString();
    s.iterations = m_rimIterations;
    return s;
}

void ReconstructionPanel::setHdus(const QStringList &hdus, const QString &current)
{
    m_hduBox->clear();
    m_hduBox->addItems(hdus);
    m_hduBox->setCurrentText(current);
}

void ReconstructionPanel::clearImageChoices()
{
    const QSignalBlocker blockers[] = {QSignalBlocker(m_psfFile->edit), QSignalBlocker(m_noiseFile->edit),
                                       QSignalBlocker(m_maskFile->edit), QSignalBlocker(m_centreBox),
                                       QSignalBlocker(m_pixelScale)};
    for (auto *field : {m_psfFile, m_noiseFile, m_maskFile})
        field->edit->clear();
    m_pixelScale->setValue(0);
    m_clickedCentre.reset();
    if (m_centreBox->currentData().toString() == QStringLiteral("manual"))
        m_centreBox->setCurrentIndex(0);
    m_centreLabel->setText(tr("Click on the observation to place the centre"));
}

void ReconstructionPanel::setClickedCentre(QPointF pixel)
{
    m_clickedCentre = pixel;
    // 1-based, as the cursor readout and DS9 count pixels.
    m_centreLabel->setText(tr("Clicked at pixel (%1, %2)").arg(pixel.x() + 1, 0, 'f', 1).arg(pixel.y() + 1, 0, 'f', 1));
    const int manual = m_centreBox->findData(QStringLiteral("manual"));
    if (m_centreBox->currentIndex() != manual)
        m_centreBox->setCurrentIndex(manual); // emits inputChanged
    else
        Q_EMIT inputChanged();
}

QVariantMap ReconstructionPanel::choices() const
{
    QVariantMap out{{QStringLiteral("sky"), m_skyBox->currentData()},
                    {QStringLiteral("normalization"), m_normalizationBox->currentData()},
                    {QStringLiteral("method"), m_methodBox->currentData()}};
    if (m_centreBox->currentData().toString() != QStringLiteral("manual"))
        out.insert(QStringLiteral("centre"), m_centreBox->currentData());
    return out;
}

void ReconstructionPanel::setChoices(const QVariantMap &choices)
{
    for (auto [box, key] : {std::pair{m_skyBox, "sky"}, std::pair{m_centreBox, "centre"},
                            std::pair{m_normalizationBox, "normalization"}, std::pair{m_methodBox, "method"}}) {
        const int index = box->findData(choices.value(QString::fromLatin1(key)));
        if (index >= 0)
            box->setCurrentIndex(index);
    }
}

QString ReconstructionPanel::method() const
{
    return m_methodBox->currentData().toString();
}

int ReconstructionPanel::iterations() const
{
    return m_rimIterations;
}

void ReconstructionPanel::setIterations(int iterations)
{
    m_rimIterations = std::clamp(iterations, 5, 20);
    showMethod();
}

void ReconstructionPanel::setFitSteps(int steps)
{
    m_fitSteps = std::max(steps, 0);
    showMethod();
}

void ReconstructionPanel::showMethod()
{
    const QSignalBlocker blocker(m_slider); // a change of range is no scrub
    if (method() == QStringLiteral("rim")) {
        m_sliderName->setText(tr("RIM iterations"));
        m_slider->setToolTip(tr("Within the stored iterations the slider scrubs through them; "
                                "letting go beyond them runs the reconstruction again"));
        m_slider->setRange(5, 20);
        m_slider->setValue(m_rimIterations);
        m_slider->setEnabled(true);
    } else {
        m_sliderName->setText(tr("Fit step"));
        m_slider->setToolTip(tr("Scrubs through the fit's steps: the first inversion, each step of the lens "
                                "optimizer, the final inversion"));
        m_slider->setRange(1, std::max(m_fitSteps, 1));
        m_slider->setValue(std::max(m_fitSteps, 1));
        m_slider->setEnabled(m_fitSteps > 0);
    }
    m_sliderLabel->setText(m_slider->isEnabled() ? QString::number(m_slider->value()) : QString());
}

void ReconstructionPanel::setBusy(bool busy)
{
    m_runButton->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
}

void ReconstructionPanel::setProgress(int iteration, int total)
{
    m_progress->setRange(0, total); // total 0: a busy indicator (the fit's step count is not known ahead)
    m_progress->setValue(iteration);
}

void ReconstructionPanel::setWarnings(const QStringList &warnings)
{
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
}

} // namespace astrorim::gui

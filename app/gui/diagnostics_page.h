#pragma once
// The mass diagnostics: the six-panel figure with the redshift and
// cosmology inputs above it. A change of inputs asks for the mass again at
// once (the main window has the worker redo it).

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;

namespace astrorim::widgets {
class DiagnosticFigure;
}

namespace astrorim::gui {

class DiagnosticsPage : public QWidget
{
    Q_OBJECT

public:
    explicit DiagnosticsPage(QWidget *parent = nullptr);

    [[nodiscard]] widgets::DiagnosticFigure *figure() const { return m_figure; }
    /// The lens redshift, or 0 while the redshifts are unknown or not ordered.
    [[nodiscard]] double zLens() const;
    [[nodiscard]] double zSource() const;
    /// "planck18", "planck15" or "wmap9" (analysis::Cosmology::byName).
    [[nodiscard]] QString cosmology() const;

Q_SIGNALS:
    void massInputsChanged();

private:
    widgets::DiagnosticFigure *m_figure = nullptr;
    QDoubleSpinBox *m_zLens = nullptr;
    QDoubleSpinBox *m_zSource = nullptr;
    QComboBox *m_cosmologyBox = nullptr;
};

} // namespace astrorim::gui

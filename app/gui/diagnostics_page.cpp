#include "diagnostics_page.h"

#include "diagnostic_figure.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace astrorim::gui {

DiagnosticsPage::DiagnosticsPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("diagnosticsPage"));
    m_zLens = new QDoubleSpinBox(this);
    m_zLens->setObjectName(QStringLiteral("zLens"));
    m_zSource = new QDoubleSpinBox(this);
    m_zSource->setObjectName(QStringLiteral("zSource"));
    for (auto *box : {m_zLens, m_zSource}) {
        box->setRange(0, 20);
        box->setDecimals(3);
        box->setSingleStep(0.05);
        box->setSpecialValueText(tr("unknown"));
        connect(box, &QDoubleSpinBox::valueChanged, this, &DiagnosticsPage::massInputsChanged);
    }
    m_cosmologyBox = new QComboBox(this);
    m_cosmologyBox->setObjectName(QStringLiteral("cosmologyBox"));
    m_cosmologyBox->addItem(tr("Planck 2018"), QStringLiteral("planck18"));
    m_cosmologyBox->addItem(tr("Planck 2015"), QStringLiteral("planck15"));
    m_cosmologyBox->addItem(tr("WMAP 9"), QStringLiteral("wmap9"));
    connect(m_cosmologyBox, &QComboBox::currentIndexChanged, this, &DiagnosticsPage::massInputsChanged);

    auto *inputs = new QHBoxLayout;
    inputs->addWidget(new QLabel(tr("z lens"), this));
    inputs->addWidget(m_zLens);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel(tr("z source"), this));
    inputs->addWidget(m_zSource);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel(tr("Cosmology"), this));
    inputs->addWidget(m_cosmologyBox);
    inputs->addStretch(1);
    auto *hint = new QLabel(tr("Masses, distances and σ_v need both redshifts (z lens < z source)."), this);
    hint->setEnabled(false);
    inputs->addWidget(hint);

    m_figure = new widgets::DiagnosticFigure(this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(inputs);
    layout->addWidget(m_figure, 1);
}

double DiagnosticsPage::zLens() const
{
    return m_zLens->value() > 0 && m_zSource->value() > m_zLens->value() ? m_zLens->value() : 0.0;
}

double DiagnosticsPage::zSource() const
{
    return m_zSource->value();
}

QString DiagnosticsPage::cosmology() const
{
    return m_cosmologyBox->currentData().toString();
}

} // namespace astrorim::gui

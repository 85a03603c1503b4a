// The six-panel diagnostic figure (widgets/diagnostic_figure.h): every panel
// drawn from the diagnostics it is given, the table following the exported
// parameters, physical masses once redshifts are known, and PNG and PDF
// files written off screen.

#include "diagnostic_figure.h"

#include "common/error.h"
#include "inference/diagnostics.h"

#include "qcustomplot_include.h"

#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <numbers>
#include <set>

using namespace astrorim;

namespace {

constexpr double kThetaE = 0.8;

/// An SIS lens on a 48-pixel grid with a ring as its observation and a
/// forward model 10 % too faint, so that the residual has structure.
inference::Diagnostics sisDiagnostics()
{
    inference::Diagnostics d;
    d.name = "ring";
    d.grid = {48, 48, 0.05, 0.0, 0.0};
    d.lens.components.push_back(lensing::SisParams{kThetaE, 0.0, 0.0});
    const auto n = static_cast<std::size_t>(48 * 48);
    d.observation.resize(n);
    d.forward.resize(n);
    d.residual.resize(n);
    d.chi2.resize(n);
    d.source.resize(n);
    for (int row = 0; row < 48; ++row)
        for (int col = 0; col < 48; ++col) {
            const auto p = analysis::pixelCenter(d.grid, row, col);
            const double r = std::hypot(p.x, p.y);
            const auto i = static_cast<std::size_t>(row * 48 + col);
            d.observation[i] = static_cast<float>(std::exp(-0.5 * std::pow((r - kThetaE) / 0.08, 2)));
            d.forward[i] = 0.9f * d.observation[i];
            d.residual[i] = d.observation[i] - d.forward[i];
            d.chi2[i] = std::pow(d.residual[i] / 0.01f, 2.0f);
            d.source[i] = static_cast<float>(std::exp(-0.5 * (p.x * p.x + p.y * p.y) / 0.01));
        }
    d.observation[0] = d.residual[0] = d.chi2[0] = NAN; // a pixel without data
    inference::analyseLens(d);
    d.parameters = {
        {"kwargs_lens", {{{"theta_E", kThetaE}, {"center_x", 0.0}, {"center_y", 0.0}}}},
        {"fit", {{"reduced_chi2", 3.2}, {"rms_residual", 0.07}, {"iterations_run", 5}}},
        {"flags",
         {{"rms_residual", {{"raised", true}, {"value", 0.07}, {"threshold", 0.05}}},
          {"reduced_chi2", {{"raised", false}, {"value", 1.2}, {"threshold", 2.0}}}}}};
    return d;
}

template <typename T>
int countPlottables(QCustomPlot *plot)
{
    int count = 0;
    for (int i = 0; i < plot->plottableCount(); ++i)
        count += qobject_cast<T *>(plot->plottable(i)) != nullptr;
    return count;
}

} // namespace

class TestDiagnosticFigure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void drawsEveryPanel();
    void theTableFollowsTheParameters();
    void redshiftsGiveTheMassPanelPhysicalUnits();
    void savesPngAndPdf();
};

void TestDiagnosticFigure::drawsEveryPanel()
{
    const auto d = sisDiagnostics();
    widgets::DiagnosticFigure figure;
    figure.setDiagnostics(d);
    auto *check = figure.findChild<QCustomPlot *>(QStringLiteral("forwardModelCheck"));
    auto *kappa = figure.findChild<QCustomPlot *>(QStringLiteral("kappaMap"));
    auto *radial = figure.findChild<QCustomPlot *>(QStringLiteral("radialProfile"));
    auto *azimuthal = figure.findChild<QCustomPlot *>(QStringLiteral("azimuthalProfile"));
    QVERIFY(check && kappa && radial && azimuthal);
    QVERIFY(figure.findChild<QCustomPlot *>(QStringLiteral("enclosedMass")));

    // Observation, forward model, residual and χ², each on its own axes.
    QCOMPARE(countPlottables<QCPColorMap>(check), 4);
    QCOMPARE(check->axisRects().size(), 4);
    // κ: one map, the critical curves and the Einstein circle.
    QCOMPARE(countPlottables<QCPColorMap>(kappa), 1);
    QVERIFY(!d.criticalCurves.empty());
    QCOMPARE(countPlottables<QCPCurve>(kappa), static_cast<int>(d.criticalCurves.size()) + 1);
    // The κ map holds log10 κ: the SIS gives log10(θ_E / 2r) at each pixel.
    auto *map = qobject_cast<QCPColorMap *>(kappa->plottable(0));
    const auto p = analysis::pixelCenter(d.grid, 10, 30);
    QVERIFY(std::abs(map->data()->cell(30, 10) - std::log10(kThetaE / (2 * std::hypot(p.x, p.y)))) < 1e-6);
    // …drawn in viridis (its first colour, matplotlib's #440154).
    QCOMPARE(QColor(map->gradient().color(0, QCPRange(0, 1))), QColor(QStringLiteral("#440154")));
    // Radial: annuli and the mean inside; azimuthal: κ = ½ all around θ_E.
    QCOMPARE(radial->graphCount(), 2);
    QCOMPARE(azimuthal->graph(0)->dataCount(), static_cast<int>(d.azimuthalProfile.size()));
    for (auto it = azimuthal->graph(0)->data()->constBegin(); it != azimuthal->graph(0)->data()->constEnd(); ++it)
        QVERIFY(std::abs(it->value - 0.5) < 1e-9);
}

void TestDiagnosticFigure::theTableFollowsTheParameters()
{
    const auto d = sisDiagnostics();
    widgets::DiagnosticFigure figure;
    figure.setDiagnostics(d);
    auto *table = figure.findChild<QTableWidget *>(QStringLiteral("parameterTable"));
    QVERIFY(table);
    const auto rows = inference::parameterTable(d.parameters);
    QCOMPARE(table->rowCount(), static_cast<int>(rows.size()));
    int raised = 0;
    for (int i = 0; i < table->rowCount(); ++i) {
        QCOMPARE(table->item(i, 0)->text().toStdString(), rows[static_cast<std::size_t>(i)].quantity);
        if (table->item(i, 0)->text() == QStringLiteral("flag rms_residual")) {
            QVERIFY(table->item(i, 3)->text().startsWith(QStringLiteral("RAISED")));
            QVERIFY(table->item(i, 0)->background().color() != table->item(0, 0)->background().color());
            ++raised;
        }
    }
    QCOMPARE(raised, 1);
}

void TestDiagnosticFigure::redshiftsGiveTheMassPanelPhysicalUnits()
{
    const auto d = sisDiagnostics();
    widgets::DiagnosticFigure figure;
    figure.setDiagnostics(d);
    auto *mass = figure.findChild<QCustomPlot *>(QStringLiteral("enclosedMass"));
    QVERIFY(mass->yAxis->label().contains(QStringLiteral("arcsec²")));

    // SIS: ∫_{<r} κ dA = π θ_E r, so M(<r) = Σ_crit π θ_E r.
    const double sigmaCrit = 3.1e10;
    auto parameters = d.parameters;
    parameters["mass"] = {{"sigma_crit_Msun_per_arcsec2", sigmaCrit}, {"z_lens", 0.5}, {"z_source", 2.0}};
    figure.setParameters(parameters);
    mass = figure.findChild<QCustomPlot *>(QStringLiteral("enclosedMass"));
    QVERIFY(mass->yAxis->label().contains(QStringLiteral("M☉")));
    const auto last = mass->graph(0)->data()->constEnd() - 1;
    const double r = d.enclosedConvergence.back().x;
    QVERIFY(std::abs(last->value / (sigmaCrit * std::numbers::pi * kThetaE * r) - 1) < 1e-9);
    // The Einstein mass marker: Σ_crit π θ_E² at θ_E.
    QCOMPARE(mass->graphCount(), 2);
    const auto marker = mass->graph(1)->data()->constBegin();
    QVERIFY(std::abs(marker->key - kThetaE) < 1e-9);
    QVERIFY(std::abs(marker->value / (sigmaCrit * std::numbers::pi * kThetaE * kThetaE) - 1) < 1e-9);
    auto *table = figure.findChild<QTableWidget *>(QStringLiteral("parameterTable"));
    QCOMPARE(table->rowCount(), static_cast<int>(inference::parameterTable(parameters).size()));
}

void TestDiagnosticFigure::savesPngAndPdf()
{
    const auto d = sisDiagnostics();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path folder = dir.path().toStdString();
    widgets::DiagnosticFigure::save(d, folder / "ring_diagnostic.png", QSize(900, 560));
    const QImage image(QString::fromStdString((folder / "ring_diagnostic.png").string()));
    QCOMPARE(image.size(), QSize(900, 560));
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 100, "the figure is nearly blank");

    widgets::DiagnosticFigure::save(d, folder / "ring_diagnostic.pdf", QSize(900, 560));
    std::ifstream pdf(folder / "ring_diagnostic.pdf", std::ios::binary);
    std::string head(5, '\0');
    pdf.read(head.data(), 5);
    QCOMPARE(head, std::string("%PDF-"));

    bool threw = false;
    try {
        widgets::DiagnosticFigure::save(d, folder / "missing" / "x.png");
    } catch (const Error &e) {
        threw = std::string(e.what()).find("missing") != std::string::npos;
    }
    QVERIFY(threw);
}

QTEST_MAIN(TestDiagnosticFigure)
#include "test_diagnostic_figure.moc"

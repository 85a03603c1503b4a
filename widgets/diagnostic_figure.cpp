#include "diagnostic_figure.h"

#include "colour_maps.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "render/stretch.h"

#include "qcustomplot_include.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPdfWriter>
#include <QTableWidget>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace astrorim::widgets {

namespace {

using inference::Diagnostics;

constexpr double kDegrees = 180.0 / std::numbers::pi;

QString text(const std::string &s) { return QString::fromStdString(s); }

/// A title above everything else in `plot`.
void addTitle(QCustomPlot *plot, const QString &title)
{
    plot->plotLayout()->insertRow(0);
    auto *element = new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, element);
}

void clearPlot(QCustomPlot *plot)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->clearGraphs();
    plot->plotLayout()->clear();
}

/// Empties `plot` and gives it one axis rect, which its xAxis and yAxis name.
void resetToOneRect(QCustomPlot *plot)
{
    clearPlot(plot);
    plot->plotLayout()->addElement(0, 0, new QCPAxisRect(plot));
    plot->xAxis = plot->axisRect()->axis(QCPAxis::atBottom);
    plot->yAxis = plot->axisRect()->axis(QCPAxis::atLeft);
}

/// An axis rect for an image in arcsec, its ranges set to the grid.
QCPAxisRect *imageRect(QCustomPlot *plot, const analysis::PixelGrid &grid, bool labels)
{
    auto *rect = new QCPAxisRect(plot);
    const double halfX = 0.5 * grid.width * grid.pixelScale, halfY = 0.5 * grid.height * grid.pixelScale;
    rect->axis(QCPAxis::atBottom)->setRange(grid.center_x - halfX, grid.center_x + halfX);
    rect->axis(QCPAxis::atLeft)->setRange(grid.center_y - halfY, grid.center_y + halfY);
    if (labels) {
        rect->axis(QCPAxis::atBottom)->setLabel(QObject::tr("x [arcsec]"));
        rect->axis(QCPAxis::atLeft)->setLabel(QObject::tr("y [arcsec]"));
    }
    return rect;
}

/// `values` (FITS order) as a colour map on `rect`, mapped through `transform`.
QCPColorMap *addImage(QCPAxisRect *rect, const analysis::PixelGrid &grid, const std::vector<float> &values,
                      const std::function<double(double)> &transform, QCPRange range, const QCPColorGradient &gradient)
{
    auto *map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    auto *data = map->data();
    const double s = grid.pixelScale;
    const double x0 = grid.center_x + (0.5 - 0.5 * grid.width) * s, y0 = grid.center_y + (0.5 - 0.5 * grid.height) * s;
    data->setSize(grid.width, grid.height);
    data->setRange(QCPRange(x0, x0 + (grid.width - 1) * s), QCPRange(y0, y0 + (grid.height - 1) * s));
    for (int row = 0; row < grid.height; ++row)
        for (int col = 0; col < grid.width; ++col) {
            const double v = values[static_cast<std::size_t>(row) * grid.width + col];
            data->setCell(col, row, std::isfinite(v) ? transform(v) : std::nan(""));
        }
    map->setGradient(gradient);
    map->setInterpolate(false);
    map->setDataRange(range);
    return map;
}

/// A closed or open polyline on `rect`'s axes.
QCPCurve *addCurve(QCPAxisRect *rect, const std::vector<lensing::Vec2> &points, const QPen &pen)
{
    auto *curve = new QCPCurve(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    QVector<double> t, x, y;
    for (std::size_t i = 0; i < points.size(); ++i) {
        t.push_back(static_cast<double>(i));
        x.push_back(points[i].x);
        y.push_back(points[i].y);
    }
    curve->setData(t, x, y, true);
    curve->setPen(pen);
    return curve;
}

std::vector<lensing::Vec2> circle(lensing::Vec2 centre, double radius)
{
    std::vector<lensing::Vec2> points;
    for (int i = 0; i <= 180; ++i) {
        const double phi = 2 * std::numbers::pi * i / 180;
        points.push_back({centre.x + radius * std::cos(phi), centre.y + radius * std::sin(phi)});
    }
    return points;
}

void addCriticalCurves(QCPAxisRect *rect, const Diagnostics &d, const QColor &colour)
{
    for (const auto &curve : d.criticalCurves)
        addCurve(rect, curve.critical, QPen(colour, 1.2));
}

/// Percentile limits of the finite values.
QCPRange limits(const std::vector<float> &values, double low, double high)
{
    const auto l = render::percentileLimits(values, low, high);
    return {l.low, l.high};
}

QCPGraph *addGraph(QCustomPlot *plot, const QVector<double> &x, const QVector<double> &y, const QPen &pen,
                   const QString &name)
{
    auto *graph = plot->addGraph();
    graph->setData(x, y, true);
    graph->setPen(pen);
    graph->setName(name);
    return graph;
}

QCPItemStraightLine *addLine(QCustomPlot *plot, QPointF a, QPointF b, const QPen &pen)
{
    auto *line = new QCPItemStraightLine(plot);
    line->point1->setCoords(a);
    line->point2->setCoords(b);
    line->setPen(pen);
    return line;
}

QString einsteinLabel(const Diagnostics &d)
{
    return d.einsteinRadiusFromKappa ? QObject::tr("θ_E = %1″ (mean κ = 1)").arg(d.einsteinRadius, 0, 'f', 3)
                                     : QObject::tr("θ_E = %1″ (SIE parameter; κ̄ < 1)").arg(d.einsteinRadius, 0, 'f', 3);
}

} // namespace

DiagnosticFigure::DiagnosticFigure(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("diagnosticFigure"));
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("diagnosticTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);

    const auto makePlot = [this](const char *name) {
        auto *plot = new QCustomPlot(this);
        plot->setObjectName(QString::fromLatin1(name));
        plot->setMinimumSize(240, 200);
        plot->setBackground(palette().base());
        return plot;
    };
    m_check = makePlot("forwardModelCheck");
    m_kappa = makePlot("kappaMap");
    m_radial = makePlot("radialProfile");
    m_azimuthal = makePlot("azimuthalProfile");
    m_enclosed = makePlot("enclosedMass");
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("parameterTable"));
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Quantity"), tr("Value"), tr("±1σ"), tr("Unit / note")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *grid = new QGridLayout(this);
    grid->addWidget(m_title, 0, 0, 1, 3);
    grid->addWidget(m_check, 1, 0);
    grid->addWidget(m_kappa, 1, 1);
    grid->addWidget(m_radial, 1, 2);
    grid->addWidget(m_azimuthal, 2, 0);
    grid->addWidget(m_enclosed, 2, 1);
    grid->addWidget(m_table, 2, 2);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);

    for (auto *plot : {m_check, m_kappa})
        connect(plot, &QCustomPlot::afterLayout, this, &DiagnosticFigure::keepSquare);
}

void DiagnosticFigure::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    drawCheck();
    drawKappa();
    drawRadial();
    drawAzimuthal();
    setParameters(diagnostics.parameters);
}

void DiagnosticFigure::setParameters(const nlohmann::ordered_json &parameters)
{
    m_diagnostics.parameters = parameters;
    const auto &fit = parameters.contains("fit") ? parameters["fit"] : nlohmann::ordered_json::object();
    m_title->setText(tr("%1 — %2, reduced χ² %3, RMS residual %4 of the peak")
                         .arg(text(m_diagnostics.name), einsteinLabel(m_diagnostics))
                         .arg(fit.value("reduced_chi2", NAN), 0, 'f', 2)
                         .arg(fit.value("rms_residual", NAN), 0, 'f', 3));
    drawEnclosedMass();
    fillTable();
}

void DiagnosticFigure::drawCheck()
{
    const auto &d = m_diagnostics;
    clearPlot(m_check);
    auto *layout = m_check->plotLayout();

    const auto observed = limits(d.observation, 1, 99.8);
    const double span = std::max(observed.upper - observed.lower, 1e-30);
    const double soft = 0.05 * span;
    const auto asinhStretch = [&](double v) { return std::asinh((v - observed.lower) / soft); };
    const QCPRange stretched(0, std::asinh(span / soft));

    std::vector<float> absolute(d.residual.size());
    std::transform(d.residual.begin(), d.residual.end(), absolute.begin(), [](float v) { return std::fabs(v); });
    const double residualLimit = std::max(limits(absolute, 0, 99).upper, 1e-30);
    const double chi2Limit = std::max(9.0, limits(d.chi2, 0, 99).upper);
    const auto identity = [](double v) { return v; };

    struct Cell
    {
        QString title;
        const std::vector<float> *values;
        std::function<double(double)> transform;
        QCPRange range;
        QCPColorGradient gradient;
        bool curves;
    };
    const Cell cells[] = {
        {tr("observation (asinh)"), &d.observation, asinhStretch, stretched, colourGradient(ColourMap::Gray), true},
        {tr("forward model (same scale)"), &d.forward, asinhStretch, stretched, colourGradient(ColourMap::Gray), true},
        {tr("residual, ±%1").arg(residualLimit, 0, 'g', 3), &d.residual, identity,
         QCPRange(-residualLimit, residualLimit), colourGradient(ColourMap::Diverging), false},
        {tr("χ² per pixel, 0–%1").arg(chi2Limit, 0, 'g', 3), &d.chi2, identity, QCPRange(0, chi2Limit),
         colourGradient(ColourMap::Heat), false},
    };
    layout->addElement(0, 0, new QCPTextElement(m_check, tr("Forward-model check"),
                                                QFont(m_check->font().family(), 10, QFont::Bold)));
    auto *grid = new QCPLayoutGrid;
    layout->addElement(1, 0, grid);
    layout->setRowStretchFactor(0, 0.001);
    for (int i = 0; i < 4; ++i) {
        const auto &cell = cells[i];
        auto *rect = imageRect(m_check, d.grid, false);
        for (auto *axis : rect->axes())
            axis->setTickLabels(axis->axisType() == QCPAxis::atBottom ? i >= 2 : i % 2 == 0);
        addImage(rect, d.grid, *cell.values, cell.transform, cell.range, cell.gradient);
        if (cell.curves)
            addCriticalCurves(rect, d, QColor(255, 80, 80));
        auto *title = new QCPTextElement(m_check, cell.title, QFont(m_check->font().family(), 8));
        grid->addElement(2 * (i / 2), i % 2, title);
        grid->addElement(2 * (i / 2) + 1, i % 2, rect);
    }
    grid->setRowStretchFactor(0, 0.001);
    grid->setRowStretchFactor(2, 0.001);
    grid->setRowSpacing(0);
    redraw(m_check);
}

void DiagnosticFigure::drawKappa()
{
    const auto &d = m_diagnostics;
    clearPlot(m_kappa);
    auto *rect = imageRect(m_kappa, d.grid, true);
    m_kappa->plotLayout()->addElement(0, 0, rect);
    std::vector<float> kappa(d.kappa.values.begin(), d.kappa.values.end());
    for (auto &k : kappa)
        k = k > 0 && std::isfinite(k) ? std::log10(k) : NAN;
    const auto range = limits(kappa, 1, 99.5);
    auto *map = addImage(rect, d.grid, kappa, [](double v) { return v; }, range, colourGradient(ColourMap::Gray));
    auto *scale = new QCPColorScale(m_kappa);
    scale->setLabel(tr("log₁₀ κ"));
    m_kappa->plotLayout()->addElement(0, 1, scale);
    map->setColorScale(scale); // the map takes the scale's gradient from here on
    scale->setGradient(colourGradient(ColourMap::Viridis));
    scale->setDataRange(range);
    auto *margins = new QCPMarginGroup(m_kappa);
    rect->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    addCriticalCurves(rect, d, QColor(230, 40, 40));
    auto *ring = addCurve(rect, circle(d.centre, d.einsteinRadius), QPen(Qt::white, 1.2, Qt::DashLine));
    ring->setName(einsteinLabel(d));
    addTitle(m_kappa, tr("κ, critical curves (red), θ_E (dashed)"));
    redraw(m_kappa);
}

void DiagnosticFigure::drawRadial()
{
    const auto &d = m_diagnostics;
    resetToOneRect(m_radial);
    m_radial->legend = new QCPLegend;
    m_radial->axisRect()->insetLayout()->addElement(m_radial->legend, Qt::AlignTop | Qt::AlignRight);
    m_radial->legend->setLayer(QStringLiteral("legend"));
    m_radial->legend->setVisible(true);
    m_radial->legend->setFont(QFont(m_radial->font().family(), 8));

    QVector<double> r, k, rMean, kMean;
    double low = 1, high = 1;
    for (const auto &bin : d.radialProfile)
        if (bin.kappa > 0) {
            r.push_back(0.5 * (bin.r_inner + bin.r_outer));
            k.push_back(bin.kappa);
            low = std::min(low, bin.kappa);
            high = std::max(high, bin.kappa);
        }
    for (const auto &p : d.meanKappaWithin)
        if (p.y > 0) {
            rMean.push_back(p.x);
            kMean.push_back(p.y);
            high = std::max(high, p.y);
        }
    auto *annulus = addGraph(m_radial, r, k, QPen(QColor(31, 119, 180), 1.6), tr("κ in annuli"));
    annulus->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3));
    addGraph(m_radial, rMean, kMean, QPen(QColor(255, 127, 14), 1.4, Qt::DashLine), tr("mean κ inside r"));
    m_radial->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_radial->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_radial->yAxis->setNumberFormat(QStringLiteral("gb"));
    m_radial->yAxis->setRange(low / 1.5, high * 1.5);
    m_radial->xAxis->setRange(0, d.radialProfile.empty() ? 1 : d.radialProfile.back().r_outer);
    m_radial->xAxis->setLabel(tr("r [arcsec]"));
    m_radial->yAxis->setLabel(tr("κ"));
    addLine(m_radial, {0, 1}, {1, 1}, QPen(Qt::gray, 1, Qt::DotLine));
    addLine(m_radial, {d.einsteinRadius, 1}, {d.einsteinRadius, 2}, QPen(QColor(214, 39, 40), 1.2, Qt::DashLine));
    auto *label = new QCPItemText(m_radial);
    label->position->setCoords(d.einsteinRadius, low / 1.3);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label->setText(QStringLiteral(" ") + einsteinLabel(d));
    label->setColor(QColor(214, 39, 40));
    label->setFont(QFont(m_radial->font().family(), 8));
    addTitle(m_radial, tr("Radial κ profile (κ = 1 dotted)"));
    redraw(m_radial);
}

void DiagnosticFigure::drawAzimuthal()
{
    const auto &d = m_diagnostics;
    resetToOneRect(m_azimuthal);
    QVector<double> phi, k;
    double mean = 0;
    for (const auto &s : d.azimuthalProfile) {
        phi.push_back(s.phi * kDegrees);
        k.push_back(s.kappa);
        mean += s.kappa;
    }
    mean /= std::max<std::size_t>(1, d.azimuthalProfile.size());
    addGraph(m_azimuthal, phi, k, QPen(QColor(31, 119, 180), 1.6), tr("κ(φ)"));
    addLine(m_azimuthal, {0, mean}, {1, mean}, QPen(Qt::gray, 1, Qt::DotLine));
    m_azimuthal->rescaleAxes();
    const auto range = m_azimuthal->yAxis->range();
    const double pad = std::max(0.05 * range.size(), 0.02);
    m_azimuthal->yAxis->setRange(range.lower - pad, range.upper + pad);
    m_azimuthal->xAxis->setRange(0, 360);
    auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    ticker->setTickStep(90);
    m_azimuthal->xAxis->setTicker(ticker);
    m_azimuthal->xAxis->setLabel(tr("φ [deg, counter-clockwise from +x]"));
    m_azimuthal->yAxis->setLabel(tr("κ"));
    addTitle(m_azimuthal, tr("κ around θ_E = %1″ (mean %2, dotted)").arg(d.einsteinRadius, 0, 'f', 3).arg(mean, 0, 'f', 3));
    redraw(m_azimuthal);
}

void DiagnosticFigure::drawEnclosedMass()
{
    const auto &d = m_diagnostics;
    resetToOneRect(m_enclosed);
    const auto sigmaCrit = inference::criticalDensity(d.parameters);
    const double factor = sigmaCrit.value_or(1.0);
    QVector<double> r{0}, m{0};
    for (const auto &p : d.enclosedConvergence) {
        r.push_back(p.x);
        m.push_back(p.y * factor);
    }
    addGraph(m_enclosed, r, m, QPen(QColor(44, 160, 44), 1.6), tr("M(<r)"));
    const double einsteinMass = factor * std::numbers::pi * d.einsteinRadius * d.einsteinRadius *
                                (d.einsteinRadiusFromKappa ? 1.0 : std::nan(""));
    m_enclosed->rescaleAxes();
    m_enclosed->xAxis->setRange(0, r.back());
    m_enclosed->yAxis->setRange(0, m.back() * 1.05);
    m_enclosed->xAxis->setLabel(tr("r [arcsec]"));
    if (sigmaCrit) {
        m_enclosed->yAxis->setLabel(tr("M(<r) [M☉]"));
        m_enclosed->yAxis->setNumberFormat(QStringLiteral("eb"));
        m_enclosed->yAxis->setNumberPrecision(1);
    } else {
        m_enclosed->yAxis->setLabel(tr("∫κ dA [arcsec²] (redshifts unknown)"));
    }
    addLine(m_enclosed, {d.einsteinRadius, 0}, {d.einsteinRadius, 1}, QPen(QColor(214, 39, 40), 1, Qt::DashLine));
    if (std::isfinite(einsteinMass)) {
        // Inside θ_E the mean κ is 1 by definition, so M_E = Σ_crit π θ_E².
        auto *marker = addGraph(m_enclosed, {d.einsteinRadius}, {einsteinMass}, QPen(QColor(214, 39, 40)), {});
        marker->setLineStyle(QCPGraph::lsNone);
        marker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
        auto *label = new QCPItemText(m_enclosed);
        label->position->setCoords(d.einsteinRadius, einsteinMass);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setText(sigmaCrit ? tr("  M_E = %1 M☉").arg(einsteinMass, 0, 'e', 2)
                                 : tr("  π θ_E² = %1 arcsec²").arg(einsteinMass, 0, 'f', 3));
        label->setColor(QColor(214, 39, 40));
    }
    addTitle(m_enclosed, sigmaCrit ? tr("Enclosed mass, Einstein mass (red)")
                                   : tr("Enclosed convergence (give redshifts for masses)"));
    redraw(m_enclosed);
}

void DiagnosticFigure::fillTable()
{
    const auto rows = inference::parameterTable(m_diagnostics.parameters);
    m_table->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto &row = rows[static_cast<std::size_t>(i)];
        const QString cells[] = {text(row.quantity), text(row.value), text(row.uncertainty), text(row.unit)};
        for (int c = 0; c < 4; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[0] + QStringLiteral(": ") + cells[1] + QLatin1Char(' ') + cells[3]);
            if (row.warning)
                item->setBackground(QColor(255, 205, 205));
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
}

void DiagnosticFigure::redraw(QCustomPlot *plot)
{
    // Hidden (on another page, or only recorded for files) the plots are
    // drawn when shown (showEvent) or by record().
    if (isVisible())
        plot->replot(QCustomPlot::rpQueuedReplot); // each plot in its own event-loop turn
}

void DiagnosticFigure::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (auto *plot : {m_check, m_kappa, m_radial, m_azimuthal, m_enclosed})
        redraw(plot);
}

void DiagnosticFigure::keepSquare()
{
    // Arcseconds are square: each image rect shows the grid with equal x and
    // y scales, widening whichever axis has room to spare.
    const auto &g = m_diagnostics.grid;
    const double halfX = 0.5 * g.width * g.pixelScale, halfY = 0.5 * g.height * g.pixelScale;
    for (auto *plot : {m_check, m_kappa})
        for (auto *rect : plot->axisRects()) {
            auto *x = rect->axis(QCPAxis::atBottom);
            auto *y = rect->axis(QCPAxis::atLeft);
            x->setRange(g.center_x - halfX, g.center_x + halfX);
            y->setRange(g.center_y - halfY, g.center_y + halfY);
            if (rect->width() * halfY > rect->height() * halfX)
                x->setScaleRatio(y, 1.0);
            else
                y->setScaleRatio(x, 1.0);
        }
}

QPicture DiagnosticFigure::record(Output output)
{
    layout()->activate();
    QPicture picture;
    QCPPainter painter(&picture);
    painter.setMode(QCPPainter::pmNoCaching); // no cached pixmap labels
    if (output == Output::Vector)
        painter.setMode(QCPPainter::pmVectorized);
    painter.fillRect(rect(), palette().base());
    // The plots through their export painter (rendering the widgets would
    // paint their on-screen pixmaps), the title and table as widgets.
    for (auto *plot : {m_check, m_kappa, m_radial, m_azimuthal, m_enclosed}) {
        painter.save();
        painter.translate(plot->mapTo(this, QPoint(0, 0)));
        plot->toPainter(&painter, plot->width(), plot->height());
        painter.restore();
    }
    m_title->render(&painter, m_title->mapTo(this, QPoint(0, 0)), QRegion(), QWidget::DrawChildren);
    m_table->render(&painter, m_table->mapTo(this, QPoint(0, 0)), QRegion(),
                    QWidget::DrawChildren | QWidget::DrawWindowBackground);
    painter.end();
    // The frame is the figure's, even where nothing was drawn at its edges.
    picture.setBoundingRect(rect());
    return picture;
}

QPicture DiagnosticFigure::record(const Diagnostics &diagnostics, QSize size, Output output)
{
    DiagnosticFigure figure;
    figure.setAttribute(Qt::WA_DontShowOnScreen);
    figure.resize(size);
    figure.setDiagnostics(diagnostics);
    return figure.record(output);
}

QImage DiagnosticFigure::rasterize(const QPicture &figure)
{
    QImage image(figure.boundingRect().size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    // No SmoothPixmapTransform: the maps keep sharp pixels.
    painter.drawPicture(0, 0, figure);
    return image;
}

void DiagnosticFigure::write(const QPicture &figure, const std::filesystem::path &file)
{
    const QSize size = figure.boundingRect().size();
    const bool pdf = file.extension() == ".pdf";
    writeAtomically(file, [&](const std::filesystem::path &tmp) {
        const QString path = QString::fromStdString(tmp.string());
        if (pdf) {
            // One logical pixel per device pixel at 96 dpi (the resolution
            // the picture was recorded at), so text keeps its size: the page
            // is the figure, 0.75 pt per pixel.
            QPdfWriter writer(path);
            writer.setResolution(96);
            writer.setPageSize(QPageSize(QSizeF(size.width() * 0.75, size.height() * 0.75), QPageSize::Point));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            writer.setCreator(QStringLiteral("AstroRIM"));
            writer.setTitle(QString::fromStdString(file.stem().string()));
            QPainter painter(&writer);
            painter.drawPicture(0, 0, figure);
            if (!painter.end())
                fail(file.string(), "cannot be written as PDF");
        } else if (!rasterize(figure).save(path, "PNG")) {
            fail(file.string(), "cannot be written as PNG");
        }
    });
}

void DiagnosticFigure::save(const Diagnostics &diagnostics, const std::filesystem::path &file, QSize size)
{
    write(record(diagnostics, size, file.extension() == ".pdf" ? Output::Vector : Output::Raster), file);
}

} // namespace astrorim::widgets

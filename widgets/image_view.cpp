#include "image_view.h"

#include "fits/sexagesimal.h"

#include <QActionGroup>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

namespace astrorim::widgets {

using render::DisplayLimits;
using render::DisplayScale;
using render::LimitsMode;
using render::ScaleMode;

namespace {

// A round step (1, 2 or 5 times a power of ten) giving about `count` ticks.
double niceStep(double range, int count)
{
    const double raw = range / count;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / power;
    return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * power;
}

} // namespace

ImageView::ImageView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("imageView"));
    plot_ = new QCustomPlot(this);
    plot_->setObjectName(QStringLiteral("imagePlot"));
    plot_->setMouseTracking(true);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setupFullAxesBox(true);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setTightBoundary(true);
    colourScale_ = new QCPColorScale(plot_);
    colourScale_->setType(QCPAxis::atRight);
    colourScale_->setBarWidth(8);
    plot_->plotLayout()->addElement(0, 1, colourScale_);
    map_->setColorScale(colourScale_);
    auto *margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    colourScale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString());
    plot_->plotLayout()->addElement(0, 0, title_);

    readout_ = new QLabel(this);
    readout_->setObjectName(QStringLiteral("imageReadout"));
    readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_, 1);
    layout->addWidget(readout_);

    connect(plot_, &QCustomPlot::mouseMove, this, &ImageView::onMouseMove);
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) { pressedAt_ = event->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, &ImageView::onMouseRelease);
    connect(plot_, &QCustomPlot::afterLayout, this, &ImageView::applyAspect);
    connect(plot_->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &ImageView::onRangeChanged);
    connect(plot_->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &ImageView::onRangeChanged);
    plot_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(plot_, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu *menu = createContextMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(plot_->mapToGlobal(pos));
    });
    setAxisUnit(AxisUnit::Pixels);
    setColourMap(ColourMap::Gray);
}

ImageView::~ImageView() = default;

void ImageView::setImage(int width, int height, std::span<const float> pixels, double pixelScale, QPointF centre)
{
    if (width <= 0 || height <= 0 || pixels.size() != std::size_t(width) * std::size_t(height)) {
        qWarning("ImageView::setImage: %d x %d image given %zu pixels; ignored", width, height, pixels.size());
        return;
    }
    width_ = width;
    height_ = height;
    pixelScale_ = pixelScale > 0 ? pixelScale : 0.0;
    centre_ = pixelScale_ > 0 ? centre : QPointF();
    pixels_.assign(pixels.begin(), pixels.end());
    map_->data()->setSize(width_, height_);
    setAxisUnit(pixelScale_ > 0 ? unit_ : AxisUnit::Pixels); // places the map and overlay, resets the zoom
    rescale();
}

void ImageView::setImage(int width, int height, const float *pixels, double pixelScale, QPointF centre)
{
    const std::size_t n = width > 0 && height > 0 ? std::size_t(width) * std::size_t(height) : 0;
    setImage(width, height, std::span<const float>(pixels, pixels ? n : 0), pixelScale, centre);
}

void ImageView::clearImage()
{
    width_ = height_ = 0;
    pixels_.clear();
    map_->data()->clear();
    readout_->clear();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImageView::setScale(ScaleMode mode)
{
    scaleMode_ = mode;
    rescale();
}

void ImageView::setLimits(LimitsMode mode, double low, double high)
{
    limitsMode_ = mode;
    manual_ = {low, high};
    rescale();
}

void ImageView::setColourMap(ColourMap map, bool inverted)
{
    colourMap_ = map;
    inverted_ = inverted;
    map_->setGradient(colourGradient(map, inverted));
    rescale();
}

QVariantMap ImageView::displayChoices() const
{
    QVariantMap choices{{QStringLiteral("scale"), int(scaleMode_)},
                        {QStringLiteral("colourMap"), int(colourMap_)},
                        {QStringLiteral("inverted"), inverted_}};
    if (limitsMode_ != LimitsMode::Manual)
        choices.insert(QStringLiteral("limits"), int(limitsMode_));
    return choices;
}

void ImageView::setDisplayChoices(const QVariantMap &choices)
{
    // Enum values outside their range (a file from another version) are ignored.
    const auto read = [&](const char *key, int count, int current) {
        bool ok = false;
        const int value = choices.value(QString::fromLatin1(key)).toInt(&ok);
        return ok && value >= 0 && value < count ? value : current;
    };
    scaleMode_ = ScaleMode(read("scale", int(ScaleMode::HistogramEqualization) + 1, int(scaleMode_)));
    limitsMode_ = LimitsMode(read("limits", int(LimitsMode::Manual), int(limitsMode_)));
    const auto map = ColourMap(read("colourMap", colourMapNames().size(), int(colourMap_)));
    setColourMap(map, choices.value(QStringLiteral("inverted"), inverted_).toBool()); // rescales
}

void ImageView::setAxisUnit(AxisUnit unit)
{
    unit_ = pixelScale_ > 0 ? unit : AxisUnit::Pixels;
    const double s = unit_ == AxisUnit::Arcsec ? pixelScale_ : 1.0;
    const double cx = unit_ == AxisUnit::Arcsec ? 0.5 * (width_ - 1) : 0.0;
    const double cy = unit_ == AxisUnit::Arcsec ? 0.5 * (height_ - 1) : 0.0;
    const double x0 = unit_ == AxisUnit::Arcsec ? centre_.x() : 0.0, y0 = unit_ == AxisUnit::Arcsec ? centre_.y() : 0.0;
    map_->data()->setRange(QCPRange(x0 - cx * s, x0 + (width_ - 1 - cx) * s),
                           QCPRange(y0 - cy * s, y0 + (height_ - 1 - cy) * s));
    const QString label = unit_ == AxisUnit::Arcsec ? tr("arcsec") : tr("pixel");
    plot_->xAxis->setLabel(tr("x [%1]").arg(label));
    plot_->yAxis->setLabel(tr("y [%1]").arg(label));
    setOverlay(overlayLines_, overlayColour_);
    placeMarker();
    if (width_ > 0)
        resetZoom();
}

void ImageView::setOverlay(const std::vector<Polyline> &lines, const QColor &colour)
{
    for (QCPCurve *curve : overlay_)
        plot_->removePlottable(curve);
    overlay_.clear();
    overlayLines_ = lines;
    overlayColour_ = colour;
    // Without a pixel scale the overlay's "arcsec" are taken as pixels.
    const double perArcsec = unit_ == AxisUnit::Arcsec || pixelScale_ <= 0 ? 1.0 : 1.0 / pixelScale_;
    // In pixel units the overlay's arcsec are taken from the image's centre.
    const bool pixels = unit_ != AxisUnit::Arcsec;
    const double cx = pixels ? 0.5 * (width_ - 1) : 0.0, cy = pixels ? 0.5 * (height_ - 1) : 0.0;
    const double x0 = pixels ? centre_.x() : 0.0, y0 = pixels ? centre_.y() : 0.0;
    for (const Polyline &line : lines) {
        auto *curve = new QCPCurve(plot_->xAxis, plot_->yAxis);
        QVector<double> t, x, y;
        for (const auto &[px, py] : line) {
            t.push_back(t.size());
            x.push_back(cx + (px - x0) * perArcsec);
            y.push_back(cy + (py - y0) * perArcsec);
        }
        curve->setData(t, x, y, true);
        curve->setPen(QPen(colour, 1.5));
        overlay_.push_back(curve);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImageView::clearOverlay()
{
    setOverlay({}, overlayColour_);
}

void ImageView::setTitle(const QString &title)
{
    title_->setText(title);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString ImageView::title() const
{
    return title_->text();
}

void ImageView::setSkyLookup(SkyLookup lookup)
{
    sky_ = std::move(lookup);
}

double ImageView::valueAt(int col, int row) const
{
    if (col < 0 || row < 0 || col >= width_ || row >= height_)
        return std::numeric_limits<double>::quiet_NaN();
    return pixels_[std::size_t(row) * std::size_t(width_) + std::size_t(col)];
}

QString ImageView::readoutText() const
{
    return readout_->text();
}

void ImageView::rescale()
{
    if (pixels_.empty())
        return;
    const auto w = std::size_t(width_), h = std::size_t(height_);
    limits_ = render::displayLimits(pixels_, w, h, limitsMode_, manual_);
    std::function<double(double)> position;
    if (colourMap_ == ColourMap::Diverging) {
        // Zero at the centre of the map whatever the scale: the scale runs
        // over |v| in [0, m] and its sign picks the half.
        const double m = std::max(std::max(std::abs(limits_.low), std::abs(limits_.high)), 1e-30);
        limits_ = {-m, m};
        std::vector<float> magnitudes(pixels_.size());
        std::transform(pixels_.begin(), pixels_.end(), magnitudes.begin(), [](float v) { return std::abs(v); });
        position = [scale = DisplayScale(scaleMode_, {0.0, m}, magnitudes)](double v) {
            return std::isnan(v) ? v : 0.5 + 0.5 * std::copysign(scale(std::abs(v)), v);
        };
    } else {
        position = [scale = DisplayScale(scaleMode_, limits_, pixels_)](double v) { return scale(v); };
    }
    QCPColorMapData *data = map_->data();
    for (int row = 0; row < height_; ++row)
        for (int col = 0; col < width_; ++col)
            data->setCell(col, row, position(pixels_[std::size_t(row) * w + std::size_t(col)]));
    map_->setDataRange(QCPRange(0.0, 1.0));

    // Colour-bar ticks at round data values, placed where the scale puts them.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const double step = niceStep(limits_.high - limits_.low, 4);
    double last = -1.0;
    for (double v = std::ceil(limits_.low / step) * step; v <= limits_.high + 1e-9 * step; v += step) {
        const double at = position(std::abs(v) < 1e-9 * step ? 0.0 : v);
        if (at - last >= 0.08) {
            ticker->addTick(at, QString::number(std::abs(v) < 1e-9 * step ? 0.0 : v, 'g', 4));
            last = at;
        }
    }
    colourScale_->axis()->setTicker(ticker);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImageView::resetZoom()
{
    if (width_ == 0)
        return;
    const double s = unit_ == AxisUnit::Arcsec ? pixelScale_ : 1.0;
    const QCPRange keys = map_->data()->keyRange(), values = map_->data()->valueRange();
    QCPRange x(keys.lower - 0.5 * s, keys.upper + 0.5 * s), y(values.lower - 0.5 * s, values.upper + 0.5 * s);
    const QRect rect = plot_->axisRect()->rect();
    if (rect.width() > 0 && rect.height() > 0) {
        // Units per screen pixel that fit the whole image in both directions.
        const double perPixel = std::max(x.size() / rect.width(), y.size() / rect.height());
        x = QCPRange(x.center() - 0.5 * perPixel * rect.width(), x.center() + 0.5 * perPixel * rect.width());
        y = QCPRange(y.center() - 0.5 * perPixel * rect.height(), y.center() + 0.5 * perPixel * rect.height());
    }
    fitPending_ = rect.width() <= 0 || rect.height() <= 0;
    setViewRange(x, y);
}

void ImageView::setViewRange(const QCPRange &x, const QCPRange &y)
{
    showRange(x, y);
    broadcast();
}

void ImageView::showRange(const QCPRange &x, const QCPRange &y)
{
    syncing_ = true;
    plot_->xAxis->setRange(x);
    plot_->yAxis->setRange(y);
    if (plot_->axisRect()->width() > 0 && plot_->axisRect()->height() > 0)
        plot_->yAxis->setScaleRatio(plot_->xAxis, 1.0);
    syncing_ = false;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImageView::broadcast()
{
    broadcasting_ = true;
    Q_EMIT viewChanged(xRange(), yRange());
    broadcasting_ = false;
}

void ImageView::link(ImageView *other)
{
    if (!other || other == this || std::find(links_.begin(), links_.end(), other) != links_.end())
        return;
    links_.push_back(other);
    other->links_.push_back(this);
    const auto follow = [](ImageView *from, ImageView *to) {
        connect(from, &ImageView::viewChanged, to, [to](const QCPRange &x, const QCPRange &y) {
            if (to->broadcasting_) // the change started here
                return;
            to->showRange(x, y);
            to->broadcast(); // on to the views linked to `to` only
        });
    };
    follow(this, other);
    follow(other, this);
    other->showRange(xRange(), yRange());
}

void ImageView::onRangeChanged()
{
    if (!syncing_)
        broadcast();
}

void ImageView::applyAspect()
{
    const QSize size = plot_->axisRect()->rect().size();
    if (size == lastAxisRectSize_ || size.width() <= 0 || size.height() <= 0)
        return;
    lastAxisRectSize_ = size;
    if (fitPending_) {
        resetZoom();
    } else {
        plot_->yAxis->setScaleRatio(plot_->xAxis, 1.0); // emits rangeChanged: linked views follow
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

std::pair<double, double> ImageView::axisToPixel(double x, double y) const
{
    if (unit_ != AxisUnit::Arcsec)
        return {x, y};
    return {(x - centre_.x()) / pixelScale_ + 0.5 * (width_ - 1), (y - centre_.y()) / pixelScale_ + 0.5 * (height_ - 1)};
}

std::pair<double, double> ImageView::pixelToAxis(double x, double y) const
{
    if (unit_ != AxisUnit::Arcsec)
        return {x, y};
    return {centre_.x() + (x - 0.5 * (width_ - 1)) * pixelScale_, centre_.y() + (y - 0.5 * (height_ - 1)) * pixelScale_};
}

void ImageView::onMouseRelease(QMouseEvent *event)
{
    // A press and release within a few pixels of each other is a click; more is a pan.
    if (event->button() != Qt::LeftButton || width_ == 0 ||
        (event->pos() - pressedAt_).manhattanLength() > QApplication::startDragDistance())
        return;
    const QPointF at = event->position();
    const auto [px, py] = axisToPixel(plot_->xAxis->pixelToCoord(at.x()), plot_->yAxis->pixelToCoord(at.y()));
    if (px < -0.5 || py < -0.5 || px > width_ - 0.5 || py > height_ - 0.5)
        return;
    Q_EMIT clicked(px, py);
}

void ImageView::setMarker(std::optional<QPointF> pixel, const QColor &colour)
{
    markerPixel_ = pixel;
    if (!marker_) {
        marker_ = new QCPItemTracer(plot_);
        marker_->setStyle(QCPItemTracer::tsPlus);
        marker_->setSize(18);
    }
    marker_->setPen(QPen(colour, 2));
    placeMarker();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImageView::placeMarker()
{
    if (!marker_)
        return;
    marker_->setVisible(markerPixel_.has_value());
    if (markerPixel_) {
        const auto [x, y] = pixelToAxis(markerPixel_->x(), markerPixel_->y());
        marker_->position->setCoords(x, y);
    }
}

void ImageView::onMouseMove(QMouseEvent *event)
{
    if (width_ == 0)
        return;
    const QPointF at = event->position();
    const auto [px, py] = axisToPixel(plot_->xAxis->pixelToCoord(at.x()), plot_->yAxis->pixelToCoord(at.y()));
    const int col = static_cast<int>(std::lround(px)), row = static_cast<int>(std::lround(py));
    if (col < 0 || row < 0 || col >= width_ || row >= height_) {
        readout_->clear();
        return;
    }
    const double value = valueAt(col, row);
    // 1-based pixel numbers, as FITS and DS9 count them.
    QString text = tr("pixel (%1, %2)  value %3").arg(col + 1).arg(row + 1).arg(value, 0, 'g', 6);
    if (pixelScale_ > 0)
        text += tr("  offset (%1″, %2″)")
                    .arg(centre_.x() + (px - 0.5 * (width_ - 1)) * pixelScale_, 0, 'f', 3)
                    .arg(centre_.y() + (py - 0.5 * (height_ - 1)) * pixelScale_, 0, 'f', 3);
    if (sky_) {
        std::optional<std::pair<double, double>> sky;
        try {
            sky = sky_(px, py);
        } catch (const std::exception &) {
            // e.g. fits::Wcs::pixelToWorld outside the projection: no RA/Dec there
        }
        if (sky)
            text += tr("  RA %1  Dec %2")
                        .arg(QString::fromStdString(fits::formatRightAscension(sky->first)),
                             QString::fromStdString(fits::formatDeclination(sky->second)));
    }
    readout_->setText(text);
    Q_EMIT cursorMoved(px, py, value);
}

QMenu *ImageView::createContextMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    const auto addChoices = [this](QMenu *sub, const QStringList &names, int current, auto choose) {
        auto *group = new QActionGroup(sub);
        for (int i = 0; i < names.size(); ++i) {
            QAction *action = sub->addAction(names[i]);
            action->setCheckable(true);
            action->setChecked(i == current);
            group->addAction(action);
            connect(action, &QAction::triggered, this, [choose, i] { choose(i); });
        }
    };
    addChoices(menu->addMenu(tr("Scale")),
               {tr("Linear"), tr("Log"), tr("Square root"), tr("Asinh"), tr("Power"), tr("Histogram equalization")},
               int(scaleMode_), [this](int i) { setScale(ScaleMode(i)); });
    addChoices(menu->addMenu(tr("Limits")),
               {tr("Min/max"), tr("ZScale"), tr("99.5 %"), tr("99 %"), tr("95 %"), tr("Keep current (manual)")},
               int(limitsMode_), [this](int i) {
                   // "Manual" from the menu freezes the limits in use now.
                   setLimits(LimitsMode(i), limits_.low, limits_.high);
               });
    addChoices(menu->addMenu(tr("Colour map")), colourMapNames(), int(colourMap_),
               [this](int i) { setColourMap(ColourMap(i), inverted_); });
    QAction *invert = menu->addAction(tr("Invert colour map"));
    invert->setCheckable(true);
    invert->setChecked(inverted_);
    connect(invert, &QAction::toggled, this, [this](bool on) { setColourMap(colourMap_, on); });
    QAction *arcsec = menu->addAction(tr("Axes in arcsec"));
    arcsec->setCheckable(true);
    arcsec->setChecked(unit_ == AxisUnit::Arcsec);
    arcsec->setEnabled(pixelScale_ > 0);
    connect(arcsec, &QAction::toggled, this,
            [this](bool on) { setAxisUnit(on ? AxisUnit::Arcsec : AxisUnit::Pixels); });
    menu->addSeparator();
    connect(menu->addAction(tr("Reset zoom")), &QAction::triggered, this, &ImageView::resetZoom);
    return menu;
}

} // namespace astrorim::widgets

#pragma once
// A DS9-like view of one float image: scales and limits from
// core/render/display_scale.h, the colour maps of colour_maps.h, a colour
// bar, pan (drag) and zoom (wheel) at equal x/y scale, a cursor readout and
// polyline overlays (critical curves, caustics). Views can be linked so that
// they pan and zoom together.
//
// Frames. The image is shown in FITS order: array row 0 at the bottom, so
// +y (north on a north-up image) points up. Pixel coordinates are 0-based
// with the centre of pixel (col, row) at (col, row), as in core's
// fits::Wcs::pixelToWorld; the readout text shows them 1-based (FITS
// convention). In arcsec units the axes are x = x₀ + (col − (w − 1)/2)·scale
// and y = y₀ + (row − (h − 1)/2)·scale, with (x₀, y₀) the arcsec of the
// image's centre (zero unless setImage is told otherwise, e.g. a source
// grid centred away from the lens): offsets along the columns and rows.
// Overlays are always given in that arcsec frame.

#include "colour_maps.h"
#include "render/display_scale.h"

#include <QPointer>
#include <QVariantMap>
#include <QWidget>

#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

class QLabel;
class QMenu;

namespace astrorim::widgets {

class ImageView : public QWidget
{
    Q_OBJECT

public:
    /// Units of the axes (and of the view ranges that linked views share).
    enum class AxisUnit { Pixels, Arcsec };

    /// RA and Dec in degrees of a 0-based pixel position, or nothing where
    /// there is none; built by the caller, e.g. from fits::Wcs::pixelToWorld.
    /// An exception it throws is taken as "none".
    using SkyLookup = std::function<std::optional<std::pair<double, double>>(double px, double py)>;

    /// One overlay line: (x, y) in arcsec in the frame described above.
    using Polyline = std::vector<std::pair<double, double>>;

    /// An empty view (objectName "imageView"; its plot is "imagePlot", the
    /// readout label "imageReadout").
    explicit ImageView(QWidget *parent = nullptr);
    ~ImageView() override;

    /// Shows a copy of the `width` × `height` row-major image (row 0 at the
    /// bottom); `pixelScale` in arcsec per pixel (≤ 0: unknown, axes stay in
    /// pixels); `centre` the arcsec of the image's centre. Recomputes the
    /// limits and resets the zoom to the whole image.
    void setImage(int width, int height, std::span<const float> pixels, double pixelScale = 0.0,
                  QPointF centre = {});

    /// Same, from a pointer to width·height floats (not kept).
    void setImage(int width, int height, const float *pixels, double pixelScale = 0.0, QPointF centre = {});

    /// Shows no image (the overlay and marker stay).
    void clearImage();

    /// The scale that maps values between the limits onto the colour map.
    void setScale(render::ScaleMode mode);

    /// How the limits are chosen; `low`/`high` are used for LimitsMode::Manual.
    void setLimits(render::LimitsMode mode, double low = 0.0, double high = 1.0);

    /// The colour map, reversed when `inverted`. The diverging map gets
    /// limits ±max(|low|, |high|), so that zero is its centre.
    void setColourMap(ColourMap map, bool inverted = false);

    /// The display choices worth keeping between sessions: scale, limits
    /// (manual limits belong to one image and are not kept), colour map and
    /// inversion, under the keys "scale", "limits", "colourMap", "inverted".
    [[nodiscard]] QVariantMap displayChoices() const;
    /// Applies choices from displayChoices(); missing or unknown values keep the current ones.
    void setDisplayChoices(const QVariantMap &choices);

    /// Axis units; arcsec needs a positive pixel scale.
    void setAxisUnit(AxisUnit unit);

    /// Replaces the overlay with `lines` (arcsec), drawn in `colour`.
    void setOverlay(const std::vector<Polyline> &lines, const QColor &colour = QColor(0, 200, 255));

    /// Removes the overlay.
    void clearOverlay();

    /// Marks 0-based pixel position `pixel` with a cross (a chosen lens
    /// centre, say); nothing removes it.
    void setMarker(std::optional<QPointF> pixel, const QColor &colour = QColor(0, 255, 0));

    /// The title above the image.
    void setTitle(const QString &title);
    [[nodiscard]] QString title() const;

    /// Supplies (or, with an empty function, removes) the RA/Dec lookup of the readout.
    void setSkyLookup(SkyLookup lookup);

    /// Pans and zooms together with `other` (both ways) until either is
    /// destroyed. Linked views should show images of equal size and units.
    void link(ImageView *other);

    /// Shows the whole image, at equal x/y scale.
    void resetZoom();

    /// The visible ranges, in the current axis units.
    [[nodiscard]] QCPRange xRange() const { return plot_->xAxis->range(); }
    [[nodiscard]] QCPRange yRange() const { return plot_->yAxis->range(); }

    /// Sets the visible ranges (the y range is then widened or narrowed
    /// about its centre to keep pixels square) and updates linked views.
    void setViewRange(const QCPRange &x, const QCPRange &y);

    /// The limits in use (after zero-centring for the diverging map).
    [[nodiscard]] render::DisplayLimits limits() const { return limits_; }

    /// The image value at 0-based pixel (col, row); NaN outside the image.
    [[nodiscard]] double valueAt(int col, int row) const;

    /// The plot, its colour map (data scaled into [0, 1]) and the readout text, for tests.
    [[nodiscard]] QCustomPlot *plot() const { return plot_; }
    [[nodiscard]] QCPColorMap *colourMapItem() const { return map_; }
    [[nodiscard]] QString readoutText() const;

    /// The context menu (scale, limits, colour map, invert, reset zoom); the
    /// caller owns it. The right mouse button shows it.
    [[nodiscard]] QMenu *createContextMenu(QWidget *parent);

Q_SIGNALS:
    /// The cursor is over 0-based pixel position (x, y); `value` is the
    /// image value of the pixel that contains it.
    void cursorMoved(double x, double y, double value);

    /// The visible ranges changed (pan, zoom, resize), in axis units.
    void viewChanged(const QCPRange &x, const QCPRange &y);

    /// The left button was pressed and released at 0-based pixel position
    /// (x, y) inside the image without dragging (a drag pans instead).
    void clicked(double x, double y);

private:
    void rescale();
    void showRange(const QCPRange &x, const QCPRange &y); // no viewChanged
    void broadcast();                                     // emits viewChanged
    void applyAspect();
    void onMouseMove(QMouseEvent *event);
    void onMouseRelease(QMouseEvent *event);
    void placeMarker();
    void onRangeChanged();
    [[nodiscard]] std::pair<double, double> axisToPixel(double x, double y) const;
    [[nodiscard]] std::pair<double, double> pixelToAxis(double x, double y) const;

    QCustomPlot *plot_ = nullptr;
    QCPColorMap *map_ = nullptr;
    QCPColorScale *colourScale_ = nullptr;
    QCPTextElement *title_ = nullptr;
    QLabel *readout_ = nullptr;
    std::vector<QCPCurve *> overlay_;
    std::vector<Polyline> overlayLines_;
    QColor overlayColour_;
    QCPItemTracer *marker_ = nullptr;
    std::optional<QPointF> markerPixel_;
    QPoint pressedAt_; // where the left button went down, for telling clicks from drags

    int width_ = 0;
    int height_ = 0;
    double pixelScale_ = 0.0;
    QPointF centre_; // arcsec of the image's centre
    std::vector<float> pixels_;
    render::ScaleMode scaleMode_ = render::ScaleMode::Linear;
    render::LimitsMode limitsMode_ = render::LimitsMode::ZScale;
    render::DisplayLimits manual_;
    render::DisplayLimits limits_;
    ColourMap colourMap_ = ColourMap::Gray;
    bool inverted_ = false;
    AxisUnit unit_ = AxisUnit::Pixels;
    SkyLookup sky_;
    bool syncing_ = false;      // setting ranges ourselves: the axes' signals are not user pans
    bool broadcasting_ = false; // emitting viewChanged: a linked view's echo is ignored
    bool fitPending_ = false;   // resetZoom before the first layout: fit once laid out
    std::vector<QPointer<ImageView>> links_;
    QSize lastAxisRectSize_;
};

} // namespace astrorim::widgets

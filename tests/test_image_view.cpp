// The DS9-like image view (widgets/image_view.h): what the colour map holds
// for each scale, limits mode and colour map (reference: core's
// render::displayLimits and render::DisplayScale, tested against DS9's
// formulas in test_display_scale), FITS orientation, the cursor readout,
// equal x/y scale and linked pan/zoom.

#include "image_view.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

using namespace astrorim;
using namespace astrorim::widgets;

namespace {

constexpr int kWidth = 40;
constexpr int kHeight = 30;

// A ramp that differs in every pixel: value = col + 100·row, with one NaN.
std::vector<float> rampImage()
{
    std::vector<float> v(kWidth * kHeight);
    for (int row = 0; row < kHeight; ++row)
        for (int col = 0; col < kWidth; ++col)
            v[std::size_t(row * kWidth + col)] = float(col + 100 * row);
    v[5] = std::nanf("");
    return v;
}

// Shows `view` on the offscreen platform and waits until its plot is laid out.
void showAndLayOut(ImageView &view)
{
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.plot()->replot();
    QTRY_VERIFY(view.plot()->axisRect()->width() > 0);
}

QPoint screenPosition(const ImageView &view, double x, double y)
{
    return QPoint(int(std::lround(view.plot()->xAxis->coordToPixel(x))),
                  int(std::lround(view.plot()->yAxis->coordToPixel(y))));
}

} // namespace

class TestImageView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void objectNamesAreSet()
    {
        ImageView view;
        QCOMPARE(view.objectName(), QStringLiteral("imageView"));
        QVERIFY(view.findChild<QCustomPlot *>(QStringLiteral("imagePlot")) == view.plot());
        QVERIFY(view.findChild<QWidget *>(QStringLiteral("imageReadout")) != nullptr);
    }

    void rowZeroIsAtTheBottom()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image);
        view.setLimits(render::LimitsMode::MinMax);
        QCPColorMapData *data = view.colourMapItem()->data();
        QCOMPARE(data->keySize(), kWidth);
        QCOMPARE(data->valueSize(), kHeight);
        double x = 0, y = 0;
        data->cellToCoord(3, 0, &x, &y);
        QCOMPARE(x, 3.0); // 0-based pixel centres
        QCOMPARE(y, 0.0);
        QVERIFY(!view.plot()->yAxis->rangeReversed()); // y, hence the row, grows upwards
        QVERIFY(data->cell(3, 0) < data->cell(3, 1));
        QVERIFY(std::isnan(data->cell(5, 0)));
    }

    void colourMapFollowsScaleAndLimits_data()
    {
        QTest::addColumn<int>("scale");
        QTest::addColumn<int>("limits");
        const char *scales[] = {"linear", "log", "sqrt", "asinh", "power", "histeq"};
        const char *limits[] = {"minmax", "zscale", "99.5", "99", "95"};
        for (int s = 0; s < 6; ++s)
            for (int l = 0; l < 5; ++l)
                QTest::addRow("%s-%s", scales[s], limits[l]) << s << l;
    }

    void colourMapFollowsScaleAndLimits()
    {
        QFETCH(int, scale);
        QFETCH(int, limits);
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image);
        view.setScale(render::ScaleMode(scale));
        view.setLimits(render::LimitsMode(limits));
        const auto expected = render::displayLimits(image, kWidth, kHeight, render::LimitsMode(limits));
        QCOMPARE(view.limits().low, expected.low);
        QCOMPARE(view.limits().high, expected.high);
        QCOMPARE(view.colourMapItem()->dataRange(), QCPRange(0.0, 1.0));
        const render::DisplayScale reference(render::ScaleMode(scale), expected, image);
        for (int row = 0; row < kHeight; row += 7)
            for (int col = 1; col < kWidth; col += 9)
                QCOMPARE(view.colourMapItem()->data()->cell(col, row),
                         reference(image[std::size_t(row * kWidth + col)]));
    }

    void manualLimits()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image);
        view.setLimits(render::LimitsMode::Manual, 100.0, 300.0);
        QCOMPARE(view.limits().low, 100.0);
        QCOMPARE(view.limits().high, 300.0);
        QCOMPARE(view.colourMapItem()->data()->cell(0, 2), 0.5); // value 200
        QCOMPARE(view.colourMapItem()->data()->cell(0, 0), 0.0);
        QCOMPARE(view.colourMapItem()->data()->cell(0, 5), 1.0);
    }

    void divergingMapIsCentredOnZero()
    {
        ImageView view;
        std::vector<float> image(kWidth * kHeight);
        for (std::size_t i = 0; i < image.size(); ++i)
            image[i] = -1.0f + 4.0f * float(i) / float(image.size() - 1); // −1 … 3
        image[0] = 0.0f;
        view.setImage(kWidth, kHeight, image);
        view.setLimits(render::LimitsMode::MinMax);
        view.setColourMap(ColourMap::Diverging);
        QCOMPARE(view.limits().low, -3.0);
        QCOMPARE(view.limits().high, 3.0);
        for (int scale = 0; scale < 6; ++scale) {
            view.setScale(render::ScaleMode(scale));
            QCOMPARE(view.colourMapItem()->data()->cell(0, 0), 0.5);
            QVERIFY(view.colourMapItem()->data()->cell(kWidth - 1, kHeight - 1) > 0.99);
        }
    }

    void contextMenuChangesScaleAndColourMap()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image);
        view.setLimits(render::LimitsMode::MinMax);
        std::unique_ptr<QMenu> menu(view.createContextMenu(nullptr));
        const auto find = [&](const QString &text) -> QAction * {
            for (QAction *action : menu->findChildren<QAction *>())
                if (action->text() == text)
                    return action;
            return nullptr;
        };
        QAction *sqrt = find(QStringLiteral("Square root"));
        QVERIFY(sqrt);
        sqrt->trigger();
        const double high = view.limits().high;
        QCOMPARE(view.colourMapItem()->data()->cell(0, 1), std::sqrt(100.0 / high));
        QAction *diverging = find(colourMapNames().at(int(ColourMap::Diverging)));
        QVERIFY(diverging);
        diverging->trigger();
        QCOMPARE(view.limits().low, -view.limits().high);
    }

    void cursorReportsThePixelValue()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image, 0.05);
        view.setAxisUnit(ImageView::AxisUnit::Arcsec);
        view.setSkyLookup([](double, double) { return std::optional(std::pair(150.0, 2.5)); });
        showAndLayOut(view);
        QSignalSpy spy(&view, &ImageView::cursorMoved);
        const int col = 12, row = 7;
        const double x = (col - 0.5 * (kWidth - 1)) * 0.05, y = (row - 0.5 * (kHeight - 1)) * 0.05;
        QTest::mouseMove(view.plot(), screenPosition(view, x, y));
        QTRY_VERIFY(spy.count() >= 1);
        const auto arguments = spy.takeLast();
        QVERIFY(std::abs(arguments.at(0).toDouble() - col) <= 0.5);
        QVERIFY(std::abs(arguments.at(1).toDouble() - row) <= 0.5);
        QCOMPARE(arguments.at(2).toDouble(), double(image[std::size_t(row * kWidth + col)]));
        QVERIFY2(view.readoutText().contains(QStringLiteral("(13, 8)")), qPrintable(view.readoutText()));
        QVERIFY2(view.readoutText().contains(QStringLiteral("RA 10:00:00")), qPrintable(view.readoutText()));

        // A lookup that throws (a WCS outside its projection) just leaves RA/Dec out.
        view.setSkyLookup([](double, double) -> std::optional<std::pair<double, double>> {
            throw std::runtime_error("outside the projection");
        });
        QTest::mouseMove(view.plot(), screenPosition(view, x + 0.05, y));
        QTRY_VERIFY(view.readoutText().contains(QStringLiteral("(14, 8)")));
        QVERIFY(!view.readoutText().contains(QStringLiteral("RA")));
    }

    void pixelsAreSquare()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image);
        showAndLayOut(view);
        const QRect rect = view.plot()->axisRect()->rect();
        const double xPerPixel = view.xRange().size() / rect.width();
        const double yPerPixel = view.yRange().size() / rect.height();
        QVERIFY2(std::abs(xPerPixel / yPerPixel - 1.0) < 1e-9, qPrintable(QString::number(xPerPixel / yPerPixel)));
        // The whole image is visible.
        QVERIFY(view.xRange().lower <= -0.5 && view.xRange().upper >= kWidth - 0.5);
        QVERIFY(view.yRange().lower <= -0.5 && view.yRange().upper >= kHeight - 0.5);
    }

    void linkedViewsZoomTogether()
    {
        ImageView a, b, c;
        const auto image = rampImage();
        for (ImageView *view : {&a, &b, &c}) {
            view->setImage(kWidth, kHeight, image);
            showAndLayOut(*view);
        }
        a.link(&b);
        b.link(&c);
        const QCPRange before = a.xRange();
        const QPoint at = screenPosition(a, 10.0, 10.0);
        QWheelEvent wheel(at, a.plot()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(a.plot(), &wheel);
        QTRY_VERIFY(a.xRange().size() < before.size());
        QTRY_COMPARE(b.xRange(), a.xRange());
        QTRY_COMPARE(c.xRange(), a.xRange()); // through b
        QTRY_COMPARE(b.yRange().center(), a.yRange().center());
        // Panning c moves a back (links work both ways, without loops).
        c.setViewRange(QCPRange(0, 10), QCPRange(0, 10));
        QTRY_COMPARE(a.xRange(), c.xRange());
        QTRY_COMPARE(b.xRange(), c.xRange());
    }

    void overlayIsDrawnInArcsec()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image, 0.1);
        view.setOverlay({{{0.0, 0.0}, {1.0, 0.5}}});
        QCOMPARE(view.plot()->plottableCount(), 2); // the map and one curve
        auto *curve = qobject_cast<QCPCurve *>(view.plot()->plottable(1));
        QVERIFY(curve);
        // Pixel axes: (1″, 0.5″) is 10 and 5 pixels from the centre (19.5, 14.5).
        QCOMPARE(curve->data()->at(1)->key, 29.5);
        QCOMPARE(curve->data()->at(1)->value, 19.5);
        view.clearOverlay();
        QCOMPARE(view.plot()->plottableCount(), 1);
    }

    void aClickReportsItsPixelAndADragDoesNot()
    {
        ImageView view;
        const auto image = rampImage();
        view.setImage(kWidth, kHeight, image, 0.05);
        view.setAxisUnit(ImageView::AxisUnit::Arcsec);
        showAndLayOut(view);
        QSignalSpy clicks(&view, &ImageView::clicked);
        const int col = 9, row = 20;
        const QPoint at = screenPosition(view, (col - 0.5 * (kWidth - 1)) * 0.05, (row - 0.5 * (kHeight - 1)) * 0.05);
        QTest::mouseClick(view.plot(), Qt::LeftButton, {}, at);
        QCOMPARE(clicks.count(), 1);
        QVERIFY(std::abs(clicks.front().at(0).toDouble() - col) <= 0.5);
        QVERIFY(std::abs(clicks.front().at(1).toDouble() - row) <= 0.5);

        // A drag pans: no click.
        const QCPRange before = view.xRange();
        QTest::mousePress(view.plot(), Qt::LeftButton, {}, at);
        QMouseEvent move(QEvent::MouseMove, at + QPoint(60, 0), view.plot()->mapToGlobal(at + QPoint(60, 0)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.plot(), &move);
        QTest::mouseRelease(view.plot(), Qt::LeftButton, {}, at + QPoint(60, 0));
        QCOMPARE(clicks.count(), 1);
        QVERIFY(view.xRange().lower != before.lower);

        // The marker sits on the pixel given, in the axes' unit.
        view.setMarker(QPointF(col, row));
        auto *marker = view.plot()->findChild<QCPItemTracer *>();
        QVERIFY(marker && marker->visible());
        QCOMPARE(marker->position->coords(),
                 QPointF((col - 0.5 * (kWidth - 1)) * 0.05, (row - 0.5 * (kHeight - 1)) * 0.05));
        view.setAxisUnit(ImageView::AxisUnit::Pixels);
        QCOMPARE(marker->position->coords(), QPointF(col, row));
        view.setMarker(std::nullopt);
        QVERIFY(!marker->visible());

        view.clearImage();
        QVERIFY(std::isnan(view.valueAt(col, row)));
        QTest::mouseClick(view.plot(), Qt::LeftButton, {}, at);
        QCOMPARE(clicks.count(), 1); // no image, no click
    }
};

QTEST_MAIN(TestImageView)
#include "test_image_view.moc"

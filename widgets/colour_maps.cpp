#include "colour_maps.h"

#include <QCoreApplication>

#include <array>

namespace astrorim::widgets {

namespace {

void setStops(QCPColorGradient &gradient, std::initializer_list<const char *> colours)
{
    gradient.clearColorStops();
    const auto count = static_cast<double>(colours.size() - 1);
    int i = 0;
    for (const char *colour : colours)
        gradient.setColorStopAt(i++ / count, QColor(QString::fromLatin1(colour)));
}

} // namespace

QCPColorGradient colourGradient(ColourMap map, bool inverted)
{
    QCPColorGradient gradient;
    switch (map) {
    case ColourMap::Gray:
        gradient.loadPreset(QCPColorGradient::gpGrayscale);
        break;
    case ColourMap::Heat:
        // DS9's heat: black through red and yellow to white.
        setStops(gradient, {"#000000", "#800000", "#ff0000", "#ff8000", "#ffff00", "#ffffff"});
        break;
    case ColourMap::Viridis:
        // matplotlib's viridis at eleven equally spaced points.
        setStops(gradient, {"#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70",
                            "#7ad151", "#bddf26", "#fde725"});
        break;
    case ColourMap::Diverging:
        // ColorBrewer's RdBu, blue for negative, white at the centre.
        setStops(gradient, {"#053061", "#2166ac", "#4393c3", "#92c5de", "#f7f7f7", "#f4a582", "#d6604d", "#b2182b",
                            "#67001f"});
        break;
    }
    if (inverted)
        gradient = gradient.inverted();
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(0x80, 0x80, 0x80));
    gradient.setLevelCount(1024);
    return gradient;
}

QStringList colourMapNames()
{
    return {QCoreApplication::translate("ColourMap", "Grey"), QCoreApplication::translate("ColourMap", "Heat"),
            QCoreApplication::translate("ColourMap", "Viridis"),
            QCoreApplication::translate("ColourMap", "Diverging (zero-centred)")};
}

} // namespace astrorim::widgets

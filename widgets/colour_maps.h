#pragma once
// The colour maps of the image views, as QCustomPlot gradients: DS9's grey
// and heat, viridis (perceptually uniform; matplotlib's, van der Walt and
// Smith 2015) and a diverging blue-white-red map for residuals, which the
// views centre on zero.

#include "qcustomplot_include.h"

#include <QString>
#include <QStringList>

namespace astrorim::widgets {

enum class ColourMap {
    Gray,
    Heat,
    Viridis,
    Diverging,
};

/// The gradient of `map`, reversed when `inverted`; NaN pixels are drawn in
/// a neutral grey that no map uses for data.
QCPColorGradient colourGradient(ColourMap map, bool inverted = false);

/// User-visible names, translated, in enum order.
QStringList colourMapNames();

} // namespace astrorim::widgets

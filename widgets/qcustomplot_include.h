#pragma once
// Includes qcustomplot.h. That header uses Qt's `signals`, `emit` and
// `foreach` keywords, which the project switches off (QT_NO_KEYWORDS: they
// clash with LibTorch, see DESIGN.md); they are mapped to the Q_ macros for
// this header only.

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach

#include "event_loop_monitor.h"

#include <algorithm>

namespace astrorim::gui {

EventLoopMonitor::EventLoopMonitor(QObject *parent, int intervalMs)
    : QObject(parent)
    , m_interval(intervalMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopMonitor::tick);
    m_clock.start();
    m_timer.start();
}

void EventLoopMonitor::tick()
{
    const double elapsed = static_cast<double>(m_clock.nsecsElapsed()) * 1e-6;
    m_clock.restart();
    ++m_ticks;
    m_worst = std::max(m_worst, elapsed - m_interval);
}

} // namespace astrorim::gui

#pragma once
// Measures how long the GUI thread's event loop goes without turning: a
// timer asks to fire every few milliseconds, and any lateness beyond that is
// a stall the user would feel. The main window shows the worst one.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace astrorim::gui {

class EventLoopMonitor : public QObject
{
    Q_OBJECT

public:
    /// Starts measuring at once, on the thread that creates it.
    explicit EventLoopMonitor(QObject *parent = nullptr, int intervalMs = 5);

    /// The longest time in ms beyond the interval between two ticks since the last reset.
    [[nodiscard]] double worstStallMs() const { return m_worst; }
    void reset() { m_worst = 0; m_clock.restart(); }
    /// How many times the timer fired: a test waits for a few more to be
    /// sure a stall it caused has been measured.
    [[nodiscard]] long long ticks() const { return m_ticks; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_interval;
    double m_worst = 0;
    long long m_ticks = 0;
};

} // namespace astrorim::gui

#include "progress_bar.h"

#include <cstdio>
#include <iomanip>
#include <sstream>

#include <unistd.h>

namespace astrorim::cli {

ProgressBar::ProgressBar(std::string label, std::int64_t total, std::ostream &out)
    : m_label(std::move(label)), m_total(total > 0 ? total : 1), m_out(out),
      m_terminal(::isatty(STDERR_FILENO) != 0), m_start(std::chrono::steady_clock::now()), m_lastDraw(m_start)
{
}

void ProgressBar::update(std::int64_t done)
{
    const auto now = std::chrono::steady_clock::now();
    const double fraction = static_cast<double>(done) / static_cast<double>(m_total);
    const int decile = static_cast<int>(fraction * 10);
    const bool redraw = m_terminal ? (now - m_lastDraw > std::chrono::milliseconds(100) || done == m_total)
                                   : decile != m_lastDecile;
    if (!redraw)
        return;
    m_lastDraw = now;
    m_lastDecile = decile;

    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(m_total - done) / rate : 0.0;
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::ostringstream line;
    line << m_label << " [" << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done << '/' << m_total
         << std::fixed << std::setprecision(1) << "  " << rate << "/s  ETA " << eta << " s";
    if (m_terminal)
        m_out << '\r' << line.str() << "\033[K" << std::flush;
    else
        m_out << line.str() << '\n' << std::flush;
}

void ProgressBar::finish()
{
    if (m_terminal)
        m_out << '\n';
    m_out << std::flush;
}

} // namespace astrorim::cli

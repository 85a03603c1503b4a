#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace astrorim::cli {

/// A one-line progress bar with rate and ETA, redrawn in place on a terminal
/// and printed every 10 % otherwise (logs, CI). Not thread-safe.
class ProgressBar
{
public:
    ProgressBar(std::string label, std::int64_t total, std::ostream &out);

    /// Reports `done` of total units finished.
    void update(std::int64_t done);
    /// Ends the line.
    void finish();

private:
    std::string m_label;
    std::int64_t m_total;
    std::ostream &m_out;
    bool m_terminal;
    int m_lastDecile = -1;
    std::chrono::steady_clock::time_point m_start, m_lastDraw;
};

} // namespace astrorim::cli

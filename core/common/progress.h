#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace astrorim {

/// Shared cancellation flag. Copies refer to the same flag, so the GUI or CLI
/// keeps one copy and hands another to the long-running core function, which
/// polls cancelled() between steps.
class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}

    void cancel() { m_flag->store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool cancelled() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

/// Progress report: `done` of `total` units finished. Called from the thread
/// doing the work; receivers that touch a GUI must marshal to their own thread.
using ProgressCallback = std::function<void(std::int64_t done, std::int64_t total)>;

} // namespace astrorim

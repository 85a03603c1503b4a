#pragma once

#include <filesystem>
#include <functional>

namespace astrorim {

/// Writes `target` atomically: `writer` is called with a temporary path in the
/// same directory, and only when it returns normally is the temporary renamed
/// over `target`. If `writer` throws, the temporary is removed and `target` is
/// left as it was. Throws Error naming `target` when the directory is missing
/// or the rename fails.
void writeAtomically(const std::filesystem::path &target,
                     const std::function<void(const std::filesystem::path &tmp)> &writer);

/// Writes `text` to `target` atomically (see writeAtomically).
void writeTextAtomically(const std::filesystem::path &target, const std::string &text);

} // namespace astrorim

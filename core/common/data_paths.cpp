#include "common/data_paths.h"

#include <system_error>

#ifndef ASTRORIM_SOURCE_RESOURCES
#error "ASTRORIM_SOURCE_RESOURCES must name the source tree's resources/ folder"
#endif

namespace astrorim {

namespace fs = std::filesystem;

fs::path executableDirectory()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty())
        return {};
    return exe.parent_path();
}

fs::path findDataPath(const fs::path &relative, const fs::path &executableDir, const fs::path &sourceResources)
{
    std::error_code ec;
    fs::path installed;
    if (!executableDir.empty()) {
        installed = (executableDir / ".." / "share" / "astrorim" / relative).lexically_normal();
        if (fs::exists(installed, ec))
            return installed;
    }
    const fs::path source = (sourceResources / relative).lexically_normal();
    if (!sourceResources.empty() && fs::exists(source, ec))
        return source;
    return installed.empty() ? source : installed;
}

fs::path sourceResourcesDirectory()
{
    return fs::path(ASTRORIM_SOURCE_RESOURCES);
}

fs::path dataPath(const fs::path &relative)
{
    return findDataPath(relative, executableDirectory(), sourceResourcesDirectory());
}

fs::path defaultModelPath()
{
    return dataPath(fs::path("models") / "default.safetensors");
}

fs::path sampleDirectory()
{
    return dataPath("sample");
}

} // namespace astrorim

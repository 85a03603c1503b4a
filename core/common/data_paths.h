#pragma once

#include <filesystem>

namespace astrorim {

/// Where AstroRIM's bundled data (the default model, the sample lens) lie.
///
/// An installed program finds them beside itself, in
/// `<directory of the executable>/../share/astrorim/` (the layout `cmake --install`
/// and the Debian package make); a program run from a build tree falls back
/// to the source tree's `resources/`, whose path is fixed at build time.
/// `relative` is the same in both: "models/default.safetensors", "sample".

/// The directory of the running executable (from /proc/self/exe); empty when
/// it cannot be told.
std::filesystem::path executableDirectory();

/// `relative` under the data directory next to `executableDir`
/// (`executableDir/../share/astrorim/relative`) when it exists there, else
/// under `sourceResources`; when neither exists, the installed candidate (or
/// the source one when `executableDir` is empty), so that an error message
/// names the place an installed program looks.
std::filesystem::path findDataPath(const std::filesystem::path &relative,
                                   const std::filesystem::path &executableDir,
                                   const std::filesystem::path &sourceResources);

/// findDataPath for the running executable and the build's source tree.
std::filesystem::path dataPath(const std::filesystem::path &relative);

/// The bundled model's weights: dataPath("models/default.safetensors").
std::filesystem::path defaultModelPath();

/// The bundled sample observations' folder: dataPath("sample").
std::filesystem::path sampleDirectory();

/// The source tree's resources/ folder this build was made from.
std::filesystem::path sourceResourcesDirectory();

} // namespace astrorim

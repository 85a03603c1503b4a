// data_paths: installed programs find the bundled data beside themselves,
// programs in a build tree fall back to the source tree's resources/.

#include "check.h"
#include "temp_dir.h"

#include "common/data_paths.h"

#include <filesystem>
#include <fstream>

using namespace astrorim;
namespace fs = std::filesystem;

using astrorim::test::TempDir;

namespace {

void touch(const fs::path &file)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "x";
}

const fs::path modelRelative = fs::path("models") / "default.safetensors";

} // namespace

TEST_CASE(installedCopyComesFirst)
{
    TempDir prefix;
    TempDir source;
    fs::create_directories(prefix.path / "bin");
    touch(prefix.path / "share" / "astrorim" / modelRelative);
    touch(source.path / modelRelative);
    CHECK_EQ(findDataPath(modelRelative, prefix.path / "bin", source.path),
             prefix.path / "share" / "astrorim" / modelRelative);
}

TEST_CASE(sourceTreeIsTheFallback)
{
    TempDir prefix;
    TempDir source;
    fs::create_directories(prefix.path / "bin");
    touch(source.path / modelRelative);
    CHECK_EQ(findDataPath(modelRelative, prefix.path / "bin", source.path), source.path / modelRelative);
    // No executable directory known: the source tree still answers.
    CHECK_EQ(findDataPath(modelRelative, fs::path(), source.path), source.path / modelRelative);
}

TEST_CASE(neitherPresentNamesTheInstalledPlace)
{
    TempDir prefix;
    TempDir source;
    fs::create_directories(prefix.path / "bin");
    CHECK_EQ(findDataPath(modelRelative, prefix.path / "bin", source.path),
             prefix.path / "share" / "astrorim" / modelRelative);
    CHECK_EQ(findDataPath(modelRelative, fs::path(), source.path), source.path / modelRelative);
}

TEST_CASE(directoriesAreFoundToo)
{
    TempDir prefix;
    fs::create_directories(prefix.path / "bin");
    fs::create_directories(prefix.path / "share" / "astrorim" / "sample");
    CHECK_EQ(findDataPath("sample", prefix.path / "bin", fs::path()), prefix.path / "share" / "astrorim" / "sample");
}

TEST_CASE(executableDirectoryHoldsThisSuite)
{
    const fs::path dir = executableDirectory();
    CHECK(!dir.empty());
    CHECK(fs::is_regular_file(dir / "test_data_paths"));
}

TEST_CASE(buildTreeFindsTheBundledModelAndSample)
{
    // This suite runs from the build tree, where no share/astrorim lies beside
    // it: the bundled data come from the source tree.
    CHECK(fs::is_directory(sourceResourcesDirectory()));
    CHECK_EQ(defaultModelPath(), (sourceResourcesDirectory() / modelRelative).lexically_normal());
    CHECK(fs::is_regular_file(defaultModelPath()));
    CHECK(fs::is_regular_file(sampleDirectory() / "sample_lens.fits"));
}

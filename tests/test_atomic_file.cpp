// writeAtomically / writeTextAtomically: outputs appear whole or not at all.

#include "check.h"
#include "temp_dir.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

using namespace astrorim;
namespace fs = std::filesystem;

using astrorim::test::TempDir;

namespace {

std::string slurp(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

int entries(const fs::path &dir)
{
    int n = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST_CASE(createsNewFile)
{
    TempDir dir;
    const auto target = dir.path / "out.txt";
    writeTextAtomically(target, "hello\n");
    CHECK_EQ(slurp(target), std::string("hello\n"));
    CHECK_EQ(entries(dir.path), 1);
}

TEST_CASE(replacesExistingFile)
{
    TempDir dir;
    const auto target = dir.path / "out.txt";
    writeTextAtomically(target, "old content");
    writeTextAtomically(target, "new");
    CHECK_EQ(slurp(target), std::string("new"));
    CHECK_EQ(entries(dir.path), 1);
}

TEST_CASE(throwingWriterKeepsOldContentAndNoTemporary)
{
    TempDir dir;
    const auto target = dir.path / "out.txt";
    writeTextAtomically(target, "old content");
    CHECK_THROWS_WITH(writeAtomically(target,
                                      [](const fs::path &tmp) {
                                          std::ofstream(tmp) << "half written";
                                          fail("generator", "boom");
                                      }),
                      "generator: boom");
    CHECK_EQ(slurp(target), std::string("old content"));
    CHECK_EQ(entries(dir.path), 1); // the temporary is gone
}

TEST_CASE(foreignExceptionAlsoCleansUp)
{
    TempDir dir;
    const auto target = dir.path / "new.txt";
    bool caught = false;
    try {
        writeAtomically(target, [](const fs::path &tmp) {
            std::ofstream(tmp) << "partial";
            throw std::runtime_error("not ours");
        });
    } catch (const std::runtime_error &) {
        caught = true;
    }
    CHECK(caught);
    CHECK(!fs::exists(target)); // a file that did not exist is not created
    CHECK_EQ(entries(dir.path), 0);
}

TEST_CASE(missingDirectoryNamesTarget)
{
    TempDir dir;
    const auto target = dir.path / "no_such_dir" / "out.txt";
    const std::string name = target.string();
    CHECK_THROWS_WITH(writeTextAtomically(target, "x"), name.c_str(), "does not exist");
    CHECK(!fs::exists(target));
}

TEST_CASE(writerSeesSiblingTemporary)
{
    // The temporary must be in the target's directory: rename() is atomic
    // only within one file system.
    TempDir dir;
    const auto target = dir.path / "out.txt";
    fs::path seen;
    writeAtomically(target, [&](const fs::path &tmp) {
        seen = tmp;
        std::ofstream(tmp) << "x";
    });
    CHECK(seen.parent_path() == target.parent_path());
    CHECK(seen != target);
    CHECK(!fs::exists(seen));
    CHECK_EQ(slurp(target), std::string("x"));
}

TEST_CASE(inputFilesAreRecognisedUnderAnyName)
{
    TempDir dir;
    const auto input = dir.path / "lens.fits";
    writeTextAtomically(input, "pixels");
    fs::create_hard_link(input, dir.path / "hard.fits");
    fs::create_symlink(input, dir.path / "soft.fits");
    fs::create_directory(dir.path / "sub");
    const InputFiles inputs({input, fs::path(), dir.path / "missing.fits"});
    // Another name for the same file: relative, through "..", a hard or a symbolic link.
    CHECK_THROWS_WITH(inputs.checkOutput(input), "refusing to overwrite the input file", "lens.fits");
    CHECK_THROWS_WITH(inputs.checkOutput(dir.path / "sub" / ".." / "lens.fits"), "refusing to overwrite");
    CHECK_THROWS_WITH(inputs.checkOutput(dir.path / "hard.fits"), "hard.fits", "refusing to overwrite");
    CHECK_THROWS_WITH(inputs.checkOutput(dir.path / "soft.fits"), "refusing to overwrite");
    // Other files, and files that do not exist yet, may be written.
    writeTextAtomically(dir.path / "other.fits", "other");
    inputs.checkOutput(dir.path / "other.fits");
    inputs.checkOutput(dir.path / "lens_source.fits");
    CHECK_EQ(slurp(input), std::string("pixels"));
}

// astrorim-cli fits-info, run as a user would: the binary on a file written
// by the test, with its exit code and output checked.

#include "check.h"
#include "temp_dir.h"
#include "cli_runner.h"

#include "fits/fits_writer.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace astrorim;
using namespace astrorim::fits;
namespace fs = std::filesystem;

using astrorim::test::TempDir;

namespace {

using Run = astrorim::test::CliRun;

Run cli(const std::vector<std::string> &args, bool stderrToo)
{
    return astrorim::test::runCli(args, stderrToo);
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// 20 x 10 image, 0.1"/pixel TAN WCS whose reference point is the image centre
// (FITS pixel 10.5, 5.5 = 0-based 9.5, 4.5) at RA 150 deg = 10h, Dec +2 deg.
fs::path writeWcsImage(const TempDir &dir)
{
    const auto path = dir.path / "lens.fits";
    std::vector<float> pixels(20 * 10, 1.0f);
    pixels[3] = 7.0f;
    FitsHeader h;
    h.set("CTYPE1", std::string("RA---TAN"));
    h.set("CTYPE2", std::string("DEC--TAN"));
    h.set("CRPIX1", 10.5);
    h.set("CRPIX2", 5.5);
    h.set("CRVAL1", 150.0);
    h.set("CRVAL2", 2.0);
    h.set("CD1_1", -0.1 / 3600);
    h.set("CD1_2", 0.0);
    h.set("CD2_1", 0.0);
    h.set("CD2_2", 0.1 / 3600);
    const std::vector<float> noise(20 * 10, 0.5f);
    writeImages(path, {{20, 10, pixels.data(), h, "SCI"}, {20, 10, noise.data(), {}, "RMS"}});
    return path;
}

} // namespace

TEST_CASE(describesImageWithWcs)
{
    TempDir dir;
    const auto path = writeWcsImage(dir);
    const auto run = cli({"fits-info", path.string()}, false);
    CHECK_EQ(run.exitCode, 0);
    CHECK_MSG(contains(run.out, "SCI"), run.out);
    CHECK_MSG(contains(run.out, "20 x 10"), run.out);
    CHECK_MSG(contains(run.out, "-32"), run.out);
    CHECK_MSG(contains(run.out, "0.100000 arcsec/pixel (from WCS)"), run.out);
    CHECK_MSG(contains(run.out, "RA 10:00:00.000  Dec +02:00:00.00"), run.out);
    CHECK_MSG(contains(run.out, "(150.0000000, +2.0000000 deg)"), run.out);
    CHECK_MSG(contains(run.out, "HDU 1 (RMS)"), run.out); // every 2-D image is described
}

TEST_CASE(selectedHduGetsStatistics)
{
    TempDir dir;
    const auto path = writeWcsImage(dir);
    const auto run = cli({"fits-info", "--hdu", "sci", path.string()}, false);
    CHECK_EQ(run.exitCode, 0);
    CHECK_MSG(contains(run.out, "200 finite, 0 NaN"), run.out);
    CHECK_MSG(contains(run.out, "min 1, median 1, max 7"), run.out);
    CHECK_MSG(!contains(run.out, "HDU 1 (RMS):"), run.out);
}

TEST_CASE(pixelScaleFromKeyword)
{
    TempDir dir;
    const auto path = dir.path / "hst.fits";
    std::vector<float> pixels(6 * 6, 0.0f);
    FitsHeader h;
    h.set("PIXSCALE", 0.04, "arcsec/pix");
    writeImage(path, {6, 6, pixels.data(), h, {}});
    const auto run = cli({"fits-info", path.string()}, false);
    CHECK_EQ(run.exitCode, 0);
    CHECK_MSG(contains(run.out, "6 x 6"), run.out);
    CHECK_MSG(contains(run.out, "WCS:          none"), run.out);
    CHECK_MSG(contains(run.out, "0.040000 arcsec/pixel (from PIXSCALE keyword)"), run.out);
}

TEST_CASE(missingFileExitsOne)
{
    TempDir dir;
    const std::string missing = (dir.path / "missing.fits").string();
    const auto run = cli({"fits-info", missing}, true);
    CHECK_EQ(run.exitCode, 1);
    CHECK_MSG(contains(run.out, "astrorim-cli: " + missing + ": no such file"), run.out);
    const auto quiet = cli({"fits-info", missing}, false);
    CHECK_EQ(quiet.out, std::string()); // the message goes to stderr
}

TEST_CASE(badHduExitsOne)
{
    TempDir dir;
    const auto path = writeWcsImage(dir);
    const auto run = cli({"fits-info", "--hdu", "5", path.string()}, true);
    CHECK_EQ(run.exitCode, 1);
    CHECK_MSG(contains(run.out, "out of range"), run.out);
    const auto named = cli({"fits-info", "--hdu", "VIS_FLUX", path.string()}, true);
    CHECK_EQ(named.exitCode, 1);
    CHECK_MSG(contains(named.out, "SCI, RMS"), named.out);
}

TEST_CASE(unknownOptionExitsTwo)
{
    const auto run = cli({"fits-info", "--bogus", "x.fits"}, true);
    CHECK_EQ(run.exitCode, 2);
    CHECK_MSG(contains(run.out, "unknown option --bogus"), run.out);
    CHECK_MSG(contains(run.out, "usage: astrorim-cli fits-info"), run.out);
    const auto none = cli({"fits-info"}, true);
    CHECK_EQ(none.exitCode, 2);
    CHECK_MSG(contains(none.out, "missing FILE"), none.out);
}

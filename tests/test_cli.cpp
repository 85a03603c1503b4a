// astrorim-cli as a user runs it: exit codes, messages, files written.

#include "check.h"
#include "cli_runner.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "nn/model_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>


using namespace astrorim;

namespace {

using Run = astrorim::test::CliRun;

Run cli(const std::string &arguments)
{
    return astrorim::test::runCli(arguments);
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE(simulateWritesPairsReproducibly)
{
    const astrorim::test::TempDir a("astrorim_test_cli"), b("astrorim_test_cli");
    const auto first = cli("simulate --preset max-realism --count 3 --batch-size 2 --seed 5 --threads 2 --out " + a.path.string());
    CHECK_MSG(first.exitCode == 0, first.out);
    CHECK(contains(first.out, "wrote 3 pairs"));
    for (const char *name : {"lensed_00000.fits", "source_00002.fits", "lensed_00002.json", "simulation.json"})
        CHECK_MSG(std::filesystem::exists(a / name), name);
    CHECK(!std::filesystem::exists(a / "lensed_00003.fits"));

    const auto second = cli("simulate --preset max-realism --count 3 --batch-size 2 --seed 5 --threads 2 --out " + b.path.string());
    CHECK_MSG(second.exitCode == 0, second.out);
    for (const char *name : {"lensed_00000.fits", "lensed_00002.fits", "source_00001.fits"})
        CHECK(fits::readImage(a / name).pixels == fits::readImage(b / name).pixels);
}

TEST_CASE(simulateRefusesToOverwriteWithoutBeingAsked)
{
    const astrorim::test::TempDir dir("astrorim_test_cli");
    CHECK_EQ(cli("simulate --count 1 --out " + dir.path.string()).exitCode, 0);
    const auto again = cli("simulate --count 1 --out " + dir.path.string());
    CHECK_EQ(again.exitCode, 1);
    CHECK_MSG(contains(again.out, dir.path.string()) && contains(again.out, "--overwrite"), again.out);
    CHECK_EQ(cli("simulate --count 1 --overwrite --out " + dir.path.string()).exitCode, 0);
}

TEST_CASE(badCommandLinesGiveUsageAndExitCode2)
{
    for (const char *args : {"simulate --count 0 --out /tmp/x", "simulate --count ten --out /tmp/x",
                             "simulate --out /tmp/x", "simulate --count 2 --out /tmp/x --frobnicate",
                             "simulate --count 2 --out /tmp/x --device tpu", "no-such-command", "bench nothing"}) {
        const auto run = cli(args);
        CHECK_MSG(run.exitCode == 2, args << " gave " << run.exitCode << ": " << run.out);
        CHECK_MSG(contains(run.out, "usage: astrorim-cli"), args);
    }
}

TEST_CASE(unknownPresetIsAnErrorNamingTheChoices)
{
    const auto run = cli("simulate --preset shiny --count 1 --out " + astrorim::test::TempDir("astrorim_test_cli").path.string());
    CHECK_EQ(run.exitCode, 1);
    CHECK(contains(run.out, "shiny") && contains(run.out, "weak-lensing"));
}

TEST_CASE(presetsListsAllSix)
{
    const auto run = cli("presets");
    CHECK_EQ(run.exitCode, 0);
    for (const char *name : {"baseline", "rich-physics", "multi-instrument", "wide-parameter", "weak-lensing",
                             "max-realism"})
        CHECK_MSG(contains(run.out, std::string("### ") + name), name);
}

TEST_CASE(benchPrintsATable)
{
    const auto run = cli("bench simulate --preset baseline --device cpu --seconds 0.2 --threads 2");
    CHECK_MSG(run.exitCode == 0, run.out);
    CHECK(contains(run.out, "| cpu    |") && contains(run.out, "pairs/s") && contains(run.out, "384^2 rays"));

    const auto train = cli("bench train --device cpu --seconds 0.1 --batch-size 1 --iterations 1 --threads 2");
    CHECK_MSG(train.exitCode == 0, train.out);
    CHECK_MSG(contains(train.out, "| cpu    |") && contains(train.out, "samples/s"), train.out);
}

TEST_CASE(cudaRequestWithoutCudaIsAClearError)
{
    const auto run = cli("simulate --device cuda --count 1 --out " + astrorim::test::TempDir("astrorim_test_cli").path.string());
    if (run.exitCode == 0)
        SKIP("this machine has CUDA");
    CHECK_EQ(run.exitCode, 1);
    CHECK(contains(run.out, "CUDA"));
}

TEST_CASE(evaluateScoresAModelAndWritesItsReport)
{
    const astrorim::test::TempDir dir("astrorim_test_cli");
    astrorim::nn::saveModel(dir / "tiny.safetensors", *astrorim::nn::RimModel(astrorim::test::tinyModelConfig()));

    const auto run = cli("evaluate --model " + (dir / "tiny.safetensors").string() +
                         " --per-preset 1 --iterations 2 --device cpu --threads 2 --out " + (dir / "report").string());
    CHECK_MSG(run.exitCode == 0, run.out);
    CHECK_MSG(contains(run.out, "| all | 72 |") && contains(run.out, "| max-realism | 12 |"), run.out);
    for (const char *name : {"evaluation.md", "evaluation.json", "images.csv"})
        CHECK_MSG(std::filesystem::exists(dir / "report" / name), name);
    std::ifstream json(dir / "report" / "evaluation.json");
    CHECK_EQ(nlohmann::json::parse(json)["groups"]["all"]["images"].get<int>(), 72);

    const auto missing = cli("evaluate --model " + (dir / "none.safetensors").string());
    CHECK_EQ(missing.exitCode, 1);
    CHECK_MSG(contains(missing.out, "none.safetensors"), missing.out);
    CHECK_EQ(cli("evaluate --per-preset 3").exitCode, 2);
}

TEST_CASE(reconstructWritesEveryOutputAndReportsAFailingInputWithoutStopping)
{
    const astrorim::test::TempDir dir("astrorim_test_cli");
    astrorim::nn::saveModel(dir / "tiny.safetensors", *astrorim::nn::RimModel(astrorim::test::tinyModelConfig()));
    CHECK_EQ(cli("simulate --count 2 --seed 3 --out " + (dir / "in").string()).exitCode, 0);
    std::ofstream(dir / "in" / "broken.fits") << "not a FITS file";

    // The fit on a small source grid: the bookkeeping does not depend on its size.
    const std::string common = " --model " + (dir / "tiny.safetensors").string() + " --source-grid 16 --starts 1 --device cpu " +
                               "--threads 2 --output-dir " + (dir / "out").string();
    const auto run = cli("reconstruct " + (dir / "in" / "lensed_00000.fits").string() + " " +
                         (dir / "in" / "lensed_00001.fits").string() + " " + (dir / "in" / "broken.fits").string() +
                         common);
    CHECK_EQ(run.exitCode, 1);
    CHECK_MSG(contains(run.out, "reconstructed 2 of 3") && contains(run.out, "broken.fits"), run.out);
    for (const char *name : {"lensed_00000_source.fits", "lensed_00000_source_sigma.fits",
                             "lensed_00000_forward.fits", "lensed_00000_residual.fits",
                             "lensed_00000_chi2.fits", "lensed_00001_parameters.json", "summary.csv"})
        CHECK_MSG(std::filesystem::exists(dir / "out" / name), name);
    std::ifstream json(dir / "out" / "lensed_00000_parameters.json");
    const auto parameters = nlohmann::json::parse(json);
    CHECK_EQ(parameters["lens_model_list"][0].get<std::string>(), std::string("SIE"));
    CHECK(parameters["kwargs_lens"][0]["theta_E"].get<double>() > 0);
    CHECK(parameters["flags"].contains("ring_residuals"));
    const auto source = fits::readImage(dir / "out" / "lensed_00000_source.fits");
    CHECK_EQ(source.width, 16L); // the source-plane grid, not the 32-pixel cutout
    CHECK_EQ(parameters["source_grid"]["size"].get<int>(), 16);
    CHECK_EQ(parameters["fit"]["mode"].get<std::string>(), std::string("fit"));
    if (ASTRORIM_CLI_DRAWS_DIAGNOSTICS) {
        // The six-panel figure, drawn off screen: a PNG file (its 8-byte signature, RFC 2083).
        std::ifstream png(dir / "out" / "lensed_00001_diagnostic.png", std::ios::binary);
        std::string signature(8, '\0');
        png.read(signature.data(), 8);
        CHECK_EQ(signature, std::string("\x89PNG\r\n\x1a\n", 8));
    }

    const auto good = cli("reconstruct " + (dir / "in" / "lensed_00000.fits").string() + common +
                          " --z-lens 0.5 --z-source 2");
    CHECK_MSG(good.exitCode == 0, good.out);
    std::ifstream withMass(dir / "out" / "lensed_00000_parameters.json");
    const auto mass = nlohmann::json::parse(withMass)["mass"];
    CHECK(mass["sigma_crit_Msun_per_arcsec2"].get<double>() > 0);

    // analyze reruns the mass analysis from the file: the same numbers at the
    // same redshifts, other ones at others.
    const auto parametersFile = (dir / "out" / "lensed_00000_parameters.json").string();
    const auto again = cli("analyze " + parametersFile + " --z-lens 0.5 --z-source 2 --out " + (dir / "m.json").string());
    CHECK_MSG(again.exitCode == 0, again.out);
    std::ifstream rerun(dir / "m.json");
    CHECK_EQ(nlohmann::json::parse(rerun), mass);
    CHECK_EQ(cli("analyze " + parametersFile).exitCode, 2); // no redshifts
    CHECK_EQ(cli("analyze " + parametersFile + " --z-lens 2 --z-source 1").exitCode, 1);
    CHECK_EQ(cli("reconstruct --device cpu").exitCode, 2); // no input
}

TEST_CASE(reconstructRunsOnEveryRealObservation)
{
    // The real HST and Euclid files (../shared/data/real): multi-band files
    // with <BAND>_RMS and <BAND>_PSF beside the image, and an HST image with
    // its noise map and PSF in separate files. The untrained test model says
    // nothing about quality; this checks that real pixels (NaN-free or not,
    // neighbours, WCS) go through the whole pipeline.
    const std::filesystem::path real = ASTRORIM_REAL_DATA_DIR;
    if (!std::filesystem::exists(real / "SL2SJ0219-0829"))
        SKIP("real data not found: " + real.string());
    const astrorim::test::TempDir dir("astrorim_test_cli");
    astrorim::nn::saveModel(dir / "tiny.safetensors", *astrorim::nn::RimModel(astrorim::test::tinyModelConfig()));
    const std::string common = " --model " + (dir / "tiny.safetensors").string() +
                               " --source-grid 16 --starts 1 --device cpu --threads 2 --output-dir " + (dir / "out").string();
    const auto euclid = cli("reconstruct --hdu VIS " +
                            (real / "EUCLJ174517.55+655612.5" / "EUCLJ174517.55+655612.5.fits").string() + " " +
                            (real / "EUCLID_Q1_102019126_NEG589666030505609975" /
                             "102019126_NEG589666030505609975.fits").string() + common);
    CHECK_MSG(euclid.exitCode == 0, euclid.out);
    // With the neighbouring galaxies masked (the file beside it: 1 = masked).
    const auto q1 = real / "EUCLID_Q1_102019126_NEG589666030505609975";
    const auto masked = cli("reconstruct --hdu VIS " + (q1 / "102019126_NEG589666030505609975.fits").string() +
                            " --mask " + (q1 / "mask_extra_galaxies.fits").string() + common);
    CHECK_MSG(masked.exitCode == 0, masked.out);
    const auto hst = real / "SL2SJ0219-0829";
    const auto sl2s = cli("reconstruct " + (hst / "image_F600LP.fits").string() + " --noise " +
                          (hst / "noise_map_derived_F600LP.fits").string() + " --psf " +
                          (hst / "psf_F600LP.fits").string() + common);
    CHECK_MSG(sl2s.exitCode == 0, sl2s.out);
    CHECK(std::filesystem::exists(dir / "out" / "image_F600LP_parameters.json"));
}

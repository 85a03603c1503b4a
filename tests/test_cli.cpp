// astrorim-cli as a user runs it: exit codes, messages, files written.

#include "check.h"

#include "common/error.h"
#include "fits/fits_reader.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>

using namespace astrorim;

namespace {

struct Run
{
    int exitCode = -1;
    std::string output; // stdout and stderr together
};

Run cli(const std::string &arguments)
{
    const std::string command = std::string(ASTRORIM_CLI) + " " + arguments + " 2>&1";
    Run run;
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return run;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe))
        run.output += buffer.data();
    const int status = ::pclose(pipe);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

std::filesystem::path freshDirectory(const std::string &name)
{
    const auto dir = std::filesystem::temp_directory_path() / ("astrorim_test_cli_" + name);
    std::filesystem::remove_all(dir);
    return dir;
}

} // namespace

TEST_CASE(simulateWritesPairsReproducibly)
{
    const auto a = freshDirectory("a"), b = freshDirectory("b");
    const auto first = cli("simulate --preset max-realism --count 3 --batch-size 2 --seed 5 --threads 2 --out " + a.string());
    CHECK_MSG(first.exitCode == 0, first.output);
    CHECK(contains(first.output, "wrote 3 pairs"));
    for (const char *name : {"lensed_00000.fits", "source_00002.fits", "lensed_00002.json", "simulation.json"})
        CHECK_MSG(std::filesystem::exists(a / name), name);
    CHECK(!std::filesystem::exists(a / "lensed_00003.fits"));

    const auto second = cli("simulate --preset max-realism --count 3 --batch-size 2 --seed 5 --threads 2 --out " + b.string());
    CHECK_MSG(second.exitCode == 0, second.output);
    for (const char *name : {"lensed_00000.fits", "lensed_00002.fits", "source_00001.fits"})
        CHECK(fits::readImage(a / name).pixels == fits::readImage(b / name).pixels);
    std::filesystem::remove_all(a);
    std::filesystem::remove_all(b);
}

TEST_CASE(simulateRefusesToOverwriteWithoutBeingAsked)
{
    const auto dir = freshDirectory("overwrite");
    CHECK_EQ(cli("simulate --count 1 --out " + dir.string()).exitCode, 0);
    const auto again = cli("simulate --count 1 --out " + dir.string());
    CHECK_EQ(again.exitCode, 1);
    CHECK_MSG(contains(again.output, dir.string()) && contains(again.output, "--overwrite"), again.output);
    CHECK_EQ(cli("simulate --count 1 --overwrite --out " + dir.string()).exitCode, 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE(badCommandLinesGiveUsageAndExitCode2)
{
    for (const char *args : {"simulate --count 0 --out /tmp/x", "simulate --count ten --out /tmp/x",
                             "simulate --out /tmp/x", "simulate --count 2 --out /tmp/x --frobnicate",
                             "simulate --count 2 --out /tmp/x --device tpu", "no-such-command", "bench nothing"}) {
        const auto run = cli(args);
        CHECK_MSG(run.exitCode == 2, args << " gave " << run.exitCode << ": " << run.output);
        CHECK_MSG(contains(run.output, "usage: astrorim-cli"), args);
    }
}

TEST_CASE(unknownPresetIsAnErrorNamingTheChoices)
{
    const auto run = cli("simulate --preset shiny --count 1 --out " + freshDirectory("preset").string());
    CHECK_EQ(run.exitCode, 1);
    CHECK(contains(run.output, "shiny") && contains(run.output, "weak-lensing"));
}

TEST_CASE(presetsListsAllSix)
{
    const auto run = cli("presets");
    CHECK_EQ(run.exitCode, 0);
    for (const char *name : {"baseline", "rich-physics", "multi-instrument", "wide-parameter", "weak-lensing",
                             "max-realism"})
        CHECK_MSG(contains(run.output, std::string("### ") + name), name);
}

TEST_CASE(benchPrintsATable)
{
    const auto run = cli("bench simulate --preset baseline --device cpu --seconds 0.2 --threads 2");
    CHECK_MSG(run.exitCode == 0, run.output);
    CHECK(contains(run.output, "| cpu    |") && contains(run.output, "pairs/s") && contains(run.output, "384^2 rays"));
}

TEST_CASE(cudaRequestWithoutCudaIsAClearError)
{
    const auto run = cli("simulate --device cuda --count 1 --out " + freshDirectory("cuda").string());
    if (run.exitCode == 0)
        SKIP("this machine has CUDA");
    CHECK_EQ(run.exitCode, 1);
    CHECK(contains(run.output, "CUDA"));
}

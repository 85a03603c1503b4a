// Nothing the user made is lost: a writer killed midway leaves the old file
// or the new one, never a torn one; the CLI refuses to write over its
// inputs; and training killed with SIGKILL resumes from its last checkpoint
// to the weights of an uninterrupted run with the same seed.

#include "check.h"
#include "cli_runner.h"
#include "generation_file.h"
#include "temp_dir.h"

#include "common/subprocess.h"
#include "weights/safetensors.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>

using namespace astrorim;
namespace fs = std::filesystem;
using test::GenerationWriter;
using test::TempDir;

namespace {

const fs::path kSample = ASTRORIM_SOURCE_DIR "/resources/sample/sample_lens.fits";

std::string slurp(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Polls `ready` every millisecond for up to a minute; false if it never held.
template <class Ready>
bool waitFor(Ready ready)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!ready()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// Temporaries a killed writer left beside `target` (".NAME.tmp.PID.N").
int leftTemporaries(const fs::path &target)
{
    int n = 0;
    for (const auto &entry : fs::directory_iterator(target.parent_path()))
        if (entry.path().filename().string().rfind("." + target.filename().string() + ".tmp.", 0) == 0) {
            fs::remove(entry.path());
            ++n;
        }
    return n;
}

void killWritersAtRandomMoments(GenerationWriter writer, const char *mode)
{
    constexpr int kKills = 20;
    TempDir dir;
    const auto target = dir.path / (writer == GenerationWriter::Text ? "log.txt" : "image.fits");
    const auto ready = dir.path / "ready";
    test::writeGeneration(writer, target, 0);
    std::mt19937 random(20261123);
    std::uniform_int_distribution<int> delayMs(0, 80);
    int last = 0, midWrite = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        fs::remove(ready);
        Subprocess victim(ASTRORIM_VICTIM, {mode, target.string(), ready.string(), std::to_string(last + 1)},
                            dir.path / "victim.log");
        CHECK(waitFor([&] { return fs::exists(ready); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(random)));
        CHECK_MSG(victim.kill(), "the writer ended by itself: " << slurp(dir.path / "victim.log"));
        // The target is one whole generation: the one before this writer started, or one it wrote.
        const auto g = test::readGeneration(writer, target);
        CHECK_MSG(g.has_value(), mode << " kill " << kill << ": " << target << " is torn or missing");
        CHECK(*g >= last);
        last = *g;
        midWrite += leftTemporaries(target) > 0;
    }
    std::cout << mode << ": " << kKills << " kills, " << midWrite << " of them mid-write (a temporary was left); "
              << "the target was whole every time, generation " << last << " at the end\n";
    // The test means something only if some kills did land inside a write.
    CHECK(midWrite > 0);
}

} // namespace

TEST_CASE(aKilledTextWriterLeavesTheOldFileOrTheNewOne)
{
    killWritersAtRandomMoments(GenerationWriter::Text, "text");
}

TEST_CASE(aKilledFitsWriterLeavesTheOldFileOrTheNewOne)
{
    killWritersAtRandomMoments(GenerationWriter::Fits, "fits");
}

TEST_CASE(reconstructRefusesToWriteOverItsInputs)
{
    // Outputs of an earlier run given again through --input-dir, with the
    // same output folder: lens_source.fits would be written over.
    TempDir dir;
    fs::copy_file(kSample, dir.path / "lens.fits");
    fs::copy_file(kSample, dir.path / "lens_source.fits");
    const auto before = slurp(dir.path / "lens_source.fits");
    const auto run = test::runCli({"reconstruct", "--input-dir", dir.path.string(), "--output-dir",
                                   dir.path.string(), "--device", "cpu"});
    CHECK_EQ(run.exitCode, 1);
    CHECK_MSG(run.out.find("refusing to overwrite the input file") != std::string::npos, run.out);
    CHECK_MSG(run.out.find("lens_source.fits") != std::string::npos, run.out);
    CHECK(slurp(dir.path / "lens_source.fits") == before);
    CHECK(!fs::exists(dir.path / "summary.csv")); // refused before any work

    // The same file through a symbolic link to the folder is caught too.
    fs::create_directory_symlink(dir.path, dir.path / "link");
    const auto viaLink = test::runCli({"reconstruct", (dir.path / "lens.fits").string(), "--noise",
                                       (dir.path / "link" / "lens_source.fits").string(), "--output-dir",
                                       dir.path.string(), "--device", "cpu"});
    CHECK_EQ(viaLink.exitCode, 1);
    CHECK_MSG(viaLink.out.find("refusing to overwrite") != std::string::npos, viaLink.out);
    CHECK(slurp(dir.path / "lens_source.fits") == before);
}

TEST_CASE(analyzeAndTrainRefuseToWriteOverTheirInputs)
{
    TempDir dir;
    const auto parameters = dir.path / "lens_parameters.json";
    std::ofstream(parameters) << slurp(ASTRORIM_SOURCE_DIR "/resources/sample/sample_lens_truth.json");
    const auto before = slurp(parameters);
    const auto analyze = test::runCli({"analyze", parameters.string(), "--z-lens", "0.5", "--z-source", "2",
                                       "--out", parameters.string()});
    CHECK_EQ(analyze.exitCode, 1);
    CHECK_MSG(analyze.out.find("refusing to overwrite the input file") != std::string::npos, analyze.out);
    CHECK(slurp(parameters) == before);

    // Fine-tuning into the folder the starting weights came from.
    const auto model = dir.path / "model.safetensors";
    fs::copy_file(ASTRORIM_SOURCE_DIR "/resources/models/default.safetensors", model);
    const auto weights = slurp(model);
    const auto train = test::runCli({"train", "--init", model.string(), "--out", dir.path.string(), "--steps", "1",
                                     "--device", "cpu"});
    CHECK_EQ(train.exitCode, 1);
    CHECK_MSG(train.out.find("refusing to overwrite the input file") != std::string::npos, train.out);
    CHECK(slurp(model) == weights);
}

TEST_CASE(trainingKilledWithSigkillResumesToTheSameWeights)
{
    // A small model on one thread (reductions in a fixed order), a checkpoint
    // after every step. One run goes through; the other is killed with
    // SIGKILL after its third step and resumed from its checkpoint.
    const std::vector<std::string> common{"train", "--presets", "baseline", "--steps", "6", "--batch-size", "2",
                                          "--iterations", "2", "--rim-channels", "4,4,8", "--warmup", "2",
                                          "--validate-every", "1000", "--checkpoint-every", "1", "--log-every", "1",
                                          "--seed", "7", "--threads", "1", "--device", "cpu"};
    const auto withOut = [&](const fs::path &out, std::vector<std::string> extra = {}) {
        auto args = common;
        args.insert(args.end(), {"--out", out.string()});
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    };
    TempDir whole, split;
    const auto uninterrupted = test::runCli(withOut(whole.path));
    CHECK_MSG(uninterrupted.exitCode == 0, uninterrupted.out);

    const auto log = split.path / "training_log.csv";
    const auto stepsLogged = [&] {
        std::ifstream in(log);
        std::string line;
        int rows = -1; // the header
        while (std::getline(in, line))
            ++rows;
        return rows;
    };
    {
        Subprocess first(ASTRORIM_CLI, withOut(split.path), split.path / "first.log");
        CHECK_MSG(waitFor([&] { return stepsLogged() >= 3 || first.poll().has_value(); }), slurp(split.path / "first.log"));
        CHECK_MSG(first.kill(), "the run ended before it could be killed: " << slurp(split.path / "first.log"));
    }
    const auto checkpoint = split.path / "checkpoint.safetensors";
    CHECK(fs::exists(checkpoint));
    const auto killedAt = std::stoi(weights::readSafetensors(checkpoint).metadata.at("step"));
    CHECK(killedAt >= 2 && killedAt < 6);
    const auto resumed = test::runCli(withOut(split.path, {"--resume", checkpoint.string()}));
    CHECK_MSG(resumed.exitCode == 0, resumed.out);

    double worst = 0;
    std::size_t compared = 0;
    for (const char *file : {"checkpoint.safetensors", "model.safetensors"}) {
        const auto a = weights::readSafetensors(whole.path / file);
        const auto b = weights::readSafetensors(split.path / file);
        CHECK_EQ(a.tensors.size(), b.tensors.size());
        for (const auto &[name, t] : a.tensors)
            if (torch::isFloatingType(t.scalar_type())) {
                worst = std::max(worst, (t - b.tensors.at(name)).abs().max().item<double>());
                ++compared;
            }
    }
    std::cout << "killed after step " << killedAt << " of 6, resumed: largest difference from the uninterrupted "
              << "run over " << compared << " tensors (weights, EMA, optimizer state): " << worst << '\n';
    // Tolerance 1e-6 (absolute): on one thread the two runs do the same
    // operations in the same order, so the difference is expected to be 0.
    CHECK_MSG(worst <= 1e-6, "largest difference: " << worst);

    // The log holds each step once, also across the kill.
    std::set<int> steps;
    std::ifstream in(log);
    std::string line;
    std::getline(in, line);
    int rows = 0;
    while (std::getline(in, line)) {
        steps.insert(std::stoi(line));
        ++rows;
    }
    CHECK_EQ(rows, 6);
    CHECK_EQ(static_cast<int>(steps.size()), 6);
}

// Simulator tests. Rendering is checked against the lens equation of a
// singular isothermal sphere (Schneider, Ehlers & Falco 1992, §8.1.4): a
// point source at β on the x axis has images at x = β ± θ_E, and a source at
// β = 0 becomes a ring of radius θ_E.

#include "common/error.h"
#include "fits/fits_reader.h"
#include "simulation/dataset_writer.h"
#include "simulation/cpu_kernel.h"
#include "simulation/sample_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include "check.h"
#include "temp_dir.h"

using namespace astrorim;
using namespace astrorim::simulation;
using torch::Tensor;

namespace {

SimulationConfig config(const std::string &preset, std::uint64_t seed = 7)
{
    SimulationConfig c;
    c.preset = presetByName(preset);
    c.seed = seed;
    return c;
}

/// A drawn batch turned into B copies of one SIS lens (θ_E = 1″, at the
/// origin, no shear or perturbers) with a compact round source at (bx, 0),
/// faint lens light and a 0.05″ Gaussian PSF on a 0.04″ grid.
SampledSystems sisWithCompactSource(Simulator &sim, std::int64_t batch, double bx)
{
    SampledSystems s = sim.sample(0, batch);
    const auto full = [&](double v) { return torch::full({batch}, v); };
    s.pixelScale = full(0.04);
    s.lens.sie = {full(1.0), full(0.0), full(0.0), full(0.0), full(0.0)};
    s.lens.shear = {full(0.0), full(0.0)};
    s.lens.nfw.alpha_Rs = full(0.0);
    s.lens.sis.theta_E = full(0.0);
    s.source.amp = torch::zeros_like(s.source.amp);
    s.source.amp.select(1, 0).fill_(1.0);
    s.source.R_sersic.select(1, 0).fill_(0.03);
    s.source.n_sersic.select(1, 0).fill_(1.0);
    s.source.e1.zero_();
    s.source.e2.zero_();
    s.source.center_x.select(1, 0).fill_(bx);
    s.source.center_y.select(1, 0).fill_(0.0);
    s.clumps.amp.zero_();
    s.psfType = torch::zeros({batch}, torch::kLong);
    s.psfFwhm = full(0.05);
    s.lensLightRatio = full(1e-4);
    return s;
}

/// Position (arcsec) of the brightest pixel of image[row, :] restricted to columns [from, to).
double peakAlongRow(const Tensor &image, std::int64_t row, std::int64_t from, std::int64_t to, double scale)
{
    const Tensor line = image[row].narrow(0, from, to - from);
    const auto col = from + line.argmax().item<std::int64_t>();
    const double n = static_cast<double>(image.size(1));
    return (static_cast<double>(col) + 0.5 - n / 2) * scale;
}

/// Largest |fused − reference| over the largest |reference| of one image batch.
double differenceOverPeak(const Tensor &fused, const Tensor &reference)
{
    return ((fused - reference).abs().max() / reference.abs().max()).item<double>();
}

} // namespace

TEST_CASE(fusedCpuKernelMatchesTorchPath)
{
    // The fused kernel (simulation/cpu_renderer.h) evaluates the torch path's
    // formulas in float32 with its own exp/log/atan (1-2 ulp, like the Sleef
    // functions ATen calls), so each sub-pixel differs by a few ulp of the
    // values it sums, and the lensed positions β by a few ulp, which the
    // source's gradient turns into relative differences of the same order.
    // Measured: at most 1e-6 of an image's peak over these presets and seeds;
    // 1e-5 leaves a factor of 10. The floors the kernel skips (cpu_renderer.h)
    // are ~1e-31 of a peak. The noisy observations are not compared: a
    // rounding-level change of a Poisson mean can flip one accept/reject
    // step of the Poisson sampler, after which its stream is shifted.
    // Every kernel this CPU runs is checked (ASTRORIM_SIMD picks one).
    struct KernelChoice // ends the test with the default kernel, also on failure
    {
        ~KernelChoice() { ::unsetenv("ASTRORIM_SIMD"); }
    } restoreDefault;
    for (const auto &preset : presets())
        for (std::uint64_t seed : {3, 29}) {
            SimulationConfig torchConfig = config(preset.name, seed);
            torchConfig.fusedCpuKernel = false;
            const auto b = Simulator(torchConfig).generate(1, 4);
            for (const char *kernelName : {"baseline", "avx2", "avx512"}) {
                if (!simulation::kernel::runsKernel(kernelName))
                    continue;
                ::setenv("ASTRORIM_SIMD", kernelName, 1);
                const auto a = Simulator(config(preset.name, seed)).generate(1, 4);
                for (const auto &[name, x, y] : {std::tuple{"model", &a.model, &b.model},
                                                 std::tuple{"source", &a.source, &b.source},
                                                 std::tuple{"lensed source", &a.lensedSource, &b.lensedSource},
                                                 std::tuple{"lens light", &a.lensLight, &b.lensLight},
                                                 std::tuple{"noise map", &a.noiseMap, &b.noiseMap}}) {
                    const double difference = differenceOverPeak(*x, *y);
                    CHECK_MSG(difference <= 1e-5, kernelName << " " << preset.name << " seed " << seed << " "
                                                             << name << ": " << difference);
                }
            }
        }
}

TEST_CASE(samePixelsForSameSeedAndBatch)
{
    Simulator a(config("max-realism", 11)), b(config("max-realism", 11)), c(config("max-realism", 12));
    const auto x = a.generate(3, 4), y = b.generate(3, 4), z = c.generate(3, 4);
    CHECK(torch::equal(x.observation, y.observation));
    CHECK(torch::equal(x.source, y.source));
    CHECK(!torch::equal(x.observation, z.observation));
    // Batch 3 does not depend on whether batches 0-2 were drawn first.
    Simulator d(config("max-realism", 11));
    d.generate(0, 4);
    CHECK(torch::equal(d.generate(3, 4).observation, x.observation));
}

TEST_CASE(shapesAndFiniteValues)
{
    for (const auto &preset : presets()) {
        Simulator sim(config(preset.name));
        const auto b = sim.generate(0, 3);
        for (const Tensor *t : {&b.observation, &b.noiseMap, &b.model, &b.source, &b.lensLight, &b.lensedSource}) {
            CHECK(t->sizes() == torch::IntArrayRef({3, 96, 96}));
            CHECK_MSG(torch::isfinite(*t).all().item<bool>(), preset.name);
        }
        CHECK(b.psf.sizes() == torch::IntArrayRef({3, 25, 25}));
        CHECK((b.noiseMap > 0).all().item<bool>());
    }
}

TEST_CASE(einsteinRingOfCentredSourceHasRadiusThetaE)
{
    Simulator sim(config("baseline"));
    const auto b = sim.render(sisWithCompactSource(sim, 1, 0.0));
    const Tensor arcs = b.lensedSource[0];
    // Brightest pixel right of the centre along the middle row: the ring at +θ_E.
    const double radius = peakAlongRow(arcs, 48, 49, 96, 0.04);
    CHECK_NEAR(radius, 1.0, 0.04); // one pixel
    // The ring is round: the same radius straight up the middle column.
    const double up = peakAlongRow(arcs.transpose(0, 1).contiguous(), 48, 49, 96, 0.04);
    CHECK_NEAR(up, 1.0, 0.04);
}

TEST_CASE(offsetSourceImagesAtBetaPlusMinusThetaE)
{
    Simulator sim(config("baseline"));
    const double beta = 0.3;
    const auto b = sim.render(sisWithCompactSource(sim, 1, beta));
    const Tensor arcs = b.lensedSource[0];
    // Pixel rows 47 and 48 straddle y = 0; use their sum.
    const Tensor row = (arcs[47] + arcs[48]).unsqueeze(0);
    const double outer = peakAlongRow(row, 0, 49, 96, 0.04);
    const double inner = peakAlongRow(row, 0, 0, 47, 0.04);
    CHECK_NEAR(outer, beta + 1.0, 0.04);
    CHECK_NEAR(inner, beta - 1.0, 0.04);
    // SIS magnifications |μ±| = θ_E/β ± 1 (op. cit.): the outer image is brighter.
    CHECK(row.max().item<double>() == row[0].narrow(0, 49, 47).max().item<double>());
}

TEST_CASE(sourceSharesTheImageGrid)
{
    // The truth source's light centroid sits where the source was placed.
    Simulator sim(config("baseline"));
    auto systems = sisWithCompactSource(sim, 1, 0.2);
    systems.source.center_y.select(1, 0).fill_(-0.12);
    const auto b = sim.render(systems);
    const Tensor src = b.source[0].to(torch::kDouble);
    const Tensor coords = (torch::arange(96, torch::kDouble) + 0.5 - 48) * 0.04;
    const double total = src.sum().item<double>();
    CHECK_NEAR((src.sum(0) * coords).sum().item<double>() / total, 0.2, 0.004);
    CHECK_NEAR((src.sum(1) * coords).sum().item<double>() / total, -0.12, 0.004);
}

TEST_CASE(baselineLensesMagnify)
{
    // Sources inside the caustic of an isothermal lens are magnified by more
    // than 2 in total (SIS: μ = 2θ_E/β for β < θ_E). PSF convolution
    // preserves flux away from the edges.
    Simulator sim(config("baseline"));
    const auto b = sim.generate(0, 32);
    const Tensor mu = b.lensedSource.sum({1, 2}) / b.source.sum({1, 2});
    CHECK_MSG(mu.median().item<double>() > 3.0, "median magnification " << mu.median().item<double>());
    CHECK_MSG((mu > 1.5).all().item<bool>(), "smallest magnification " << mu.min().item<double>());
}

TEST_CASE(noiseMatchesNoiseMap)
{
    Simulator sim(config("multi-instrument"));
    const auto b = sim.generate(0, 8);
    const Tensor pull = (b.observation - b.model) / b.noiseMap;
    CHECK_NEAR(pull.mean().item<double>(), 0.0, 0.02);
    CHECK_NEAR(pull.std().item<double>(), 1.0, 0.03);
}

TEST_CASE(drawsStayInsidePresetRanges)
{
    for (const auto &p : presets()) {
        Simulator sim(config(p.name));
        const std::int64_t n = 512;
        const auto s = sim.sample(0, n);
        const Tensor theta = s.lens.sie.theta_E;
        CHECK_MSG((theta >= p.thetaE.min - 1e-6).all().item<bool>(), p.name);
        CHECK_MSG((theta <= p.thetaE.max + 1e-6).all().item<bool>(), p.name);
        CHECK_MSG((theta <= p.maxThetaEField * 96 * s.pixelScale + 1e-5).all().item<bool>(), p.name);
        const Tensor e = torch::sqrt(s.lens.sie.e1.square() + s.lens.sie.e2.square());
        const double maxE = (1 - p.minAxisRatio) / (1 + p.minAxisRatio);
        CHECK_MSG((e <= maxE + 1e-6).all().item<bool>(), p.name);
        const Tensor g = torch::sqrt(s.lens.shear.gamma1.square() + s.lens.shear.gamma2.square());
        CHECK_MSG((g <= p.maxShear + 1e-6).all().item<bool>(), p.name);
        // Perturber frequencies: binomial, 4σ.
        const auto frequency = [&](const Tensor &has, double prob) {
            const double f = has.to(torch::kDouble).mean().item<double>();
            CHECK_MSG(std::abs(f - prob) <= 4 * std::sqrt(prob * (1 - prob) / n) + 1e-9,
                      p.name << ": frequency " << f << " for probability " << prob);
        };
        frequency(s.hasNfw, p.nfwProbability);
        frequency(s.hasSis, p.sisProbability);
        CHECK((s.sourceComponents >= p.minSourceComponents).all().item<bool>());
        CHECK((s.sourceComponents <= p.maxSourceComponents).all().item<bool>());
        // Each system's PSF width lies within its own instrument's range.
        for (std::size_t i = 0; i < p.instruments.size(); ++i) {
            const Tensor mine = s.instrument == static_cast<std::int64_t>(i);
            const Tensor fwhm = s.psfFwhm.masked_select(mine);
            CHECK((fwhm >= p.instruments[i].psfFwhm.min - 1e-6).all().item<bool>());
            CHECK((fwhm <= p.instruments[i].psfFwhm.max + 1e-6).all().item<bool>());
        }
    }
}

TEST_CASE(unknownPresetNamesTheChoices)
{
    CHECK_THROWS_WITH(presetByName("nonsense"), "nonsense", "baseline", "max-realism");
}

TEST_CASE(writtenPairsReadBackWithTruth)
{
    const astrorim::test::TempDir dir("astrorim_test_simulation");
    auto cfg = config("rich-physics", 3);
    Simulator sim(cfg);
    const auto b = sim.generate(0, 2);
    writePairs(b, cfg, dir.path, 10);

    const auto observation = fits::readImage(dir / "lensed_00011.fits");
    CHECK_EQ(observation.width, 96);
    CHECK_EQ(observation.height, 96);
    CHECK_NEAR(observation.at(20, 70), b.observation[1][70][20].item<double>(), 1e-6);
    CHECK_NEAR(*observation.header.number("THETA_E"), b.truth.lens.sie.theta_E[1].item<double>(), 1e-6);
    const auto noise = fits::readImage(dir / "lensed_00011.fits", fits::parseHduSelector("NOISE"));
    CHECK_NEAR(noise.at(5, 6), b.noiseMap[1][6][5].item<double>(), 1e-6);
    const auto psf = fits::readImage(dir / "lensed_00011.fits", fits::parseHduSelector("PSF"));
    CHECK_EQ(psf.width, 25);
    const auto source = fits::readImage(dir / "source_00011.fits");
    CHECK_NEAR(source.at(48, 48), b.source[1][48][48].item<double>(), 1e-6);

    std::ifstream in(dir / "lensed_00011.json");
    const auto truth = nlohmann::json::parse(in);
    CHECK_EQ(truth["lens_model_list"][0].get<std::string>(), std::string("SIE"));
    CHECK_NEAR(truth["kwargs_lens"][0]["theta_E"].get<double>(), b.truth.lens.sie.theta_E[1].item<double>(), 1e-6);
    CHECK_EQ(truth["kwargs_source"].size(), truth["source_light_model_list"].size());
    // lenstronomy's pixel grid for the truth's frame: pixel (0, 0) at -(N-1)/2 pixels.
    const double scale = b.truth.pixelScale[1].item<double>();
    CHECK_NEAR(truth["grid"]["ra_at_xy_0"].get<double>(), -47.5 * scale, 1e-6);
    CHECK_NEAR(truth["grid"]["transform_pix2angle"][0][0].get<double>(), scale, 1e-9);
    CHECK_NEAR(truth["grid"]["transform_pix2angle"][0][1].get<double>(), 0.0, 1e-12);
    CHECK(!std::filesystem::exists(dir / "lensed_00012.fits"));
}

TEST_CASE(datasetIsAPrefixOfALongerRun)
{
    const astrorim::test::TempDir shortRun("astrorim_test_simulation"), longRun("astrorim_test_simulation");
    const auto cfg = config("weak-lensing", 4);
    CHECK_EQ(writeDataset(cfg, 3, 2, shortRun.path, false).written, 3);
    CHECK_EQ(writeDataset(cfg, 5, 2, longRun.path, false).written, 5);
    for (const char *name : {"lensed_00000.fits", "lensed_00002.fits", "source_00002.fits"})
        CHECK(fits::readImage(shortRun / name).pixels == fits::readImage(longRun / name).pixels);
    CHECK(std::filesystem::exists(shortRun / "simulation.json"));
    CHECK(!std::filesystem::exists(shortRun / "lensed_00003.fits"));
    CHECK_THROWS_WITH(writeDataset(cfg, 1, 1, shortRun.path, false), shortRun.path.string(), "--overwrite");
}

TEST_CASE(cancelledDatasetKeepsCompletePairsOnly)
{
    const astrorim::test::TempDir dir("astrorim_test_simulation");
    CancelToken cancel;
    std::int64_t reports = 0;
    const auto result = writeDataset(
        config("baseline"), 10, 2, dir.path, false,
        [&](std::int64_t done, std::int64_t total) {
            ++reports;
            CHECK_EQ(total, 10);
            if (done >= 4)
                cancel.cancel();
        },
        cancel);
    CHECK(result.cancelled);
    CHECK_EQ(result.written, 4);
    CHECK_EQ(reports, 2);
    CHECK(std::filesystem::exists(dir / "lensed_00003.json"));
    CHECK(!std::filesystem::exists(dir / "lensed_00004.fits"));
    for (const auto &entry : std::filesystem::directory_iterator(dir.path))
        CHECK_MSG(entry.path().filename().string().find(".tmp") == std::string::npos, entry.path());
}

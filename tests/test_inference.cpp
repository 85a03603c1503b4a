// The reconstruction pipeline (core/inference): maps in the observation's
// units and consistent with each other, per-iteration callbacks, cancel,
// batches that agree with single runs, and errors naming the observation.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/wcs.h"
#include "inference/outputs.h"
#include "inference/reconstructor.h"
#include "lensing/lens_model.h"
#include "lensing/lenstronomy_kwargs.h"
#include "light/sersic.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include "nn/model_file.h"
#include "simulation/presets.h"
#include "simulation/simulator.h"

using namespace astrorim;
using torch::Tensor;

namespace {

/// A small untrained model: the pipeline's bookkeeping does not depend on the weights.
std::filesystem::path tinyModel(const test::TempDir &dir, bool correction = true)
{
    torch::manual_seed(5);
    const auto file = dir.path / "tiny.safetensors";
    nn::RimModel model(test::tinyModelConfig());
    model->setCorrectionEnabled(correction);
    nn::saveModel(file, *model);
    return file;
}

/// Simulated lenses on a 48-pixel grid, with sky added back, as observations.
std::vector<inference::Observation> observations(int count)
{
    simulation::Simulator simulator({simulation::presetByName("baseline"), 21, 48, 4, 25, torch::kCPU});
    const auto b = simulator.generate(0, count);
    std::vector<inference::Observation> out;
    for (int i = 0; i < count; ++i) {
        inference::Observation o;
        o.name = "lens" + std::to_string(i);
        o.image = b.observation[i].to(torch::kFloat64) + 0.25;
        o.noiseMap = b.noiseMap[i].to(torch::kFloat64);
        o.pixelScale = b.truth.pixelScale[i].item<double>();
        o.psfFwhm = b.truth.psfFwhm[i].item<double>();
        out.push_back(o);
    }
    return out;
}

} // namespace

TEST_CASE(theMapsAreInTheObservationsUnitsAndAgreeWithEachOther)
{
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    const auto obs = observations(1).front();
    inference::ReconstructionOptions options;
    options.iterations = 4;
    options.preprocess.centre = preprocess::CentreMethod::Manual;
    options.preprocess.manualCentre = preprocess::PixelPosition{23.5, 23.5}; // pixel-aligned: no interpolation
    options.preprocess.pixelScale = obs.pixelScale;
    int calls = 0;
    const auto r = reconstructor.run(obs, options, [&](int t, const Tensor &source) {
        calls = t;
        CHECK_EQ(source.sizes().vec(), (std::vector<int64_t>{32, 32}));
    });
    CHECK_EQ(calls, 4);
    CHECK_EQ(r.iterationsRun, 4);
    CHECK(!r.cancelled);
    // The fitted data are the central 32×32 of the image minus the sky, in its units.
    const auto expected = obs.image.slice(0, 8, 40).slice(1, 8, 40) - r.prepared.sky.level;
    CHECK(torch::allclose(r.data, expected, 1e-9, 1e-9));
    CHECK(torch::allclose(r.sigma, obs.noiseMap.slice(0, 8, 40).slice(1, 8, 40), 1e-9, 1e-12));
    CHECK(std::abs(r.prepared.sky.level - 0.25) < 0.05);
    CHECK(torch::allclose(r.residual, r.data - r.forward, 1e-12, 1e-12));
    CHECK(torch::allclose(r.chi2, (r.residual / r.sigma).square(), 1e-12, 1e-12));
    CHECK_REL(r.reducedChi2, r.chi2.mean().item<double>(), 1e-12);
    CHECK(torch::equal(r.source, r.iterates.back()));
    CHECK_EQ(r.parameters.size(0), int64_t{nn::ParameterCount});
    CHECK(r.lens.lens.sie.theta_E.item<double>() > 0);
    CHECK_NEAR(r.psf.sum().item<double>(), 1.0, 1e-9);
}

TEST_CASE(cancellingStopsAfterTheCurrentIteration)
{
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    CancelToken cancel;
    inference::ReconstructionOptions options;
    options.iterations = 10;
    const auto r = reconstructor.run(observations(1).front(), options, [&](int t, const Tensor &) {
        if (t == 2)
            cancel.cancel();
    }, cancel);
    CHECK(r.cancelled);
    CHECK_EQ(r.iterationsRun, 2);
}

TEST_CASE(aBatchGivesWhatSingleRunsGive)
{
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    const auto all = observations(3);
    inference::ReconstructionOptions options;
    options.iterations = 3;
    std::int64_t done = 0;
    const auto batch = reconstructor.runBatch(all, options, 2, [&](std::int64_t n, std::int64_t) { done = n; });
    CHECK_EQ(batch.size(), size_t{3});
    CHECK_EQ(done, std::int64_t{3});
    for (size_t i = 0; i < all.size(); ++i) {
        const auto single = reconstructor.run(all[i], options);
        CHECK_EQ(batch[i].name, all[i].name);
        const double peak = single.source.abs().max().item<double>();
        CHECK_MSG(torch::allclose(batch[i].source, single.source, 1e-4, 1e-4 * peak), all[i].name);
    }
}

TEST_CASE(badObservationsGiveErrorsNamingThem)
{
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    auto o = observations(1).front();
    o.psfFwhm = 0;
    CHECK_THROWS_WITH(reconstructor.run(o, {}), "lens0", "PSF");
    o = observations(1).front();
    o.image = torch::full({48, 48}, NAN, torch::kFloat64);
    o.noiseMap = Tensor();
    CHECK_THROWS_WITH(reconstructor.run(o, {}), "lens0", "no finite pixel");
    o = observations(1).front();
    o.pixelScale = 0;
    CHECK_THROWS_WITH(reconstructor.run(o, {}), "lens0", "pixel scale");
    CHECK_THROWS_WITH(inference::Reconstructor(dir.path / "absent.safetensors", torch::kCPU), "absent.safetensors");
}

TEST_CASE(imagePlaneMapsKeepTheInputsSkyCoordinates)
{
    // An input with a TAN WCS (0.08″ pixels, rotated 30°): the forward map's
    // WCS must put its pixels where the input's WCS puts the same input
    // positions, here the cutout's centre and a corner (within 1 mas), and
    // the JSON gives the lens centre's RA/Dec.
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    auto obs = observations(1).front();
    fits::FitsHeader h;
    const double scale = obs.pixelScale / 3600, angle = 30 * M_PI / 180;
    h.set("CTYPE1", std::string("RA---TAN"));
    h.set("CTYPE2", std::string("DEC--TAN"));
    h.set("CRPIX1", 20.0);
    h.set("CRPIX2", 26.0);
    h.set("CRVAL1", 150.1);
    h.set("CRVAL2", 2.2);
    h.set("CD1_1", -scale * std::cos(angle));
    h.set("CD1_2", scale * std::sin(angle));
    h.set("CD2_1", scale * std::sin(angle));
    h.set("CD2_2", scale * std::cos(angle));
    const auto input = fits::Wcs::fromHeader(h, "input");
    CHECK(input.has_value());
    const auto r = reconstructor.run(obs, {});
    inference::Provenance provenance;
    provenance.wcs = input;
    inference::writeOutputs(r, provenance, dir.path / "out");
    const auto written = fits::Wcs::fromHeader(fits::readHeader(dir.path / "out" / "lens0_forward.fits"), "forward");
    CHECK(written.has_value());
    const auto &c = r.prepared.cutout;
    for (const auto &[col, row] : {std::pair{15.5, 15.5}, {0.0, 0.0}, {31.0, 7.0}}) {
        const auto a = written->pixelToWorld(col, row);
        const auto b = input->pixelToWorld(c.origin.x + col * c.factor, c.origin.y + row * c.factor);
        CHECK_NEAR(a.ra, b.ra, 1e-3 / 3600);
        CHECK_NEAR(a.dec, b.dec, 1e-3 / 3600);
    }
    CHECK(!fits::Wcs::fromHeader(fits::readHeader(dir.path / "out" / "lens0_source.fits"), "source").has_value());
    const auto json = inference::parametersJson(r, provenance);
    CHECK(json["sky"]["lens_center_dec_deg"].get<double>() > 2.1);
}

namespace {

/// A FITS image as [rows, cols] float64.
Tensor readMap(const std::filesystem::path &file, const std::string &hdu = {})
{
    auto image = fits::readImage(file, fits::parseHduSelector(hdu));
    return torch::from_blob(image.pixels.data(), {image.height, image.width}, torch::kFloat32).to(torch::kFloat64);
}

/// Bilinear value of `image` at fractional pixel (col, row), zero beyond its pixels.
double bilinear(const Tensor &image, double col, double row)
{
    const auto h = image.size(0), w = image.size(1);
    const auto c0 = static_cast<int64_t>(std::floor(col)), r0 = static_cast<int64_t>(std::floor(row));
    const double fc = col - static_cast<double>(c0), fr = row - static_cast<double>(r0);
    const auto at = [&](int64_t r, int64_t c) {
        return r < 0 || r >= h || c < 0 || c >= w ? 0.0 : image[r][c].item<double>();
    };
    return (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c0 + 1)) +
           fr * ((1 - fc) * at(r0 + 1, c0) + fc * at(r0 + 1, c0 + 1));
}

} // namespace

TEST_CASE(theExportedJsonAndSourceReRenderTheForwardModel)
{
    // The export check: from NAME_parameters.json (grid, lenstronomy
    // kwargs_lens and kwargs_lens_light, read by the double-precision lens
    // and light code), NAME_source.fits and the PSF in NAME_forward.fits,
    // an independent per-pixel renderer — 2×2 rays per pixel as the
    // operator, bilinear source, lens light averaged over the same rays,
    // direct convolution — must give NAME_forward.fits. The model's learned
    // correction is off: it is a network, not something a JSON can carry.
    // Tolerance 1e-5 of the peak: the model computes in float32.
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir, false), torch::kCPU);
    const auto r = reconstructor.run(observations(1).front(), {});
    inference::writeOutputs(r, {}, dir.path / "out");
    std::ifstream in(dir.path / "out" / "lens0_parameters.json");
    const auto json = nlohmann::json::parse(in);
    const auto source = readMap(dir.path / "out" / "lens0_source.fits");
    const auto forward = readMap(dir.path / "out" / "lens0_forward.fits");
    const auto psf = readMap(dir.path / "out" / "lens0_forward.fits", "PSF");

    const auto &grid = json["grid"];
    const double s = grid["transform_pix2angle"][0][0].get<double>(), x0 = grid["ra_at_xy_0"].get<double>(),
                 y0 = grid["dec_at_xy_0"].get<double>();
    CHECK_EQ(grid["transform_pix2angle"][0][1].get<double>(), 0.0);
    const auto lens = lensing::lensModelFromLenstronomy(json["lens_model_list"], json["kwargs_lens"], "json");
    const auto &k = json["kwargs_lens_light"][0];
    const light::SersicParams lensLight{k["amp"], k["R_sersic"], k["n_sersic"], k["e1"], k["e2"], k["center_x"],
                                        k["center_y"]};
    const int64_t n = source.size(0);
    auto unblurred = torch::zeros({n, n}, torch::kFloat64);
    for (int64_t row = 0; row < n; ++row)
        for (int64_t col = 0; col < n; ++col) {
            double sum = 0;
            for (const double dy : {-0.25, 0.25})
                for (const double dx : {-0.25, 0.25}) {
                    const double x = x0 + s * (static_cast<double>(col) + dx), y = y0 + s * (static_cast<double>(row) + dy);
                    const auto alpha = lensing::deflection(lens, x, y);
                    sum += bilinear(source, (x - alpha.x - x0) / s, (y - alpha.y - y0) / s) +
                           light::sersicIntensity(lensLight, x, y);
                }
            unblurred[row][col] = sum / 4;
        }
    // Direct convolution with zero padding (the PSF is symmetric).
    const auto kernel = psf.flip({0, 1}).view({1, 1, psf.size(0), psf.size(1)});
    const auto rendered = torch::conv2d(unblurred.view({1, 1, n, n}), kernel, {}, 1, psf.size(0) / 2).view({n, n});
    const double peak = forward.abs().max().item<double>();
    const double worst = (rendered - forward).abs().max().item<double>();
    const auto where = (rendered - forward).abs().argmax().item<int64_t>();
    CHECK_MSG(worst < 1e-4 * peak, "largest difference " << worst << " of peak " << peak << " at row " << where / n << " col " << where % n  << " value " << forward.flatten()[where].item<double>() << " light " << k.dump());
}

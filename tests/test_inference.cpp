// The reconstruction pipeline (core/inference): maps in the observation's
// units and consistent with each other, per-iteration callbacks, cancel,
// batches that agree with single runs, and errors naming the observation.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/fits_writer.h"
#include "fits/wcs.h"
#include "inference/observation_file.h"
#include "analysis/cosmology.h"
#include "analysis/mass_report.h"
#include "inference/diagnostics.h"
#include "inference/outputs.h"
#include "inference/reconstructor.h"
#include "inference/run.h"
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

Tensor readMap(const std::filesystem::path &file, const std::string &hdu = {});

/// The fit, small and quick: the bookkeeping does not depend on its size.
inference::ReconstructionOptions quickFit()
{
    inference::ReconstructionOptions options;
    options.mode = inference::FitMode::Full;
    options.fit.grid.size = 16;
    options.fit.optimizerGridSize = 12;
    options.fit.starts = 1;
    options.fit.thetaEStarts.clear();
    options.fit.maxIterations = 4;
    options.fit.parametricIterations = 4;
    return options;
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
    options.mode = inference::FitMode::Rim;
    options.iterations = 4;
    options.preprocess.centre = preprocess::CentreMethod::Manual;
    options.preprocess.manualCentre = preprocess::PixelPosition{23.5, 23.5}; // pixel-aligned: no interpolation
    options.preprocess.pixelScale = obs.pixelScale;
    int calls = 0;
    const auto r = reconstructor.run(obs, options, [&](const inference::SourceStep &step) {
        calls = step.iteration;
        CHECK_EQ(step.source.sizes().vec(), (std::vector<int64_t>{32, 32}));
        CHECK_EQ(step.stage, std::string("rim"));
        CHECK_REL(step.pixelScale, obs.pixelScale, 1e-12); // the cutout's grid
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
    options.mode = inference::FitMode::Rim;
    options.iterations = 10;
    const auto r = reconstructor.run(observations(1).front(), options, [&](const inference::SourceStep &step) {
        if (step.iteration == 2)
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
    options.mode = inference::FitMode::Rim;
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
    // Each step reports the grid its source lies on; the last is the final grid.
    std::vector<inference::SourceStep> steps;
    const auto r = reconstructor.run(obs, quickFit(), [&](const inference::SourceStep &step) { steps.push_back(step); });
    CHECK(!steps.empty());
    for (const auto &step : steps) {
        CHECK(step.stage == "inversion" || step.stage == "parametric" || step.stage == "lens" || step.stage == "final");
        CHECK(step.pixelScale > 0);
    }
    CHECK_EQ(steps.back().stage, std::string("final"));
    CHECK_EQ(steps.back().source.size(0), int64_t{r.fit->grid.size});
    CHECK_REL(steps.back().pixelScale, r.fit->grid.pixelScale, 1e-12);
    CHECK_REL(steps.back().centerX, r.fit->grid.centerX, 1e-12);
    CHECK(torch::allclose(steps.back().source, r.source, 1e-9, 1e-12));
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
    // The source grid's WCS gives the unlensed sky position of each source
    // pixel: its source-plane offset from the cutout's centre, projected as
    // the input projects that offset (same tangent point).
    CHECK(r.fit.has_value());
    const auto sourceWcs =
        fits::Wcs::fromHeader(fits::readHeader(dir.path / "out" / "lens0_source.fits"), "source");
    CHECK(sourceWcs.has_value());
    const auto &g = r.fit->grid;
    const double half = 0.5 * static_cast<double>(c.data.size(0) - 1);
    for (const auto &[i, j] : {std::pair{0, 0}, {15, 3}, {7, 12}}) {
        const double x = g.x(i), y = g.y(j); // arcsec in the cutout frame
        const auto expected =
            input->pixelToWorld(c.origin.x + (half + x / c.pixelScale) * c.factor, c.origin.y + (half + y / c.pixelScale) * c.factor);
        const auto a = sourceWcs->pixelToWorld(i, j);
        CHECK_NEAR(a.ra, expected.ra, 1e-3 / 3600);
        CHECK_NEAR(a.dec, expected.dec, 1e-3 / 3600);
    }
    CHECK_NEAR(sourceWcs->pixelScaleArcsec(), g.pixelScale, 1e-6 * g.pixelScale);
    const auto sigma = readMap(dir.path / "out" / "lens0_source_sigma.fits");
    CHECK_EQ(sigma.size(0), g.size);
    CHECK((sigma > 0).all().item<bool>());
    const auto json = inference::parametersJson(r, provenance);
    CHECK(json["sky"]["lens_center_dec_deg"].get<double>() > 2.1);
}

namespace {

/// A FITS image as [rows, cols] float64.
Tensor readMap(const std::filesystem::path &file, const std::string &hdu)
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
    // direct convolution — must give NAME_forward.fits. The source lies on
    // its own grid (NAME_parameters.json's source_grid), in flux per source
    // pixel. Tolerance 1e-4 of the peak: the maps are stored in float32.
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir, false), torch::kCPU);
    auto options = quickFit();
    options.fit.sigmaCalibration = {2, 3, 4, 5};
    const auto r = reconstructor.run(observations(1).front(), options);
    inference::writeOutputs(r, {}, dir.path / "out");
    std::ifstream in(dir.path / "out" / "lens0_parameters.json");
    const auto json = nlohmann::json::parse(in);

    // The 1σ are the Laplace 1σ times the calibration factor of each kind;
    // the lens light, without a truth to calibrate it, takes the largest.
    CHECK_EQ(json["fit"]["uncertainty_factors"]["theta_E"].get<double>(), 2.0);
    CHECK_EQ(json["fit"]["uncertainty_factors"]["others"].get<double>(), 5.0);
    const auto &laplace = r.fit->laplaceSigma;
    CHECK_EQ(laplace.size(), r.fit->parameterSigma.size());
    CHECK_EQ(r.fit->parameters.layout.lightComponents, 1);
    const int light = r.fit->parameters.layout.lightOffset(0);
    int checked = 0; // entries with a 1σ (this short fit leaves some directions flat)
    for (const auto &[entry, factor] : {std::pair{int{fit::ThetaE}, 2.0}, {fit::E2, 3.0}, {fit::CenterX, 4.0},
                                        {fit::CenterY, 4.0}, {fit::Gamma1, 5.0}, {light, 5.0}})
        if (static_cast<std::size_t>(entry) < laplace.size() && std::isfinite(laplace[entry])) {
            CHECK_NEAR(r.fit->parameterSigma[entry], factor * laplace[entry], 1e-15 * laplace[entry]);
            ++checked;
        }
    CHECK(checked >= 2);
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
    const auto &sg = json["source_grid"];
    const double h = sg["pixel_scale"].get<double>(), sx = sg["center_x"].get<double>(),
                 sy = sg["center_y"].get<double>();
    const int64_t ns = sg["size"].get<int64_t>();
    CHECK_EQ(source.size(0), ns);
    const auto brightness = source / ((h / s) * (h / s)); // per image pixel, as the lens conserves it
    const int64_t n = forward.size(0);
    auto unblurred = torch::zeros({n, n}, torch::kFloat64);
    for (int64_t row = 0; row < n; ++row)
        for (int64_t col = 0; col < n; ++col) {
            double sum = 0;
            for (const double dy : {-0.25, 0.25})
                for (const double dx : {-0.25, 0.25}) {
                    const double x = x0 + s * (static_cast<double>(col) + dx), y = y0 + s * (static_cast<double>(row) + dy);
                    const auto alpha = lensing::deflection(lens, x, y);
                    sum += bilinear(brightness, (x - alpha.x - sx) / h + 0.5 * static_cast<double>(ns - 1),
                                    (y - alpha.y - sy) / h + 0.5 * static_cast<double>(ns - 1)) +
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

TEST_CASE(theDiagnosticsOfAnSisFollowItsAnalyticProfile)
{
    // SIS, κ = θ_E/(2r) (Schneider, Ehlers & Falco 1992, eq. 8.32): the
    // mean κ inside θ_E is 1, κ = ½ all around the circle of θ_E, the mean κ
    // in an annulus r1 ≤ r < r2 is θ_E/(r1 + r2), ∫_{<r} κ dA = π θ_E r, and
    // the tangential critical curve is the circle of radius θ_E.
    inference::Diagnostics d;
    d.grid = {64, 64, 0.05, 0.0, 0.0};
    const double thetaE = 0.9, cx = 0.1, cy = -0.15;
    d.lens.components.push_back(lensing::SisParams{thetaE, cx, cy});
    inference::analyseLens(d);
    CHECK(d.einsteinRadiusFromKappa);
    CHECK_NEAR(d.einsteinRadius, thetaE, 1e-9);
    CHECK_NEAR(d.centre.x, cx, 0.0);
    CHECK_EQ(d.kappa.values.size(), size_t{64 * 64});
    for (const auto &bin : d.radialProfile)
        CHECK_NEAR(bin.kappa, thetaE / (bin.r_inner + bin.r_outer), 1e-9);
    CHECK_NEAR(d.radialProfile.back().r_outer, 2 * thetaE, 1e-12); // twice θ_E: beyond the 1.6″ half field
    for (const auto &s : d.azimuthalProfile)
        CHECK_NEAR(s.kappa, 0.5, 1e-12);
    for (const auto &p : d.enclosedConvergence)
        CHECK_NEAR(p.y, M_PI * thetaE * p.x, 1e-9 * p.y);
    for (const auto &p : d.meanKappaWithin)
        CHECK_NEAR(p.y, thetaE / p.x, 1e-9 * p.y);
    CHECK(!d.criticalCurves.empty());
    for (const auto &curve : d.criticalCurves)
        for (const auto &point : curve.critical)
            CHECK_NEAR(std::hypot(point.x - cx, point.y - cy), thetaE, 1e-6);

    // A lens without mass cannot be analysed.
    inference::Diagnostics shearOnly;
    shearOnly.lens.components.push_back(lensing::ShearParams{0.05, 0.0, 0.0, 0.0});
    CHECK_THROWS_WITH(inference::analyseLens(shearOnly), "mass");
}

TEST_CASE(theDiagnosticsShowTheExportedReconstruction)
{
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    const auto r = reconstructor.run(observations(1).front(), quickFit());
    auto parameters = inference::parametersJson(r, {});
    const auto d = inference::makeDiagnostics(r, parameters);
    const auto n = static_cast<size_t>(r.data.size(0));
    CHECK_EQ(d.grid.width, static_cast<int>(n));
    CHECK_EQ(d.observation.size(), n * n);
    const auto data = r.data.flatten(), residual = r.residual.flatten(), sigma = r.sigma.flatten();
    for (size_t i = 0; i < n * n; ++i) {
        const bool has = std::isfinite(sigma[static_cast<int64_t>(i)].item<double>());
        CHECK_EQ(std::isfinite(d.observation[i]), has);
        if (has)
            CHECK_NEAR(d.residual[i], residual[static_cast<int64_t>(i)].item<double>(), 1e-6);
    }
    // The panels show the exported lens: its SIE centre and, when the mean κ
    // crosses 1, a radius where it does.
    const auto &sie = parameters["kwargs_lens"][0];
    CHECK_NEAR(d.centre.x, sie["center_x"].get<double>(), 0.0);
    if (d.einsteinRadiusFromKappa)
        CHECK_NEAR(analysis::meanConvergenceWithin(d.lens, d.centre, d.einsteinRadius), 1.0, 1e-9);

    // The table: the lens as exported, no mass without redshifts, every flag.
    CHECK(!inference::criticalDensity(parameters));
    auto rows = inference::parameterTable(parameters);
    const auto find = [&](const std::vector<inference::TableRow> &table, const std::string &quantity) {
        for (const auto &row : table)
            if (row.quantity == quantity)
                return row;
        ::astrorim::test::fail(__FILE__, __LINE__, "no table row " + quantity);
        return inference::TableRow{};
    };
    char theta[32];
    std::snprintf(theta, sizeof theta, "%.4g", sie["theta_E"].get<double>());
    CHECK_EQ(find(rows, "θ_E (SIE)").value, std::string(theta));
    CHECK_EQ(find(rows, "mass").value, std::string("needs redshifts"));
    for (const auto &[name, flag] : parameters["flags"].items())
        CHECK_EQ(find(rows, "flag " + name).warning, flag["raised"].get<bool>());

    // With redshifts, Σ_crit and the Einstein mass come from the mass report.
    parameters["mass"] = analysis::massReport(d.lens, analysis::Cosmology::planck18(), 0.5, 2.0, NAN);
    CHECK_NEAR(*inference::criticalDensity(parameters), parameters["mass"]["sigma_crit_Msun_per_arcsec2"].get<double>(),
               0.0);
    rows = inference::parameterTable(parameters);
    CHECK_EQ(find(rows, "z_lens / z_source").value, std::string("0.500 / 2.000"));
    CHECK(find(rows, "Σ_crit").value != "—");
}

TEST_CASE(anObservationFileIsReadWithItsMask)
{
    test::TempDir dir;
    const int w = 20, h = 16;
    std::vector<float> image(w * h), mask(w * h, 0.0f), small(4, 0.0f);
    for (int i = 0; i < w * h; ++i)
        image[static_cast<size_t>(i)] = static_cast<float>(i);
    for (const int i : {0, 41, 42, 300})
        mask[static_cast<size_t>(i)] = 1.0f;
    fits::FitsHeader header;
    header.set("PIXSCALE", 0.05);
    header.set("PSFFWHM", 0.12);
    fits::writeImages(dir.path / "lens.fits.gz", {{w, h, image.data(), header, "SCI"}});
    fits::writeImage(dir.path / "mask.fits", {w, h, mask.data(), {}, {}});
    fits::writeImage(dir.path / "small.fits", {2, 2, small.data(), {}, {}});

    CHECK_EQ(inference::observationName(dir.path / "lens.fits.gz"), std::string("lens"));
    const auto choices = inference::imageHduChoices(dir.path / "lens.fits.gz");
    CHECK_EQ(choices.size(), size_t{1});
    CHECK_EQ(choices.front(), std::string("SCI"));

    inference::ObservationFileOptions options;
    options.maskFile = dir.path / "mask.fits";
    const auto read = inference::readObservationFile(dir.path / "lens.fits.gz", options);
    CHECK_EQ(read.observation.name, std::string("lens"));
    CHECK_NEAR(read.observation.pixelScale, 0.05, 0.0);
    CHECK_NEAR(read.observation.psfFwhm, 0.12, 0.0);
    const auto flat = read.observation.image.flatten();
    for (int i = 0; i < w * h; ++i) {
        const double v = flat[i].item<double>();
        if (mask[static_cast<size_t>(i)] != 0)
            CHECK(std::isnan(v));
        else
            CHECK_NEAR(v, image[static_cast<size_t>(i)], 0.0);
    }
    options.maskFile = dir.path / "small.fits";
    CHECK_THROWS_WITH(inference::readObservationFile(dir.path / "lens.fits.gz", options), "small.fits", "2x2",
                      "20x16");
}

TEST_CASE(oneRunAssemblyRecordsWhatWasReadAndUsed)
{
    // The CLI and the GUI both go through inference::runObservation /
    // completeRun: the provenance names the HDU actually read and the RIM
    // iterations actually run (the model's own count when none is asked),
    // and the mass analysis lands in the JSON when redshifts are given.
    test::TempDir dir;
    inference::Reconstructor reconstructor(tinyModel(dir), torch::kCPU);
    inference::ObservationFile file{observations(1).front(), std::nullopt, "VIS_BGSUB"};
    inference::ObservationFileOptions read;
    read.hdu = "VIS"; // what the user typed
    read.noiseFile = dir.path / "noise.fits";
    inference::ReconstructionOptions options;
    options.mode = inference::FitMode::Rim;
    options.iterations = 0; // as trained: the tiny model's file has no record, so the old default 10
    const auto run = inference::runObservation(reconstructor, dir.path / "lens.fits", file, read, options,
                                               inference::MassRequest{0.5, 2.0});
    const auto &provenance = run.parameters["provenance"];
    CHECK_EQ(provenance["hdu"].get<std::string>(), std::string("VIS_BGSUB"));
    CHECK_EQ(provenance["iterations"].get<int>(), 10);
    CHECK_EQ(run.result.iterationsRun, 10);
    CHECK_EQ(provenance["input_file"].get<std::string>(), (dir.path / "lens.fits").string());
    CHECK_MSG(run.parameters["mass"].is_object() && run.parameters["mass"].contains("sigma_crit_Msun_per_arcsec2"),
              run.parameters["mass"].dump());
    CHECK(run.parameters["mass"]["sigma_crit_Msun_per_arcsec2"].get<double>() > 0);
    CHECK_EQ(run.parameters, inference::parametersJson(run.result, run.provenance));
    // Nonsense redshifts fail naming the observation.
    CHECK_THROWS_WITH(inference::completeRun(run.result, run.provenance, inference::MassRequest{2.0, 1.0}),
                      file.observation.name);
}

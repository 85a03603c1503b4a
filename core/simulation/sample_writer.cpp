#include "simulation/sample_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_writer.h"
#include "lensing/tensor_lens.h"
#include "lensing/lenstronomy_kwargs.h"
#include "psf/psf_kernel.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <numbers>
#include <vector>

namespace astrorim::simulation {

namespace {

using nlohmann::json;
using torch::Tensor;

constexpr const char *kFrame = "image frame: x along increasing column, y along increasing row (FITS order), "
                               "arcsec from the image centre";

double at(const Tensor &t, std::int64_t b) { return t[b].item<double>(); }
double at(const Tensor &t, std::int64_t b, std::int64_t k) { return t[b][k].item<double>(); }

const std::string &instrumentName(const SimulationConfig &config, const SampledSystems &t, std::int64_t b)
{
    return config.preset.instruments[static_cast<std::size_t>(t.instrument[b].item<std::int64_t>())].name;
}

std::string numbered(const char *stem, std::int64_t index, const char *extension)
{
    char name[64];
    std::snprintf(name, sizeof name, "%s_%05lld.%s", stem, static_cast<long long>(index), extension);
    return name;
}

json sersicJson(const light::SersicTensor &s, std::int64_t b, std::int64_t k)
{
    return {{"amp", at(s.amp, b, k)},           {"R_sersic", at(s.R_sersic, b, k)},
            {"n_sersic", at(s.n_sersic, b, k)}, {"e1", at(s.e1, b, k)},
            {"e2", at(s.e2, b, k)},             {"center_x", at(s.center_x, b, k)},
            {"center_y", at(s.center_y, b, k)}};
}

/// The pixel grid, with the lenstronomy ImageData keywords that put its
/// coordinates in the frame of the truth: pixel (col, row) sits at
/// x = (col − (N−1)/2)·s, y = (row − (N−1)/2)·s.
json gridJson(int n, double scale, int supersample)
{
    const double corner = -0.5 * (n - 1) * scale;
    return {{"size", n},
            {"pixel_scale", scale},
            {"supersampling", supersample},
            {"transform_pix2angle", {{scale, 0.0}, {0.0, scale}}},
            {"ra_at_xy_0", corner},
            {"dec_at_xy_0", corner}};
}

/// Header keywords for the primary HDU: the values a quick look needs.
fits::FitsHeader truthHeader(const SimulatedBatch &batch, const SimulationConfig &config, std::int64_t b,
                             std::int64_t index)
{
    const auto &t = batch.truth;
    fits::FitsHeader h;
    h.set("BUNIT", std::string("ADU/s"), "sky-subtracted count rate");
    h.set("PIXSCALE", at(t.pixelScale, b), "[arcsec/pixel]");
    h.set("PRESET", config.preset.name, "AstroRIM simulator preset");
    h.set("SIMSEED", static_cast<std::int64_t>(config.seed), "simulator seed");
    h.set("SIMINDEX", index, "index of this pair");
    h.set("SUPERSMP", static_cast<std::int64_t>(config.supersample), "supersampling factor per axis");
    h.set("INSTRUME", instrumentName(config, t, b), "instrument class");
    h.set("THETA_E", at(t.lens.sie.theta_E, b), "[arcsec] SIE Einstein radius");
    h.set("E1", at(t.lens.sie.e1, b), "SIE ellipticity e1 (lenstronomy)");
    h.set("E2", at(t.lens.sie.e2, b), "SIE ellipticity e2 (lenstronomy)");
    h.set("CENTERX", at(t.lens.sie.center_x, b), "[arcsec] SIE centre x (+column)");
    h.set("CENTERY", at(t.lens.sie.center_y, b), "[arcsec] SIE centre y (+row)");
    h.set("GAMMA1", at(t.lens.shear.gamma1, b), "external shear gamma1");
    h.set("GAMMA2", at(t.lens.shear.gamma2, b), "external shear gamma2");
    h.set("HAS_NFW", t.hasNfw[b].item<bool>(), "NFW perturber present");
    h.set("HAS_SIS", t.hasSis[b].item<bool>(), "SIS perturber present");
    h.set("PSFTYPE", psf::psfTypeName(static_cast<psf::PsfType>(t.psfType[b].item<std::int64_t>())), "PSF profile");
    h.set("PSFFWHM", at(t.psfFwhm, b), "[arcsec] PSF FWHM");
    h.set("EXPTIME", at(t.noise.exposureTime, b), "[s] exposure time");
    h.set("SKYLEVEL", at(t.noise.sky, b), "[ADU/s/pixel] subtracted sky");
    h.set("RDNOISE", at(t.noise.readNoise, b), "[e-] read noise");
    h.set("GAIN", at(t.noise.gain, b), "[e-/ADU]");
    h.set("PEAKSNR", at(t.peakSnr, b), "brightest arc pixel / background sigma");
    return h;
}

std::vector<float> pixels(const Tensor &image)
{
    const Tensor c = image.contiguous().to(torch::kFloat);
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

} // namespace

json truthJson(const SimulatedBatch &batch, const SimulationConfig &config, std::int64_t b)
{
    const auto &t = batch.truth;
    const auto lens = lensing::lenstronomyLens(t.lens, b, t.hasNfw[b].item<bool>(), t.hasSis[b].item<bool>());

    json sourceModels = json::array(), sourceKwargs = json::array();
    for (std::int64_t k = 0; k < t.sourceComponents[b].item<std::int64_t>(); ++k) {
        sourceModels.push_back("SERSIC_ELLIPSE");
        sourceKwargs.push_back(sersicJson(t.source, b, k));
    }
    for (std::int64_t k = 0; k < t.clumpCount[b].item<std::int64_t>(); ++k) {
        // lenstronomy's GAUSSIAN takes the total flux as amp: 2π σ² × peak.
        const double sigma = at(t.clumps.sigma, b, k);
        sourceModels.push_back("GAUSSIAN");
        sourceKwargs.push_back({{"amp", 2 * std::numbers::pi * sigma * sigma * at(t.clumps.amp, b, k)},
                                {"sigma", sigma},
                                {"center_x", at(t.clumps.center_x, b, k)},
                                {"center_y", at(t.clumps.center_y, b, k)}});
    }

    const auto &ll = t.lensLight;
    const auto type = static_cast<psf::PsfType>(t.psfType[b].item<std::int64_t>());
    json psfJson = {{"type", psf::psfTypeName(type)}, {"fwhm", at(t.psfFwhm, b)}};
    if (type == psf::PsfType::Moffat)
        psfJson["moffat_beta"] = at(t.psfBeta, b);

    return {
        {"preset", config.preset.name},
        {"seed", config.seed},
        {"instrument", instrumentName(config, t, b)},
        {"grid", gridJson(config.gridSize, at(t.pixelScale, b), config.supersample)},
        {"frame", kFrame},
        {"units", "surface brightness in ADU/s per pixel; angles in arcsec"},
        {"lens_model_list", lens["lens_model_list"]},
        {"kwargs_lens", lens["kwargs_lens"]},
        {"source_light_model_list", sourceModels},
        {"kwargs_source", sourceKwargs},
        {"lens_light_model_list", {"SERSIC_ELLIPSE"}},
        {"kwargs_lens_light",
         {{{"amp", at(ll.amp, b)}, {"R_sersic", at(ll.R_sersic, b)}, {"n_sersic", at(ll.n_sersic, b)},
           {"e1", at(ll.e1, b)}, {"e2", at(ll.e2, b)}, {"center_x", at(ll.center_x, b)},
           {"center_y", at(ll.center_y, b)}}}},
        {"psf", psfJson},
        {"noise",
         {{"exposure_time", at(t.noise.exposureTime, b)}, {"sky", at(t.noise.sky, b)},
          {"read_noise", at(t.noise.readNoise, b)}, {"gain", at(t.noise.gain, b)}}},
        {"peak_snr", at(t.peakSnr, b)},
        {"lens_light_peak_ratio", at(t.lensLightRatio, b)},
    };
}

void writePairs(const SimulatedBatch &deviceBatch, const SimulationConfig &config,
                const std::filesystem::path &directory, std::int64_t firstIndex, std::int64_t count)
{
    // One transfer for the whole batch; per-pixel access is then host memory.
    const SimulatedBatch batch = deviceBatch.to(torch::kCPU);

    const long n = config.gridSize;
    const long k = batch.psf.size(1);
    const std::int64_t size = batch.observation.size(0);
    const std::int64_t written = count < 0 ? size : std::min(count, size);
    for (std::int64_t b = 0; b < written; ++b) {
        const std::int64_t index = firstIndex + b;
        const auto observation = pixels(batch.observation[b]);
        const auto noiseMap = pixels(batch.noiseMap[b]);
        const auto model = pixels(batch.model[b]);
        const auto lensLight = pixels(batch.lensLight[b]);
        const auto kernel = pixels(batch.psf[b]);
        const auto source = pixels(batch.source[b]);

        fits::FitsHeader header = truthHeader(batch, config, b, index);
        fits::FitsHeader plain;
        plain.set("BUNIT", std::string("ADU/s"));
        plain.set("PIXSCALE", at(batch.truth.pixelScale, b), "[arcsec/pixel]");
        fits::FitsHeader psfHeader;
        psfHeader.set("PIXSCALE", at(batch.truth.pixelScale, b), "[arcsec/pixel]");
        fits::writeImages(directory / numbered("lensed", index, "fits"),
                          {{n, n, observation.data(), header, {}},
                           {n, n, noiseMap.data(), plain, "NOISE"},
                           {n, n, model.data(), plain, "MODEL"},
                           {n, n, lensLight.data(), plain, "LENSLIGHT"},
                           {k, k, kernel.data(), psfHeader, "PSF"}});

        fits::FitsHeader sourceHeader = plain;
        sourceHeader.set("SIMINDEX", index, "index of this pair");
        sourceHeader.set("CONTENTS", std::string("unlensed source, same grid as the observation"));
        fits::writeImage(directory / numbered("source", index, "fits"), {n, n, source.data(), sourceHeader, {}});

        writeTextAtomically(directory / numbered("lensed", index, "json"),
                            truthJson(batch, config, b).dump(2) + "\n");
    }
}

} // namespace astrorim::simulation

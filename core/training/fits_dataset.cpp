#include "training/fits_dataset.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "lensing/lenstronomy_kwargs.h"
#include "light/sersic.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <variant>

namespace astrorim::training {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using torch::Tensor;

Tensor imageTensor(const fs::path &file, const std::string &hdu, long size)
{
    const auto image = fits::readImage(file, fits::parseHduSelector(hdu));
    if (image.width != size || image.height != size)
        fail(file.string(),
            (hdu.empty() ? std::string("the primary image") : "extension " + hdu) + " is " + std::to_string(image.width)
                + "x" + std::to_string(image.height) + ", expected " + std::to_string(size) + "x"
                + std::to_string(size));
    auto t = torch::from_blob(const_cast<float *>(image.pixels.data()), { size, size }, torch::kFloat32).clone();
    if (!torch::isfinite(t).all().item<bool>())
        fail(file.string(),
            (hdu.empty() ? std::string("the primary image") : "extension " + hdu) + " holds NaN or infinite pixels");
    return t;
}

/// One system's truth, read from its JSON sidecar. An absent perturber is
/// an empty optional.
struct Truth
{
    double pixelScale = 0, psfFwhm = 0;
    lensing::SieParams sie;
    lensing::ShearParams shear;
    std::optional<lensing::NfwParams> nfw;
    std::optional<lensing::SisParams> sis;
    light::SersicParams light;
};

Truth readTruth(const fs::path &file)
{
    std::ifstream in(file);
    if (!in)
        fail(file.string(), "cannot be opened");
    try {
        const auto j = json::parse(in);
        Truth t;
        t.pixelScale = j.at("grid").at("pixel_scale").get<double>();
        t.psfFwhm = j.at("psf").at("fwhm").get<double>();
        bool hasSie = false, hasShear = false;
        const auto lens =
            lensing::lensModelFromLenstronomy(j.at("lens_model_list"), j.at("kwargs_lens"), file.string());
        for (const auto &component : lens.components) {
            if (const auto *sie = std::get_if<lensing::SieParams>(&component))
                t.sie = *sie, hasSie = true;
            else if (const auto *shear = std::get_if<lensing::ShearParams>(&component))
                t.shear = *shear, hasShear = true;
            else if (const auto *nfw = std::get_if<lensing::NfwParams>(&component))
                t.nfw = *nfw;
            else if (const auto *sis = std::get_if<lensing::SisParams>(&component))
                t.sis = *sis;
        }
        if (!hasSie || !hasShear)
            fail(file.string(), "the lens needs an SIE and a SHEAR");
        const auto &l = j.at("kwargs_lens_light").at(0);
        t.light = { l.at("amp").get<double>(), l.at("R_sersic").get<double>(), l.at("n_sersic").get<double>(),
            l.at("e1").get<double>(), l.at("e2").get<double>(), l.at("center_x").get<double>(),
            l.at("center_y").get<double>() };
        if (!(t.pixelScale > 0) || !(t.psfFwhm > 0))
            fail(file.string(), "pixel scale and PSF FWHM must be positive");
        return t;
    } catch (const json::exception &e) {
        fail(file.string(), std::string("truth is incomplete or not valid JSON: ") + e.what());
    }
}

} // namespace

FitsDataset::FitsDataset(const fs::path &folder)
    : m_folder(folder)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        fail(folder.string(), "is not a folder of training pairs");
    for (const auto &entry : fs::directory_iterator(folder, ec)) {
        const auto name = entry.path().filename().string();
        if (name.size() > 12 && name.rfind("lensed_", 0) == 0 && entry.path().extension() == ".fits")
            m_stems.push_back(name.substr(7, name.size() - 12));
    }
    if (ec)
        fail(folder.string(), "cannot be listed: " + ec.message());
    if (m_stems.empty())
        fail(folder.string(), "holds no lensed_NNNNN.fits training pairs");
    std::sort(m_stems.begin(), m_stems.end());
    for (const auto &stem : m_stems)
        for (const auto &partner : { "source_" + stem + ".fits", "lensed_" + stem + ".json" })
            if (!fs::exists(folder / partner))
                fail((folder / ("lensed_" + stem + ".fits")).string(), "has no " + partner + " beside it");
}

simulation::SimulatedBatch FitsDataset::load(const std::vector<std::int64_t> &indices, torch::Device device) const
{
    if (indices.empty())
        fail(m_folder.string(), "an empty batch was asked for");
    std::vector<Tensor> observation, noise, model, lensLight, source, psf;
    std::vector<Truth> truths;
    long side = 0, kernel = 0;
    for (const auto i : indices) {
        if (i < 0 || i >= size())
            fail(m_folder.string(), "pair " + std::to_string(i) + " does not exist");
        const auto &stem = m_stems[static_cast<size_t>(i)];
        const auto lensed = m_folder / ("lensed_" + stem + ".fits");
        if (side == 0) {
            const auto hdus = fits::listHdus(lensed);
            side = hdus.at(0).dims.size() == 2 ? hdus[0].dims[0] : 0;
            for (const auto &h : hdus)
                if (h.extname == "PSF" && h.dims.size() == 2)
                    kernel = h.dims[0];
            if (side < 16 || kernel < 1 || kernel % 2 == 0)
                fail(lensed.string(), "needs a 2-D primary image and an odd square PSF extension");
        }
        observation.push_back(imageTensor(lensed, "", side));
        noise.push_back(imageTensor(lensed, "NOISE", side));
        model.push_back(imageTensor(lensed, "MODEL", side));
        lensLight.push_back(imageTensor(lensed, "LENSLIGHT", side));
        psf.push_back(imageTensor(lensed, "PSF", kernel));
        source.push_back(imageTensor(m_folder / ("source_" + stem + ".fits"), "", side));
        if (!(noise.back() > 0).all().item<bool>())
            fail(lensed.string(), "the NOISE map must be positive everywhere");
        truths.push_back(readTruth(m_folder / ("lensed_" + stem + ".json")));
    }

    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const auto column = [&](auto get) {
        std::vector<float> v;
        for (const auto &t : truths)
            v.push_back(static_cast<float>(get(t)));
        return torch::tensor(v, options);
    };
    simulation::SimulatedBatch b;
    auto &t = b.truth;
    t.pixelScale = column([](const Truth &x) { return x.pixelScale; });
    t.psfFwhm = column([](const Truth &x) { return x.psfFwhm; });
    t.hasNfw = column([](const Truth &x) { return x.nfw ? 1.0 : 0.0; }).to(torch::kBool);
    t.hasSis = column([](const Truth &x) { return x.sis ? 1.0 : 0.0; }).to(torch::kBool);
    t.lens.sie = { column([](const Truth &x) { return x.sie.theta_E; }),
        column([](const Truth &x) { return x.sie.e1; }), column([](const Truth &x) { return x.sie.e2; }),
        column([](const Truth &x) { return x.sie.center_x; }), column([](const Truth &x) { return x.sie.center_y; }) };
    t.lens.shear = { column([](const Truth &x) { return x.shear.gamma1; }),
        column([](const Truth &x) { return x.shear.gamma2; }) };
    // An absent perturber has zero strength (and a harmless scale radius).
    const lensing::NfwParams noNfw { 1.0, 0.0, 0.0, 0.0 };
    const lensing::SisParams noSis { 0.0, 0.0, 0.0 };
    const auto nfw = [&](const Truth &x) { return x.nfw.value_or(noNfw); };
    const auto sis = [&](const Truth &x) { return x.sis.value_or(noSis); };
    t.lens.nfw = { column([&](const Truth &x) { return nfw(x).Rs; }),
        column([&](const Truth &x) { return nfw(x).alpha_Rs; }),
        column([&](const Truth &x) { return nfw(x).center_x; }),
        column([&](const Truth &x) { return nfw(x).center_y; }) };
    t.lens.sis = { column([&](const Truth &x) { return sis(x).theta_E; }),
        column([&](const Truth &x) { return sis(x).center_x; }),
        column([&](const Truth &x) { return sis(x).center_y; }) };
    t.lens.hasNfw = t.hasNfw.any().item<bool>();
    t.lens.hasSis = t.hasSis.any().item<bool>();
    t.lensLight = { column([](const Truth &x) { return x.light.amp; }),
        column([](const Truth &x) { return x.light.R_sersic; }),
        column([](const Truth &x) { return x.light.n_sersic; }), column([](const Truth &x) { return x.light.e1; }),
        column([](const Truth &x) { return x.light.e2; }), column([](const Truth &x) { return x.light.center_x; }),
        column([](const Truth &x) { return x.light.center_y; }) };

    b.observation = torch::stack(observation).to(device);
    b.noiseMap = torch::stack(noise).to(device);
    b.model = torch::stack(model).to(device);
    b.lensLight = torch::stack(lensLight).to(device);
    b.lensedSource = b.model - b.lensLight;
    b.source = torch::stack(source).to(device);
    b.psf = torch::stack(psf).to(device);
    return b;
}

} // namespace astrorim::training

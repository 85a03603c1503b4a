#include "inference/observation_file.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "fits/pixel_scale.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace astrorim::inference {

namespace {

namespace fs = std::filesystem;

torch::Tensor pixels(const fits::FitsImage &image)
{
    return torch::from_blob(const_cast<float *>(image.pixels.data()), {image.height, image.width}, torch::kFloat32)
        .to(torch::kFloat64);
}

bool hasImage(const std::vector<fits::HduInfo> &hdus, const std::string &name)
{
    return std::any_of(hdus.begin(), hdus.end(), [&](const auto &h) { return h.extname == name && h.isImage2D(); });
}

/// A band name alone (VIS) picks its image: VIS_FLUX, VIS_BGSUB or VIS_SCI.
std::string resolveImageHdu(const std::vector<fits::HduInfo> &hdus, const std::string &hdu)
{
    if (!hdu.empty() && !hasImage(hdus, hdu))
        for (const char *suffix : {"_FLUX", "_BGSUB", "_SCI"})
            if (hasImage(hdus, hdu + suffix))
                return hdu + suffix;
    return hdu;
}

/// The extension that goes with the image HDU `extname` in a multi-band
/// file: VIS_FLUX or VIS_BGSUB → VIS_<kind>; else the plain <kind> names.
std::optional<std::string> companion(const std::vector<fits::HduInfo> &hdus, const std::string &extname,
                                     std::initializer_list<const char *> kinds)
{
    std::string band;
    for (const char *suffix : {"_FLUX", "_BGSUB", "_SCI"})
        if (extname.size() > std::strlen(suffix) && extname.ends_with(suffix))
            band = extname.substr(0, extname.size() - std::strlen(suffix));
    for (const char *kind : kinds) {
        if (!band.empty() && hasImage(hdus, band + "_" + kind))
            return band + "_" + kind;
        if (hasImage(hdus, kind))
            return std::string(kind);
    }
    return std::nullopt;
}

/// A 2-D image and the pixel scale its header states, if any.
std::pair<torch::Tensor, std::optional<double>> readAuxiliary(const fs::path &file, const std::string &hdu = {})
{
    const auto image = fits::readImage(file, fits::parseHduSelector(hdu));
    return {pixels(image), fits::pixelScaleArcsec(image.header, file.string())};
}

} // namespace

std::string observationName(const fs::path &file)
{
    std::string name = file.filename().string();
    for (const char *suffix : {".fits.gz", ".fits.fz", ".fits", ".fit", ".fz"})
        if (name.size() > std::strlen(suffix) && name.ends_with(suffix)) {
            name.resize(name.size() - std::strlen(suffix));
            break;
        }
    return name;
}

std::vector<std::string> imageHduChoices(const fs::path &file)
{
    std::vector<std::string> choices;
    for (const auto &h : fits::listHdus(file))
        if (h.isImage2D())
            choices.push_back(h.extname.empty() ? std::to_string(h.index) : h.extname);
    return choices;
}

std::string resolveImageHdu(const fs::path &file, const std::string &hdu)
{
    return hdu.empty() ? hdu : resolveImageHdu(fits::listHdus(file), hdu);
}

ObservationFile readObservationFile(const fs::path &file, const ObservationFileOptions &options)
{
    ObservationFile out;
    auto &o = out.observation;
    o.name = observationName(file);
    const auto hdus = fits::listHdus(file);
    const std::string hdu = resolveImageHdu(hdus, options.hdu);
    const auto image = fits::readImage(file, fits::parseHduSelector(hdu));
    out.hdu = image.extname.empty() ? hdu : image.extname;
    o.image = pixels(image);
    out.wcs = fits::Wcs::fromHeader(image.header, file.string());
    if (options.pixelScale)
        o.pixelScale = *options.pixelScale;
    else if (const auto scale = fits::pixelScaleArcsec(image.header, file.string()))
        o.pixelScale = *scale;
    else if (const auto *entry = options.catalog ? options.catalog->find(o.name) : nullptr; entry && entry->pixelScale)
        o.pixelScale = *entry->pixelScale;
    else
        fail(file.string(), "states no pixel scale (no WCS, PIXSCALE or T11..T22); give one (the command line's "
                            "--pixel-scale or a pixel_scale_arcsec column in --metadata; the window's Pixel "
                            "scale box)");

    if (!options.noiseFile.empty())
        o.noiseMap = readAuxiliary(options.noiseFile).first;
    else if (const auto noise = companion(hdus, image.extname, {"RMS", "NOISE", "ERR"}))
        o.noiseMap = readAuxiliary(file, *noise).first;
    if (o.noiseMap.defined() && o.noiseMap.sizes() != o.image.sizes())
        fail(file.string(), "its noise map is " + std::to_string(o.noiseMap.size(1)) + "x" +
                                std::to_string(o.noiseMap.size(0)) + ", the image " + std::to_string(image.width) +
                                "x" + std::to_string(image.height));

    if (!options.maskFile.empty()) {
        const auto mask = readAuxiliary(options.maskFile).first;
        if (mask.sizes() != o.image.sizes())
            fail(options.maskFile.string(), "is a " + std::to_string(mask.size(1)) + "x" + std::to_string(mask.size(0)) +
                                                " mask for the " + std::to_string(image.width) + "x" +
                                                std::to_string(image.height) + " image " + file.string());
        o.image = torch::where(mask != 0, torch::full_like(o.image, NAN), o.image);
    }
    // Said here, where the file is known; preprocessing would only find "no finite pixel".
    if (!torch::isfinite(o.image).any().item<bool>()) {
        const std::string masked = options.maskFile.empty() ? "" : ", or masked by " + options.maskFile.string();
        fail(file.string(), "the image holds no data: every pixel is NaN, infinite or BLANK" + masked);
    }

    std::optional<std::pair<torch::Tensor, std::optional<double>>> psf;
    if (!options.psfFile.empty())
        psf = readAuxiliary(options.psfFile);
    else if (options.psfFwhm)
        o.psfFwhm = *options.psfFwhm;
    else if (const auto name = companion(hdus, image.extname, {"PSF"}))
        psf = readAuxiliary(file, *name);
    else if (const auto fwhm = image.header.number("PSFFWHM"))
        o.psfFwhm = *fwhm;
    else
        fail(file.string(), "has no PSF extension or PSFFWHM keyword; give --psf FILE or --psf-fwhm ARCSEC");
    if (psf) {
        o.psfImage = psf->first;
        o.psfPixelScale = psf->second.value_or(o.pixelScale); // a PSF without a scale is sampled like the image
    }
    return out;
}

} // namespace astrorim::inference

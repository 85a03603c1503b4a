#include "inference/outputs.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_writer.h"
#include "lensing/ellipticity.h"
#include "lensing/lenstronomy_kwargs.h"
#include "model/image_grid.h"
#include "preprocess/preprocess.h"

#include <torch/torch.h>

#include <cmath>

namespace astrorim::inference {

namespace {

using json = nlohmann::ordered_json;

/// A file the user gave, or null.
json given(const std::string &file)
{
    return file.empty() ? json(nullptr) : json(file);
}
using torch::Tensor;

double value(const Tensor &t) { return t.item<double>(); }

json lensLightJson(const nn::LensEstimate &lens)
{
    const auto &l = lens.lensLight;
    return json::array({{{"amp", value(l.amp)}, {"R_sersic", value(l.R_sersic)}, {"n_sersic", value(l.n_sersic)},
                         {"e1", value(l.e1)}, {"e2", value(l.e2)}, {"center_x", value(l.center_x)},
                         {"center_y", value(l.center_y)}}});
}

/// The parameterization of the original AstroRIM scripts.
json astrorimQuantities(const nn::LensEstimate &lens)
{
    const auto &sie = lens.lens.sie;
    const auto shape = lensing::axisRatioFromEllipticity(value(sie.e1), value(sie.e2));
    const auto shear = lensing::shearToPolar(value(lens.lens.shear.gamma1), value(lens.lens.shear.gamma2));
    json q = {{"b", value(sie.theta_E)},   {"q", shape.q},
              {"phi", shape.phi},          {"x0", value(sie.center_x)},
              {"y0", value(sie.center_y)}, {"gamma", shear.gamma_ext},
              {"gamma_phi", shear.psi_ext}, {"rs", nullptr},
              {"kappa_s", nullptr}};
    if (lens.lens.hasNfw) {
        // lenstronomy: alpha_Rs = 4 κ_s Rs (1 − ln 2).
        const double rs = value(lens.lens.nfw.Rs);
        q["rs"] = rs;
        q["kappa_s"] = value(lens.lens.nfw.alpha_Rs) / (4 * rs * (1 - std::log(2.0)));
    }
    return q;
}

json uncertainties(const ReconstructionResult &r)
{
    json out = json::object();
    for (const auto index : {nn::ThetaE, nn::E1, nn::E2, nn::CenterX, nn::CenterY, nn::Gamma1, nn::Gamma2,
                             nn::LightLogR, nn::LightN, nn::PsfLogFwhm}) {
        const double s = value(r.parameterSigma[index]);
        out[std::string(nn::parameterName(index))] = std::isfinite(s) ? json(s) : json(nullptr);
    }
    return out;
}

/// Where a map's pixels lie, relative to the cutout: pixel (i, j) (0-based)
/// sits at (i + 1 − crpix1, j + 1 − crpix2) · ratio cutout pixels from the
/// cutout's centre. Image-plane maps are the cutout itself; the source grid
/// has its own scale and centre on the source plane.
struct Placement
{
    double crpix1 = 0, crpix2 = 0, ratio = 1, pixelScale = 0;
    bool imagePlane = true; ///< the cutout itself: its header names its place in the input
};

Placement cutoutPlacement(const ReconstructionResult &r)
{
    const double half = 0.5 * static_cast<double>(r.prepared.cutout.data.size(0) - 1);
    return {half + 1, half + 1, 1.0, r.prepared.cutout.pixelScale, true};
}

Placement sourcePlacement(const ReconstructionResult &r)
{
    const auto &g = r.fit->grid;
    const double half = 0.5 * (g.size - 1);
    return {half + 1 - g.centerX / g.pixelScale, half + 1 - g.centerY / g.pixelScale,
            g.pixelScale / r.prepared.cutout.pixelScale, g.pixelScale, false};
}

/// A TAN WCS tangent at the cutout's centre pixel, from the input's WCS. For
/// the source grid the world coordinates are the unlensed positions on the
/// sky: the same projection, with the source grid's scale and offset.
void setCutoutWcs(fits::FitsHeader &h, const ReconstructionResult &r, const fits::Wcs &wcs, const Placement &at)
{
    const auto &c = r.prepared.cutout;
    const double half = 0.5 * static_cast<double>(c.data.size(0) - 1);
    const double x = c.origin.x + half * c.factor, y = c.origin.y + half * c.factor;
    const auto centre = wcs.pixelToWorld(x, y);
    const auto j = wcs.jacobianArcsec();
    const std::string lon = wcs.longitudeType(), lat = lon == "RA" ? "DEC" : lon == "GLON" ? "GLAT" : "ELAT";
    const auto pad = [](std::string axis) {
        while (axis.size() < 4)
            axis += '-';
        return axis + "-TAN";
    };
    h.set("WCSAXES", std::int64_t{2});
    h.set("CTYPE1", pad(lon));
    h.set("CTYPE2", pad(lat));
    h.set("CUNIT1", std::string("deg"));
    h.set("CUNIT2", std::string("deg"));
    h.set("CRPIX1", at.crpix1, "cutout centre, 1-based");
    h.set("CRPIX2", at.crpix2, "cutout centre, 1-based");
    h.set("CRVAL1", centre.ra);
    h.set("CRVAL2", centre.dec);
    const double scale = c.factor * at.ratio / 3600;
    h.set("CD1_1", j[0] * scale);
    h.set("CD1_2", j[1] * scale);
    h.set("CD2_1", j[2] * scale);
    h.set("CD2_2", j[3] * scale);
}

/// One map as a FITS image; the forward model also carries the PSF it was
/// convolved with, as extension PSF, so that it can be re-rendered.
void writeMap(const std::filesystem::path &file, const Tensor &map, const ReconstructionResult &r,
              const std::string &contents, const std::string &unit, const fits::Wcs *wcs, bool withPsf,
              const Placement &at)
{
    const auto pixels = map.to(torch::kFloat32).contiguous();
    const auto &c = r.prepared.cutout;
    fits::FitsHeader h;
    h.set("CONTENTS", contents);
    h.set("BUNIT", unit);
    h.set("PIXSCALE", at.pixelScale, "[arcsec/pixel]");
    if (at.imagePlane) {
        h.set("ORIGX", c.origin.x, "input column of this image's pixel (0,0), 0-based");
        h.set("ORIGY", c.origin.y, "input row of this image's pixel (0,0), 0-based");
        h.set("RESAMPLE", c.factor, "output / input pixel size");
    } else {
        h.set("SRCX", (1 - at.crpix1) * at.pixelScale, "[arcsec] source-plane x of pixel (0,0) from the cutout centre");
        h.set("SRCY", (1 - at.crpix2) * at.pixelScale, "[arcsec] source-plane y of pixel (0,0) from the cutout centre");
    }
    if (wcs)
        setCutoutWcs(h, r, *wcs, at);
    std::vector<fits::ImageHdu> hdus{{map.size(1), map.size(0), pixels.data_ptr<float>(), h, {}}};
    const auto psf = r.psf.to(torch::kFloat32).contiguous();
    if (withPsf) {
        fits::FitsHeader psfHeader;
        psfHeader.set("PIXSCALE", c.pixelScale, "[arcsec/pixel]");
        psfHeader.set("CONTENTS", std::string("the PSF of the forward model, normalized to sum 1"));
        hdus.push_back({psf.size(1), psf.size(0), psf.data_ptr<float>(), psfHeader, "PSF"});
    }
    fits::writeImages(file, hdus);
}

} // namespace

std::vector<QualityFlag> qualityFlags(const ReconstructionResult &r)
{
    std::vector<QualityFlag> flags;
    flags.push_back({"rms_residual", r.rmsResidual >= 0.05, r.rmsResidual, 0.05,
                     "rms of the residual over the data peak: the model misses structure when it is high"});
    flags.push_back({"reduced_chi2", r.reducedChi2 >= 2.0, r.reducedChi2, 2.0,
                     "chi-squared per pixel: well above 1 means residuals beyond the noise"});

    const double absolute = r.source.abs().sum().item<double>();
    const double negative = absolute > 0 ? (-r.source.clamp_max(0)).sum().item<double>() / absolute : 0;
    flags.push_back({"negative_source_flux", negative >= 0.1, negative, 0.1,
                     "share of the source's absolute flux that is negative: unphysical when large"});

    // χ² on the Einstein ring against the rest of the image.
    const auto n = r.chi2.size(0);
    const double scale = r.prepared.cutout.pixelScale, thetaE = value(r.lens.lens.sie.theta_E);
    const auto offsets = model::subpixelOffsets(static_cast<int>(n), 1, torch::kFloat64) * scale;
    const auto radius = (offsets.view({1, -1}) - value(r.lens.lens.sie.center_x)).square()
                            .add((offsets.view({-1, 1}) - value(r.lens.lens.sie.center_y)).square())
                            .sqrt();
    const auto ring = (radius - thetaE).abs() <= 2 * scale;
    const auto has = torch::isfinite(r.sigma);
    const double onRing = r.chi2.index({ring & has}).mean().item<double>();
    const double elsewhere = r.chi2.index({~ring & has}).mean().item<double>();
    const double ratio = elsewhere > 0 ? onRing / elsewhere : 0;
    flags.push_back({"ring_residuals", std::isfinite(ratio) && ratio >= 2.0, std::isfinite(ratio) ? ratio : 0, 2.0,
                     "mean chi-squared within 2 pixels of the Einstein ring over the rest: the lens model is off "
                     "when residuals gather on the arcs"});

    const auto outside = preprocess::rangeWarnings(NAN, NAN, thetaE);
    flags.push_back({"outside_trained_range", !outside.empty(), thetaE, preprocess::trainedRanges().thetaEMax,
                     outside.empty() ? "the estimated Einstein radius lies inside the trained range"
                                     : outside.front()});
    return flags;
}

namespace {

json fitJson(const ReconstructionResult &r)
{
    const char *method = r.mode == FitMode::Full        ? "linear inversion with the lens optimized"
                         : r.mode == FitMode::Inversion ? "linear inversion through the estimator's lens"
                                                        : "RIM on the cutout grid (legacy)";
    json out = {{"mode", fitModeName(r.mode)},
                {"method", method},
                {"reduced_chi2", r.reducedChi2},
                {"rms_residual", r.rmsResidual},
                {"iterations_run", r.iterationsRun},
                {"cancelled", r.cancelled}};
    if (r.fit) {
        out["data_pixels"] = r.fit->dataPixels;
        out["chi2"] = r.fit->chi2;
        out["log_evidence"] = r.fit->logEvidence;
        out["regularization_lambda"] = r.fit->lambda;
        out["optimizer_inversions"] = r.fit->evaluations;
        out["hessian_positive_definite"] = r.fit->hessianPositive;
        out["uncertainties"] = "Laplace: twice the inverse of the Gauss-Newton Hessian of the penalized chi-squared "
                               "with the source re-solved, at the optimum, times the factors for the model's "
                               "systematic errors measured on simulations (uncertainty_factors)";
        const auto &c = r.fit->sigmaCalibration;
        out["uncertainty_factors"] = {{"theta_E", c.radius},
                                      {"ellipticity", c.ellipticity},
                                      {"center", c.position},
                                      {"shear", c.shear},
                                      {"others", c.others()}};
    } else {
        out["uncertainties"] = "the estimator network's predicted 1-sigma";
    }
    return out;
}

json sourceGridJson(const ReconstructionResult &r)
{
    if (!r.fit)
        return "the source shares the cutout's grid (RIM mode)";
    const auto &g = r.fit->grid;
    return {{"size", g.size},
            {"pixel_scale", g.pixelScale},
            {"center_x", g.centerX},
            {"center_y", g.centerY},
            {"units", "flux per source pixel in the input's units; NAME_source_sigma.fits holds its 1-sigma"},
            {"frame", "source-plane arcsec in the cutout's image frame; pixel (i, j) is centred at center + "
                      "(i + 1/2 - size/2, j + 1/2 - size/2) * pixel_scale"}};
}

} // namespace

nlohmann::ordered_json parametersJson(const ReconstructionResult &r, const Provenance &p)
{
    const auto &c = r.prepared.cutout;
    const auto n = c.data.size(0);
    const double corner = -0.5 * static_cast<double>(n - 1) * c.pixelScale;
    const auto lens = lensing::lenstronomyLens(r.lens.lens, 0, r.lens.lens.hasNfw, r.lens.lens.hasSis);
    json flags = json::object();
    for (const auto &f : qualityFlags(r))
        flags[f.name] = {{"raised", f.raised}, {"value", f.value}, {"threshold", f.threshold},
                         {"explanation", f.explanation}};
    json sky = nullptr;
    if (p.wcs) {
        // Cutout frame (arcsec from its centre) → input pixel → sky.
        const double half = 0.5 * static_cast<double>(n - 1);
        const auto toInput = [&](double arcsec, double origin) {
            return origin + (half + arcsec / c.pixelScale) * c.factor;
        };
        const auto lensCentre = p.wcs->pixelToWorld(toInput(value(r.lens.lens.sie.center_x), c.origin.x),
                                                    toInput(value(r.lens.lens.sie.center_y), c.origin.y));
        sky = {{"lens_center_ra_deg", lensCentre.ra}, {"lens_center_dec_deg", lensCentre.dec},
               {"frame_note", "kwargs_lens are in the cutout's pixel frame (x along columns); the maps' WCS "
                              "gives their orientation on the sky"}};
    }
    json metadata = json::object();
    for (const auto &[key, v] : p.modelMetadata)
        if (key != "config")
            metadata[key] = v;
    return {
        {"name", r.name},
        {"frame", "the cutout's image frame: x along increasing column, y along increasing row (FITS order), "
                  "arcsec from the cutout's centre"},
        {"units", "maps and amplitudes in the input's units per model pixel, sky subtracted; angles in arcsec"},
        {"grid",
         {{"size", n},
          {"pixel_scale", c.pixelScale},
          {"transform_pix2angle", {{c.pixelScale, 0.0}, {0.0, c.pixelScale}}},
          {"ra_at_xy_0", corner},
          {"dec_at_xy_0", corner},
          {"input_pixel_at_xy_0", {c.origin.x, c.origin.y}},
          {"resample_factor", c.factor}}},
        {"lens_model_list", lens["lens_model_list"]},
        {"kwargs_lens", lens["kwargs_lens"]},
        {"sky", sky},
        {"uncertainties_1sigma", uncertainties(r)},
        {"perturber_probability",
         {{"NFW", value(r.lens.nfwProbability)}, {"SIS", value(r.lens.sisProbability)}}},
        {"lens_light_model_list", {"SERSIC_ELLIPSE"}},
        {"kwargs_lens_light", lensLightJson(r.lens)},
        {"psf", {{"fwhm_estimated", value(r.lens.psfFwhm)}}},
        {"astrorim_quantities", astrorimQuantities(r.lens)},
        {"mass", p.mass.is_null() ? json("not computed: the redshifts are unknown (give --metadata, or --z-lens "
                                         "and --z-source; or run analyze on this file)")
                                  : p.mass},
        {"fit", fitJson(r)},
        {"source_grid", sourceGridJson(r)},
        {"flags", flags},
        {"warnings", r.warnings},
        {"provenance",
         {{"input_file", p.inputFile},
          {"hdu", p.hdu},
          {"model_file", p.modelFile},
          {"model", metadata},
          // RIM settings: none in the fit's modes.
          {"iterations", r.mode == FitMode::Rim ? json(p.iterations) : json(nullptr)},
          {"refinement_rounds", r.mode == FitMode::Rim ? json(p.refineRounds) : json(nullptr)},
          {"device", p.device},
          {"sky", r.prepared.sky.level},
          {"normalization", r.prepared.normalization.scale},
          {"centre_input_pixel", {r.prepared.centre.x, r.prepared.centre.y}},
          {"noise_file", given(p.noiseFile)},
          {"psf_file", given(p.psfFile)},
          {"psf_fwhm_given", p.psfFwhm ? json(*p.psfFwhm) : json(nullptr)},
          {"pixel_scale_given", p.pixelScale ? json(*p.pixelScale) : json(nullptr)},
          {"mask_file", given(p.maskFile)}}},
    };
}

InputFiles inputFiles(const Provenance &p)
{
    return InputFiles({p.inputFile, p.noiseFile, p.psfFile, p.maskFile, p.modelFile});
}

std::vector<std::filesystem::path> writeOutputs(const ReconstructionResult &r, const Provenance &p,
                                                const std::filesystem::path &folder)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        fail(folder.string(), "cannot create the output folder: " + ec.message());
    const auto inputs = inputFiles(p);
    for (const auto *suffix : kOutputSuffixes)
        inputs.checkOutput(folder / (r.name + suffix));
    std::vector<std::filesystem::path> files;
    const auto map = [&](const char *suffix, const Tensor &image, const std::string &contents, const std::string &unit,
                         bool imagePlane) {
        files.push_back(folder / (r.name + suffix));
        const bool located = p.wcs && (imagePlane || r.fit);
        writeMap(files.back(), image, r, contents, unit, located ? &*p.wcs : nullptr,
                 std::string(suffix) == "_forward.fits", imagePlane || !r.fit ? cutoutPlacement(r) : sourcePlacement(r));
    };
    if (r.fit) {
        // On its own grid; its WCS gives the unlensed positions on the sky.
        map("_source.fits", r.source, "reconstructed unlensed source on the source-plane grid, flux per source pixel",
            "input units", false);
        const auto sigma = r.sourceSigma.defined() ? r.sourceSigma : torch::full_like(r.source, NAN);
        map("_source_sigma.fits", sigma, "1-sigma of the source per source pixel (linear inversion, Laplace)",
            "input units", false);
    } else {
        // The RIM's source shares the cutout's grid but lies on the source plane: no place on the sky.
        map("_source.fits", r.source, "reconstructed unlensed source on the model grid", "input units", false);
    }
    map("_forward.fits", r.forward, "forward model: lensed source + lens light, PSF-convolved", "input units", true);
    map("_residual.fits", r.residual, "data - forward model (0 where there are no data)", "input units", true);
    map("_chi2.fits", r.chi2, "((data - forward) / sigma)^2 per pixel", "", true);
    files.push_back(folder / (r.name + "_parameters.json"));
    writeTextAtomically(files.back(), parametersJson(r, p).dump(2) + "\n");
    return files;
}

} // namespace astrorim::inference

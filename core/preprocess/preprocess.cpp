#include "preprocess/preprocess.h"

#include "common/error.h"
#include "common/tensor_shape.h"
#include "metrics/summary.h"
#include "simulation/presets.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace astrorim::preprocess {

namespace {

using torch::Tensor;
namespace F = torch::nn::functional;

constexpr double kMadToSigma = 1.4826; // σ of a Gaussian per median absolute deviation

Tensor asImage(const Tensor &image, const char *what)
{
    if (!image.defined() || image.dim() != 2 || image.numel() == 0)
        fail(what, "must be a non-empty 2-D image, got " + shapeText(image));
    return image.to(torch::kCPU, torch::kFloat64);
}

/// The finite values of `x`, flattened.
Tensor finiteValues(const Tensor &x, const char *what)
{
    const auto flat = x.flatten();
    const auto finite = flat.index({torch::isfinite(flat)});
    if (finite.numel() == 0)
        fail(what, "holds no finite pixel");
    return finite;
}

/// numpy.median: the mean of the two middle values when the count is even.
double medianOf(const Tensor &values)
{
    const auto n = values.numel();
    const double upper = std::get<0>(values.kthvalue(n / 2 + 1)).item<double>();
    return n % 2 == 1 ? upper : 0.5 * (upper + std::get<0>(values.kthvalue(n / 2)).item<double>());
}

SkyEstimate medianAndMad(const Tensor &values)
{
    const double m = medianOf(values);
    return {m, kMadToSigma * medianOf((values - m).abs())};
}

/// 3×3 box average, NaN as 0.
Tensor smooth3(const Tensor &image)
{
    const auto x = torch::nan_to_num(image, 0.0).view({1, 1, image.size(0), image.size(1)});
    return torch::avg_pool2d(x, 3, 1, 1, false, false).view({image.size(0), image.size(1)});
}

/// Bilinear samples of `image` (NaN-free) at input positions x, y (any
/// shape), zero outside; also the share of each sample's weight on valid pixels.
std::pair<Tensor, Tensor> sampleBilinear(const Tensor &image, const Tensor &valid, const Tensor &x, const Tensor &y)
{
    const auto h = static_cast<double>(image.size(0)), w = static_cast<double>(image.size(1));
    const auto grid = torch::stack({2 * x / std::max(w - 1, 1.0) - 1, 2 * y / std::max(h - 1, 1.0) - 1}, -1)
                          .view({1, x.size(0), x.size(1), 2});
    const auto options = F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true);
    const auto input = torch::stack({image, valid}).unsqueeze(0);
    const auto out = F::grid_sample(input, grid, options).squeeze(0);
    return {out[0], out[1]};
}

} // namespace

SkyEstimate estimateSky(const Tensor &input, SkyMethod method, int border)
{
    const auto image = asImage(input, "sky estimate");
    const auto side = std::min(image.size(0), image.size(1));
    const int64_t b = border > 0 ? std::min<int64_t>(border, side / 2) : std::max<int64_t>(4, side / 10);
    auto inner = torch::zeros_like(image, torch::kBool);
    if (image.size(0) > 2 * b && image.size(1) > 2 * b)
        inner.slice(0, b, image.size(0) - b).slice(1, b, image.size(1) - b).fill_(true);
    if (method == SkyMethod::Auto) {
        const auto strip = finiteValues(image.index({~inner}), "sky estimate");
        const double negative = (strip < 0).to(torch::kFloat64).mean().item<double>();
        return estimateSky(image, negative >= kSubtractedNegativeShare ? SkyMethod::None : SkyMethod::EdgeMedian,
                           border);
    }
    if (method == SkyMethod::None) {
        // No level to remove, but the background noise still comes from the
        // border strip, where the lens contributes least.
        auto s = estimateSky(image, SkyMethod::EdgeMedian, border);
        s.level = 0;
        return s;
    }
    if (method == SkyMethod::EdgeMedian)
        return medianAndMad(finiteValues(image.index({~inner}), "sky estimate"));
    auto values = finiteValues(image, "sky estimate");
    for (int i = 0; i < 20; ++i) {
        const auto s = medianAndMad(values);
        const auto kept = values.index({(values - s.level).abs() <= 3 * s.sigma});
        if (kept.numel() == values.numel() || kept.numel() < 8)
            break;
        values = kept;
    }
    return medianAndMad(values);
}

PixelPosition findCentre(const Tensor &input, CentreMethod method, const std::optional<PixelPosition> &manual)
{
    const auto image = asImage(input, "centring");
    const auto h = image.size(0), w = image.size(1);
    if (method == CentreMethod::Manual) {
        if (!manual || !(manual->x >= 0 && manual->x <= w - 1 && manual->y >= 0 && manual->y <= h - 1))
            fail("manual centre", "must be given and lie inside the " + std::to_string(w) + "x" + std::to_string(h) +
                                      " image");
        return *manual;
    }
    if (method == CentreMethod::ImageCentre)
        return {0.5 * static_cast<double>(w - 1), 0.5 * static_cast<double>(h - 1)};
    // Search the central half: lenses sit near the middle of their cutouts,
    // bright stars often do not.
    auto smoothed = smooth3(image);
    auto outside = torch::ones_like(smoothed, torch::kBool);
    outside.slice(0, h / 4, h - h / 4).slice(1, w / 4, w - w / 4).fill_(false);
    smoothed.masked_fill_(outside, -std::numeric_limits<double>::infinity());
    const auto index = smoothed.argmax().item<int64_t>();
    PixelPosition peak{static_cast<double>(index % w), static_cast<double>(index / w)};
    if (method == CentreMethod::BrightestPeak)
        return peak;

    // Arcs surround the lens, so the light-weighted centroid of a wide disc
    // lands on the lens even where an arc outshines it; start from the
    // image's middle, where lens cutouts put the lens.
    const double radius = 0.25 * static_cast<double>(std::min(h, w));
    const auto rows = torch::arange(h, image.options()).view({-1, 1});
    const auto cols = torch::arange(w, image.options()).view({1, -1});
    peak = {0.5 * static_cast<double>(w - 1), 0.5 * static_cast<double>(h - 1)};
    for (int i = 0; i < 10; ++i) {
        const auto near = (cols - peak.x).square() + (rows - peak.y).square() <= radius * radius;
        const auto weight = torch::where(near & torch::isfinite(image), image.clamp_min(0), torch::zeros_like(image));
        const double total = weight.sum().item<double>();
        if (!(total > 0))
            break;
        const PixelPosition next{(weight * cols).sum().item<double>() / total,
                                 (weight * rows).sum().item<double>() / total};
        const bool settled = std::hypot(next.x - peak.x, next.y - peak.y) < 1e-3;
        peak = next;
        if (settled)
            break;
    }
    return peak;
}

Cutout cutout(const Tensor &input, const Tensor &inputSigma, PixelPosition centre, double inputScale,
              double outputScale, int size)
{
    const auto image = asImage(input, "cutout");
    const auto sigma = asImage(inputSigma, "noise map");
    if (sigma.sizes() != image.sizes())
        fail("noise map", "is " + shapeText(sigma) + " but the image is " + shapeText(image));
    if (!(inputScale > 0) || !(outputScale > 0) || size < 8)
        fail("cutout", "pixel scales must be positive and the grid at least 8 pixels");

    Cutout out;
    out.pixelScale = outputScale;
    out.factor = outputScale / inputScale;
    const double r = out.factor, half = 0.5 * (size - 1);
    out.origin = {centre.x - half * r, centre.y - half * r};
    // k×k samples per output pixel, spaced at most one input pixel apart.
    const int k = std::max(1, static_cast<int>(std::ceil(r - 1e-9)));
    const auto sub = (torch::arange(k, torch::kFloat64) + 0.5) / k - 0.5;
    const auto pixel = torch::arange(size, torch::kFloat64);
    const auto along = ((pixel.view({-1, 1}) + sub.view({1, -1})) * r).flatten(); // [size·k]
    const auto x = (out.origin.x + along).view({1, -1}).expand({size * k, size * k});
    const auto y = (out.origin.y + along).view({-1, 1}).expand({size * k, size * k});

    const auto valid = (torch::isfinite(image) & torch::isfinite(sigma) & (sigma > 0)).to(torch::kFloat64);
    const auto clean = torch::where(valid > 0, image, torch::zeros_like(image));
    const auto variance = torch::where(valid > 0, sigma.square(), torch::zeros_like(sigma));
    const auto [value, weight] = sampleBilinear(clean, valid, x, y);
    const auto [var, unused] = sampleBilinear(variance, valid, x, y);
    const auto pool = [&](const Tensor &t) { return torch::avg_pool2d(t.view({1, 1, size * k, size * k}), k).view({size, size}); };
    // A sample is whole only where all four neighbours are valid pixels
    // inside the image; an output pixel needs all its samples whole.
    const auto whole = pool((weight > 1 - 1e-9).to(torch::kFloat64)) > 1 - 1e-9;
    out.data = torch::where(whole, pool(value) * (r * r), torch::zeros({size, size}, torch::kFloat64));
    const auto rms = pool(var).sqrt() * (r * std::min(r, 1.0));
    out.sigma = torch::where(whole, rms, torch::full({size, size}, std::numeric_limits<double>::infinity(),
                                                      torch::kFloat64));
    out.maskedFraction = 1.0 - whole.to(torch::kFloat64).mean().item<double>();
    return out;
}

Normalization normalization(const Tensor &input, NormalizationMethod method)
{
    const auto values = finiteValues(asImage(input, "normalization"), "normalization");
    Normalization n;
    switch (method) {
    case NormalizationMethod::Robust: {
        const auto s = medianAndMad(values);
        n = {s.level, s.sigma};
        break;
    }
    case NormalizationMethod::MinMax:
        n = {values.min().item<double>(), (values.max() - values.min()).item<double>()};
        break;
    case NormalizationMethod::Percentile: {
        const auto sorted = std::get<0>(values.sort());
        const std::vector<double> v(sorted.data_ptr<double>(), sorted.data_ptr<double>() + sorted.numel());
        const double low = metrics::percentileOfSorted(v, 1), high = metrics::percentileOfSorted(v, 99);
        n = {low, high - low};
        break;
    }
    }
    if (!(n.scale > 0) || !std::isfinite(n.scale))
        fail("normalization", "the image is constant: its " + normalizationName(method) + " scale is zero");
    return n;
}

namespace {

template <typename Enum, size_t N>
Enum parseChoice(const std::string &name, const char *what, const std::array<std::pair<const char *, Enum>, N> &choices)
{
    std::string list;
    for (const auto &[word, value] : choices) {
        if (name == word)
            return value;
        list += (list.empty() ? "" : ", ") + std::string(word);
    }
    fail(what, "'" + name + "' is not one of " + list);
}

template <typename Enum, size_t N>
std::string choiceName(Enum value, const std::array<std::pair<const char *, Enum>, N> &choices)
{
    for (const auto &[word, v] : choices)
        if (v == value)
            return word;
    return "unknown";
}

constexpr std::array<std::pair<const char *, NormalizationMethod>, 3> kNormalizations{
    {{"robust", NormalizationMethod::Robust},
     {"minmax", NormalizationMethod::MinMax},
     {"percentile", NormalizationMethod::Percentile}}};
constexpr std::array<std::pair<const char *, SkyMethod>, 4> kSkyMethods{{{"auto", SkyMethod::Auto},
                                                                          {"none", SkyMethod::None},
                                                                          {"edge-median", SkyMethod::EdgeMedian},
                                                                          {"sigma-clipped", SkyMethod::SigmaClipped}}};
constexpr std::array<std::pair<const char *, CentreMethod>, 4> kCentreMethods{
    {{"image-centre", CentreMethod::ImageCentre},
     {"peak", CentreMethod::BrightestPeak},
     {"centroid", CentreMethod::Centroid},
     {"manual", CentreMethod::Manual}}};

} // namespace

std::string normalizationName(NormalizationMethod m) { return choiceName(m, kNormalizations); }
NormalizationMethod parseNormalization(const std::string &n) { return parseChoice(n, "normalization", kNormalizations); }
std::string skyMethodName(SkyMethod m) { return choiceName(m, kSkyMethods); }
SkyMethod parseSkyMethod(const std::string &n) { return parseChoice(n, "sky method", kSkyMethods); }
std::string centreMethodName(CentreMethod m) { return choiceName(m, kCentreMethods); }
CentreMethod parseCentreMethod(const std::string &n) { return parseChoice(n, "centring method", kCentreMethods); }

Tensor resamplePsf(const Tensor &input, double inputScale, double outputScale, int size, const std::string &source)
{
    if (!input.defined() || input.dim() != 2 || input.numel() == 0)
        fail(source, "the PSF must be a non-empty 2-D image, got " + shapeText(input));
    const auto image = input.to(torch::kCPU, torch::kFloat64);
    if (!torch::isfinite(image).all().item<bool>() || !(image.sum().item<double>() > 0))
        fail(source, "the PSF must have finite pixels and positive total flux");
    if (size < 3 || size % 2 == 0)
        fail(source, "the PSF grid must be odd and at least 3 pixels, got " + std::to_string(size));
    const PixelPosition centre{0.5 * static_cast<double>(image.size(1) - 1), 0.5 * static_cast<double>(image.size(0) - 1)};
    // Pixels beyond the PSF image hold no light (zero, not missing).
    auto padded = torch::zeros({image.size(0) + 2, image.size(1) + 2}, torch::kFloat64);
    padded.slice(0, 1, -1).slice(1, 1, -1).copy_(image);
    const auto kernel = cutout(padded, torch::ones_like(padded), {centre.x + 1, centre.y + 1}, inputScale, outputScale, std::max(size, 8)).data;
    const auto crop = (kernel.size(0) - size) / 2;
    auto out = kernel.slice(0, crop, crop + size).slice(1, crop, crop + size).clamp_min(0);
    const double total = out.sum().item<double>();
    if (!(total > 0))
        fail(source, "the PSF has no flux left on a " + std::to_string(size) + "-pixel grid");
    return out / total;
}

const TrainedRanges &trainedRanges()
{
    static const TrainedRanges ranges = [] {
        const double inf = std::numeric_limits<double>::infinity();
        TrainedRanges r{inf, -inf, inf, -inf, inf, -inf};
        for (const auto &preset : simulation::presets()) {
            r.thetaEMin = std::min(r.thetaEMin, preset.thetaE.min);
            r.thetaEMax = std::max(r.thetaEMax, preset.thetaE.max);
            for (const auto &instrument : preset.instruments) {
                r.pixelScaleMin = std::min(r.pixelScaleMin, instrument.pixelScale.min);
                r.pixelScaleMax = std::max(r.pixelScaleMax, instrument.pixelScale.max);
                r.psfFwhmMin = std::min(r.psfFwhmMin, instrument.psfFwhm.min);
                r.psfFwhmMax = std::max(r.psfFwhmMax, instrument.psfFwhm.max);
            }
        }
        return r;
    }();
    return ranges;
}

std::vector<std::string> rangeWarnings(double pixelScale, double psfFwhm, double thetaE)
{
    const auto &r = trainedRanges();
    std::vector<std::string> out;
    const auto check = [&](double value, double low, double high, const char *what) {
        if (std::isnan(value) || (value >= low && value <= high))
            return;
        char text[200];
        std::snprintf(text, sizeof text, "%s %.3g arcsec lies outside the trained range %.3g-%.3g arcsec", what, value,
                      low, high);
        out.emplace_back(text);
    };
    check(pixelScale, r.pixelScaleMin, r.pixelScaleMax, "pixel scale");
    check(psfFwhm, r.psfFwhmMin, r.psfFwhmMax, "PSF FWHM");
    check(thetaE, r.thetaEMin, r.thetaEMax, "Einstein radius");
    return out;
}

PreparedObservation prepare(const Tensor &input, double pixelScale, const Tensor &noiseMap,
                            const PreprocessOptions &options)
{
    const auto image = asImage(input, "observation");
    // Fewer rows or columns than this hold no lens, and a single one would
    // make the bilinear resampling stretch it over the whole cutout.
    constexpr int64_t kMinSide = 8;
    if (image.size(0) < kMinSide || image.size(1) < kMinSide)
        fail("observation", "is " + std::to_string(image.size(1)) + " x " + std::to_string(image.size(0)) +
                                " pixels; a lens image needs at least " + std::to_string(kMinSide) +
                                " pixels on each side");
    if (!(pixelScale > 0) || !std::isfinite(pixelScale))
        fail("pixel scale", "must be positive, got " + std::to_string(pixelScale));
    PreparedObservation out;
    out.sky = estimateSky(image, options.sky);
    const auto data = image - out.sky.level;
    out.centre = findCentre(data, options.centre, options.manualCentre);

    Tensor sigma;
    if (noiseMap.defined()) {
        sigma = asImage(noiseMap, "noise map");
    } else {
        if (!(out.sky.sigma > 0))
            fail("observation", "its background has no measurable noise (MAD 0); give a noise map");
        auto variance = torch::full_like(data, out.sky.sigma * out.sky.sigma);
        if (options.gain > 0)
            variance = variance + torch::nan_to_num(data, 0.0).clamp_min(0) / options.gain;
        sigma = variance.sqrt();
    }

    const auto &ranges = trainedRanges();
    const double outputScale = options.pixelScale.value_or(std::clamp(pixelScale, ranges.pixelScaleMin, ranges.pixelScaleMax));
    out.cutout = cutout(data, sigma, out.centre, pixelScale, outputScale, options.gridSize);
    if (out.cutout.maskedFraction > 0.5)
        fail("observation", "more than half of the " + std::to_string(options.gridSize) +
                                "-pixel cutout lies outside the image or on missing pixels");
    if (out.cutout.maskedFraction > 0)
        out.warnings.push_back(std::to_string(static_cast<int>(std::round(100 * out.cutout.maskedFraction))) +
                               " % of the cutout lies outside the image or on missing pixels; they carry no weight");
    if (std::abs(out.cutout.factor - 1) > 1e-9)
        out.warnings.push_back("resampled from " + std::to_string(pixelScale) + " to " + std::to_string(outputScale) +
                               " arcsec per pixel to stay inside the trained range");

    const auto finite = torch::isfinite(out.cutout.sigma);
    out.normalization = normalization(out.cutout.data.index({finite}).view({1, -1}), options.normalization);
    out.cutout.data = torch::where(finite, out.cutout.data, torch::zeros_like(out.cutout.data));
    return out;
}

} // namespace astrorim::preprocess

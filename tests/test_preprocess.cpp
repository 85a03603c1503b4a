// Preprocessing (core/preprocess): sky, centre, cutout and resampling, noise
// map, normalization and PSF against values known by construction.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "metrics/summary.h"
#include "preprocess/preprocess.h"
#include "psf/psf_kernel.h"

#include <cmath>

using namespace astrorim;
using torch::Tensor;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// A circular Gaussian of total flux `flux` and width `sigma` pixels centred at (x0, y0) on an h×w grid.
Tensor blob(int64_t h, int64_t w, double x0, double y0, double sigma, double flux)
{
    const auto rows = torch::arange(h, kDouble).view({-1, 1}), cols = torch::arange(w, kDouble).view({1, -1});
    return flux / (2 * M_PI * sigma * sigma) *
           torch::exp(-((cols - x0).square() + (rows - y0).square()) / (2 * sigma * sigma));
}

} // namespace

TEST_CASE(bothSkyEstimatesFindTheBackgroundUnderALens)
{
    torch::manual_seed(1);
    const auto image = 5.0 + 2.0 * torch::randn({120, 100}, kDouble) + blob(120, 100, 50, 60, 6, 4e4);
    for (const auto method : {preprocess::SkyMethod::EdgeMedian, preprocess::SkyMethod::SigmaClipped}) {
        const auto sky = preprocess::estimateSky(image, method);
        CHECK_MSG(std::abs(sky.level - 5.0) < 0.1, preprocess::skyMethodName(method) << " level " << sky.level);
        CHECK_MSG(std::abs(sky.sigma / 2.0 - 1) < 0.06, preprocess::skyMethodName(method) << " sigma " << sky.sigma);
    }
    // Sky-subtracted already: nothing removed, the noise still measured.
    const auto none = preprocess::estimateSky(image - 5.0, preprocess::SkyMethod::None);
    CHECK_EQ(none.level, 0.0);
    CHECK(std::abs(none.sigma / 2.0 - 1) < 0.06);
    // Auto: the subtracted image keeps its zero (half its border is below
    // zero, lens wings or not); a sky 2.5σ up (0.6 % of a Gaussian below
    // zero) is found and removed; and so is a sky just under 1.7σ up (4.5 %).
    const auto wings = image - 5.0 + blob(120, 100, 50, 60, 30, 4e4); // light across the border strip
    CHECK_EQ(preprocess::estimateSky(wings, preprocess::SkyMethod::Auto).level, 0.0);
    CHECK_EQ(preprocess::estimateSky(image - 5.0, preprocess::SkyMethod::Auto).level, 0.0);
    CHECK(std::abs(preprocess::estimateSky(image, preprocess::SkyMethod::Auto).level - 5.0) < 0.1);
    CHECK(std::abs(preprocess::estimateSky(image - 1.6, preprocess::SkyMethod::Auto).level - 3.4) < 0.1);
    CHECK(preprocess::parseSkyMethod("auto") == preprocess::SkyMethod::Auto);
    auto holes = image.clone();
    holes.slice(0, 0, 10).fill_(NAN);
    CHECK(std::abs(preprocess::estimateSky(holes, preprocess::SkyMethod::EdgeMedian).level - 5.0) < 0.1);
    CHECK_THROWS_WITH(preprocess::estimateSky(torch::full({8, 8}, NAN, kDouble), preprocess::SkyMethod::SigmaClipped),
                      "no finite pixel");
    CHECK_THROWS_WITH(preprocess::estimateSky(torch::zeros({0}, kDouble), preprocess::SkyMethod::EdgeMedian), "2-D");
}

TEST_CASE(theCentroidFindsASubPixelCentreAndThePeakTheNearestPixel)
{
    // A bright star at the edge must not capture the centre: the peak is
    // searched in the central half, the centroid within a quarter of the side.
    const auto image = blob(96, 128, 61.3, 47.8, 3, 1e4) + blob(96, 128, 5, 5, 1, 1e5);
    const auto centroid = preprocess::findCentre(image, preprocess::CentreMethod::Centroid);
    CHECK_NEAR(centroid.x, 61.3, 0.02);
    CHECK_NEAR(centroid.y, 47.8, 0.02);
    const auto peak = preprocess::findCentre(image, preprocess::CentreMethod::BrightestPeak);
    CHECK_EQ(peak.x, 61.0);
    CHECK_EQ(peak.y, 48.0);
    const auto manual = preprocess::findCentre(image, preprocess::CentreMethod::Manual, preprocess::PixelPosition{3, 4});
    CHECK_EQ(manual.x, 3.0);
    CHECK_THROWS_WITH(preprocess::findCentre(image, preprocess::CentreMethod::Manual), "manual centre");
    const auto middle = preprocess::findCentre(image, preprocess::CentreMethod::ImageCentre);
    CHECK_EQ(middle.x, 63.5);
    CHECK_EQ(middle.y, 47.5);
    CHECK_THROWS_WITH(preprocess::findCentre(image, preprocess::CentreMethod::Manual, preprocess::PixelPosition{200, 4}),
                      "inside");
}

TEST_CASE(theCentroidFindsTheLensInsideItsArcsWhereAnArcOutshinesIt)
{
    // A faint lens galaxy at (50.4, 49.2) with two bright arcs on either side
    // (an Einstein cross-like pair, symmetric about the lens): the peak lands
    // on an arc, the light centroid on the lens.
    const auto lens = blob(100, 100, 50.4, 49.2, 3, 2e3);
    const auto arcs = blob(100, 100, 50.4 + 12, 49.2, 1.5, 3e3) + blob(100, 100, 50.4 - 12, 49.2, 1.5, 3e3);
    const auto centroid = preprocess::findCentre(lens + arcs, preprocess::CentreMethod::Centroid);
    CHECK_NEAR(centroid.x, 50.4, 0.05);
    CHECK_NEAR(centroid.y, 49.2, 0.05);
    const auto peak = preprocess::findCentre(lens + arcs, preprocess::CentreMethod::BrightestPeak);
    CHECK(std::abs(peak.x - 50.4) > 10);
}

TEST_CASE(aCutoutAtTheSamePixelScaleIsAnExactSlice)
{
    const auto image = torch::rand({80, 90}, kDouble), sigma = 0.1 + torch::rand({80, 90}, kDouble);
    const auto c = preprocess::cutout(image, sigma, {45, 40}, 0.1, 0.1, 32);
    // Output pixel (0, 0) sits at input (45 − 15.5, 40 − 15.5): between pixels, so
    // use an integer-aligned centre instead, (45.5, 40.5).
    const auto aligned = preprocess::cutout(image, sigma, {45.5, 40.5}, 0.1, 0.1, 32);
    CHECK(torch::allclose(aligned.data, image.slice(0, 25, 57).slice(1, 30, 62), 1e-12, 1e-12));
    CHECK(torch::allclose(aligned.sigma, sigma.slice(0, 25, 57).slice(1, 30, 62), 1e-12, 1e-12));
    CHECK_EQ(aligned.maskedFraction, 0.0);
    CHECK_EQ(c.origin.x, 45 - 15.5);
}

TEST_CASE(resamplingConservesFluxAndScalesTheNoise)
{
    const auto image = blob(200, 200, 99.5, 99.5, 8, 1000.0);
    const auto sigma = torch::full({200, 200}, 0.5, kDouble);
    // Twice coarser: every output pixel sums 2×2 input pixels.
    const auto coarse = preprocess::cutout(image, sigma, {99.5, 99.5}, 0.05, 0.1, 64);
    CHECK_REL(coarse.data.sum().item<double>(), 1000.0, 1e-6);
    CHECK(torch::allclose(coarse.sigma, torch::full({64, 64}, 1.0, kDouble), 1e-12, 1e-12)); // √4 · 0.5
    CHECK_NEAR(coarse.factor, 2.0, 1e-12);
    // Twice finer: flux still conserved (bilinear interpolation of a smooth blob).
    const auto fine = preprocess::cutout(image, sigma, {99.5, 99.5}, 0.05, 0.025, 96);
    CHECK_REL(fine.data.sum().item<double>(), image.slice(0, 76, 124).slice(1, 76, 124).sum().item<double>(), 2e-3);
    CHECK(torch::allclose(fine.sigma, torch::full({96, 96}, 0.125, kDouble), 1e-12, 1e-12)); // ½² · 0.5
}

TEST_CASE(pixelsBeyondTheImageOrOnNanCarryNoWeight)
{
    auto image = torch::ones({50, 50}, kDouble);
    image[25][25] = NAN;
    const auto c = preprocess::cutout(image, torch::ones_like(image), {10.5, 25.5}, 0.1, 0.1, 32);
    CHECK(c.maskedFraction > 0.1);
    CHECK(torch::isinf(c.sigma[0][0]).item<bool>());         // column 10.5 − 15.5 < 0: outside
    CHECK(torch::isinf(c.sigma[15][30]).item<bool>());       // the NaN pixel
    CHECK_EQ(c.data[15][30].item<double>(), 0.0);
    CHECK_EQ(c.sigma[15][20].item<double>(), 1.0);
}

TEST_CASE(normalizationsFollowTheirDefinitions)
{
    // 101 values 0, 1, …, 100: median 50, MAD 25 (numpy), p1 = 1, p99 = 99 (linear interpolation).
    const auto values = torch::arange(101, kDouble).view({1, -1});
    const auto robust = preprocess::normalization(values, preprocess::NormalizationMethod::Robust);
    CHECK_NEAR(robust.offset, 50.0, 1e-12);
    CHECK_NEAR(robust.scale, 1.4826 * 25, 1e-12);
    const auto minmax = preprocess::normalization(values, preprocess::NormalizationMethod::MinMax);
    CHECK_NEAR(minmax.offset, 0.0, 1e-12);
    CHECK_NEAR(minmax.scale, 100.0, 1e-12);
    const auto percentile = preprocess::normalization(values, preprocess::NormalizationMethod::Percentile);
    CHECK_NEAR(percentile.offset, 1.0, 1e-12);
    CHECK_NEAR(percentile.scale, 98.0, 1e-12);
    CHECK_THROWS_WITH(preprocess::normalization(torch::ones({4, 4}, kDouble), preprocess::NormalizationMethod::MinMax),
                      "constant");
    CHECK(preprocess::parseNormalization("percentile") == preprocess::NormalizationMethod::Percentile);
    CHECK_THROWS_WITH(preprocess::parseNormalization("zscore"), "robust, minmax, percentile");
}

TEST_CASE(aResampledPsfKeepsItsWidth)
{
    // A Gaussian PSF drawn at 0.02″/px, resampled to 0.05″/px, keeps its
    // FWHM (measured by psf::measureFwhm) to 3 %, and sums to one.
    const psf::PsfSpec spec{psf::PsfType::Gaussian, 0.2, 3.0};
    const auto fine = psf::psfKernel(spec, 0.02, 75);
    const auto kernel = preprocess::resamplePsf(fine, 0.02, 0.05, 25, "psf.fits");
    CHECK_EQ(kernel.size(0), int64_t{25});
    CHECK_NEAR(kernel.sum().item<double>(), 1.0, 1e-12);
    CHECK_REL(psf::measureFwhm(kernel, 0.05), 0.2, 0.03);
    CHECK_THROWS_WITH(preprocess::resamplePsf(torch::zeros({5, 5}, kDouble), 0.1, 0.1, 25, "psf.fits"), "psf.fits");
    CHECK_THROWS_WITH(preprocess::resamplePsf(fine, 0.02, 0.05, 24, "psf.fits"), "odd");
}

TEST_CASE(observationsOutsideTheTrainedRangeAreFlagged)
{
    const auto &r = preprocess::trainedRanges();
    CHECK(r.pixelScaleMin > 0 && r.pixelScaleMin < r.pixelScaleMax);
    CHECK(preprocess::rangeWarnings(0.5 * (r.pixelScaleMin + r.pixelScaleMax), NAN, 1.0).empty());
    const auto warnings = preprocess::rangeWarnings(2 * r.pixelScaleMax, 10 * r.psfFwhmMax, NAN);
    CHECK_EQ(warnings.size(), size_t{2});
    CHECK(warnings[0].find("pixel scale") != std::string::npos);
    CHECK(warnings[1].find("PSF FWHM") != std::string::npos);
}

TEST_CASE(prepareSubtractsTheSkyCentresAndCarriesTheNoise)
{
    torch::manual_seed(2);
    const auto image = 3.0 + 0.5 * torch::randn({150, 150}, kDouble) + blob(150, 150, 80.2, 70.6, 4, 5e3);
    preprocess::PreprocessOptions options;
    options.centre = preprocess::CentreMethod::Centroid;
    const auto p = preprocess::prepare(image, 0.1, {}, options);
    CHECK_NEAR(p.centre.x, 80.2, 0.1);
    CHECK_NEAR(p.centre.y, 70.6, 0.1);
    CHECK_EQ(p.cutout.data.size(0), int64_t{96});
    CHECK(p.warnings.empty());
    // Without a noise map: the background rms, in the image's units (nothing
    // is normalized here; the scale is measured for displays).
    CHECK_REL(p.cutout.sigma[0][0].item<double>(), 0.5, 0.06);
    CHECK(p.normalization.scale > 0);
    // The sky is gone: the border's median is near zero.
    CHECK(std::abs(p.cutout.data.slice(0, 0, 8).median().item<double>()) < 0.05 * 0.5);

    // A pixel scale below the trained range is resampled into it, and said so.
    const auto small = preprocess::prepare(image, 0.03, {}, options);
    CHECK_NEAR(small.cutout.pixelScale, preprocess::trainedRanges().pixelScaleMin, 1e-12);
    CHECK(!small.warnings.empty());
    CHECK_THROWS_WITH(preprocess::prepare(image, -1, {}, options), "pixel scale");
    CHECK_THROWS_WITH(preprocess::prepare(image, 0.1, torch::ones({3, 3}, kDouble), options), "noise map");
    // A single row (a spectrum, a 1-D scan) or a sliver is not a lens image:
    // refused by its shape instead of being stretched over the cutout.
    CHECK_THROWS_WITH(preprocess::prepare(torch::rand({1, 1000}, kDouble), 0.1, {}, options), "1000 x 1 pixels",
                      "at least 8 pixels on each side");
    CHECK_THROWS_WITH(preprocess::prepare(torch::rand({200, 7}, kDouble), 0.1, {}, options), "7 x 200 pixels");
}

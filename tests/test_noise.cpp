// Detector noise (core/noise/noise.h): Poisson photon noise plus Gaussian
// read noise, returned sky-subtracted in ADU/s with the expected 1σ map.
// Statistical checks use fixed seeds, so they are deterministic; their
// tolerances are stated as multiples of the estimator's standard error.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "noise/noise.h"

#include <cmath>

using namespace astrorim;
using namespace astrorim::noise;

namespace {

at::Generator seeded(uint64_t seed)
{
    auto gen = at::globalContext().defaultGenerator(torch::kCPU).clone();
    gen.set_current_seed(seed);
    return gen;
}

NoiseTensor detector(int64_t batch, double time, double sky, double read, double gain,
                     torch::ScalarType dtype = torch::kFloat32)
{
    return {torch::full({batch}, time, dtype), torch::full({batch}, sky, dtype), torch::full({batch}, read, dtype),
            torch::full({batch}, gain, dtype)};
}

// A smooth test scene in ADU/s, [1, 16, 16], from 0 to about 2.
torch::Tensor scene(torch::ScalarType dtype = torch::kFloat32)
{
    const auto axis = torch::linspace(-1.0, 1.0, 16, dtype);
    return (-(axis.square().unsqueeze(1) + axis.square().unsqueeze(0)) * 2.0).exp().mul(2.0).unsqueeze(0);
}

} // namespace

TEST_CASE(fixedSeedIsReproducible)
{
    const auto image = scene().expand({4, 16, 16});
    const auto noise = detector(4, 100.0, 0.3, 5.0, 2.0);
    auto g1 = seeded(42), g2 = seeded(42), g3 = seeded(43);
    const auto a = addNoise(image, noise, g1);
    const auto b = addNoise(image, noise, g2);
    const auto c = addNoise(image, noise, g3);
    CHECK(torch::equal(a.image, b.image));
    CHECK(torch::equal(a.noiseMap, b.noiseMap));
    CHECK(!torch::equal(a.image, c.image));
    CHECK(a.image.sizes() == image.sizes() && a.image.scalar_type() == torch::kFloat32);
    // The generator advances: a second draw differs from the first.
    CHECK(!torch::equal(addNoise(image, noise, g1).image, a.image));
}

// N = 4000 realisations at once (the batch): the mean is unbiased within 5
// standard errors (noiseMap/√N) at every pixel, and the empirical standard
// deviation matches the noise map: pooled over the 256 pixels within 1 %
// (standard error of a variance ratio ≈ √(2/N)/16 = 0.14 %), and per pixel
// within 12 % (5 × √(1/(2N)) = 5.6 % plus the excess kurtosis of Poisson at
// these low counts).
TEST_CASE(noiseIsUnbiasedAndMatchesTheMap)
{
    const int64_t n = 4000;
    const auto clean = scene(torch::kFloat64);
    auto gen = seeded(7);
    const auto noisy = addNoise(clean.expand({n, 16, 16}), detector(n, 50.0, 0.2, 4.0, 1.5, torch::kFloat64), gen);
    const auto map = noisy.noiseMap[0];
    // The map is the same for every copy, and it is the documented formula.
    CHECK(torch::allclose(noisy.noiseMap, map.expand({n, 16, 16})));
    const double gt = 1.5 * 50.0;
    const auto expectedMap = ((clean[0] + 0.2) * gt + 16.0).sqrt() / gt;
    CHECK_NEAR((map - expectedMap).abs().max().item<double>(), 0.0, 1e-12);

    const auto mean = noisy.image.mean(0);
    CHECK(((mean - clean[0]).abs() / (map / std::sqrt(double(n)))).max().item<double>() < 5.0);
    const auto variance = noisy.image.var(0);
    const auto ratio = variance / map.square();
    CHECK_NEAR(ratio.mean().item<double>(), 1.0, 0.01);
    CHECK_NEAR((ratio.sqrt() - 1.0).abs().max().item<double>(), 0.0, 0.12);
}

// Without read noise and sky the electrons are pure Poisson counts:
// integers, with variance = mean = image·g·t. 64 × 4000 samples per level:
// the variance estimate's standard error is about √(2/N + 1/(λN)) < 0.7 %;
// 3 % is allowed.
TEST_CASE(purePoissonLimit)
{
    const double gain = 2.0, time = 10.0, gt = gain * time;
    const int64_t n = 4000;
    for (double electrons : {0.5, 4.0, 60.0, 2.0e4}) {
        const auto image = torch::full({n, 8, 8}, electrons / gt, torch::kFloat64);
        auto gen = seeded(11);
        const auto noisy = addNoise(image, detector(n, time, 0.0, 0.0, gain, torch::kFloat64), gen);
        const auto counts = noisy.image * gt;
        CHECK_NEAR((counts - counts.round()).abs().max().item<double>(), 0.0, 1e-6);
        CHECK(counts.min().item<double>() >= 0.0);
        CHECK_REL(counts.mean().item<double>(), electrons, 5.0 * std::sqrt(electrons / (n * 64.0)) / electrons);
        CHECK_REL(counts.var().item<double>(), electrons, 0.03);
        CHECK_REL(noisy.noiseMap[0][0][0].item<double>() * gt, std::sqrt(electrons), 1e-12);
    }
}

// Negative noiseless pixels (PSF ringing, over-subtracted lens light) have
// no count rate: the rate is clamped at 0, never NaN. With no sky and no read
// noise such a pixel comes out exactly 0.
TEST_CASE(negativePixelsGiveNoNaN)
{
    auto image = scene();
    image[0][3][4] = -5.0;
    image[0][8][8] = -1e-3;
    auto gen = seeded(3);
    const auto withSky = addNoise(image.expand({8, 16, 16}), detector(8, 100.0, 0.1, 3.0, 2.0), gen);
    CHECK(torch::isfinite(withSky.image).all().item<bool>());
    CHECK(torch::isfinite(withSky.noiseMap).all().item<bool>());
    const auto bare = addNoise(image, detector(1, 100.0, 0.0, 0.0, 2.0), gen);
    CHECK_EQ(bare.image[0][3][4].item<float>(), 0.0f);
    CHECK_EQ(bare.noiseMap[0][3][4].item<float>(), 0.0f);
    CHECK(torch::isfinite(bare.image).all().item<bool>());
}

TEST_CASE(badShapesAreRejected)
{
    auto gen = seeded(1);
    CHECK_THROWS_WITH(addNoise(torch::rand({16, 16}), detector(1, 1, 0, 0, 1), gen), "noise image", "[16, 16]");
    CHECK_THROWS_WITH(addNoise(torch::rand({2, 16, 16}), detector(3, 1, 0, 0, 1), gen), "exposureTime", "B = 2");
    auto noise = detector(2, 1, 0, 0, 1);
    noise.gain = torch::ones({2, 1});
    CHECK_THROWS_WITH(addNoise(torch::rand({2, 16, 16}), noise, gen), "gain", "[2, 1]");
    CHECK_THROWS_WITH(addNoise(torch::ones({2, 4, 4}, torch::kInt64), detector(2, 1, 0, 0, 1), gen), "noise image");
}

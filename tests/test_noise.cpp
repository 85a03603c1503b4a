// Detector noise (core/noise/noise.h): Poisson photon noise plus Gaussian
// read noise, returned sky-subtracted in ADU/s with the expected 1σ map.
// Statistical checks use fixed seeds, so they are deterministic; their
// tolerances are stated as multiples of the estimator's standard error.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "noise/noise.h"
#include "noise/random_stream.h"

#include <ATen/Parallel.h>

#include <cmath>

using namespace astrorim;
using namespace astrorim::noise;

namespace {

at::Generator seeded(uint64_t seed)
{
    auto gen = noise::privateGenerator(torch::kCPU);
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

// RandomStream::poisson against the Poisson law itself: mean = variance = λ
// and P(k) = e^−λ λ^k / k! (e.g. Feller, An Introduction to Probability
// Theory, vol. 1, §VI.6). N = 200,000 draws per λ, on both sides of the
// switch from inversion to PTRS at λ = 10. Tolerances are 5 standard errors:
// √(λ/N) for the mean, √(2/N + 1/(λN)) relative for the variance, and
// √(p(1 − p)/N) for each probability.
TEST_CASE(poissonStreamMatchesThePoissonLaw)
{
    const int n = 200000;
    for (double lambda : {0.3, 3.0, 9.99, 10.0, 37.0, 1.0e3, 1.0e5}) {
        RandomStream rng(1234, static_cast<std::uint64_t>(lambda * 100));
        std::vector<double> draws(n);
        for (double &d : draws)
            d = static_cast<double>(rng.poisson(lambda));
        const auto t = torch::tensor(draws, torch::kFloat64);
        CHECK_NEAR(t.mean().item<double>(), lambda, 5.0 * std::sqrt(lambda / n));
        CHECK_REL(t.var().item<double>(), lambda, 5.0 * std::sqrt(2.0 / n + 1.0 / (lambda * n)));
        CHECK(t.min().item<double>() >= 0.0);
        // The probabilities of the mode and its neighbours.
        const double mode = std::floor(lambda);
        for (double k : {mode - 1.0, mode, mode + 1.0}) {
            if (k < 0)
                continue;
            const double p = std::exp(-lambda + k * std::log(lambda) - std::lgamma(k + 1.0));
            const double observed = (t == k).to(torch::kFloat64).mean().item<double>();
            CHECK_MSG(std::fabs(observed - p) <= 5.0 * std::sqrt(p * (1 - p) / n),
                      "lambda " << lambda << " k " << k << ": " << observed << " vs " << p);
        }
    }
    RandomStream rng(1, 2);
    CHECK_EQ(rng.poisson(0.0), 0);
}

// Standard normal deviates: mean 0, variance 1 and P(|z| < 1) = 0.682689
// (erf(1/√2)), each within 5 standard errors for N = 200,000.
TEST_CASE(normalStreamIsStandardNormal)
{
    const int n = 200000;
    RandomStream rng(99, 0);
    std::vector<double> draws(n);
    for (double &d : draws)
        d = rng.normal();
    const auto t = torch::tensor(draws, torch::kFloat64);
    CHECK_NEAR(t.mean().item<double>(), 0.0, 5.0 / std::sqrt(n));
    CHECK_NEAR(t.var().item<double>(), 1.0, 5.0 * std::sqrt(2.0 / n));
    const double inside = (t.abs() < 1.0).to(torch::kFloat64).mean().item<double>();
    CHECK_NEAR(inside, 0.682689492, 5.0 * std::sqrt(0.6827 * 0.3173 / n));
}

// A (seed, index) pair names one stream; another index or seed another.
TEST_CASE(randomStreamsAreNamedBySeedAndIndex)
{
    RandomStream a(5, 3), b(5, 3), c(5, 4), d(6, 3);
    bool allSame = true, differsByIndex = false, differsBySeed = false;
    for (int i = 0; i < 100; ++i) {
        const auto x = a.bits(), y = b.bits(), z = c.bits(), w = d.bits();
        allSame = allSame && x == y;
        differsByIndex = differsByIndex || x != z;
        differsBySeed = differsBySeed || x != w;
    }
    CHECK(allSame && differsByIndex && differsBySeed);
}

// The CPU noise is drawn in fixed blocks, one stream each: a seed gives the
// same image on one thread and on several.
TEST_CASE(cpuNoiseDoesNotDependOnThreadCount)
{
    const auto image = scene().expand({64, 16, 16}).contiguous();
    const auto noise = detector(64, 100.0, 0.3, 5.0, 2.0);
    const int threads = at::get_num_threads();
    at::set_num_threads(1);
    auto g1 = seeded(42);
    const auto one = addNoise(image, noise, g1);
    at::set_num_threads(std::max(2, threads));
    auto g2 = seeded(42);
    const auto several = addNoise(image, noise, g2);
    at::set_num_threads(threads);
    CHECK(torch::equal(one.image, several.image));
}

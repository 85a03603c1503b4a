// Light profiles: the double-precision Sérsic reference (core/light/sersic.h)
// and the batched tensor profiles (core/light/tensor_light.h).

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "light/sersic.h"
#include "light/tensor_light.h"

#include <cmath>
#include <limits>
#include <numbers>

using namespace astrorim;
using namespace astrorim::light;

namespace {

constexpr double kPi = std::numbers::pi;

// lenstronomy's param_util.ellipticity2phi_q: q = (1 − |e|)/(1 + |e|), φ = ½ atan2(e2, e1).
std::pair<double, double> axisRatioAndAngle(double e1, double e2)
{
    const double e = std::hypot(e1, e2);
    return {(1.0 - e) / (1.0 + e), 0.5 * std::atan2(e2, e1)};
}

// Composite Simpson rule of f on [a, b] with `intervals` (even) steps.
template <typename F>
double simpson(F f, double a, double b, int intervals)
{
    const double h = (b - a) / intervals;
    double sum = f(a) + f(b);
    for (int i = 1; i < intervals; ++i)
        sum += f(a + i * h) * (i % 2 ? 4.0 : 2.0);
    return sum * h / 3.0;
}

// Flux of the profile inside the ellipse R ≤ uMax^n R_sersic, integrated in
// polar coordinates (ρ, θ) of the sky plane. Along direction θ the elliptical
// radius is R = ρ g(θ), with g² = q cos²(θ−φ) + sin²(θ−φ)/q (the test's own
// reading of lenstronomy's definition). Substituting ρ = (R_sersic/g) uⁿ makes
// the integrand I · ρ dρ/du ∝ exp(−b_n u) u^{2n−1} smooth, so Simpson's rule
// converges fast; the θ integral of a smooth periodic function with the
// trapezoid rule converges faster still.
double fluxInside(const SersicParams &p, double uMax)
{
    const auto [q, phi] = axisRatioAndAngle(p.e1, p.e2);
    const double n = p.n_sersic;
    const int angles = 128;
    double total = 0.0;
    for (int a = 0; a < angles; ++a) {
        const double theta = 2.0 * kPi * a / angles;
        const double c = std::cos(theta - phi), s = std::sin(theta - phi);
        const double rhoScale = p.R_sersic / std::sqrt(q * c * c + s * s / q);
        const auto radial = [&](double u) {
            const double rho = rhoScale * std::pow(u, n);
            const double rhoDRhoDu = rhoScale * rhoScale * n * std::pow(u, 2.0 * n - 1.0); // finite at u = 0
            return sersicIntensity(p, p.center_x + rho * std::cos(theta), p.center_y + rho * std::sin(theta))
                   * rhoDRhoDu;
        };
        total += simpson(radial, 0.0, uMax, 4000);
    }
    return total * 2.0 * kPi / angles;
}

SersicTensor toTensor(const std::vector<SersicParams> &ps)
{
    std::vector<double> amp, rs, n, e1, e2, cx, cy;
    for (const auto &p : ps) {
        amp.push_back(p.amp);
        rs.push_back(p.R_sersic);
        n.push_back(p.n_sersic);
        e1.push_back(p.e1);
        e2.push_back(p.e2);
        cx.push_back(p.center_x);
        cy.push_back(p.center_y);
    }
    const auto t = [](const std::vector<double> &v) { return torch::tensor(v, torch::kFloat64); };
    return {t(amp), t(rs), t(n), t(e1), t(e2), t(cx), t(cy)};
}

// A 2-D grid of positions (arcsec), x along columns, [H, W] float64.
std::pair<torch::Tensor, torch::Tensor> grid(int size, double half)
{
    const auto axis = torch::linspace(-half, half, size, torch::kFloat64);
    const auto g = torch::meshgrid({axis, axis}, "ij");
    return {g[1], g[0]};
}

} // namespace

// Reference values: Ciotti & Bertin (1999, A&A 352, 447), table of b_n, and
// Graham & Driver (2005, PASA 22, 118): b_1 = 1.678347, b_4 = 7.669249.
// For n = ½, P(1, b) = 1 − e^{−b} = ½ gives b = ln 2 exactly.
TEST_CASE(exactBnMatchesPublishedValues)
{
    CHECK_NEAR(sersicBn(1.0), 1.678347, 1e-6);
    CHECK_NEAR(sersicBn(4.0), 7.669249, 1e-6);
    CHECK_NEAR(sersicBn(0.5), std::numbers::ln2, 1e-14);
    // P(2n, b_n) = ½ to rounding over the whole supported range.
    for (double n = 0.2; n <= 10.0001; n += 0.1)
        CHECK_NEAR(regularizedGammaP(2.0 * n, sersicBn(n)), 0.5, 1e-13);
}

// P(a, x) against closed forms: P(1, x) = 1 − e^{−x}; P(½, x) = erf(√x);
// P(3, x) = 1 − e^{−x}(1 + x + x²/2) (Abramowitz & Stegun 6.5.13, 6.5.16).
TEST_CASE(incompleteGammaMatchesClosedForms)
{
    for (double x : {0.01, 0.3, 1.0, 2.5, 7.0, 30.0}) {
        CHECK_NEAR(regularizedGammaP(1.0, x), -std::expm1(-x), 1e-14);
        CHECK_NEAR(regularizedGammaP(0.5, x), std::erf(std::sqrt(x)), 1e-14);
        CHECK_NEAR(regularizedGammaP(3.0, x), 1.0 - std::exp(-x) * (1.0 + x + 0.5 * x * x), 1e-14);
    }
    CHECK_EQ(regularizedGammaP(2.0, 0.0), 0.0);
    CHECK_THROWS_WITH(regularizedGammaP(0.0, 1.0), "a");
    CHECK_THROWS_WITH(regularizedGammaP(1.0, -1.0), "x");
}

// The tensor b_n starts from the Ciotti & Bertin (1999) series, which is
// asymptotic in 1/n (10 % off at n = 0.2), and polishes it with Newton steps:
// it must match the double solver's root everywhere the models use.
TEST_CASE(tensorBnAgreesWithExactSolver)
{
    for (double n = 0.2; n <= 8.0001; n += 0.05) {
        const double polished = sersicBn(torch::tensor({n}, torch::kFloat64)).item<double>();
        CHECK_REL(polished, sersicBn(n), 1e-10);
    }
    // The gradient is the series': finite and near the root's (∂b/∂n ≈ 2).
    const auto n = torch::tensor({0.3, 1.0, 4.0}, torch::kFloat64).requires_grad_(true);
    sersicBn(n).sum().backward();
    CHECK(torch::isfinite(n.grad()).all().item<bool>());
    CHECK((n.grad() - 2).abs().max().item<double>() < 0.2);
    // float32 evaluates the same series.
    const auto n32 = torch::tensor({0.5f, 1.0f, 4.0f});
    CHECK(torch::allclose(sersicBn(n32).to(torch::kFloat64), sersicBn(n32.to(torch::kFloat64)), 1e-6, 0.0));
}

// R_sersic is the half-light radius (that is what b_n is defined for), and
// the integral over the plane is sersicTotalFlux, for circular and elliptical
// profiles alike (the elliptical coordinate map has unit Jacobian).
TEST_CASE(halfTheFluxLiesInsideRSersic)
{
    for (double n : {0.5, 1.0, 2.5, 4.0}) {
        for (const auto &[e1, e2] : {std::pair{0.0, 0.0}, std::pair{0.25, -0.15}}) {
            const SersicParams p{2.0, 0.7, n, e1, e2, 0.3, -0.2};
            const double bn = sersicBn(n);
            // exp(−b_n (u − 1)) is below 1e-30 of the central value past u = 1 + 70/b_n.
            const double total = fluxInside(p, 1.0 + 70.0 / bn);
            CHECK_REL(total, sersicTotalFlux(p), 1e-8);
            CHECK_REL(fluxInside(p, 1.0) / total, 0.5, 1e-8);
        }
    }
}

// amp is the brightness on the ellipse R = R_sersic: at R_sersic/√q from the
// centre along the major axis (direction φ) and at R_sersic·√q along the
// minor axis (φ + 90°).
TEST_CASE(ampIsTheBrightnessAtRSersic)
{
    const SersicParams p{3.5, 0.8, 2.0, 0.1, 0.2, -0.4, 0.25};
    const auto [q, phi] = axisRatioAndAngle(p.e1, p.e2);
    const double major = p.R_sersic / std::sqrt(q), minor = p.R_sersic * std::sqrt(q);
    CHECK_REL(sersicIntensity(p, p.center_x + major * std::cos(phi), p.center_y + major * std::sin(phi)), p.amp, 1e-13);
    CHECK_REL(sersicIntensity(p, p.center_x - minor * std::sin(phi), p.center_y + minor * std::cos(phi)), p.amp, 1e-13);
    // The centre is e^{b_n} times brighter.
    CHECK_REL(sersicIntensity(p, p.center_x, p.center_y), p.amp * std::exp(sersicBn(p.n_sersic)), 1e-13);
}

// The tensor form uses the series b_n, the double form the exact one. With
// t = (R/R_s)^{1/n}, I = amp e^{−b (t − 1)}, so the tensor value must be
// amp · (I_exact/amp)^{b_series/b_exact} exactly.
TEST_CASE(tensorSersicMatchesDoubleReference)
{
    const std::vector<SersicParams> ps{{1.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0},
                                       {2.5, 0.3, 4.0, 0.2, -0.1, 0.13, -0.07},
                                       {0.7, 1.1, 0.6, -0.3, 0.35, -0.2, 0.4}};
    // 40 points: no sample at a profile centre, where the floor R ≥ 1e-6 R_sersic acts.
    const auto [x, y] = grid(40, 1.5);
    const auto image = sersic(toTensor(ps), x, y);
    CHECK(image.sizes() == torch::IntArrayRef({3, 40, 40}));
    const auto img = image.accessor<double, 3>();
    const auto xs = x.accessor<double, 2>(), ys = y.accessor<double, 2>();
    for (size_t b = 0; b < ps.size(); ++b) {
        const double bSeries = sersicBn(torch::tensor({ps[b].n_sersic}, torch::kFloat64)).item<double>();
        const double power = bSeries / sersicBn(ps[b].n_sersic);
        for (int i = 0; i < 40; ++i)
            for (int j = 0; j < 40; ++j) {
                const double exact = sersicIntensity(ps[b], xs[i][j], ys[i][j]);
                CHECK_REL(img[b][i][j], ps[b].amp * std::pow(exact / ps[b].amp, power), 1e-10);
            }
    }
}

// [B, K] parameters: the K components are summed.
TEST_CASE(tensorSersicSumsComponents)
{
    const auto opts = torch::kFloat64;
    const SersicTensor two{torch::tensor({{1.0, 0.5}, {2.0, 0.1}}, opts), torch::tensor({{0.5, 0.2}, {0.3, 0.9}}, opts),
                           torch::tensor({{1.0, 4.0}, {2.0, 0.7}}, opts), torch::tensor({{0.1, 0.0}, {-0.2, 0.3}}, opts),
                           torch::tensor({{0.0, 0.2}, {0.1, 0.0}}, opts), torch::tensor({{0.0, 0.1}, {-0.3, 0.2}}, opts),
                           torch::tensor({{0.05, 0.0}, {0.2, -0.1}}, opts)};
    const auto [x, y] = grid(32, 1.2);
    const auto sum = sersic(two, x, y);
    const auto column = [](const torch::Tensor &t, int k) { return t.select(1, k).contiguous(); };
    auto expected = torch::zeros({2, 32, 32}, opts);
    for (int k = 0; k < 2; ++k)
        expected += sersic({column(two.amp, k), column(two.R_sersic, k), column(two.n_sersic, k), column(two.e1, k),
                            column(two.e2, k), column(two.center_x, k), column(two.center_y, k)},
                           x, y);
    CHECK_NEAR((sum - expected).abs().max().item<double>(), 0.0, 1e-12 * expected.abs().max().item<double>());
    // [B, H, W] positions give the same as shared [H, W] ones.
    const auto perSystem = sersic(two, x.expand({2, 32, 32}), y.expand({2, 32, 32}));
    CHECK(torch::allclose(perSystem, sum, 1e-14, 0.0));
}

// With gradients recorded the functional (not in-place) path is taken: same
// values, and finite gradients also at the exact centre of a cuspy n = 4
// profile and at e = 0 (where the position angle is undefined).
TEST_CASE(tensorSersicIsDifferentiable)
{
    const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
    SersicTensor p{torch::tensor({1.5}, opts), torch::tensor({0.4}, opts), torch::tensor({4.0}, opts),
                   torch::tensor({0.0}, opts), torch::tensor({0.0}, opts), torch::tensor({0.0}, opts),
                   torch::tensor({0.0}, opts)};
    const auto [x, y] = grid(21, 1.0); // contains (0, 0) exactly
    const auto plain = sersic(p, x, y);
    for (auto *t : {&p.amp, &p.R_sersic, &p.n_sersic, &p.e1, &p.e2, &p.center_x, &p.center_y})
        t->requires_grad_(true);
    const auto recorded = sersic(p, x, y);
    CHECK(torch::allclose(recorded.detach(), plain, 1e-14, 0.0));
    recorded.sum().backward();
    for (auto *t : {&p.amp, &p.R_sersic, &p.n_sersic, &p.e1, &p.e2, &p.center_x, &p.center_y})
        CHECK(t->grad().defined() && std::isfinite(t->grad().item<double>()));
    // ∂ΣI/∂amp = ΣI/amp.
    CHECK_REL(p.amp.grad().item<double>(), plain.sum().item<double>() / 1.5, 1e-12);
}

// ∫ amp e^{−r²/(2σ²)} d²r = 2π σ² amp for each blob; [B, K] sums the blobs.
TEST_CASE(gaussianBlobIntegral)
{
    const auto opts = torch::kFloat64;
    const GaussianBlobsTensor p{torch::tensor({{1.0, 3.0}, {0.5, 0.0}}, opts), torch::tensor({{0.2, 0.1}, {0.3, 0.25}}, opts),
                                torch::tensor({{0.1, -0.4}, {0.0, 0.3}}, opts), torch::tensor({{0.0, 0.3}, {-0.2, 0.1}}, opts)};
    const double pixel = 0.01;
    const auto [x, y] = grid(601, 3.0);
    const auto flux = gaussianBlobs(p, x, y).sum({1, 2}) * (pixel * pixel);
    CHECK_REL(flux[0].item<double>(), 2 * kPi * (1.0 * 0.04 + 3.0 * 0.01), 1e-9);
    CHECK_REL(flux[1].item<double>(), 2 * kPi * (0.5 * 0.09), 1e-9);
    // At (0.1, 0): the centre of the first blob, 0.5″ and 0.3″ off the second.
    CHECK_REL(gaussianBlobs(p, x, y)[0][300][310].item<double>(),
              1.0 + 3.0 * std::exp(-(0.5 * 0.5 + 0.3 * 0.3) / (2 * 0.01)), 1e-12);
}

TEST_CASE(nonsenseParametersAreRejected)
{
    const SersicParams good;
    auto p = good;
    p.R_sersic = 0.0;
    CHECK_THROWS_WITH(sersicIntensity(p, 0, 0), "R_sersic", "0");
    p.R_sersic = -1.5;
    CHECK_THROWS_WITH(sersicTotalFlux(p), "R_sersic", "-1.5");
    p = good;
    p.n_sersic = 0.0;
    CHECK_THROWS_WITH(sersicIntensity(p, 0, 0), "n_sersic", "0");
    p.n_sersic = -2.0;
    CHECK_THROWS_WITH(sersicTotalFlux(p), "n_sersic", "-2");
    p.n_sersic = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(sersicIntensity(p, 0, 0), "n_sersic", "nan");
    CHECK_THROWS_WITH(sersicBn(std::numeric_limits<double>::quiet_NaN()), "n_sersic");
    CHECK_THROWS_WITH(sersicBn(0.05), "n_sersic", "0.05");
    p = good;
    p.e1 = 0.8;
    p.e2 = 0.8;
    CHECK_THROWS_WITH(sersicIntensity(p, 0, 0), "e1", "e2");

    // Tensor shapes are checked (values cannot be without a host sync).
    const auto one = torch::ones({2});
    const auto [x, y] = grid(8, 1.0);
    CHECK_THROWS_WITH(sersic({one, one, torch::ones({3}), one, one, one, one}, x, y), "n_sersic", "[3]");
    CHECK_THROWS_WITH(sersic({one, one, one, one, one, one, one}, torch::ones({4}), y), "positions");
    CHECK_THROWS_WITH(sersic({one, one, one, one, one, one, one}, x.expand({3, 8, 8}), y), "batch size 3");
    CHECK_THROWS_WITH(gaussianBlobs({one, torch::ones({2, 2}), one, one}, x, y), "sigma");
}

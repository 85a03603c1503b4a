// Batched LibTorch lens profiles (core/lensing/tensor_lens.h) against the
// double-precision reference (core/lensing/lens_model.h, itself tested against
// lensing identities in test_lensing.cpp), and their autograd gradients against
// central finite differences.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"
#include "lensing/ellipticity.h"
#include "lensing/lens_model.h"
#include "lensing/lenstronomy_kwargs.h"
#include "lensing/tensor_lens.h"

#include <functional>
#include <string>
#include <vector>

using namespace astrorim::lensing;
using torch::Tensor;

namespace {

// One system per row: the cases that stress the closed forms. Row 1 is round
// (e = 0), row 2 has |e| below the float64 series threshold, row 3 is below
// the float32 one, row 4 is very flat, row 5 has φ = 90° (cos φ = 0).
struct Row
{
    SieParams sie;
    ShearParams shear;
    NfwParams nfw;
    SisParams sis;
};

std::vector<Row> rows()
{
    const EllipticityComponents e0 = ellipticityFromAxisRatio(0.7, 0.4);
    const EllipticityComponents e4 = ellipticityFromAxisRatio(0.25, -1.2);
    return {
        {{1.2, e0.e1, e0.e2, 0.05, -0.03}, {0.03, -0.02}, {1.5, 0.3, 0.1, 0.2}, {0.15, 0.8, -0.6}},
        {{0.9, 0.0, 0.0, -0.11, 0.07}, {-0.05, 0.01}, {2.5, 0.2, -0.3, 0.1}, {0.3, -1.0, 0.5}},
        {{1.0, 3e-9, -2e-9, 0.0, 0.0}, {0.0, 0.0}, {0.8, 0.05, 0.0, 0.0}, {0.05, 0.3, 0.3}},
        {{1.4, 1.1e-4, -0.4e-4, 0.2, 0.1}, {0.08, 0.06}, {4.0, 0.9, 0.5, -0.4}, {0.2, -0.4, -1.2}},
        {{0.7, e4.e1, e4.e2, -0.2, 0.15}, {-0.02, -0.07}, {1.1, 0.15, -0.25, -0.35}, {0.1, 1.5, 1.5}},
        {{1.1, -0.3, 0.0, 0.01, 0.02}, {0.01, 0.04}, {1.9, 0.4, 0.0, 0.05}, {0.25, 0.0, -1.0}},
    };
}

Tensor column(const std::vector<Row> &rs, const std::function<double(const Row &)> &field,
              const torch::TensorOptions &options)
{
    std::vector<double> values;
    for (const Row &r : rs)
        values.push_back(field(r));
    return torch::tensor(values, torch::kFloat64).to(options);
}

LensSystemTensor toTensors(const std::vector<Row> &rs, const torch::TensorOptions &options, bool grad = false)
{
    auto c = [&](auto field) {
        Tensor t = column(rs, field, options);
        return grad ? t.requires_grad_(true) : t;
    };
    LensSystemTensor lens;
    lens.sie = {c([](const Row &r) { return r.sie.theta_E; }), c([](const Row &r) { return r.sie.e1; }),
                c([](const Row &r) { return r.sie.e2; }), c([](const Row &r) { return r.sie.center_x; }),
                c([](const Row &r) { return r.sie.center_y; })};
    lens.shear = {c([](const Row &r) { return r.shear.gamma1; }), c([](const Row &r) { return r.shear.gamma2; })};
    lens.nfw = {c([](const Row &r) { return r.nfw.Rs; }), c([](const Row &r) { return r.nfw.alpha_Rs; }),
                c([](const Row &r) { return r.nfw.center_x; }), c([](const Row &r) { return r.nfw.center_y; })};
    lens.sis = {c([](const Row &r) { return r.sis.theta_E; }), c([](const Row &r) { return r.sis.center_x; }),
                c([](const Row &r) { return r.sis.center_y; })};
    lens.hasNfw = lens.hasSis = true;
    return lens;
}

// The parameters as the tensors hold them (rounded to float32 where they are float32).
Row rowOf(const LensSystemTensor &t, int64_t b)
{
    auto v = [&](const Tensor &p) { return p[b].item<double>(); };
    return {{v(t.sie.theta_E), v(t.sie.e1), v(t.sie.e2), v(t.sie.center_x), v(t.sie.center_y)},
            {v(t.shear.gamma1), v(t.shear.gamma2), 0.0, 0.0},
            {v(t.nfw.Rs), v(t.nfw.alpha_Rs), v(t.nfw.center_x), v(t.nfw.center_y)},
            {v(t.sis.theta_E), v(t.sis.center_x), v(t.sis.center_y)}};
}

LensModel modelOf(const Row &r)
{
    return {{r.sie, r.shear, r.nfw, r.sis}};
}

// Positions [B, H, W]: a 21×21 grid over ±2.5 arcsec (it holds x = 0 and
// y = 0), and in the first row of each system the centres themselves, points
// 1e-6 and 3e-4 arcsec from them, and the NFW scale radius (X = 1).
std::pair<Tensor, Tensor> positions(const std::vector<Row> &rs, const torch::TensorOptions &options)
{
    const int64_t n = 21, B = static_cast<int64_t>(rs.size());
    const Tensor axis = torch::linspace(-2.5, 2.5, n, torch::kFloat64);
    Tensor x = axis.view({1, 1, n}).expand({B, n, n}).clone();
    Tensor y = axis.view({1, n, 1}).expand({B, n, n}).clone();
    for (int64_t b = 0; b < B; ++b) {
        const Row &r = rs[b];
        const double special[][2] = {
            {r.sie.center_x, r.sie.center_y},         {r.sie.center_x + 1e-6, r.sie.center_y},
            {r.sie.center_x - 2e-4, r.sie.center_y + 3e-4}, {r.nfw.center_x, r.nfw.center_y},
            {r.nfw.center_x + r.nfw.Rs, r.nfw.center_y}, {r.nfw.center_x + 1e-5, r.nfw.center_y},
            {r.nfw.center_x + 0.6 * r.nfw.Rs, r.nfw.center_y + 0.8 * r.nfw.Rs},
            {r.sis.center_x, r.sis.center_y},         {r.sis.center_x, r.sis.center_y - 1e-6},
        };
        for (int64_t k = 0; k < 9; ++k) {
            x[b][0][k] = special[k][0];
            y[b][0][k] = special[k][1];
        }
    }
    return {x.to(options), y.to(options)};
}

// |actual − expected| ≤ rel·(|expected| + scale) at every position.
void compareField(const Tensor &actual, const std::function<double(int64_t, double, double)> &expected,
                  const Tensor &x, const Tensor &y, double rel, double scale, const std::string &what)
{
    const Tensor a = actual.detach().to(torch::kCPU, torch::kFloat64).contiguous();
    const Tensor xs = x.detach().to(torch::kCPU, torch::kFloat64).expand_as(a).contiguous();
    const Tensor ys = y.detach().to(torch::kCPU, torch::kFloat64).expand_as(a).contiguous();
    const auto A = a.accessor<double, 3>(), X = xs.accessor<double, 3>(), Y = ys.accessor<double, 3>();
    for (int64_t b = 0; b < a.size(0); ++b)
        for (int64_t i = 0; i < a.size(1); ++i)
            for (int64_t j = 0; j < a.size(2); ++j) {
                const double e = expected(b, X[b][i][j], Y[b][i][j]);
                CHECK_MSG(std::abs(A[b][i][j] - e) <= rel * (std::abs(e) + scale),
                          what << " at system " << b << ", (" << X[b][i][j] << ", " << Y[b][i][j]
                               << "): " << A[b][i][j] << " vs reference " << e);
            }
}

// Every output of every profile and of the system against the reference.
void compareWithReference(const torch::TensorOptions &options, bool grad, double rel, double scale)
{
    const std::vector<Row> rs = rows();
    const LensSystemTensor lens = toTensors(rs, options, grad);
    const auto [x, y] = positions(rs, options);
    std::vector<Row> held;
    for (int64_t b = 0; b < static_cast<int64_t>(rs.size()); ++b)
        held.push_back(rowOf(lens, b));
    const std::string path = std::string(grad ? "graph " : "no-graph ") + std::string(options.dtype().name());
    auto field = [&](const Tensor &t, auto fn, const char *what) {
        CHECK_EQ(t.dim(), 3);
        CHECK_EQ(t.size(0), static_cast<int64_t>(rs.size()));
        compareField(t, fn, x, y, rel, scale, path + " " + what);
    };
    auto forProfile = [&](const auto &tensorParams, auto pick, const char *name) {
        const DeflectionField a = deflection(tensorParams, x, y);
        field(a.alpha_x, [&](int64_t b, double px, double py) { return deflection(pick(held[b]), px, py).x; },
              (std::string(name) + " alpha_x").c_str());
        field(a.alpha_y, [&](int64_t b, double px, double py) { return deflection(pick(held[b]), px, py).y; },
              (std::string(name) + " alpha_y").c_str());
        const HessianField h = hessian(tensorParams, x, y);
        field(h.f_xx, [&](int64_t b, double px, double py) { return hessian(pick(held[b]), px, py).f_xx; },
              (std::string(name) + " f_xx").c_str());
        field(h.f_xy, [&](int64_t b, double px, double py) { return hessian(pick(held[b]), px, py).f_xy; },
              (std::string(name) + " f_xy").c_str());
        field(h.f_yy, [&](int64_t b, double px, double py) { return hessian(pick(held[b]), px, py).f_yy; },
              (std::string(name) + " f_yy").c_str());
    };
    forProfile(lens.sie, [](const Row &r) { return r.sie; }, "SIE");
    forProfile(lens.sis, [](const Row &r) { return r.sis; }, "SIS");
    forProfile(lens.nfw, [](const Row &r) { return r.nfw; }, "NFW");
    forProfile(lens.shear, [](const Row &r) { return r.shear; }, "SHEAR");
    forProfile(lens, [](const Row &r) { return modelOf(r); }, "system");
    field(convergence(lens.sie, x, y), [&](int64_t b, double px, double py) { return convergence(held[b].sie, px, py); },
          "SIE kappa");
    field(convergence(lens.sis, x, y), [&](int64_t b, double px, double py) { return convergence(held[b].sis, px, py); },
          "SIS kappa");
    field(convergence(lens.nfw, x, y), [&](int64_t b, double px, double py) { return convergence(held[b].nfw, px, py); },
          "NFW kappa");
}

bool allFinite(const Tensor &t)
{
    return t.defined() && torch::isfinite(t).all().item<bool>();
}

// Σ (α_x w_x + α_y w_y) with fixed random weights: a scalar that touches every output.
Tensor weightedSum(const DeflectionField &a, const Tensor &wx, const Tensor &wy)
{
    return (a.alpha_x * wx + a.alpha_y * wy).sum();
}

} // namespace

// ------------------------------------------------------------------ values

TEST_CASE(float64MatchesReference)
{
    torch::NoGradGuard noGrad;
    compareWithReference(torch::TensorOptions().dtype(torch::kFloat64), false, 1e-10, 1e-3);
}

TEST_CASE(float64WithGraphMatchesReference)
{
    compareWithReference(torch::TensorOptions().dtype(torch::kFloat64), true, 1e-10, 1e-3);
}

// float32 against the reference evaluated at the float32-rounded inputs.
TEST_CASE(float32MatchesReference)
{
    torch::NoGradGuard noGrad;
    compareWithReference(torch::TensorOptions().dtype(torch::kFloat32), false, 1e-4, 0.1);
}

TEST_CASE(float32WithGraphMatchesReference)
{
    compareWithReference(torch::TensorOptions().dtype(torch::kFloat32), true, 1e-4, 0.1);
}

// Positions may be [H, W], [1, H, W], [B, H, W] or separable; inputs are never modified.
TEST_CASE(positionsBroadcastAndInputsAreKept)
{
    torch::NoGradGuard noGrad;
    const std::vector<Row> rs = rows();
    const LensSystemTensor lens = toTensors(rs, torch::TensorOptions().dtype(torch::kFloat32));
    const Tensor axis = torch::linspace(-2.0, 2.0, 16);
    const Tensor x = axis.view({1, 16}).expand({16, 16}).contiguous(), y = x.t().contiguous();
    const Tensor xCopy = x.clone(), e1Copy = lens.sie.e1.clone(), rsCopy = lens.nfw.Rs.clone();
    const DeflectionField flat = deflection(lens, x, y);
    const DeflectionField one = deflection(lens, x.unsqueeze(0), y.unsqueeze(0));
    const int64_t B = static_cast<int64_t>(rs.size());
    const DeflectionField full = deflection(lens, x.expand({B, 16, 16}), y.expand({B, 16, 16}));
    // x [1, 1, W] and y [1, H, 1] broadcast as well (a separable grid).
    const DeflectionField separable = deflection(lens, axis.view({1, 1, 16}), axis.view({1, 16, 1}));
    CHECK(flat.alpha_x.sizes() == torch::IntArrayRef({B, 16, 16}));
    CHECK(torch::equal(flat.alpha_x, one.alpha_x) && torch::equal(flat.alpha_y, full.alpha_y));
    // (dx² + dy² is summed in another order there: equal to rounding.)
    CHECK(torch::allclose(flat.alpha_x, separable.alpha_x, 1e-6, 1e-7)
          && torch::allclose(flat.alpha_y, separable.alpha_y, 1e-6, 1e-7));
    for (const DeflectionField &part : {deflection(lens.sie, axis.view({1, 16}), axis.view({16, 1})),
                                        deflection(lens.nfw, axis.view({1, 16}), axis.view({16, 1})),
                                        deflection(lens.sis, axis.view({1, 16}), axis.view({16, 1})),
                                        deflection(lens.shear, axis.view({1, 16}), axis.view({16, 1}))})
        CHECK(part.alpha_x.sizes() == torch::IntArrayRef({B, 16, 16}));
    CHECK(torch::equal(x, xCopy) && torch::equal(lens.sie.e1, e1Copy) && torch::equal(lens.nfw.Rs, rsCopy));
    CHECK(hessian(lens.shear, x, y).f_xx.sizes() == torch::IntArrayRef({B, 16, 16}));
}

// hasNfw/hasSis = false must equal present perturbers of zero amplitude
// (alpha_Rs = 0 with Rs = 0, theta_E = 0).
TEST_CASE(skippedPerturbersEqualZeroAmplitude)
{
    torch::NoGradGuard noGrad;
    const std::vector<Row> rs = rows();
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    const auto [x, y] = positions(rs, options);
    LensSystemTensor zero = toTensors(rs, options);
    zero.nfw.alpha_Rs = torch::zeros_like(zero.nfw.alpha_Rs);
    zero.nfw.Rs = torch::zeros_like(zero.nfw.Rs);
    zero.sis.theta_E = torch::zeros_like(zero.sis.theta_E);
    LensSystemTensor skipped = zero;
    skipped.hasNfw = skipped.hasSis = false;
    const DeflectionField a = deflection(zero, x, y), b = deflection(skipped, x, y);
    CHECK(torch::allclose(a.alpha_x, b.alpha_x, 0.0, 1e-15) && torch::allclose(a.alpha_y, b.alpha_y, 0.0, 1e-15));
    const HessianField ha = hessian(zero, x, y), hb = hessian(skipped, x, y);
    CHECK(torch::allclose(ha.f_xx, hb.f_xx, 0.0, 1e-15) && torch::allclose(ha.f_xy, hb.f_xy, 0.0, 1e-15));
}

// ------------------------------------------------------------------ gradients

// d/dp Σ (α_x w_x + α_y w_y) by autograd against central differences (float64,
// step 1e-6: truncation ~1e-12·L''', rounding ~1e-16·|L|/1e-6), for every
// parameter of every system, including e = 0 and |e| below the series threshold.
TEST_CASE(deflectionGradientsMatchFiniteDifferences)
{
    const std::vector<Row> rs = rows();
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    LensSystemTensor lens = toTensors(rs, options, true);
    // A grid offset so that no point sits on a centre, where α is not differentiable.
    const Tensor axis = torch::linspace(-2.4, 2.4, 17, options) + 0.0137;
    const Tensor x = axis.view({1, 17}).expand({17, 17}), y = axis.view({17, 1}).expand({17, 17}) - 0.0291;
    torch::manual_seed(7);
    const Tensor wx = torch::randn({static_cast<int64_t>(rs.size()), 17, 17}, options);
    const Tensor wy = torch::randn({static_cast<int64_t>(rs.size()), 17, 17}, options);

    weightedSum(deflection(lens, x, y), wx, wy).backward();
    const std::vector<std::pair<const char *, Tensor *>> parameters = {
        {"SIE theta_E", &lens.sie.theta_E}, {"SIE e1", &lens.sie.e1},           {"SIE e2", &lens.sie.e2},
        {"SIE center_x", &lens.sie.center_x}, {"SIE center_y", &lens.sie.center_y}, {"gamma1", &lens.shear.gamma1},
        {"gamma2", &lens.shear.gamma2},     {"NFW Rs", &lens.nfw.Rs},           {"NFW alpha_Rs", &lens.nfw.alpha_Rs},
        {"NFW center_x", &lens.nfw.center_x}, {"NFW center_y", &lens.nfw.center_y}, {"SIS theta_E", &lens.sis.theta_E},
        {"SIS center_x", &lens.sis.center_x}, {"SIS center_y", &lens.sis.center_y},
    };
    torch::NoGradGuard noGrad;
    for (const auto &[name, parameter] : parameters) {
        const Tensor grad = parameter->grad().clone();
        CHECK_MSG(allFinite(grad), name);
        for (int64_t b = 0; b < parameter->size(0); ++b) {
            const double h = 1e-6, original = (*parameter)[b].item<double>();
            (*parameter)[b] = original + h;
            const double plus = weightedSum(deflection(lens, x, y), wx, wy).item<double>();
            (*parameter)[b] = original - h;
            const double minus = weightedSum(deflection(lens, x, y), wx, wy).item<double>();
            (*parameter)[b] = original;
            const double fd = (plus - minus) / (2 * h), ad = grad[b].item<double>();
            CHECK_MSG(std::abs(ad - fd) <= 1e-5 * std::abs(fd) + 1e-6,
                      name << " of system " << b << ": autograd " << ad << ", finite difference " << fd);
        }
    }
}

// ∂α/∂x by autograd equals the analytic Hessian (the gradient with respect to positions).
TEST_CASE(positionGradientIsTheHessian)
{
    const std::vector<Row> rs = rows();
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    const LensSystemTensor lens = toTensors(rs, options);
    const int64_t B = static_cast<int64_t>(rs.size());
    const Tensor axis = torch::linspace(-2.4, 2.4, 13, options) + 0.0137;
    const Tensor x = axis.view({1, 1, 13}).expand({B, 13, 13}).clone().requires_grad_(true);
    const Tensor y = (axis.view({1, 13, 1}).expand({B, 13, 13}) - 0.0291).clone().requires_grad_(true);
    deflection(lens, x, y).alpha_x.sum().backward();
    const HessianField h = hessian(lens, x.detach(), y.detach());
    CHECK(torch::allclose(x.grad(), h.f_xx, 1e-9, 1e-12));
    CHECK(torch::allclose(y.grad(), h.f_xy, 1e-9, 1e-12));
}

// κ's gradients against central differences (SIE including e = 0; NFW across X = 1).
TEST_CASE(convergenceGradientsMatchFiniteDifferences)
{
    const std::vector<Row> rs = rows();
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    LensSystemTensor lens = toTensors(rs, options, true);
    const Tensor axis = torch::linspace(-2.4, 2.4, 11, options) + 0.0137;
    const Tensor x = axis.view({1, 11}).expand({11, 11}), y = axis.view({11, 1}).expand({11, 11}) - 0.0291;
    auto total = [&] { return convergence(lens.sie, x, y).sum() + convergence(lens.nfw, x, y).sum(); };
    total().backward();
    torch::NoGradGuard noGrad;
    for (Tensor *parameter : {&lens.sie.e1, &lens.sie.e2, &lens.sie.theta_E, &lens.nfw.Rs, &lens.nfw.alpha_Rs}) {
        const Tensor grad = parameter->grad().clone();
        for (int64_t b = 0; b < parameter->size(0); ++b) {
            const double h = 1e-6, original = (*parameter)[b].item<double>();
            (*parameter)[b] = original + h;
            const double plus = total().item<double>();
            (*parameter)[b] = original - h;
            const double minus = total().item<double>();
            (*parameter)[b] = original;
            const double fd = (plus - minus) / (2 * h);
            CHECK_MSG(std::abs(grad[b].item<double>() - fd) <= 1e-5 * std::abs(fd) + 1e-6,
                      "system " << b << ": " << grad[b].item<double>() << " vs " << fd);
        }
    }
}

// No NaN or inf, in values or gradients, at the centres, for e = 0 and q = 1,
// in float32 and float64, with respect to parameters and positions.
TEST_CASE(centreAndRoundLensAreFiniteWithGradients)
{
    for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
        std::vector<Row> rs = rows();
        for (Row &r : rs) {
            r.sie.e1 = r.sie.e2 = 0.0;
            r.nfw.center_x = r.sie.center_x; // every centre on one grid point
            r.nfw.center_y = r.sie.center_y;
        }
        const auto options = torch::TensorOptions().dtype(dtype);
        LensSystemTensor lens = toTensors(rs, options, true);
        auto [x0, y0] = positions(rs, options);
        const Tensor x = x0.requires_grad_(true), y = y0.requires_grad_(true);
        const DeflectionField a = deflection(lens, x, y);
        const HessianField h = hessian(lens, x, y);
        const Tensor k = convergence(lens.sie, x, y) + convergence(lens.nfw, x, y) + convergence(lens.sis, x, y);
        for (const Tensor &t : {a.alpha_x, a.alpha_y, h.f_xx, h.f_xy, h.f_yy, k})
            CHECK(allFinite(t));
        // The centre of a round SIE deflects by 0 (position [b][0][0] is that centre).
        const DeflectionField sie = deflection(lens.sie, x, y);
        CHECK_EQ(sie.alpha_x.select(1, 0).select(1, 0).abs().max().item<double>(), 0.0);
        CHECK_EQ(sie.alpha_y.select(1, 0).select(1, 0).abs().max().item<double>(), 0.0);
        (a.alpha_x.sum() + a.alpha_y.sum() + h.f_xx.sum() + h.f_xy.sum() + h.f_yy.sum() + k.sum()).backward();
        for (const Tensor &p : {lens.sie.theta_E, lens.sie.e1, lens.sie.e2, lens.sie.center_x, lens.sie.center_y,
                                lens.shear.gamma1, lens.nfw.Rs, lens.nfw.alpha_Rs, lens.nfw.center_x, lens.sis.theta_E,
                                lens.sis.center_y, x, y})
            CHECK_MSG(allFinite(p.grad()), c10::toString(dtype));
    }
}

// The graph path (series blends) and the no-graph path (in place) agree.
TEST_CASE(graphAndNoGraphPathsAgree)
{
    for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
        const std::vector<Row> rs = rows();
        const auto options = torch::TensorOptions().dtype(dtype);
        const auto [x, y] = positions(rs, options);
        const DeflectionField withGraph = deflection(toTensors(rs, options, true), x, y);
        torch::NoGradGuard noGrad;
        const DeflectionField without = deflection(toTensors(rs, options), x, y);
        const double tol = dtype == torch::kFloat64 ? 1e-12 : 2e-6;
        CHECK(torch::allclose(withGraph.alpha_x.detach(), without.alpha_x, tol, tol));
        CHECK(torch::allclose(withGraph.alpha_y.detach(), without.alpha_y, tol, tol));
    }
}

// ------------------------------------------------------------------ CUDA

// The same numbers on a GPU: values against the CPU, gradients finite.
TEST_CASE(cudaMatchesCpu)
{
    if (!torch::cuda::is_available())
        SKIP("no CUDA");
    const std::vector<Row> rs = rows();
    for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
        const auto cpu = torch::TensorOptions().dtype(dtype);
        const auto gpu = cpu.device(torch::kCUDA);
        const auto [xc, yc] = positions(rs, cpu);
        const auto [xg, yg] = positions(rs, gpu);
        LensSystemTensor lensGpu = toTensors(rs, gpu, true);
        const DeflectionField a = deflection(lensGpu, xg, yg);
        const HessianField h = hessian(lensGpu, xg, yg);
        CHECK(a.alpha_x.device().is_cuda());
        (a.alpha_x.sum() + a.alpha_y.sum() + h.f_xy.sum()).backward();
        CHECK(allFinite(lensGpu.sie.e1.grad()) && allFinite(lensGpu.nfw.Rs.grad()));
        torch::NoGradGuard noGrad;
        const DeflectionField b = deflection(toTensors(rs, cpu), xc, yc);
        const double tol = dtype == torch::kFloat64 ? 1e-12 : 1e-5;
        CHECK(torch::allclose(a.alpha_x.detach().cpu(), b.alpha_x, tol, tol));
        CHECK(torch::allclose(a.alpha_y.detach().cpu(), b.alpha_y, tol, tol));
        const DeflectionField c = deflection(toTensors(rs, gpu), xg, yg);
        CHECK(torch::allclose(c.alpha_x.cpu(), b.alpha_x, tol, tol));
    }
}

TEST_CASE(lenstronomyKwargsRoundTripThroughTheExport)
{
    // Tensors → lens_model_list/kwargs_lens (as the exports write them) →
    // the double-precision model: the same parameters, in lenstronomy's order.
    const auto all = rows();
    const auto lens = toTensors(all, torch::kFloat64);
    for (int64_t b = 0; b < static_cast<int64_t>(all.size()); ++b) {
        const auto json = lenstronomyLens(lens, b, true, true);
        CHECK_EQ(json["lens_model_list"], nlohmann::json({"SIE", "SHEAR", "NFW", "SIS"}));
        const auto model = lensModelFromLenstronomy(json["lens_model_list"], json["kwargs_lens"], "test");
        const auto expected = modelOf(all[static_cast<size_t>(b)]);
        for (const auto &[x, y] : {std::pair{0.3, -0.2}, {-1.1, 0.7}, {1.6, 1.2}}) {
            const auto a = deflection(model, x, y), e = deflection(expected, x, y);
            CHECK_NEAR(a.x, e.x, 1e-14);
            CHECK_NEAR(a.y, e.y, 1e-14);
        }
    }
    const auto without = lenstronomyLens(lens, 0, false, false);
    CHECK_EQ(without["kwargs_lens"].size(), size_t{2});
    CHECK_THROWS_WITH(lensModelFromLenstronomy(nlohmann::json{"PEMD"}, nlohmann::json::array({{}}), "p.json"), "p.json",
                      "PEMD");
    CHECK_THROWS_WITH(lensModelFromLenstronomy(nlohmann::json{"SIS"}, nlohmann::json::array({{{"theta_E", 1.0}}}), "p.json"),
                      "center_x");
}

#include "fit/parametric_source.h"

#include "common/error.h"
#include "fit/lbfgs.h"
#include "lensing/ellipticity.h"

#include <algorithm>

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace astrorim::fit {

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

// The source's entries after the lens's, transformed so that every value
// of the optimizer's vector is a valid source: centre x, y; log R_sersic;
// t with n = nLow + nSpan·sigmoid(t); u1, u2 with e = eMax·tanh(u).
constexpr int kSourceEntries = 6;
constexpr double nLow = 0.5, nSpan = 5.5, eMax = 0.8;

std::vector<double> encode(const SersicSource &s)
{
    const double fraction = std::clamp((s.nSersic - nLow) / nSpan, 1e-3, 1 - 1e-3);
    return {s.centerX,
            s.centerY,
            std::log(s.rSersic),
            std::log(fraction / (1 - fraction)),
            std::atanh(std::clamp(s.e1 / eMax, -0.999, 0.999)),
            std::atanh(std::clamp(s.e2 / eMax, -0.999, 0.999))};
}

SersicSource decode(const double *t)
{
    return {t[0], t[1], std::exp(t[2]), nLow + nSpan / (1 + std::exp(-t[3])), eMax * std::tanh(t[4]),
            eMax * std::tanh(t[5])};
}

/// The model's columns through the PSF, [1 + K, N, N]: the unit-amplitude
/// Sérsic source seen through the lens, then each lens-light component.
/// Differentiable in `x` (the lens entries, then the encoded source).
torch::Tensor columns(const ForwardModel &model, const ParameterLayout &layout, const torch::Tensor &x)
{
    const int count = layout.count();
    const auto p = toTensors(layout, x.narrow(0, 0, count));
    const auto rays = model.trace(p.lens);
    const auto s = x.narrow(0, count, kSourceEntries);
    const auto at = [&](int i) { return s.narrow(0, i, 1); };
    const light::SersicTensor source{torch::ones({1}, kDouble),
                                     at(2).exp(),
                                     nLow + nSpan * torch::sigmoid(at(3)),
                                     eMax * torch::tanh(at(4)),
                                     eMax * torch::tanh(at(5)),
                                     at(0),
                                     at(1)};
    const int n = model.geometry().size, rays1d = model.geometry().supersample;
    const auto lensed = light::sersic(source, rays.x, rays.y).reshape({1, n, rays1d, n, rays1d}).mean({2, 4});
    return model.blur(torch::cat({lensed, model.lightImages(p.light)}));
}

/// The amplitudes that minimize χ² for fixed columns (weighted least squares).
torch::Tensor bestAmplitudes(const torch::Tensor &columns, const torch::Tensor &data, const torch::Tensor &weight)
{
    torch::NoGradGuard noGrad;
    const auto c = columns.detach().flatten(1);
    const auto cw = c * weight.flatten();
    auto normal = cw.matmul(c.t());
    normal = normal + 1e-10 * normal.diagonal().mean().clamp_min(1e-300) * torch::eye(normal.size(0), kDouble);
    return torch::linalg::solve(normal, cw.matmul(data.flatten()), true);
}

/// χ² at the best amplitudes for x (the lens entries, then the encoded
/// source) and, when `gradient` is given, its derivative in x.
double chi2At(const ForwardModel &model, const ParameterLayout &layout, const std::vector<double> &x,
              const torch::Tensor &data, const torch::Tensor &weight, std::vector<double> *gradient,
              double *sourceAmplitude = nullptr)
{
    torch::AutoGradMode enableGrad(gradient != nullptr);
    auto values = torch::tensor(x, kDouble);
    if (gradient)
        values.requires_grad_(true);
    const auto c = columns(model, layout, values);
    const auto amplitudes = bestAmplitudes(c, data, weight);
    const auto chi2 = (weight * ((c * amplitudes.view({-1, 1, 1})).sum(0) - data).square()).sum();
    if (sourceAmplitude)
        *sourceAmplitude = amplitudes[0].item<double>();
    if (gradient) {
        chi2.backward();
        const auto g = values.grad().contiguous();
        gradient->assign(g.data_ptr<double>(), g.data_ptr<double>() + g.numel());
    }
    return chi2.item<double>();
}

} // namespace

ParametricFit fitParametricSource(const ForwardModel &model, const torch::Tensor &data, const torch::Tensor &weight,
                                  const ModelParameters &start, const SersicSource &source, int iterations,
                                  const CancelToken &cancel, bool lensHeld)
{
    start.validate("first guess");
    if (!(source.rSersic > 0) || !std::isfinite(source.centerX) || !std::isfinite(source.centerY))
        fail("parametric source", "needs a finite centre and a positive R_sersic");
    const auto &layout = start.layout;
    const int count = layout.count();
    std::vector<double> origin = start.values, scales;
    const auto encoded = encode(source);
    origin.insert(origin.end(), encoded.begin(), encoded.end());
    for (int i = 0; i < count; ++i)
        scales.push_back(lensHeld ? 0.0 : start.scale(i)); // a zero scale holds the entry at its start
    for (const double s : {0.05, 0.05, 0.3, 0.5, 0.2, 0.2})
        scales.push_back(s);

    ParametricFit result;
    const auto toX = [&](const std::vector<double> &z) {
        std::vector<double> x(z.size());
        for (std::size_t i = 0; i < z.size(); ++i)
            x[i] = origin[i] + scales[i] * z[i];
        return x;
    };
    const Objective f = [&](const std::vector<double> &z, std::vector<double> &g) {
        const auto x = toX(z);
        try {
            ModelParameters{layout, {x.begin(), x.begin() + count}}.validate("lens parameters");
        } catch (const Error &) {
            return std::numeric_limits<double>::infinity(); // out of the domain: the step is shortened
        }
        std::vector<double> gx;
        const double value = chi2At(model, layout, x, data, weight, &gx);
        ++result.evaluations;
        g.resize(z.size());
        for (std::size_t i = 0; i < z.size(); ++i)
            g[i] = gx[i] * scales[i];
        return value;
    };
    LbfgsOptions options;
    options.maxIterations = iterations;
    options.gradientTolerance = 1e-3;
    options.valueTolerance = 1e-7;
    options.maxStep = 1.0;
    const auto r = minimizeLbfgs(f, std::vector<double>(origin.size(), 0.0), options, {}, cancel);
    const auto x = toX(r.x);
    result.lens = {layout, {x.begin(), x.begin() + count}};
    result.lens.clampToDomain();
    result.source = decode(x.data() + count);
    auto final = result.lens.values;
    const auto encodedFinal = encode(result.source);
    final.insert(final.end(), encodedFinal.begin(), encodedFinal.end());
    result.chi2 = chi2At(model, layout, final, data, weight, nullptr, &result.amplitude);
    return result;
}

double parametricChi2(const ForwardModel &model, const torch::Tensor &data, const torch::Tensor &weight,
                      const ModelParameters &lens, const SersicSource &source, std::vector<double> *lensGradient)
{
    lens.validate("lens parameters");
    auto x = lens.values;
    const auto encoded = encode(source);
    x.insert(x.end(), encoded.begin(), encoded.end());
    const double value = chi2At(model, lens.layout, x, data, weight, lensGradient);
    if (lensGradient)
        lensGradient->resize(lens.values.size());
    return value;
}

SersicSource sersicFromMoments(const Eigen::VectorXd &source, const SourceGrid &grid)
{
    const int n = grid.size;
    double sum = 0, mx = 0, my = 0;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            if (const double v = source[j * n + i]; v > 0) {
                sum += v;
                mx += v * grid.x(i);
                my += v * grid.y(j);
            }
    if (!(sum > 0))
        return {grid.centerX, grid.centerY, 0.1 * n * grid.pixelScale, 1.0, 0.0, 0.0};
    mx /= sum;
    my /= sum;
    double xx = 0, yy = 0, xy = 0;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            if (const double v = source[j * n + i]; v > 0) {
                const double dx = grid.x(i) - mx, dy = grid.y(j) - my;
                xx += v * dx * dx;
                yy += v * dy * dy;
                xy += v * dx * dy;
            }
    xx /= sum;
    yy /= sum;
    xy /= sum;
    // Principal variances a² ≥ b², angle φ of the major axis.
    const double mean = 0.5 * (xx + yy), half = std::sqrt(0.25 * (xx - yy) * (xx - yy) + xy * xy);
    const double a2 = mean + half, b2 = std::max(mean - half, 1e-6 * a2);
    if (!(a2 > 0)) // one positive pixel: no shape to read
        return {mx, my, 0.5 * grid.pixelScale, 1.0, 0.0, 0.0};
    // q at least 0.25, i.e. |e| at most 0.6: a start well inside the fit's |e| < 0.8.
    const double q = std::max(std::sqrt(b2 / a2), 0.25), phi = 0.5 * std::atan2(2 * xy, xx - yy);
    const auto e = lensing::ellipticityFromAxisRatio(q, phi);
    const double r = std::max(1.2 * std::pow(a2 * b2, 0.25), 0.5 * grid.pixelScale);
    return {mx, my, r, 1.0, e.e1, e.e2};
}

torch::Tensor sersicSourceImage(const SersicSource &source, double amplitude, const SourceGrid &grid)
{
    torch::NoGradGuard noGrad;
    const auto scalar = [](double v) { return torch::full({1}, v, kDouble); };
    const auto axis = torch::tensor(sampleOffsets(grid), kDouble);
    const auto x = (axis + grid.centerX).view({1, 1, grid.size}), y = (axis + grid.centerY).view({1, grid.size, 1});
    const light::SersicTensor p{scalar(amplitude), scalar(source.rSersic), scalar(source.nSersic), scalar(source.e1),
                                scalar(source.e2), scalar(source.centerX), scalar(source.centerY)};
    return light::sersic(p, x, y).reshape({grid.size, grid.size});
}

} // namespace astrorim::fit

// The physical forward operator (core/model): identities it must satisfy
// exactly, an analytic lensed image it must approximate, and its autograd
// gradients (the RIM's likelihood gradient) against finite differences and
// the adjoint identity.

#include <torch/torch.h>

#include "check.h"

#include "common/error.h"

#include "model/image_grid.h"
#include "model/lens_light.h"
#include "model/lensing_operator.h"
#include "model/likelihood.h"
#include "model/operator_correction.h"

#include <cmath>

using namespace astrorim;
using torch::Tensor;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

Tensor scalars(std::initializer_list<double> values)
{
    return torch::tensor(std::vector<double>(values), kDouble);
}

// A lens with all perturbers present: SIE + shear + NFW + SIS, two systems.
lensing::LensSystemTensor exampleLens()
{
    lensing::LensSystemTensor lens;
    lens.sie = {scalars({1.1, 0.8}), scalars({0.12, -0.05}), scalars({-0.04, 0.2}), scalars({0.05, -0.1}),
                scalars({-0.02, 0.07})};
    lens.shear = {scalars({0.03, -0.05}), scalars({0.01, 0.04})};
    lens.nfw = {scalars({1.5, 2.0}), scalars({0.2, 0.0}), scalars({0.4, 0.0}), scalars({-0.3, 0.0})};
    lens.sis = {scalars({0.0, 0.1}), scalars({0.0, -0.6}), scalars({0.0, 0.5})};
    lens.hasNfw = lens.hasSis = true;
    return lens;
}

lensing::LensSystemTensor noLens(int64_t batch)
{
    const auto zero = torch::zeros({batch}, kDouble);
    lensing::LensSystemTensor lens;
    lens.sie = {zero, zero, zero, zero, zero};
    lens.shear = {zero, zero};
    return lens;
}

// A circular Gaussian source of width `sigma` arcsec at (x0, y0), evaluated at positions (x, y).
Tensor gaussian(const Tensor &x, const Tensor &y, double x0, double y0, double sigma)
{
    return torch::exp(-((x - x0).square() + (y - y0).square()) / (2 * sigma * sigma));
}

} // namespace

TEST_CASE(withoutLensAndWithOneRayPerPixelTheOperatorIsTheIdentity)
{
    // Rays through pixel centres land on source pixel centres, where
    // bilinear interpolation returns the pixel value exactly.
    const model::LensingOperator op({32, 1});
    const auto source = torch::rand({2, 32, 32}, kDouble);
    const auto rays = op.trace(noLens(2), scalars({0.05, 0.2}));
    CHECK(torch::allclose(op.lensed(source, rays), source, 1e-12, 1e-12));
}

TEST_CASE(theOperatorIsLinearInTheSource)
{
    const model::LensingOperator op({32, 2});
    const auto rays = op.trace(exampleLens(), scalars({0.08, 0.1}));
    const auto psf = torch::softmax(torch::randn({2, 25}, kDouble), 1).view({2, 5, 5});
    const auto s1 = torch::rand({2, 32, 32}, kDouble), s2 = torch::rand({2, 32, 32}, kDouble);
    const auto lhs = op.blurred(2.5 * s1 - 0.7 * s2, rays, psf);
    const auto rhs = 2.5 * op.blurred(s1, rays, psf) - 0.7 * op.blurred(s2, rays, psf);
    CHECK(torch::allclose(lhs, rhs, 1e-12, 1e-12));
}

TEST_CASE(aSmoothSourceIsLensedLikeTheAnalyticImage)
{
    // Reference: surface brightness is conserved, I(θ) = S(θ − α(θ)), with the
    // analytic Gaussian source S evaluated at the traced sub-pixel positions
    // and averaged like the operator's rays. The operator samples the source
    // pixelated on the grid, so it may differ by bilinear interpolation
    // error, bounded by h²/8 (max|S_xx| + max|S_yy|) = 2/(8·3²) = 2.8 % of
    // the peak for a Gaussian of σ = 3 pixels (h = 1 pixel).
    const int n = 64, s = 4;
    const double scale = 0.05, width = 3 * scale;
    const model::LensingOperator op({n, s});
    auto lens = exampleLens();
    const auto pixelScale = scalars({scale, scale});
    const auto centre = model::subpixelOffsets(n, 1, kDouble) * scale;
    const auto source = gaussian(centre.view({1, 1, -1}), centre.view({1, -1, 1}), 0.1, -0.05, width)
                            .expand({2, n, n})
                            .contiguous();
    const auto operatorImage = op.lensed(source, op.trace(lens, pixelScale));

    const auto fine = model::subpixelOffsets(n, s, kDouble) * scale;
    const auto x = fine.view({1, 1, -1}), y = fine.view({1, -1, 1});
    const auto alpha = lensing::deflection(lens, x, y);
    const auto exact = torch::avg_pool2d(
        gaussian(x - alpha.alpha_x, y - alpha.alpha_y, 0.1, -0.05, width).unsqueeze(1), s).squeeze(1);
    const double error = (operatorImage - exact).abs().max().item<double>();
    CHECK_MSG(exact.max().item<double>() > 0.5, "the arcs must be bright enough to test");
    CHECK_MSG(error < 2.0 / 72.0, "max |operator - analytic| = " << error);
}

TEST_CASE(theChiSquaredGradientMatchesFiniteDifferences)
{
    const model::LensingOperator op({16, 2});
    const auto rays = op.trace(exampleLens(), scalars({0.15, 0.2}));
    const auto psf = torch::softmax(torch::randn({2, 9}, kDouble), 1).view({2, 3, 3});
    const auto forward = [&](const Tensor &src) { return op.blurred(src, rays, psf); };
    const auto data = torch::rand({2, 16, 16}, kDouble);
    const auto sigma = 0.05 + 0.1 * torch::rand({2, 16, 16}, kDouble);
    const auto source = torch::rand({2, 16, 16}, kDouble);
    const auto result = model::likelihoodGradient(forward, source, data, sigma);
    // Undo the documented ½ σ̃² scaling to get ∂χ²/∂s.
    const auto typical = std::get<0>(sigma.flatten(1).median(1)).view({-1, 1, 1});
    const auto gradient = result.gradient / (0.5 * typical.square());

    const double h = 1e-6;
    for (const auto &[b, i, j] : {std::tuple{0, 7, 8}, {1, 3, 12}, {0, 10, 2}, {1, 8, 8}}) {
        auto plus = source.clone(), minus = source.clone();
        plus[b][i][j] += h;
        minus[b][i][j] -= h;
        const double numeric = (model::chiSquared(forward(plus), data, sigma)[b] -
                                model::chiSquared(forward(minus), data, sigma)[b]).item<double>() / (2 * h);
        CHECK_REL(gradient[b][i][j].item<double>(), numeric, 1e-6);
    }
    CHECK(torch::allclose(result.chi2, model::chiSquared(forward(source), data, sigma)));
}

TEST_CASE(theAutogradTransposeSatisfiesTheAdjointIdentity)
{
    // ⟨A s, r⟩ = ⟨s, Aᵀ r⟩ with Aᵀ r from a vector-Jacobian product: the
    // gradient the RIM sees is the exact transpose of the operator.
    const model::LensingOperator op({32, 3});
    const auto rays = op.trace(exampleLens(), scalars({0.1, 0.12}));
    const auto psf = torch::softmax(torch::randn({2, 49}, kDouble), 1).view({2, 7, 7});
    const auto s = torch::randn({2, 32, 32}, kDouble).requires_grad_(true);
    const auto r = torch::randn({2, 32, 32}, kDouble);
    const auto image = op.blurred(s, rays, psf);
    const auto transpose = torch::autograd::grad({image}, {s}, {r})[0];
    const double lhs = (image * r).sum().item<double>();
    const double rhs = (s.detach() * transpose).sum().item<double>();
    CHECK_REL(lhs, rhs, 1e-10);
}

TEST_CASE(withoutLensTheInverseWarpIsTheExactAdjoint)
{
    // With no deflection every ray lands in its own pixel, so nearest and
    // bilinear back-projection agree: both return the image unchanged.
    const model::LensingOperator op({32, 2});
    const auto rays = op.trace(noLens(2), scalars({0.05, 0.2}));
    const auto r = torch::randn({2, 32, 32}, kDouble);
    CHECK(torch::allclose(op.inverseWarp(r, rays), r, 1e-12, 1e-12));
}

TEST_CASE(theInverseWarpApproximatesTheTrueTransposeOfTheLensing)
{
    // Through a lens, the nearest-ray back-projection differs from the exact
    // transpose (bilinear weights) only within a pixel: for a smooth residual
    // the two agree in direction (cosine > 0.95) and both carry the same
    // total, Σ r / S² over the rays that land on the source grid.
    const model::LensingOperator op({48, 2});
    const auto rays = op.trace(exampleLens(), scalars({0.08, 0.1}));
    const auto centre = model::subpixelOffsets(48, 1, kDouble);
    const auto r = gaussian(centre.view({1, 1, -1}), centre.view({1, -1, 1}), 3.0, -2.0, 8.0)
                       .expand({2, 48, 48})
                       .contiguous();
    const auto s = torch::zeros({2, 48, 48}, kDouble).requires_grad_(true);
    const auto exact = torch::autograd::grad({op.lensed(s, rays)}, {s}, {r})[0];
    const auto approximate = op.inverseWarp(r, rays);
    const double cosine = ((exact * approximate).sum() / (exact.norm() * approximate.norm())).item<double>();
    CHECK_MSG(cosine > 0.95, "cosine(exact, inverse warp) = " << cosine);
    CHECK_REL(approximate.sum().item<double>(), exact.sum().item<double>(), 0.02);
}

TEST_CASE(aBackProjectedGradientWithTheExactTransposeIsTheTrueGradient)
{
    // For A = 3·identity the transpose is 3·identity: handing that to
    // backProjectedGradient must reproduce the autograd gradient and χ².
    const auto forward = [](const Tensor &src) { return 3 * src; };
    const auto transpose = [](const Tensor &image) { return 3 * image; };
    const auto data = torch::rand({2, 16, 16}, kDouble);
    const auto sigma = 0.05 + 0.1 * torch::rand({2, 16, 16}, kDouble);
    const auto source = torch::rand({2, 16, 16}, kDouble);
    const auto viaAutograd = model::likelihoodGradient(forward, source, data, sigma);
    const auto viaTranspose = model::backProjectedGradient(forward, transpose, source, data, sigma);
    CHECK(torch::allclose(viaTranspose.gradient, viaAutograd.gradient, 1e-12, 1e-12));
    CHECK(torch::allclose(viaTranspose.chi2, viaAutograd.chi2, 1e-12, 1e-12));
}

TEST_CASE(theImageGradientInTheEinsteinRadiusMatchesFiniteDifferences)
{
    // The lens parameters reach the image through the ray positions; MAP
    // refinement descends this gradient.
    const int n = 32;
    const model::LensingOperator op({n, 2});
    const auto pixelScale = scalars({0.08, 0.08});
    const auto centre = model::subpixelOffsets(n, 1, kDouble) * 0.08;
    const auto source = gaussian(centre.view({1, 1, -1}), centre.view({1, -1, 1}), 0.05, 0.0, 0.25)
                            .expand({2, n, n})
                            .contiguous();
    const auto weights = torch::rand({2, n, n}, kDouble);
    const auto objective = [&](const Tensor &thetaE) {
        auto lens = exampleLens();
        lens.sie.theta_E = thetaE;
        return (op.lensed(source, op.trace(lens, pixelScale)) * weights).sum();
    };
    const auto thetaE = scalars({1.1, 0.8}).requires_grad_(true);
    const auto analytic = torch::autograd::grad({objective(thetaE)}, {thetaE})[0];
    const double h = 1e-6;
    for (int b = 0; b < 2; ++b) {
        auto plus = thetaE.detach().clone(), minus = thetaE.detach().clone();
        plus[b] += h;
        minus[b] -= h;
        const double numeric = (objective(plus) - objective(minus)).item<double>() / (2 * h);
        CHECK_REL(analytic[b].item<double>(), numeric, 1e-5);
    }
}

TEST_CASE(anUntrainedCorrectionIsTheIdentity)
{
    model::OperatorCorrection correction(8);
    const auto image = torch::rand({3, 24, 24});
    CHECK(torch::equal(correction->forward(image), image));
}

TEST_CASE(lensLightIsTheSupersampledSersicConvolvedWithThePsf)
{
    // Flux check: a δ PSF keeps the binned profile, and binning conserves the
    // mean over sub-pixels; a normalized PSF conserves total flux away from edges.
    const int n = 48;
    light::SersicTensor light{scalars({2.0}), scalars({0.3}), scalars({2.5}), scalars({0.1}), scalars({-0.05}),
                              scalars({0.02}), scalars({-0.03})};
    const auto delta = torch::zeros({1, 3, 3}, kDouble);
    delta[0][1][1] = 1.0;
    const auto sharp = model::renderLensLight(light, scalars({0.1}), delta, n, 4);
    const auto fine = model::subpixelOffsets(n, 4, kDouble) * 0.1;
    const auto direct = torch::avg_pool2d(light::sersic(light, fine.view({1, 1, -1}), fine.view({1, -1, 1})).unsqueeze(1), 4)
                            .squeeze(1);
    CHECK(torch::allclose(sharp, direct, 1e-12, 1e-12));
    const auto blurred = model::renderLensLight(light, scalars({0.1}), torch::full({1, 5, 5}, 1.0 / 25, kDouble), n, 4);
    CHECK_REL(blurred.sum().item<double>(), sharp.sum().item<double>(), 2e-3);
}

TEST_CASE(badShapesGiveClearErrors)
{
    const model::LensingOperator op({32, 2});
    const auto rays = op.trace(noLens(2), scalars({0.1, 0.1}));
    CHECK_THROWS_WITH(op.lensed(torch::zeros({2, 30, 30}, kDouble), rays), "source must be [B, 32, 32]");
    CHECK_THROWS_WITH(op.lensed(torch::zeros({3, 32, 32}, kDouble), rays), "does not match the source");
    CHECK_THROWS_WITH(model::LensingOperator({32, 0}), "supersampling must be between 1 and 8");
    CHECK_THROWS_WITH(model::chiSquared(torch::zeros({1, 4, 4}), torch::zeros({1, 4, 4}), torch::zeros({1, 5, 4})),
                      "must share one [B, N, N] shape");
}

// The networks (core/nn): the RIM loop, the estimator and its parameter
// encoding, the normalization, and the model bundle's reconstruction path.

#include <torch/torch.h>

#include "check.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

#include "nn/conv_gru.h"
#include "nn/lens_estimator.h"
#include "nn/lens_parameters.h"
#include "nn/model_file.h"
#include "nn/normalization.h"
#include "nn/rim.h"
#include "nn/rim_model.h"

using namespace astrorim;
using torch::Tensor;

namespace {

Tensor values(std::initializer_list<double> v)
{
    return torch::tensor(std::vector<double>(v), torch::kFloat64);
}

nn::LensEstimate exampleEstimate()
{
    nn::LensEstimate e;
    e.lens.sie = {values({1.2, 0.7}), values({0.1, -0.2}), values({0.05, 0.0}), values({0.03, -0.1}),
                  values({-0.05, 0.2})};
    e.lens.shear = {values({0.02, -0.04}), values({0.01, 0.03})};
    e.lens.nfw = {values({1.5, 2.0}), values({0.3, 0.0}), values({0.5, 0.0}), values({-0.4, 0.0})};
    e.lens.sis = {values({0.0, 0.15}), values({0.0, 0.6}), values({0.0, -0.3})};
    e.lensLight = {values({3.0, 0.5}), values({0.6, 0.35}), values({4.0, 1.5}), values({0.05, 0.1}),
                   values({0.0, -0.1}), e.lens.sie.center_x, e.lens.sie.center_y};
    e.psfFwhm = values({0.1, 0.8});
    return e;
}

} // namespace

TEST_CASE(parametersSurviveEncodingAndDecoding)
{
    const auto truth = exampleEstimate();
    const auto pixelScale = values({0.05, 0.2}), dataScale = values({7.0, 0.3});
    const auto hasNfw = torch::tensor({true, false}), hasSis = torch::tensor({false, true});
    const auto encoded = nn::encodeParameters(truth, hasNfw, hasSis, pixelScale, dataScale, 96);
    CHECK_EQ(encoded.values.size(1), nn::ParameterCount);
    // θ_E = 1.2″ at 0.05″/px in a 96-pixel field: half width 2.4″, so 0.5.
    CHECK_NEAR(encoded.values[0][nn::ThetaE].item<double>(), 0.5, 1e-12);
    CHECK_EQ(encoded.mask[0][nn::NfwLogRs].item<double>(), 1.0);
    CHECK_EQ(encoded.mask[1][nn::NfwLogRs].item<double>(), 0.0);
    CHECK_EQ(encoded.mask[0][nn::SisThetaE].item<double>(), 0.0);

    const auto decoded = nn::decodeParameters(encoded.values, pixelScale, dataScale, 96);
    const auto same = [](const Tensor &a, const Tensor &b) { return torch::allclose(a, b, 1e-10, 1e-12); };
    CHECK(same(decoded.lens.sie.theta_E, truth.lens.sie.theta_E));
    CHECK(same(decoded.lens.sie.e2, truth.lens.sie.e2));
    CHECK(same(decoded.lens.sie.center_y, truth.lens.sie.center_y));
    CHECK(same(decoded.lens.shear.gamma1, truth.lens.shear.gamma1));
    CHECK(same(decoded.lensLight.amp, truth.lensLight.amp));
    CHECK(same(decoded.lensLight.R_sersic, truth.lensLight.R_sersic));
    CHECK(same(decoded.psfFwhm, truth.psfFwhm));
    // Present perturbers keep their strength; absent ones get none.
    CHECK(same(decoded.lens.nfw.alpha_Rs, truth.lens.nfw.alpha_Rs));
    CHECK(same(decoded.lens.sis.theta_E, truth.lens.sis.theta_E));
    CHECK(decoded.nfwProbability[0].item<double>() > 0.9 && decoded.nfwProbability[1].item<double>() < 0.1);
    CHECK_THROWS_WITH(nn::decodeParameters(torch::zeros({2, 3}), pixelScale, dataScale, 96), "expected [B, 22]");
}

TEST_CASE(peakScaleIgnoresASingleHotPixel)
{
    auto image = torch::zeros({2, 16, 16});
    image[0][5][5] = 9.0;                        // a cosmic ray: the 3×3 mean is 1
    image[1].slice(0, 4, 9).slice(1, 4, 9) = 2.; // a resolved source: its level
    const auto scale = nn::peakScale(image);
    CHECK_NEAR(scale[0].item<double>(), 1.0, 1e-6);
    CHECK_NEAR(scale[1].item<double>(), 2.0, 1e-6);
    CHECK(nn::peakScale(torch::zeros({1, 8, 8}))[0].item<double>() > 0);
}

TEST_CASE(convGruStateStaysBoundedAndKeepsItsShape)
{
    torch::manual_seed(5);
    nn::ConvGru gru(3, 5);
    auto h = torch::zeros({2, 5, 12, 12});
    for (int i = 0; i < 4; ++i)
        h = gru->forward(10 * torch::randn({2, 3, 12, 12}), h);
    CHECK_EQ(h.sizes().vec(), (std::vector<int64_t>{2, 5, 12, 12}));
    // h' is a convex combination of h and tanh(...): from 0 it stays in [−1, 1]
    // (closed: in float32, tanh of an argument above about 9 rounds to 1).
    CHECK(h.abs().max().item<double>() <= 1.0);
}

TEST_CASE(theRimReturnsEveryIterateAndStopsWhenAsked)
{
    nn::RimCell cell(nn::RimConfig{4, 8, 8});
    const auto identity = [](const Tensor &s) { return s; };
    const auto data = torch::rand({3, 16, 16}), sigma = torch::full({3, 16, 16}, 0.1);
    const auto likelihood = nn::autogradLikelihood(identity, data, sigma);
    const auto all = nn::runRim(cell, likelihood, data, sigma, torch::zeros_like(data), 5);
    CHECK_EQ(all.size(), size_t{5});
    CHECK_EQ(all.back().sizes().vec(), data.sizes().vec());

    int seen = 0;
    Tensor lastChi2;
    const auto stopAtThree = [&](int t, const Tensor &, const Tensor &chi2) {
        seen = t;
        lastChi2 = chi2;
        return t < 3;
    };
    CHECK_EQ(nn::runRim(cell, likelihood, data, sigma, torch::zeros_like(data), 10, stopAtThree).size(), size_t{3});
    CHECK_EQ(seen, 3);
    CHECK_EQ(lastChi2.sizes().vec(), (std::vector<int64_t>{3}));

    const auto odd = torch::zeros({1, 18, 18});
    CHECK_THROWS_WITH(nn::runRim(cell, nn::autogradLikelihood(identity, odd, odd), odd, odd, odd, 2),
                      "N divisible by 4");
    CHECK_THROWS_WITH(nn::runRim(cell, likelihood, data, sigma, torch::zeros_like(data), 0), "at least one iteration");
}

TEST_CASE(theRimCellCanLearnToInvertAKnownOperator)
{
    // A sanity check of the whole training path: with the operator
    // A(s) = 2 s the RIM must learn s = y / 2. Thirty Adam steps on one
    // fixed batch bring the last iterate's error well below the start's.
    torch::manual_seed(3);
    nn::RimCell cell(nn::RimConfig{4, 8, 8});
    const auto twice = [](const Tensor &s) { return 2 * s; };
    const auto truth = torch::rand({4, 16, 16});
    const auto data = 2 * truth, sigma = torch::full({4, 16, 16}, 0.05);
    torch::optim::Adam adam(cell->parameters(), torch::optim::AdamOptions(3e-3));
    const auto loss = [&] {
        const auto iterates = nn::runRim(cell, nn::autogradLikelihood(twice, data, sigma), data, sigma, torch::zeros_like(data), 4);
        Tensor total = torch::zeros({});
        for (const auto &x : iterates)
            total = total + (x - truth).square().mean();
        return total / static_cast<double>(iterates.size());
    };
    const double before = loss().item<double>();
    for (int step = 0; step < 30; ++step) {
        adam.zero_grad();
        loss().backward();
        adam.step();
    }
    const double after = loss().item<double>();
    CHECK_MSG(after < 0.3 * before, "loss " << before << " -> " << after);
}

TEST_CASE(theEstimatorPredictsEveryParameterWithAnUncertainty)
{
    nn::LensEstimator estimator(32, 4);
    const auto out = estimator->forward(torch::rand({3, 32, 32}), torch::full({3, 32, 32}, 0.1));
    CHECK_EQ(out.mean.sizes().vec(), (std::vector<int64_t>{3, nn::ParameterCount}));
    CHECK_EQ(out.logVar.sizes().vec(), (std::vector<int64_t>{3, nn::ParameterCount}));
    const auto target = torch::zeros({3, nn::ParameterCount});
    const auto loss = nn::estimatorLoss(out, target, torch::ones_like(target));
    CHECK(std::isfinite(loss.item<double>()));
    CHECK_THROWS_WITH(estimator->forward(torch::rand({1, 30, 30}), torch::rand({1, 30, 30})), "must be [B, 32, 32]");
    CHECK_THROWS_WITH(nn::LensEstimator(40, 4), "divisible by 16");
}

TEST_CASE(theModelReconstructsABatchEndToEnd)
{
    auto config = test::tinyModelConfig();
    nn::RimModel model(config);
    torch::NoGradGuard noGrad;
    nn::NormalizedObservation obs{torch::rand({2, 32, 32}), torch::full({2, 32, 32}, 0.05),
                                  torch::tensor({0.05f, 0.1f}), torch::full({2, 5, 5}, 1.0f / 25),
                                  torch::tensor({3.0f, 1.0f})};
    int calls = 0;
    const auto result = model->reconstruct(obs, 6, [&](int, const Tensor &, const Tensor &) { return ++calls > 0; });
    CHECK_EQ(result.iterates.size(), size_t{6});
    CHECK_EQ(calls, 6);
    CHECK_EQ(result.model.sizes().vec(), obs.data.sizes().vec());
    CHECK(torch::isfinite(result.model).all().item<bool>());
    CHECK(!result.iterates.back().requires_grad());
}

TEST_CASE(aModelKeepsItsGradientModeThroughItsFile)
{
    // A model trained on the inverse-warp gradient must run with it: the mode
    // travels in the file's config, and files without it mean autograd.
    auto config = test::tinyModelConfig();
    config.gradient = nn::GradientMode::InverseWarp;
    test::TempDir dir;
    nn::saveModel(dir.path / "warp.safetensors", *nn::RimModel(config));
    auto loaded = nn::loadModel(dir.path / "warp.safetensors");
    CHECK(loaded.model->config().gradient == nn::GradientMode::InverseWarp);

    torch::NoGradGuard noGrad;
    nn::NormalizedObservation obs{torch::rand({1, 32, 32}), torch::full({1, 32, 32}, 0.05), torch::tensor({0.05f}),
                                  torch::full({1, 5, 5}, 1.0f / 25), torch::tensor({1.0f})};
    CHECK(torch::isfinite(loaded.model->reconstruct(obs, 3).iterates.back()).all().item<bool>());

    auto json = nlohmann::json::parse(nn::modelConfigToJson(config));
    json.erase("gradient");
    CHECK(nn::modelConfigFromJson(json.dump(), "old.safetensors").gradient == nn::GradientMode::Autograd);
    json["gradient"] = "finite-differences";
    CHECK_THROWS_WITH(nn::modelConfigFromJson(json.dump(), "odd.safetensors"), "odd.safetensors");
}

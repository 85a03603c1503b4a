#include "fit/model_parameters.h"

#include "common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace astrorim::fit {

namespace {

const char *const kMassNames[] = {"theta_E", "e1", "e2", "center_x", "center_y", "gamma1", "gamma2"};
const char *const kNfwNames[] = {"nfw.Rs", "nfw.alpha_Rs", "nfw.center_x", "nfw.center_y"};
const char *const kSisNames[] = {"sis.theta_E", "sis.center_x", "sis.center_y"};
const char *const kLightNames[] = {"R_sersic", "n_sersic", "e1", "e2"};

enum class Kind { Radius, Ellipticity, Position, Shear, Index, Strength };

Kind kindOf(const ParameterLayout &layout, int i)
{
    static const Kind mass[] = {Kind::Radius,   Kind::Ellipticity, Kind::Ellipticity, Kind::Position,
                                Kind::Position, Kind::Shear,       Kind::Shear};
    if (i < 7)
        return mass[i];
    if (layout.nfw && i >= layout.nfwOffset() && i < layout.nfwOffset() + 4) {
        const int k = i - layout.nfwOffset();
        return k == 0 ? Kind::Radius : k == 1 ? Kind::Strength : Kind::Position;
    }
    if (layout.sis && i >= layout.sisOffset() && i < layout.sisOffset() + 3)
        return i == layout.sisOffset() ? Kind::Strength : Kind::Position;
    const int k = (i - layout.lightOffset(0)) % 4;
    return k == 0 ? Kind::Radius : k == 1 ? Kind::Index : Kind::Ellipticity;
}

} // namespace

std::string ModelParameters::name(int i) const
{
    if (i < 0 || i >= layout.count())
        fail("lens parameters", "no entry " + std::to_string(i));
    if (i < 7)
        return kMassNames[i];
    if (layout.nfw && i >= layout.nfwOffset() && i < layout.nfwOffset() + 4)
        return kNfwNames[i - layout.nfwOffset()];
    if (layout.sis && i >= layout.sisOffset() && i < layout.sisOffset() + 3)
        return kSisNames[i - layout.sisOffset()];
    const int c = (i - layout.lightOffset(0)) / 4;
    return "light" + std::to_string(c) + "." + kLightNames[(i - layout.lightOffset(0)) % 4];
}

std::vector<double> ModelParameters::scales() const
{
    std::vector<double> out;
    for (int i = 0; i < layout.count(); ++i)
        out.push_back(scale(i));
    return out;
}

double ModelParameters::scale(int i) const
{
    switch (kindOf(layout, i)) {
    case Kind::Radius: return std::max(0.05, 0.1 * std::abs(values.at(i)));
    case Kind::Ellipticity: return 0.05;
    case Kind::Position: return 0.02;
    case Kind::Shear: return 0.02;
    case Kind::Index: return 0.2;
    case Kind::Strength: return std::max(0.01, 0.1 * std::abs(values.at(i)));
    }
    return 1.0;
}

void ModelParameters::validate(const std::string &subject) const
{
    if (static_cast<int>(values.size()) != layout.count())
        fail(subject, "expected " + std::to_string(layout.count()) + " lens parameters, got " +
                          std::to_string(values.size()));
    for (int i = 0; i < layout.count(); ++i)
        if (!std::isfinite(values[i]))
            fail(subject, name(i) + " is not finite");
    const auto positive = [&](int i) {
        if (values[i] <= 0)
            fail(subject, name(i) + " must be positive, got " + std::to_string(values[i]));
    };
    const auto ellipticity = [&](int i) {
        if (std::hypot(values[i], values[i + 1]) >= 1)
            fail(subject, name(i) + ", " + name(i + 1) + ": |e| must be below 1");
    };
    positive(ThetaE);
    ellipticity(E1);
    if (layout.nfw)
        positive(layout.nfwOffset());
    if (layout.sis)
        positive(layout.sisOffset());
    for (int c = 0; c < layout.lightComponents; ++c) {
        const int o = layout.lightOffset(c);
        positive(o);
        if (values[o + 1] < 0.2 || values[o + 1] > 8)
            fail(subject, name(o + 1) + " must lie in 0.2-8, got " + std::to_string(values[o + 1]));
        ellipticity(o + 2);
    }
}

void ModelParameters::clampToDomain()
{
    const auto ellipticity = [&](int i) {
        const double e = std::hypot(values[i], values[i + 1]);
        if (e > 0.9) {
            values[i] *= 0.9 / e;
            values[i + 1] *= 0.9 / e;
        }
    };
    values[ThetaE] = std::max(values[ThetaE], 1e-3);
    ellipticity(E1);
    if (layout.nfw) {
        values[layout.nfwOffset()] = std::max(values[layout.nfwOffset()], 1e-3);
        values[layout.nfwOffset() + 1] = std::max(values[layout.nfwOffset() + 1], 0.0); // no negative mass
    }
    if (layout.sis)
        values[layout.sisOffset()] = std::max(values[layout.sisOffset()], 1e-3);
    for (int c = 0; c < layout.lightComponents; ++c) {
        const int o = layout.lightOffset(c);
        values[o] = std::max(values[o], 1e-3);
        values[o + 1] = std::clamp(values[o + 1], 0.3, 8.0);
        ellipticity(o + 2);
    }
}

ParameterTensors toTensors(const ParameterLayout &layout, const torch::Tensor &values)
{
    if (values.dim() != 1 || values.size(0) != layout.count())
        fail("lens parameters", "expected a vector of " + std::to_string(layout.count()) + " entries");
    const auto at = [&](int i) { return values.narrow(0, i, 1); };
    const auto zero = torch::zeros({1}, values.options());
    ParameterTensors out;
    auto &lens = out.lens;
    lens.sie = {at(ThetaE), at(E1), at(E2), at(CenterX), at(CenterY)};
    lens.shear = {at(Gamma1), at(Gamma2)};
    lens.nfw = {torch::ones({1}, values.options()), zero, zero, zero};
    lens.sis = {zero, zero, zero};
    if (layout.nfw) {
        const int o = layout.nfwOffset();
        lens.nfw = {at(o), at(o + 1), at(o + 2), at(o + 3)};
        lens.hasNfw = true;
    }
    if (layout.sis) {
        const int o = layout.sisOffset();
        lens.sis = {at(o), at(o + 1), at(o + 2)};
        lens.hasSis = true;
    }
    for (int c = 0; c < layout.lightComponents; ++c) {
        const int o = layout.lightOffset(c);
        out.light.push_back({torch::ones({1}, values.options()), at(o), at(o + 1), at(o + 2), at(o + 3),
                             at(CenterX), at(CenterY)});
    }
    return out;
}

} // namespace astrorim::fit

namespace astrorim::fit {

lensing::LensModel toLensModel(const ModelParameters &p)
{
    const auto &v = p.values;
    lensing::LensModel model;
    model.components.push_back(lensing::SieParams{v[ThetaE], v[E1], v[E2], v[CenterX], v[CenterY]});
    model.components.push_back(lensing::ShearParams{v[Gamma1], v[Gamma2], 0.0, 0.0});
    if (p.layout.nfw) {
        const int o = p.layout.nfwOffset();
        model.components.push_back(lensing::NfwParams{v[o], v[o + 1], v[o + 2], v[o + 3]});
    }
    if (p.layout.sis) {
        const int o = p.layout.sisOffset();
        model.components.push_back(lensing::SisParams{v[o], v[o + 1], v[o + 2]});
    }
    return model;
}

} // namespace astrorim::fit

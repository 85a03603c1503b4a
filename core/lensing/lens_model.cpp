#include "lensing/lens_model.h"

#include <string>
#include <type_traits>
#include <variant>

namespace astrorim::lensing {

std::string lenstronomyName(const LensComponent &component)
{
    return std::visit(
        [](const auto &p) -> std::string {
            using P = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<P, SieParams>)
                return "SIE";
            else if constexpr (std::is_same_v<P, SisParams>)
                return "SIS";
            else if constexpr (std::is_same_v<P, NfwParams>)
                return "NFW";
            else {
                static_assert(std::is_same_v<P, ShearParams>, "every component needs a name");
                return "SHEAR";
            }
        },
        component);
}

void validate(const LensModel &model)
{
    for (const LensComponent &component : model.components)
        std::visit([](const auto &p) { validate(p); }, component);
}

Vec2 deflection(const LensModel &model, double x, double y)
{
    Vec2 sum;
    for (const LensComponent &component : model.components) {
        const Vec2 alpha = std::visit([&](const auto &p) { return deflection(p, x, y); }, component);
        sum.x += alpha.x;
        sum.y += alpha.y;
    }
    return sum;
}

Hessian hessian(const LensModel &model, double x, double y)
{
    Hessian sum;
    for (const LensComponent &component : model.components) {
        const Hessian h = std::visit([&](const auto &p) { return hessian(p, x, y); }, component);
        sum.f_xx += h.f_xx;
        sum.f_xy += h.f_xy;
        sum.f_yy += h.f_yy;
    }
    return sum;
}

double potential(const LensModel &model, double x, double y)
{
    double sum = 0.0;
    for (const LensComponent &component : model.components)
        sum += std::visit([&](const auto &p) { return potential(p, x, y); }, component);
    return sum;
}

double convergence(const LensModel &model, double x, double y)
{
    double sum = 0.0;
    for (const LensComponent &component : model.components)
        sum += std::visit([&](const auto &p) { return convergence(p, x, y); }, component);
    return sum;
}

} // namespace astrorim::lensing

#pragma once

// Composite 10-point Gauss-Legendre quadrature for the distance integrals.
// Exact for polynomials of degree 19 on each panel, so a smooth integrand
// like (1 + z)/E(z) in ln(1 + z) converges to double precision with a few
// tens of panels. Internal to analysis.

#include <array>

namespace astrorim::analysis::quadrature {

// Abramowitz & Stegun table 25.4: the positive nodes and their weights.
inline constexpr std::array<double, 5> kNodes = {0.1488743389816312, 0.4333953941292472,
                                                 0.6794095682990244, 0.8650633666889845,
                                                 0.9739065285171717};
inline constexpr std::array<double, 5> kWeights = {0.2955242247147529, 0.2692667193099963,
                                                   0.2190863625159820, 0.1494513491505806,
                                                   0.0666713443086881};

/// ∫_a^b f(x) dx over `panels` equal panels (panels ≥ 1).
template <class F>
double integrate(F &&f, double a, double b, int panels)
{
    const double width = (b - a) / panels;
    double sum = 0.0;
    for (int p = 0; p < panels; ++p) {
        const double mid = a + (p + 0.5) * width, half = 0.5 * width;
        double panel = 0.0;
        for (std::size_t k = 0; k < kNodes.size(); ++k)
            panel += kWeights[k] * (f(mid - half * kNodes[k]) + f(mid + half * kNodes[k]));
        sum += half * panel;
    }
    return sum;
}

} // namespace astrorim::analysis::quadrature

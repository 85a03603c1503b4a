#include "fit/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

namespace astrorim::fit {

namespace {

double dot(const std::vector<double> &a, const std::vector<double> &b)
{
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

double maxAbs(const std::vector<double> &a)
{
    double m = 0;
    for (double v : a)
        m = std::max(m, std::abs(v));
    return m;
}

} // namespace

LbfgsResult minimizeLbfgs(const Objective &f, std::vector<double> x0, const LbfgsOptions &options,
                          const std::function<void(const std::vector<double> &, double)> &afterIteration,
                          const CancelToken &cancel)
{
    const std::size_t n = x0.size();
    LbfgsResult result;
    result.x = std::move(x0);
    std::vector<double> g(n);
    result.value = f(result.x, g);
    ++result.evaluations;
    std::deque<std::vector<double>> ss, ys;
    std::deque<double> rhos;
    std::vector<double> direction(n), trial(n), trialGradient(n);
    for (result.iterations = 0; result.iterations < options.maxIterations; ++result.iterations) {
        if (cancel.cancelled() || !std::isfinite(result.value))
            break;
        if (maxAbs(g) <= options.gradientTolerance) {
            result.converged = true;
            break;
        }
        // Two-loop recursion: direction = −H g.
        std::vector<double> q = g;
        std::vector<double> alphas(ss.size());
        for (std::size_t k = ss.size(); k-- > 0;) {
            alphas[k] = rhos[k] * dot(ss[k], q);
            for (std::size_t i = 0; i < n; ++i)
                q[i] -= alphas[k] * ys[k][i];
        }
        const double gamma = ss.empty() ? 1.0 : dot(ss.back(), ys.back()) / dot(ys.back(), ys.back());
        for (std::size_t i = 0; i < n; ++i)
            q[i] *= gamma;
        for (std::size_t k = 0; k < ss.size(); ++k) {
            const double beta = rhos[k] * dot(ys[k], q);
            for (std::size_t i = 0; i < n; ++i)
                q[i] += (alphas[k] - beta) * ss[k][i];
        }
        for (std::size_t i = 0; i < n; ++i)
            direction[i] = -q[i];
        double slope = dot(direction, g);
        if (!(slope < 0)) { // not a descent direction: restart along −g
            ss.clear();
            ys.clear();
            rhos.clear();
            for (std::size_t i = 0; i < n; ++i)
                direction[i] = -g[i];
            slope = dot(direction, g);
        }
        double step = std::min(1.0, options.maxStep / std::max(maxAbs(direction), 1e-300));
        bool accepted = false;
        double trialValue = 0;
        for (int tries = 0; tries < 20; ++tries, step *= 0.3) {
            for (std::size_t i = 0; i < n; ++i)
                trial[i] = result.x[i] + step * direction[i];
            try {
                trialValue = f(trial, trialGradient);
            } catch (...) {
                trialValue = NAN;
            }
            ++result.evaluations;
            if (std::isfinite(trialValue) && trialValue <= result.value + 1e-4 * step * slope) {
                accepted = true;
                break;
            }
        }
        if (!accepted)
            break;
        std::vector<double> s(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            s[i] = trial[i] - result.x[i];
            y[i] = trialGradient[i] - g[i];
        }
        const double change = result.value - trialValue;
        result.x = trial;
        g = trialGradient;
        result.value = trialValue;
        if (afterIteration)
            afterIteration(result.x, result.value);
        const double sy = dot(s, y);
        if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {
            ss.push_back(std::move(s));
            ys.push_back(std::move(y));
            rhos.push_back(1.0 / sy);
            if (static_cast<int>(ss.size()) > options.memory) {
                ss.pop_front();
                ys.pop_front();
                rhos.pop_front();
            }
        }
        if (change <= options.valueTolerance * std::max(1.0, std::abs(result.value))) {
            result.converged = true;
            ++result.iterations;
            break;
        }
    }
    return result;
}

} // namespace astrorim::fit

#include "evaluation/fit_report.h"

#include "common/error.h"
#include "metrics/summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>

namespace astrorim::evaluation {

namespace {

std::string fixed(double v, int digits)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    return buffer;
}

double median(std::vector<double> v)
{
    return v.empty() ? NAN : metrics::summarize(v).median;
}

using Select = std::function<double(const FitRecord &, const MethodScores &)>;

struct Column
{
    const char *name;
    int digits;
    Select value;
};

const std::vector<Column> &columns()
{
    static const std::vector<Column> list{
        {"source rel. error", 3, [](const FitRecord &, const MethodScores &m) { return m.relativeError; }},
        {"aligned rel. error", 3, [](const FitRecord &, const MethodScores &m) { return m.alignedError; }},
        {"support SSIM", 3, [](const FitRecord &, const MethodScores &m) { return m.supportSsim; }},
        {"reduced chi2", 3, [](const FitRecord &, const MethodScores &m) { return m.reducedChi2; }},
        {"theta_E rel. error", 4,
         [](const FitRecord &r, const MethodScores &m) {
             return m.parameters[0] > 0 ? std::abs(m.parameters[0] - r.truth[0]) / r.truth[0] : NAN;
         }},
        {"seconds", 2, [](const FitRecord &, const MethodScores &m) { return m.seconds; }}};
    return list;
}

/// The factor on the 1σ that would make them cover 68.27 % (the 1σ of a
/// Gaussian): that percentile of |error| / 1σ, interpolated linearly between
/// the sorted values. NaN without values.
double coverageFactor(std::vector<double> ratios)
{
    if (ratios.empty())
        return NAN;
    std::sort(ratios.begin(), ratios.end());
    const double at = 0.6827 * static_cast<double>(ratios.size() - 1);
    const auto below = static_cast<std::size_t>(at);
    const double above = below + 1 < ratios.size() ? ratios[below + 1] : ratios[below];
    return ratios[below] + (at - static_cast<double>(below)) * (above - ratios[below]);
}

bool hasParameters(int method)
{
    return method == static_cast<int>(FitMethod::EstimatorLens) || method == static_cast<int>(FitMethod::OptimizedLens);
}

} // namespace

FitReport makeFitReport(const std::vector<FitRecord> &records,
                        const std::vector<std::pair<std::string, std::string>> &context)
{
    if (records.empty())
        fail("fit report", "no lens was evaluated");
    std::vector<std::string> groups{"all"};
    for (const auto &r : records)
        if (std::find(groups.begin(), groups.end(), r.preset) == groups.end())
            groups.push_back(r.preset);

    FitReport report;
    std::ostringstream md;
    md << "# Fit evaluation\n\n";
    for (const auto &[key, value] : context) {
        report.json["context"][key] = value;
        md << "- " << key << ": " << value << "\n";
    }
    md << "\nMedians per lens. Source errors are ‖ŝ − s‖/‖s‖ against the truth rendered on each method's own grid "
          "(an all-zero source scores 1); \"aligned\" after the best source-plane translation (≤ 5 source pixels); "
          "support SSIM is the SSIM inside the truth's support window (truth > 2 % of its peak, padded by 5 pixels); "
          "reduced χ² is χ² per pixel with data; θ_E is the Einstein radius of the whole mass (mean κ = 1).\n";
    for (const auto &group : groups) {
        std::vector<const FitRecord *> members;
        for (const auto &r : records)
            if (group == "all" || r.preset == group)
                members.push_back(&r);
        md << "\n## " << group << " (" << members.size() << " lenses)\n\n| method |";
        for (const auto &c : columns())
            md << ' ' << c.name << " |";
        md << "\n|---|";
        for (std::size_t c = 0; c < columns().size(); ++c)
            md << "---:|";
        md << '\n';
        for (int m = 0; m < kFitMethods; ++m) {
            if (!members.front()->methods[m].ran)
                continue;
            auto &entry = report.json["groups"][group][fitMethodName(static_cast<FitMethod>(m))];
            md << "| " << fitMethodName(static_cast<FitMethod>(m)) << " |";
            for (const auto &c : columns()) {
                std::vector<double> values;
                for (const auto *r : members) {
                    const double v = c.value(*r, r->methods[m]);
                    if (std::isfinite(v))
                        values.push_back(v);
                }
                const double med = median(values);
                entry[c.name] = std::isfinite(med) ? nlohmann::json(med) : nlohmann::json(nullptr);
                md << ' ' << (std::isfinite(med) ? fixed(med, c.digits) : std::string("–")) << " |";
            }
            md << '\n';
        }
    }

    // 1σ coverage of the optimized lens: |estimate − truth| ≤ 1σ. θ_E is the SIE's own.
    const int opt = static_cast<int>(FitMethod::OptimizedLens);
    if (records.front().methods[opt].ran) {
        /// Parameter p over the lenses of `group` where it has a 1σ: its
        /// errors, its 1σ and the ratios |error| / Laplace 1σ.
        struct Coverage
        {
            std::vector<double> errors, sigmas, ratios;
            int covered = 0, laplaceCovered = 0;
            [[nodiscard]] double percent(int count) const
            {
                return errors.empty() ? NAN : 100.0 * count / static_cast<double>(errors.size());
            }
        };
        const auto coverageOf = [&](int p, const std::string &group) {
            Coverage c;
            for (const auto &r : records) {
                const auto &m = r.methods[opt];
                if ((group != "all" && r.preset != group) || !(m.sigma[p] > 0))
                    continue;
                const double truth = p == 0 ? r.trueSieThetaE : r.truth[p];
                const double estimate = p == 0 ? m.sieThetaE : m.parameters[p];
                const double error = std::abs(estimate - truth);
                c.errors.push_back(error);
                c.sigmas.push_back(m.sigma[p]);
                c.ratios.push_back(error / m.laplaceSigma[p]);
                c.covered += error <= m.sigma[p];
                c.laplaceCovered += error <= m.laplaceSigma[p];
            }
            return c;
        };
        // A lens counts for a parameter when that parameter has a 1σ: the
        // fit gives none (NaN) to parameters along a direction the data
        // leave unconstrained (fit::sigmaFromHessian).
        int constrained = 0, fitted = 0, positive = 0;
        for (const auto &r : records)
            if (const auto &m = r.methods[opt]; m.ran) {
                ++fitted;
                positive += m.hessianPositive;
                constrained += std::all_of(m.sigma.begin(), m.sigma.end(), [](double s) { return s > 0; });
            }
        report.json["coverage_lenses"] = constrained;
        report.json["unconstrained_lenses"] = fitted - constrained;
        report.json["hessian_positive_lenses"] = positive;
        md << "\n## 1σ coverage, optimized lens (target 60-76 %)\n\nEach parameter over the lenses where it has a "
              "Laplace 1σ. "
           << constrained << " of " << fitted << " lenses have one for every parameter below; " << positive
           << " had a Hessian positive definite in every direction (elsewhere the unconstrained directions were "
              "mostly the lens light's radius and index, and the parameters along them have no 1σ).\n\n"
              "The 1σ is the Laplace 1σ times the calibration factors (fit::SigmaCalibration); the raw Laplace "
              "1σ's coverage stands beside it. The last column is the factor that would make the 1σ cover 68.3 % "
              "of these lenses: the 68.3rd percentile of |error| / Laplace 1σ.\n\n"
              "| parameter | lenses | coverage | Laplace coverage | median abs. error | median 1σ | factor for 68.3 % |\n"
              "|---|---:|---:|---:|---:|---:|---:|\n";
        for (int p = 0; p < kFitReported; ++p) {
            const auto c = coverageOf(p, "all");
            if (c.errors.empty())
                continue;
            report.json["coverage"][fitReportedNames()[p]] = c.percent(c.covered) / 100;
            report.json["laplace_coverage"][fitReportedNames()[p]] = c.percent(c.laplaceCovered) / 100;
            md << "| " << fitReportedNames()[p] << " | " << c.errors.size() << " | " << fixed(c.percent(c.covered), 0)
               << " % | " << fixed(c.percent(c.laplaceCovered), 0) << " % | " << fixed(median(c.errors), 4) << " | "
               << fixed(median(c.sigmas), 4) << " | " << fixed(coverageFactor(c.ratios), 2) << " |\n";
        }
        // The factors fit::SigmaCalibration holds, with e1 and e2, the
        // centre's x and y, and γ1 and γ2 pooled.
        const std::vector<std::pair<const char *, std::vector<int>>> kinds{
            {"radius", {0}}, {"ellipticity", {1, 2}}, {"position", {3, 4}}, {"shear", {5, 6}}};
        md << "\nCalibration factors (68.3rd percentile of |error| / Laplace 1σ, pooled within each kind; measured "
              "on the calibration set they are fit::SigmaCalibration):";
        for (const auto &[kind, entries] : kinds) {
            std::vector<double> ratios;
            for (const int p : entries) {
                const auto c = coverageOf(p, "all");
                ratios.insert(ratios.end(), c.ratios.begin(), c.ratios.end());
            }
            const double f = coverageFactor(ratios);
            report.json["calibration_factors"][kind] = std::isfinite(f) ? nlohmann::json(f) : nlohmann::json(nullptr);
            md << ' ' << kind << ' ' << fixed(f, 3) << " (" << ratios.size() << " values)"
               << (std::string(kind) == "shear" ? ".\n" : ",");
        }
        md << "\nPer preset (% of its lenses whose truth lies within 1σ):\n\n| preset |";
        for (int p = 0; p < kFitReported; ++p)
            md << ' ' << fitReportedNames()[p] << " |";
        md << "\n|---|";
        for (int p = 0; p < kFitReported; ++p)
            md << "---:|";
        md << '\n';
        for (std::size_t g = 1; g < groups.size(); ++g) {
            md << "| " << groups[g] << " |";
            for (int p = 0; p < kFitReported; ++p) {
                const auto c = coverageOf(p, groups[g]);
                const double coverage = c.percent(c.covered);
                report.json["coverage_by_preset"][groups[g]][fitReportedNames()[p]] =
                    std::isfinite(coverage) ? nlohmann::json(coverage / 100) : nlohmann::json(nullptr);
                md << ' ' << (std::isfinite(coverage) ? fixed(coverage, 0) + " %" : std::string("–")) << " |";
            }
            md << '\n';
        }
    }
    report.markdown = md.str();

    std::ostringstream csv;
    // θ_E of the whole mass; the SIE's own θ_E with its Laplace 1σ; every
    // other reported parameter with its truth and 1σ (0: none).
    csv << "preset,index,method,relative_error,aligned_error,support_ssim,reduced_chi2,seconds,true_theta_E,theta_E,"
           "true_sie_theta_E,sie_theta_E,sie_theta_E_sigma";
    for (int i = 1; i < kFitReported; ++i)
        csv << ",true_" << fitReportedNames()[i] << ',' << fitReportedNames()[i] << ',' << fitReportedNames()[i]
            << "_sigma";
    csv << ",hessian_positive";
    for (int i = 0; i < kFitReported; ++i)
        csv << ',' << (i == 0 ? std::string("sie_theta_E") : std::string(fitReportedNames()[i])) << "_laplace_sigma";
    csv << '\n';
    for (const auto &r : records)
        for (int m = 0; m < kFitMethods; ++m) {
            const auto &s = r.methods[m];
            if (!s.ran)
                continue;
            csv << r.preset << ',' << r.index << ",\"" << fitMethodName(static_cast<FitMethod>(m)) << "\","
                << s.relativeError << ',' << s.alignedError << ',' << s.supportSsim << ',' << s.reducedChi2 << ','
                << s.seconds << ',' << r.truth[0] << ',' << (hasParameters(m) ? s.parameters[0] : NAN) << ','
                << r.trueSieThetaE << ',' << (hasParameters(m) ? s.sieThetaE : NAN) << ','
                << (hasParameters(m) ? s.sigma[0] : NAN);
            for (int i = 1; i < kFitReported; ++i)
                csv << ',' << r.truth[i] << ',' << (hasParameters(m) ? s.parameters[i] : NAN) << ','
                    << (hasParameters(m) ? s.sigma[i] : NAN);
            csv << ',' << (hasParameters(m) && s.uncertainties ? (s.hessianPositive ? "1" : "0") : "");
            for (int i = 0; i < kFitReported; ++i)
                csv << ',' << (hasParameters(m) ? s.laplaceSigma[i] : NAN);
            csv << '\n';
        }
    report.csv = csv.str();
    return report;
}

} // namespace astrorim::evaluation

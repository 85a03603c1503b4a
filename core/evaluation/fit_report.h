#pragma once

// The report of evaluateFits: per preset and overall, for each method, the
// medians of the source errors (plain and aligned), the SSIM inside the
// truth's support, the reduced χ², the θ_E error and the time per lens; the
// 1σ coverage of the optimized lens's parameters. Markdown for people, JSON
// and one CSV row per lens and method for scripts.

#include "evaluation/fit_evaluation.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace astrorim::evaluation {

struct FitReport
{
    nlohmann::ordered_json json;
    std::string markdown;
    std::string csv;
};

/// Throws astrorim::Error when `records` is empty.
FitReport makeFitReport(const std::vector<FitRecord> &records,
                        const std::vector<std::pair<std::string, std::string>> &context);

} // namespace astrorim::evaluation

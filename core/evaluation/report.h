#pragma once

// Summaries of an evaluation (evaluation/evaluator.h): per-image SSIM and
// MSE as mean ± std, median and percentiles, overall and per preset; the
// SSIM-versus-iteration curve; lens-parameter errors and the calibration of
// the estimator's uncertainties. As JSON (for scripts and plots), Markdown
// (for people) and a CSV with one row per image.

#include "evaluation/evaluator.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace astrorim::evaluation {

struct Report
{
    nlohmann::ordered_json json; ///< keys in the order written: "all" first, then the presets
    std::string markdown;
    std::string imagesCsv;
};

/// `context` names what was evaluated (model file, training steps, device,
/// …) and heads both the JSON and the Markdown. Throws astrorim::Error when
/// the result holds no image.
Report makeReport(const EvaluationResult &result, const std::vector<std::pair<std::string, std::string>> &context);

} // namespace astrorim::evaluation

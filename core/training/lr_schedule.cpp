#include "training/lr_schedule.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace astrorim::training {

LearningRateSchedule::LearningRateSchedule(Options options)
    : m_options(options), m_plateauRate(options.base), m_best(std::numeric_limits<double>::max()) // JSON has no infinity
{
}

double LearningRateSchedule::rate(long step) const
{
    if (m_options.warmupSteps > 0 && step <= m_options.warmupSteps)
        return m_plateauRate * static_cast<double>(step) / static_cast<double>(m_options.warmupSteps);
    return m_plateauRate;
}

bool LearningRateSchedule::observe(double validationLoss)
{
    if (validationLoss < m_best * (1.0 - m_options.threshold)) {
        m_best = validationLoss;
        m_badValidations = 0;
        return false;
    }
    if (++m_badValidations <= m_options.patience)
        return false;
    m_badValidations = 0;
    const double lowered = std::max(m_plateauRate * m_options.factor, m_options.minimum);
    const bool changed = lowered < m_plateauRate;
    m_plateauRate = lowered;
    return changed;
}

nlohmann::json LearningRateSchedule::state() const
{
    return {{"plateau_rate", m_plateauRate}, {"best", m_best}, {"bad_validations", m_badValidations}};
}

void LearningRateSchedule::loadState(const nlohmann::json &state)
{
    m_plateauRate = state.at("plateau_rate").get<double>();
    m_best = state.at("best").get<double>();
    m_badValidations = state.at("bad_validations").get<int>();
}

} // namespace astrorim::training

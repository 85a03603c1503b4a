#pragma once

#include <nlohmann/json_fwd.hpp>

namespace astrorim::training {

/// Linear warm-up from 0 to the base rate over the first steps, then
/// ReduceLROnPlateau on the validation loss: after `patience` validations
/// without an improvement of at least `threshold` (relative), the rate is
/// multiplied by `factor`, never below `minimum`.
class LearningRateSchedule
{
public:
    struct Options
    {
        double base = 1e-3;
        long warmupSteps = 200;
        int patience = 4;
        double factor = 0.5;
        double threshold = 1e-3;
        double minimum = 1e-6;
    };

    explicit LearningRateSchedule(Options options);

    /// The rate for optimizer step `step` (counted from 1).
    [[nodiscard]] double rate(long step) const;
    /// Reports a validation loss; returns true when it lowered the plateau rate.
    bool observe(double validationLoss);

    [[nodiscard]] nlohmann::json state() const;
    void loadState(const nlohmann::json &state);

private:
    Options m_options;
    double m_plateauRate;
    double m_best;
    int m_badValidations = 0;
};

} // namespace astrorim::training

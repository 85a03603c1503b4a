// libFuzzer target: NAME_parameters.json as the analyze command reads it:
// JSON text → lenstronomy lens_model_list / kwargs_lens → LensModel → the
// mass report (distances, Einstein radius and mass, σ_v). Bad input must end
// in astrorim::Error (or nlohmann's parse error, which the command turns into
// one), never a crash, a hang or a sanitizer report.

#include "analysis/cosmology.h"
#include "analysis/mass_report.h"
#include "common/error.h"
#include "lensing/lenstronomy_kwargs.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>

using namespace astrorim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    nlohmann::json parameters;
    try {
        parameters = nlohmann::json::parse(data, data + size);
    } catch (const nlohmann::json::exception &) {
        return 0;
    }
    try {
        // As runAnalyze: value() throws type_error for a non-object; the
        // command's handler reports that, so it is accepted here as well.
        const auto model = lensing::lensModelFromLenstronomy(parameters.value("lens_model_list", nlohmann::json()),
                                                             parameters.value("kwargs_lens", nlohmann::json()),
                                                             "fuzz_parameters.json");
        double thetaESigma = NAN;
        const auto sigma = parameters.find("uncertainties_1sigma");
        if (sigma != parameters.end() && sigma->contains("theta_E") && (*sigma)["theta_E"].is_number())
            thetaESigma = (*sigma)["theta_E"].get<double>();
        (void)analysis::massReport(model, analysis::Cosmology::planck18(), 0.5, 2.0, thetaESigma).dump();
    } catch (const Error &) {
    } catch (const nlohmann::json::exception &) {
    }
    return 0;
}

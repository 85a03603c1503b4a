#include "command_runner.h"
#include "commands.h"
#include "mass_options.h"

#include "analysis/mass_report.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "lensing/lenstronomy_kwargs.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace astrorim::cli {

int runAnalyze(const std::vector<std::string> &args)
{
    ArgumentParser parser("analyze",
                          "Reruns the mass analysis of a reconstructed lens from its NAME_parameters.json with other\n"
                          "redshifts or another cosmology: distances, Sigma_crit, Einstein radius and mass, sigma_v.\n"
                          "Prints the result as JSON; --out also writes it. The parameters file is not changed.");
    parser.setPositional("PARAMETERS", "a NAME_parameters.json written by reconstruct", 1, 1);
    addMassOptions(parser);
    parser.addOption("out", "FILE", "also write the result here");
    return runCommand(parser, args, [&] {
        const std::filesystem::path file = parser.positional()[0];
        std::ifstream in(file);
        if (!in)
            fail(file.string(), "cannot be opened");
        nlohmann::json parameters;
        try {
            parameters = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception &e) {
            fail(file.string(), std::string("is not valid JSON: ") + e.what());
        }
        const std::string name = parameters.value("name", file.stem().string());
        const auto meta = lensMetadata(parser, readCatalog(parser), name);
        if (!meta)
            throw UsageError{"no redshifts for '" + name + "': give --z-lens and --z-source, or --metadata"};
        const auto model = lensing::lensModelFromLenstronomy(parameters.value("lens_model_list", nlohmann::json()),
                                                             parameters.value("kwargs_lens", nlohmann::json()),
                                                             file.string());
        double thetaESigma = NAN;
        const auto sigma = parameters.find("uncertainties_1sigma");
        if (sigma != parameters.end() && sigma->contains("theta_E") && (*sigma)["theta_E"].is_number())
            thetaESigma = (*sigma)["theta_E"].get<double>();
        const auto report = analysis::massReport(model, chosenCosmology(parser), meta->z_lens, meta->z_source,
                                                 thetaESigma);
        const auto text = report.dump(2) + "\n";
        std::cout << text;
        if (parser.isSet("out")) {
            InputFiles({file, parser.isSet("metadata") ? parser.value("metadata") : std::string()})
                .checkOutput(parser.value("out"));
            writeTextAtomically(parser.value("out"), text);
        }
        return 0;
    });
}

} // namespace astrorim::cli

#include "command_runner.h"
#include "commands.h"

#include "simulation/presets.h"

#include <iostream>

namespace astrorim::cli {

int runPresets(const std::vector<std::string> &args)
{
    ArgumentParser parser("presets", "Prints the simulator presets and their parameter tables (Markdown).");
    parser.setPositional("NAME", "print only this preset", 0, 1);
    return runCommand(parser, args, [&] {
        if (!parser.positional().empty()) {
            std::cout << simulation::describePreset(simulation::presetByName(parser.positional()[0]));
            return 0;
        }
        for (const auto &preset : simulation::presets())
            std::cout << simulation::describePreset(preset) << '\n';
        return 0;
    });
}

} // namespace astrorim::cli

// astrorim-cli: AstroRIM without a display. Each subcommand lives in its own
// *_command.cpp; this file only dispatches.

#include "commands.h"

#include <cstring>
#include <malloc.h>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const std::vector<std::string> &);
};

constexpr Command kCommands[] = {
    {"simulate", "simulate lensed/source training pairs as FITS files", astrorim::cli::runSimulate},
    {"presets", "list the simulator presets with their parameter tables", astrorim::cli::runPresets},
    {"montage", "tile simulated pairs into a PNG to look at", astrorim::cli::runMontage},
    {"fits-info", "describe a FITS file: HDUs, shapes, WCS, pixel scale", astrorim::cli::runFitsInfo},
    {"train", "train the RIM, lens estimator and operator correction", astrorim::cli::runTrain},
    {"reconstruct", "reconstruct source and lens of FITS images, writing maps and lens parameters",
     astrorim::cli::runReconstruct},
    {"analyze", "rerun the mass analysis of a parameters JSON with other redshifts or cosmology",
     astrorim::cli::runAnalyze},
    {"evaluate", "score a model on the fixed held-out set (SSIM, MSE, lens parameters)",
     astrorim::cli::runEvaluate},
    {"bench", "benchmarks: simulated pairs per second on CPU and CUDA", astrorim::cli::runBench},
};

void printUsage(std::ostream &out)
{
    out << "usage: astrorim-cli COMMAND [options]\n\nCommands:\n";
    for (const auto &c : kCommands)
        out << "  " << c.name << std::string(13 - std::strlen(c.name), ' ') << c.summary << '\n';
    out << "\nRun 'astrorim-cli COMMAND --help' for a command's options.\n";
}

} // namespace

int main(int argc, char **argv)
{
    // LibTorch allocates multi-megabyte temporaries per operation. glibc
    // would hand each back to the kernel and page-fault it in again on the
    // next call, which triples the simulator's CPU time; keep them instead.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
    ::mallopt(M_TOP_PAD, 64 << 20);

    if (argc < 2) {
        printUsage(std::cerr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        printUsage(std::cout);
        return 0;
    }
    if (name == "--version") {
        std::cout << "astrorim-cli " ASTRORIM_VERSION "\n";
        return 0;
    }
    const std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto &c : kCommands)
        if (name == c.name)
            return c.run(args);
    std::cerr << "astrorim-cli: unknown command '" << name << "'\n\n";
    printUsage(std::cerr);
    return 2;
}

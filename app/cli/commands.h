#pragma once

#include <string>
#include <vector>

namespace astrorim::cli {

// Each subcommand takes the words after its name and returns the exit code:
// 0 success, 1 failure (the error was printed), 2 bad command line.

int runSimulate(const std::vector<std::string> &args);
int runFitsInfo(const std::vector<std::string> &args);
int runBench(const std::vector<std::string> &args);
int runPresets(const std::vector<std::string> &args);
int runMontage(const std::vector<std::string> &args);
int runTrain(const std::vector<std::string> &args);
int runEvaluate(const std::vector<std::string> &args);
int runReconstruct(const std::vector<std::string> &args);
int runAnalyze(const std::vector<std::string> &args);

} // namespace astrorim::cli

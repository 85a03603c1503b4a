#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::cli {

/// Options of one subcommand, declared up front so that unknown options and
/// missing values are reported with a usage message. Qt-free on purpose: the
/// command-line tool builds on machines without Qt.
class ArgumentParser
{
public:
    ArgumentParser(std::string command, std::string summary);

    /// --name VALUE option. `defaultValue` empty means "no default".
    void addOption(const std::string &name, const std::string &valueName, const std::string &help,
                   const std::string &defaultValue = {});
    /// --name flag without a value.
    void addFlag(const std::string &name, const std::string &help);
    /// Positional arguments, documented by `name` in the usage line.
    void setPositional(const std::string &name, const std::string &help, int minCount, int maxCount);

    /// Parses `args` (the words after the subcommand). Throws UsageError.
    void parse(const std::vector<std::string> &args);

    [[nodiscard]] bool isSet(const std::string &name) const;
    [[nodiscard]] std::string value(const std::string &name) const;
    /// The option's value as an integer / a number in [min, max]; throws UsageError naming the option.
    [[nodiscard]] long long integer(const std::string &name, long long min, long long max) const;
    [[nodiscard]] double number(const std::string &name, double min, double max) const;
    [[nodiscard]] const std::vector<std::string> &positional() const { return m_positional; }

    [[nodiscard]] std::string usage() const;

private:
    struct Option
    {
        std::string valueName; // empty for flags
        std::string help;
        std::string defaultValue;
    };
    std::string m_command;
    std::string m_summary;
    std::map<std::string, Option> m_options;
    std::vector<std::string> m_order;
    std::map<std::string, std::string> m_values;
    std::string m_positionalName, m_positionalHelp;
    int m_minPositional = 0, m_maxPositional = 0;
    std::vector<std::string> m_positional;
};

/// Bad command line: printed with the command's usage, exit code 2.
struct UsageError
{
    std::string message;
};

} // namespace astrorim::cli

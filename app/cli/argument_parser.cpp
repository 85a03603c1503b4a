#include "argument_parser.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace astrorim::cli {

ArgumentParser::ArgumentParser(std::string command, std::string summary)
    : m_command(std::move(command)), m_summary(std::move(summary))
{
    addFlag("help", "show this help");
}

void ArgumentParser::addOption(const std::string &name, const std::string &valueName,
                               const std::string &help, const std::string &defaultValue)
{
    m_options[name] = {valueName, help, defaultValue};
    m_order.push_back(name);
}

void ArgumentParser::addFlag(const std::string &name, const std::string &help)
{
    m_options[name] = {{}, help, {}};
    m_order.push_back(name);
}

void ArgumentParser::setPositional(const std::string &name, const std::string &help, int minCount, int maxCount)
{
    m_positionalName = name;
    m_positionalHelp = help;
    m_minPositional = minCount;
    m_maxPositional = maxCount;
}

void ArgumentParser::parse(const std::vector<std::string> &args)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &word = args[i];
        if (word.rfind("--", 0) == 0 && word.size() > 2) {
            std::string name = word.substr(2);
            std::optional<std::string> inlineValue;
            if (auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            auto it = m_options.find(name);
            if (it == m_options.end())
                throw UsageError{"unknown option --" + name};
            if (it->second.valueName.empty()) {
                if (inlineValue)
                    throw UsageError{"option --" + name + " takes no value"};
                m_values[name] = "1";
            } else if (inlineValue) {
                m_values[name] = *inlineValue;
            } else {
                if (i + 1 >= args.size())
                    throw UsageError{"option --" + name + " needs a value (" + it->second.valueName + ")"};
                m_values[name] = args[++i];
            }
        } else if (word.size() > 1 && word[0] == '-' && !std::isdigit(static_cast<unsigned char>(word[1]))) {
            throw UsageError{"unknown option " + word};
        } else {
            m_positional.push_back(word);
        }
    }
    if (isSet("help"))
        return;
    const int count = static_cast<int>(m_positional.size());
    if (count < m_minPositional)
        throw UsageError{"missing " + (m_positionalName.empty() ? std::string("argument") : m_positionalName)};
    if (count > m_maxPositional)
        throw UsageError{"unexpected argument '" + m_positional[static_cast<std::size_t>(m_maxPositional)] + "'"};
}

bool ArgumentParser::isSet(const std::string &name) const
{
    return m_values.count(name) > 0;
}

std::string ArgumentParser::value(const std::string &name) const
{
    if (auto it = m_values.find(name); it != m_values.end())
        return it->second;
    if (auto it = m_options.find(name); it != m_options.end())
        return it->second.defaultValue;
    return {};
}

long long ArgumentParser::integer(const std::string &name, long long min, long long max) const
{
    const std::string text = value(name);
    long long result = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw UsageError{"--" + name + " must be an integer, got '" + text + "'"};
    if (result < min || result > max)
        throw UsageError{"--" + name + " must be between " + std::to_string(min) + " and "
                         + std::to_string(max) + ", got " + text};
    return result;
}

double ArgumentParser::number(const std::string &name, double min, double max) const
{
    const std::string text = value(name);
    double result = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(result))
        throw UsageError{"--" + name + " must be a number, got '" + text + "'"};
    if (result < min || result > max) {
        std::ostringstream os;
        os << "--" << name << " must be between " << min << " and " << max << ", got " << text;
        throw UsageError{os.str()};
    }
    return result;
}

std::string ArgumentParser::usage() const
{
    std::ostringstream os;
    os << "usage: astrorim-cli " << m_command << " [options]";
    if (!m_positionalName.empty())
        os << ' ' << m_positionalName;
    os << "\n\n" << m_summary << "\n\n";
    if (!m_positionalName.empty())
        os << "  " << m_positionalName << "\n      " << m_positionalHelp << "\n";
    for (const auto &name : m_order) {
        const Option &o = m_options.at(name);
        os << "  --" << name;
        if (!o.valueName.empty())
            os << ' ' << o.valueName;
        os << "\n      " << o.help;
        if (!o.defaultValue.empty())
            os << " (default: " << o.defaultValue << ")";
        os << '\n';
    }
    return os.str();
}

} // namespace astrorim::cli

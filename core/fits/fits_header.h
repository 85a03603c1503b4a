#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace astrorim::fits {

/// One header keyword. Values keep their FITS type: logical, integer, real or string.
struct HeaderCard
{
    using Value = std::variant<bool, std::int64_t, double, std::string>;

    std::string key;
    Value value;
    std::string comment;
};

/// The keywords of one HDU, in file order. Also keeps the raw 80-character
/// cards as read, which is what wcslib parses.
class FitsHeader
{
public:
    /// Adds or replaces `key` (upper-cased; at most 8 characters, or HIERARCH-free
    /// long keys are refused with astrorim::Error naming the key).
    void set(const std::string &key, HeaderCard::Value value, const std::string &comment = {});

    [[nodiscard]] bool has(const std::string &key) const;
    [[nodiscard]] const HeaderCard *find(const std::string &key) const;

    /// Numeric value of `key` (integers widen to double); nullopt when absent or not numeric.
    [[nodiscard]] std::optional<double> number(const std::string &key) const;
    /// String value of `key`; nullopt when absent or not a string.
    [[nodiscard]] std::optional<std::string> string(const std::string &key) const;

    [[nodiscard]] const std::vector<HeaderCard> &cards() const { return m_cards; }

    /// Raw header as read from a file: 80-character cards, concatenated (no END).
    /// Empty for headers built in memory.
    [[nodiscard]] const std::string &raw() const { return m_raw; }
    void setRaw(std::string raw) { m_raw = std::move(raw); }

private:
    std::vector<HeaderCard> m_cards;
    std::string m_raw;
};

} // namespace astrorim::fits

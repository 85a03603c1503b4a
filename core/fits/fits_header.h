#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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
/// cards as read, which is what wcslib parses. COMMENT, HISTORY and blank
/// cards are kept only in raw(); a keyword that occurs twice keeps its last value.
class FitsHeader
{
public:
    /// Parses raw header text (80-character cards, as CFITSIO's fits_hdr2str
    /// returns it) into typed cards and keeps the text as raw(). Long strings
    /// written with the CONTINUE convention are joined. Cards that cannot be
    /// parsed are skipped rather than refused: a header is read for what it holds.
    [[nodiscard]] static FitsHeader parse(std::string raw);

    /// Adds or replaces `key` (upper-cased; at most 8 characters, or HIERARCH-free
    /// long keys are refused with astrorim::Error naming the key).
    void set(const std::string &key, HeaderCard::Value value, const std::string &comment = {});

    /// Adds or replaces a card as read from a file: the key is upper-cased but
    /// not validated (HIERARCH keys may be longer than 8 characters).
    void add(HeaderCard card);

    /// Removes `key` if present.
    void remove(const std::string &key);

    /// Keys are compared case-insensitively.
    [[nodiscard]] bool has(const std::string &key) const;
    [[nodiscard]] const HeaderCard *find(const std::string &key) const;

    /// Numeric value of `key` (integers widen to double); nullopt when absent or not numeric.
    [[nodiscard]] std::optional<double> number(const std::string &key) const;
    /// String value of `key`; nullopt when absent or not a string.
    [[nodiscard]] std::optional<std::string> string(const std::string &key) const;

    [[nodiscard]] const std::vector<HeaderCard> &cards() const { return m_cards; }

    /// Raw header as read from a file: 80-character cards, concatenated (no END).
    /// Empty for headers built in memory, and emptied by set(), add() and
    /// remove(): once a card changes, the text read from the file no longer
    /// describes the header (a cutout that moves CRPIX must not keep the old WCS).
    [[nodiscard]] const std::string &raw() const { return m_raw; }
    void setRaw(std::string raw) { m_raw = std::move(raw); }

    /// raw() if not empty, otherwise the cards formatted as 80-character FITS
    /// cards (what wcslib needs for a header built in memory).
    [[nodiscard]] std::string cardText() const;

private:
    std::vector<HeaderCard> m_cards;
    std::string m_raw;
};

} // namespace astrorim::fits

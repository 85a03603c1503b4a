#include "fits/fits_header.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <fitsio.h>

namespace astrorim::fits {

namespace {

constexpr std::size_t cardLength = 80;

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::string trimRight(std::string text)
{
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

std::string trim(std::string text)
{
    text = trimRight(std::move(text));
    const auto first = text.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first);
}

// A FITS string value starts with a quote; '' inside stands for one quote.
// Returns the unquoted text (trailing blanks are not significant in FITS) and
// sets `rest` to what follows the closing quote.
std::optional<std::string> unquote(const std::string &text, std::size_t from, std::string *rest)
{
    const auto open = text.find('\'', from);
    if (open == std::string::npos)
        return std::nullopt;
    std::string value;
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (text[i] != '\'') {
            value += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '\'') {
            value += '\'';
            ++i;
            continue;
        }
        if (rest)
            *rest = text.substr(i + 1);
        return trimRight(value);
    }
    return std::nullopt; // unterminated string
}

std::string commentAfter(const std::string &rest)
{
    const auto slash = rest.find('/');
    return slash == std::string::npos ? std::string() : trim(rest.substr(slash + 1));
}

std::optional<HeaderCard::Value> typedValue(const std::string &text)
{
    char type = 0;
    int status = 0;
    if (text.empty() || fits_get_keytype(const_cast<char *>(text.c_str()), &type, &status) != 0)
        return std::nullopt;
    switch (type) {
    case 'L':
        return HeaderCard::Value{text == "T"};
    case 'I': {
        errno = 0;
        const long long v = std::strtoll(text.c_str(), nullptr, 10);
        if (errno != ERANGE)
            return HeaderCard::Value{static_cast<std::int64_t>(v)};
        return HeaderCard::Value{std::strtod(text.c_str(), nullptr)};
    }
    case 'F': {
        std::string c = text;
        std::replace(c.begin(), c.end(), 'D', 'E'); // Fortran exponents
        std::replace(c.begin(), c.end(), 'd', 'E');
        return HeaderCard::Value{std::strtod(c.c_str(), nullptr)};
    }
    default: // complex values are kept as their text
        return HeaderCard::Value{text};
    }
}

std::string formatValue(const HeaderCard::Value &value)
{
    char buffer[64];
    if (const auto *b = std::get_if<bool>(&value)) {
        std::snprintf(buffer, sizeof buffer, "%20s", *b ? "T" : "F");
    } else if (const auto *i = std::get_if<std::int64_t>(&value)) {
        std::snprintf(buffer, sizeof buffer, "%20lld", static_cast<long long>(*i));
    } else if (const auto *d = std::get_if<double>(&value)) {
        char number[40];
        std::snprintf(number, sizeof number, "%.17G", *d);
        std::string n = number;
        if (n.find_first_of(".EN") == std::string::npos)
            n += ".0"; // keeps the value a real number for FITS readers
        std::snprintf(buffer, sizeof buffer, "%20s", n.c_str());
    } else {
        return {};
    }
    return buffer;
}

std::string quote(const std::string &text)
{
    std::string q = "'";
    for (char c : text)
        q += c == '\'' ? std::string("''") : std::string(1, c);
    while (q.size() < 9) // the standard asks for at least 8 characters inside the quotes
        q += ' ';
    return q + "'";
}

std::string padCard(std::string card)
{
    card.resize(cardLength, ' ');
    return card;
}

// One card, or a string card plus CONTINUE cards for strings longer than fit.
std::string formatCard(const HeaderCard &card)
{
    const std::string prefix = card.key.size() <= 8
                                   ? (card.key + std::string(8 - card.key.size(), ' ') + "= ")
                                   : "HIERARCH " + card.key + " = ";
    const std::string comment = card.comment.empty() ? std::string() : " / " + card.comment;
    const auto *text = std::get_if<std::string>(&card.value);
    if (!text)
        return padCard(prefix + formatValue(card.value) + comment);

    constexpr std::size_t chunk = 60; // leaves room for quotes, doubled quotes and '&'
    if (text->size() <= chunk)
        return padCard(prefix + quote(*text) + comment);
    std::string out;
    for (std::size_t at = 0; at < text->size(); at += chunk) {
        const bool last = at + chunk >= text->size();
        const std::string piece = text->substr(at, chunk) + (last ? "" : "&");
        out += padCard((at == 0 ? prefix : std::string("CONTINUE  ")) + quote(piece) + (last ? comment : ""));
    }
    return out;
}

bool isCommentary(const std::string &key)
{
    return key.empty() || key == "COMMENT" || key == "HISTORY" || key == "END";
}

} // namespace

FitsHeader FitsHeader::parse(std::string raw)
{
    FitsHeader header;
    HeaderCard *open = nullptr; // string card still expecting CONTINUE cards
    for (std::size_t at = 0; at + 8 <= raw.size(); at += cardLength) {
        const std::string record = raw.substr(at, cardLength);
        const std::string key8 = trimRight(record.substr(0, 8));

        if (key8 == "CONTINUE") {
            auto *s = open ? std::get_if<std::string>(&open->value) : nullptr;
            std::string rest;
            if (s && !s->empty() && s->back() == '&') {
                if (auto piece = unquote(record, 10, &rest)) {
                    s->pop_back();
                    *s += *piece;
                    if (const auto c = commentAfter(rest); !c.empty())
                        open->comment = c;
                }
            }
            continue;
        }
        open = nullptr;
        if (isCommentary(key8))
            continue;

        const bool hierarch = key8 == "HIERARCH";
        if (hierarch ? record.find('=') == std::string::npos : (record.size() < 9 || record[8] != '='))
            continue; // no value indicator: commentary text under another key

        char name[FLEN_KEYWORD] = {};
        char value[FLEN_VALUE] = {};
        char comment[FLEN_COMMENT] = {};
        int length = 0;
        int status = 0;
        char card[FLEN_CARD] = {};
        record.copy(card, std::min<std::size_t>(record.size(), FLEN_CARD - 1));
        if (fits_get_keyname(card, name, &length, &status) != 0 || length == 0)
            continue;
        HeaderCard parsed;
        parsed.key = upper(trim(name));

        const std::size_t valueStart = hierarch ? record.find('=') + 1 : 10;
        if (record.find_first_not_of(' ', valueStart) != std::string::npos
            && record[record.find_first_not_of(' ', valueStart)] == '\'') {
            std::string rest;
            auto text = unquote(record, valueStart, &rest);
            if (!text)
                continue;
            parsed.value = *text;
            parsed.comment = commentAfter(rest);
        } else {
            if (fits_parse_value(card, value, comment, &status) != 0)
                continue;
            auto typed = typedValue(trim(value));
            if (!typed)
                continue; // undefined value
            parsed.value = std::move(*typed);
            parsed.comment = trim(comment);
        }
        const std::string stored = parsed.key;
        header.add(std::move(parsed));
        // add() replaces duplicates in place, so look the card up again.
        for (auto &c : header.m_cards)
            if (c.key == stored)
                open = &c;
    }
    header.m_raw = std::move(raw);
    return header;
}

void FitsHeader::set(const std::string &key, HeaderCard::Value value, const std::string &comment)
{
    const std::string k = upper(key);
    if (k.empty() || k.size() > 8)
        fail("FITS keyword '" + key + "'",
             "must have 1 to 8 characters (long HIERARCH keywords are not supported)");
    for (char c : k)
        if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'A' && c <= 'Z') && c != '-' && c != '_')
            fail("FITS keyword '" + key + "'", "may only contain A-Z, 0-9, '-' and '_'");
    add({k, std::move(value), comment});
}

void FitsHeader::add(HeaderCard card)
{
    m_raw.clear();
    card.key = upper(std::move(card.key));
    for (auto &existing : m_cards) {
        if (existing.key == card.key) {
            existing = std::move(card);
            return;
        }
    }
    m_cards.push_back(std::move(card));
}

void FitsHeader::remove(const std::string &key)
{
    const std::string k = upper(key);
    if (std::erase_if(m_cards, [&](const HeaderCard &c) { return c.key == k; }) > 0)
        m_raw.clear();
}

bool FitsHeader::has(const std::string &key) const
{
    return find(key) != nullptr;
}

const HeaderCard *FitsHeader::find(const std::string &key) const
{
    const std::string k = upper(key);
    for (const auto &card : m_cards)
        if (card.key == k)
            return &card;
    return nullptr;
}

std::optional<double> FitsHeader::number(const std::string &key) const
{
    const HeaderCard *card = find(key);
    if (!card)
        return std::nullopt;
    if (const auto *i = std::get_if<std::int64_t>(&card->value))
        return static_cast<double>(*i);
    if (const auto *d = std::get_if<double>(&card->value))
        return *d;
    return std::nullopt;
}

std::optional<std::string> FitsHeader::string(const std::string &key) const
{
    const HeaderCard *card = find(key);
    if (!card)
        return std::nullopt;
    if (const auto *s = std::get_if<std::string>(&card->value))
        return *s;
    return std::nullopt;
}

std::string FitsHeader::cardText() const
{
    if (!m_raw.empty())
        return m_raw;
    std::string text;
    for (const auto &card : m_cards)
        text += formatCard(card);
    return text;
}

} // namespace astrorim::fits

#include "book/isbn.h"

#include <cctype>

namespace imprenta::book {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

bool isbn10_ok(const std::string& d) {
    int sum = 0;
    for (size_t i = 0; i < 10; ++i) {
        int v = d[i] == 'X' ? 10 : d[i] - '0';
        sum += v * static_cast<int>(10 - i);
    }
    return sum % 11 == 0;
}

bool isbn13_ok(const std::string& d) {
    int sum = 0;
    for (size_t i = 0; i < 13; ++i)
        sum += (d[i] - '0') * (i % 2 ? 3 : 1);
    return sum % 10 == 0;
}

} // namespace

std::optional<Isbn> parse_isbn(std::string_view id) {
    bool declared = false;
    for (std::string_view prefix : {"urn:isbn:", "isbn:", "isbn-13:", "isbn-10:", "isbn"}) {
        if (starts_with_nocase(id, prefix)) {
            id.remove_prefix(prefix.size());
            declared = true;
            break;
        }
    }
    Isbn out;
    for (char c : id) {
        if (std::isdigit(static_cast<unsigned char>(c)))
            out.digits += c;
        else if ((c == 'X' || c == 'x') && out.digits.size() == 9)
            out.digits += 'X';
        else if (c != '-' && c != ' ')
            return declared ? std::optional<Isbn>(out) : std::nullopt;
    }
    size_t n = out.digits.size();
    bool x_last = n > 0 && out.digits.back() == 'X';
    if (n == 10)
        out.valid = isbn10_ok(out.digits);
    else if (n == 13 && !x_last)
        out.valid = isbn13_ok(out.digits);
    else if (!declared)
        return std::nullopt; // a number of another length: not an ISBN
    return out;
}

} // namespace imprenta::book

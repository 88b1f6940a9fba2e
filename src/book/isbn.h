// ISBNs as book identifiers: recognised, checksum-validated and written as urn:isbn:.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace imprenta::book {

struct Isbn {
    bool valid = false; // the check digit matches
    std::string digits; // 10 or 13 characters, hyphens and spaces removed ("978...", "...X")
};

// An identifier that is meant as an ISBN ("urn:isbn:...", "ISBN ...", or 10/13 digits with
// optional hyphens and spaces); nullopt for anything else (a URN, a URL, a UUID).
std::optional<Isbn> parse_isbn(std::string_view identifier);

} // namespace imprenta::book

// UTF-8: validation with a byte offset for errors, code point iteration, and slugs for ids.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imprenta::util {

// Offset of the first byte that is not valid UTF-8, or nullopt if the text is valid.
std::optional<size_t> find_invalid_utf8(std::string_view s);

// Decodes a multi-byte sequence at s[i] (or anything next_code_point does not take inline).
char32_t decode_code_point(std::string_view s, size_t& i);

// Decodes the code point at s[i] and advances i; returns U+FFFD for a malformed sequence.
// ASCII is decoded inline: the typesetter and the PDF writer call this once per character.
inline char32_t next_code_point(std::string_view s, size_t& i) {
    if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80)
        return char32_t(static_cast<unsigned char>(s[i++]));
    return decode_code_point(s, i);
}

void append_utf8(std::string& out, char32_t cp);

// Lowercase for Latin, Greek and Cyrillic letters; other code points unchanged.
char32_t to_lower(char32_t cp);
std::string to_lower(std::string_view s);

// An identifier made of [a-z0-9-] from any text: accents dropped ("Introducción" ->
// "introduccion"), runs of other characters become one '-', no leading/trailing '-'. May be empty.
std::string slugify(std::string_view s);

// `s` as valid UTF-8 without the characters XML 1.0 cannot carry (C0 controls except tab and
// newline, DEL, U+FFFE, U+FFFF); malformed sequences become U+FFFD. Cheap when nothing changes.
std::string xml_safe_text(std::string_view s);
// The same, appended to `out`.
void append_xml_safe_text(std::string& out, std::string_view s);
// Appends `s` (already xml_safe_text) with XML's entities: & < > always, and " ' as well in an
// attribute value (tinyxml2's rule, which the EPUB's bytes follow).
void append_xml_escaped(std::string& out, std::string_view s, bool attribute);
// xml_safe_text(s), escaped for an attribute value (or, with attribute = false, for text).
std::string escape_xml(std::string_view s, bool attribute = true);

// 1-based line number of byte `offset` in `text`.
int line_of_offset(std::string_view text, size_t offset);

} // namespace imprenta::util

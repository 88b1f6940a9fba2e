#include "util/utf8.h"

#include <cstdint>
#include <cstring>

namespace imprenta::util {

namespace {
// Length of the valid sequence at s[i], or 0 if it is malformed (overlong, surrogate, > U+10FFFF).
size_t sequence_length(std::string_view s, size_t i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    if (c < 0x80) return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0; // surrogate
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0; // > U+10FFFF
    return n;
}

} // namespace

std::optional<size_t> find_invalid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        // ASCII, most of any text, eight bytes at a time.
        for (uint64_t w; s.size() - i >= 8; i += 8) {
            std::memcpy(&w, s.data() + i, 8);
            if (w & 0x8080808080808080u) break;
        }
        if (i == s.size()) break;
        size_t n = sequence_length(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::nullopt;
}

char32_t decode_code_point(std::string_view s, size_t& i) {
    size_t n = sequence_length(s, i);
    if (n == 0) {
        ++i;
        return 0xFFFD;
    }
    auto b = [&](size_t k) { return char32_t(static_cast<unsigned char>(s[i + k])); };
    char32_t cp = n == 1   ? b(0)
                  : n == 2 ? ((b(0) & 0x1F) << 6) | (b(1) & 0x3F)
                  : n == 3 ? ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)
                           : ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) |
                                 (b(3) & 0x3F);
    i += n;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

char32_t to_lower(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0xC0) return c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        // Latin Extended-A pairs: even upper/odd lower, except 0x139..0x148 and 0x179..0x17E.
        bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        return odd_upper ? ((c & 1) ? c + 1 : c) : ((c & 1) ? c : c + 1);
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32; // Greek
    if (c >= 0x410 && c <= 0x42F) return c + 32;               // Cyrillic
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

std::string to_lower(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();)
        append_utf8(out, to_lower(next_code_point(s, i)));
    return out;
}

namespace {
// ASCII base letter of a Latin-1 / Latin Extended-A letter, or 0.
char ascii_base(char32_t c) {
    static const char* latin1 = "aaaaaa/ceeeeiiiidnooooo/ouuuuyty"; // 0xE0..0xFF
    if (c >= 0xE0 && c <= 0xFF) {
        char b = latin1[c - 0xE0];
        return b == '/' ? 0 : b;
    }
    if (c == 0xDF) return 's';
    if (c >= 0x100 && c <= 0x17F) {
        static const char* extA =
            "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
            "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
        return extA[c - 0x100];
    }
    return 0;
}
} // namespace

std::string slugify(std::string_view s) {
    std::string out;
    bool dash = false;
    for (size_t i = 0; i < s.size();) {
        char32_t c = to_lower(next_code_point(s, i));
        char a = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            a = char(c);
        else
            a = ascii_base(c);
        if (a) {
            if (dash && !out.empty()) out += '-';
            out += a;
            dash = false;
        } else if (c != '\'' && c != 0x2019) {
            dash = true;
        }
    }
    return out;
}

namespace {
bool xml_forbidden(char32_t cp) {
    return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF;
}
} // namespace

namespace {
// Length of the longest prefix of `s` that xml_safe_text keeps as it is: valid UTF-8 without a
// character XML forbids. Runs of plain printable ASCII go eight bytes at a time.
size_t xml_clean_prefix(std::string_view s) {
    constexpr uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size(), i = 0;
    while (i < n) {
        for (; n - i >= 8; i += 8) {
            uint64_t w;
            std::memcpy(&w, p + i, 8);
            uint64_t del = w ^ (kOnes * 0x7F);
            // Non-zero if some byte is >= 0x80, < 0x20 or 0x7F (may flag more; never fewer).
            if ((w | ((w - kOnes * 0x20) & ~w) | ((del - kOnes) & ~del)) & kHigh) break;
        }
        if (i == n) break;
        unsigned char c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return i;
            ++i;
            continue;
        }
        size_t len = sequence_length(s, i);
        if (len == 0) return i;
        // U+FFFE and U+FFFF are EF BF BE / EF BF BF.
        if (c == 0xEF && p[i + 1] == 0xBF && (p[i + 2] & 0xFE) == 0xBE) return i;
        i += len;
    }
    return n;
}
} // namespace

void append_xml_escaped(std::string& out, std::string_view s, bool attribute) {
    // Runs without a character to escape are appended whole: a chapter's text is mostly such runs.
    constexpr uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
    auto has = [&](uint64_t w, char c) { // some byte of w is c (may flag more; never fewer)
        uint64_t x = w ^ (kOnes * static_cast<unsigned char>(c));
        return (x - kOnes) & ~x & kHigh;
    };
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        for (uint64_t w; s.size() - i >= 8; i += 8) {
            std::memcpy(&w, s.data() + i, 8);
            if (has(w, '&') | has(w, '<') | has(w, '>') |
                (attribute ? has(w, '"') | has(w, '\'') : 0))
                break;
        }
        if (i == s.size()) break;
        const char* entity = nullptr;
        switch (s[i]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = attribute ? "&quot;" : nullptr;
            break;
        case '\'':
            entity = attribute ? "&apos;" : nullptr;
            break;
        default:
            break;
        }
        if (!entity) continue;
        out.append(s.data() + run, i - run);
        out += entity;
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}

std::string escape_xml(std::string_view s, bool attribute) {
    std::string clean = xml_safe_text(s), out;
    out.reserve(clean.size() + clean.size() / 8);
    append_xml_escaped(out, clean, attribute);
    return out;
}

void append_xml_safe_text(std::string& out, std::string_view s) {
    size_t clean = xml_clean_prefix(s);
    out.append(s.substr(0, clean));
    for (size_t i = clean; i < s.size();) {
        char32_t cp = next_code_point(s, i);
        if (!xml_forbidden(cp)) append_utf8(out, cp);
    }
}

std::string xml_safe_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_xml_safe_text(out, s);
    return out;
}

int line_of_offset(std::string_view text, size_t offset) {
    int line = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
        line += text[i] == '\n';
    return line;
}

} // namespace imprenta::util

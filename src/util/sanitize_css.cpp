#include "util/sanitize.h"

#include "util/utf8.h"

#include <cstdlib>

namespace imprenta::util {

namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_css_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Functions whose argument is a resource to fetch.
constexpr std::string_view kFetching[] = {"url(", "image(", "src(", "cross-fade(", "element("};

bool inside_reference(std::string_view v) {
    while (!v.empty() && is_css_space(v.front()))
        v.remove_prefix(1);
    while (!v.empty() && is_css_space(v.back()))
        v.remove_suffix(1);
    return v.empty() || v[0] == '#' || v.substr(0, 5) == "data:";
}

// The argument of the function whose "(" ends just before `at`: a quoted string or bare text.
std::string_view argument_at(std::string_view c, size_t at) {
    while (at < c.size() && is_css_space(c[at]))
        ++at;
    if (at < c.size() && (c[at] == '"' || c[at] == '\'')) {
        size_t end = c.find(c[at], at + 1);
        return c.substr(at + 1,
                        end == std::string_view::npos ? std::string_view::npos : end - at - 1);
    }
    size_t end = c.find(')', at);
    return c.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

// "'text' (reason)", built by appending (GCC 12 warns falsely on "literal" + string at -O3).
std::string quoted(std::string_view text, const std::string& reason);

std::string shorten(std::string_view s) {
    std::string out(s.substr(0, 80));
    if (s.size() > 80) out += "...";
    return out;
}

std::string quoted(std::string_view text, const std::string& reason) {
    std::string out = "'";
    out += shorten(text);
    out += "' (";
    out += reason;
    out += ")";
    return out;
}

} // namespace

std::string css_for_checking(std::string_view css) {
    std::string out;
    out.reserve(css.size());
    char quote = 0; // the quote of the string we are in, if any: no comments in strings
    for (size_t i = 0; i < css.size();) {
        char c = css[i];
        if (!quote && c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
            size_t end = css.find("*/", i + 2);
            i = end == std::string_view::npos ? css.size() : end + 2;
            continue;
        }
        if (c == '\\' && i + 1 < css.size()) {
            size_t j = i + 1;
            char32_t cp = 0;
            if (is_hex(css[j])) {
                size_t k = j;
                while (k < css.size() && k - j < 6 && is_hex(css[k]))
                    ++k;
                unsigned long v =
                    std::strtoul(std::string(css.substr(j, k - j)).c_str(), nullptr, 16);
                cp =
                    (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) ? 0xFFFD : char32_t(v);
                if (k < css.size() && css[k] == '\r' && k + 1 < css.size() && css[k + 1] == '\n')
                    k += 2;
                else if (k < css.size() && is_css_space(css[k]))
                    ++k;
                i = k;
            } else if (css[j] == '\n') { // a line continuation inside a string
                i = j + 1;
                continue;
            } else {
                cp = static_cast<unsigned char>(css[j]);
                i = j + 1;
            }
            // An escaped quote is a character, never the start or end of a string.
            if (cp == '"' || cp == '\'') cp = '_';
            if (cp < 0x80)
                out += char(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
            else
                append_utf8(out, cp);
            continue;
        }
        if (c == '"' || c == '\'') {
            if (!quote)
                quote = c;
            else if (c == quote)
                quote = 0;
        } else if (c == '\n') {
            quote = 0; // an unclosed string ends with its line
        }
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        ++i;
    }
    return out;
}

namespace {

// For each byte of checked CSS (css_for_checking): is it inside a string? A function name or an
// @import in a string is only text.
std::vector<bool> string_mask(std::string_view c) {
    std::vector<bool> in(c.size(), false);
    char quote = 0;
    for (size_t i = 0; i < c.size(); ++i) {
        char ch = c[i];
        if (quote) {
            in[i] = true;
            if (ch == quote || ch == '\n') quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
            in[i] = true;
        }
    }
    return in;
}

// Positions of `needle` in `c` outside strings.
std::vector<size_t> find_outside_strings(std::string_view c, const std::vector<bool>& in,
                                         std::string_view needle) {
    std::vector<size_t> at;
    for (size_t p = c.find(needle); p != std::string_view::npos; p = c.find(needle, p + 1))
        if (!in[p]) at.push_back(p);
    return at;
}

} // namespace

std::optional<std::string> css_outside_reference(std::string_view css) {
    std::string c = css_for_checking(css);
    std::vector<bool> in = string_mask(c);
    if (!find_outside_strings(c, in, "@import").empty()) return "an @import rule";
    for (std::string_view code :
         {"javascript:", "vbscript:", "expression(", "-moz-binding", "behavior:"})
        if (!find_outside_strings(c, in, code).empty()) return "script (" + std::string(code) + ")";
    for (std::string_view fn : kFetching)
        for (size_t at : find_outside_strings(c, in, fn)) {
            // "url(" inside "image-url(" or "-webkit-src(" is still a fetch.
            std::string_view arg = argument_at(c, at + fn.size());
            if (!inside_reference(arg))
                return std::string(fn.substr(0, fn.size() - 1)) + "(" + shorten(arg) + ")";
        }
    // image-set("a.png" 1x, url(b.png) 2x): its strings are URLs too.
    for (size_t at : find_outside_strings(c, in, "image-set(")) {
        int depth = 0;
        for (size_t i = at + 9; i < c.size(); ++i) {
            if (c[i] == '(') ++depth;
            if (c[i] == ')' && --depth == 0) break;
            if (c[i] == '"' || c[i] == '\'') {
                size_t end = c.find(c[i], i + 1);
                size_t eol = c.find('\n', i + 1); // an unclosed string ends with its line
                if (eol < end) end = eol;
                std::string_view s = std::string_view(c).substr(
                    i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
                if (!inside_reference(s)) return "image-set(\"" + shorten(s) + "\")";
                if (end == std::string::npos) break;
                i = end;
            }
        }
    }
    return std::nullopt;
}

namespace {

struct Segment {
    size_t begin, end; // [begin, end) of the text, terminator excluded
    char terminator;   // ';', '{', '}' or 0 at the end of the text
};

// The next declaration, statement or block prelude from `i`, skipping strings, comments,
// escapes and parentheses (a data: URL holds ';').
Segment next_segment(std::string_view css, size_t i) {
    Segment s{i, css.size(), 0};
    int parens = 0;
    while (i < css.size()) {
        char c = css[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
            size_t end = css.find("*/", i + 2);
            i = end == std::string_view::npos ? css.size() : end + 2;
            continue;
        }
        if (c == '"' || c == '\'') {
            for (++i; i < css.size() && css[i] != c && css[i] != '\n'; ++i)
                if (css[i] == '\\') ++i;
            ++i;
            continue;
        }
        if (c == '(') ++parens;
        if (c == ')' && parens > 0) --parens;
        // Inside a function a CSS parser reads on to its ')' whatever comes: so does this.
        if (parens == 0 && (c == ';' || c == '{' || c == '}')) {
            s.end = i;
            s.terminator = c;
            return s;
        }
        ++i;
    }
    s.end = css.size();
    return s;
}

// The index just past the '}' closing the block whose '{' is at `open`.
size_t skip_block(std::string_view css, size_t open) {
    int depth = 0;
    for (size_t i = open; i < css.size();) {
        Segment s = next_segment(css, i);
        if (s.terminator == '{') ++depth;
        if (s.terminator == '}' && --depth == 0) return s.end + 1;
        if (!s.terminator) return css.size();
        i = s.end + 1;
    }
    return css.size();
}

} // namespace

std::string sanitize_css(std::string_view css, std::vector<Dropped>& dropped, int first_line) {
    std::string out;
    out.reserve(css.size());
    int line = first_line;
    size_t line_start = 0, counted = 0;
    auto position = [&](size_t at, int& l, int& col) {
        for (; counted < at; ++counted)
            if (css[counted] == '\n') {
                ++line;
                line_start = counted + 1;
            }
        l = line;
        col = int(at - line_start) + 1;
    };
    for (size_t i = 0; i < css.size();) {
        Segment s = next_segment(css, i);
        std::string_view text = css.substr(s.begin, s.end - s.begin);
        // Space and comments before a dropped rule stay, and its position is after them.
        size_t lead = 0;
        while (lead < text.size()) {
            if (is_css_space(text[lead])) {
                ++lead;
            } else if (text.substr(lead, 2) == "/*") {
                size_t end = text.find("*/", lead + 2);
                lead = end == std::string_view::npos ? text.size() : end + 2;
            } else {
                break;
            }
        }
        auto reason = css_outside_reference(text);
        if (!reason) {
            out += text;
            if (s.terminator) out += s.terminator;
            i = s.end + 1;
            continue;
        }
        Dropped d;
        position(s.begin + lead, d.line, d.col);
        std::string_view shown = text.substr(lead);
        d.what = quoted(shown, *reason);
        dropped.push_back(std::move(d));
        out.append(text.substr(0, lead)); // keeps the lines where they were
        if (s.terminator == '{') {
            size_t after = skip_block(css, s.end);
            for (size_t k = s.end; k < after; ++k)
                if (css[k] == '\n') out += '\n';
            i = after;
        } else {
            if (s.terminator == '}') out += '}';
            i = s.end + 1;
        }
    }
    // Rule by rule is the normal path; if what is left could still reach outside (found by
    // fuzz_css: escapes and NUL bytes that regroup across dropped rules), nothing of it is kept.
    if (auto why = css_outside_reference(out)) {
        dropped.push_back({first_line, 1, "the whole style sheet (" + *why + ")"});
        return {};
    }
    return out;
}

} // namespace imprenta::util

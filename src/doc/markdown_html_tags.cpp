#include "doc/markdown_detail.h"

#include "util/utf8.h"

#include <cctype>

namespace imprenta::doc::md_detail {

// Character references in an attribute value, decoded once as an HTML parser does.
std::string decode_entities(std::string_view v) {
    static const std::map<std::string, std::string> named{
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00A0"}};
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        size_t semi = v[i] == '&' ? v.find(';', i) : std::string_view::npos;
        if (semi == std::string_view::npos || semi - i > 10) {
            out += v[i];
            continue;
        }
        std::string_view ref = v.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        bool ok = false;
        if (ref.size() > 1 && ref[0] == '#') {
            bool hex = ref[1] == 'x' || ref[1] == 'X';
            std::string digits(ref.substr(hex ? 2 : 1));
            if (!digits.empty() &&
                digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
                    std::string::npos) {
                cp = char32_t(std::stoul(digits, nullptr, hex ? 16 : 10));
                ok = cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000);
            }
        }
        if (ok) {
            util::append_utf8(out, cp);
        } else if (auto it = named.find(std::string(ref)); it != named.end()) {
            out += it->second;
        } else {
            out += v[i];
            continue;
        }
        i = semi;
    }
    return out;
}

std::optional<Tag> parse_tag(std::string_view s) {
    Tag t;
    if (s.starts_with("<!--")) {
        t.comment = true;
        return t;
    }
    if (s.size() < 3 || s.front() != '<' || s.back() != '>') return std::nullopt;
    size_t i = 1;
    if (s[i] == '/') {
        t.closing = true;
        ++i;
    }
    size_t n0 = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-'))
        ++i;
    if (i == n0) return std::nullopt;
    t.name = util::to_lower(s.substr(n0, i - n0));
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        if (i >= s.size() || s[i] == '>') break;
        if (s[i] == '/') {
            t.self_closing = true;
            ++i;
            continue;
        }
        size_t a0 = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '=' &&
               s[i] != '>' && s[i] != '/')
            ++i;
        std::string name = util::to_lower(s.substr(a0, i - a0));
        std::string value;
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        if (i < s.size() && s[i] == '=') {
            ++i;
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
                ++i;
            if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                size_t v0 = i;
                while (i < s.size() && s[i] != q)
                    ++i;
                value = s.substr(v0, i - v0);
                if (i < s.size()) ++i;
            } else {
                size_t v0 = i;
                while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) &&
                       s[i] != '>')
                    ++i;
                value = s.substr(v0, i - v0);
            }
        }
        if (!name.empty()) t.attrs[name] = decode_entities(value);
    }
    return t;
}

const std::set<std::string>& dropped_with_content() {
    static const std::set<std::string> s{"script",   "style",  "iframe",   "object",   "embed",
                                         "applet",   "form",   "select",   "textarea", "noscript",
                                         "template", "svg",    "math",     "canvas",   "audio",
                                         "video",    "button", "frameset", "frame"};
    return s;
}

InlineKind phrasing_kind(const std::string& name, bool& known) {
    known = true;
    if (name == "em" || name == "i" || name == "cite" || name == "dfn" || name == "var")
        return InlineKind::Emphasis;
    if (name == "strong" || name == "b") return InlineKind::Strong;
    if (name == "del" || name == "s" || name == "strike") return InlineKind::Strikethrough;
    if (name == "sup") return InlineKind::Superscript;
    if (name == "sub") return InlineKind::Subscript;
    if (name == "a") return InlineKind::Link;
    known = false;
    return InlineKind::Text;
}

} // namespace imprenta::doc::md_detail

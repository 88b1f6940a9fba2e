#include "doc/html_detail.h"

#include <algorithm>

namespace imprenta::doc::html_detail {

namespace {

// Counted nesting at which start tags are taken out before gumbo sees them. gumbo's tree builder
// scans the stack of open elements for most start tags, so its time grows with depth squared
// (50,000 nested <div>s take seconds); the lowering keeps only kHtmlMaxDepth levels anyway.
constexpr size_t kParseDepthCap = 256;

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements that never hold others, or that close an open one of their kind: not counted.
bool uncounted(std::string_view name) {
    return one_of(name,
                  {"area",   "base",     "br",       "col",    "embed",    "hr",       "img",
                   "input",  "link",     "meta",     "param",  "source",   "track",    "wbr",
                   "keygen", "basefont", "bgsound",  "frame",  "image",    "menuitem", "p",
                   "li",     "dt",       "dd",       "option", "optgroup", "rb",       "rp",
                   "rt",     "rtc",      "tr",       "td",     "th",       "tbody",    "thead",
                   "tfoot",  "caption",  "colgroup", "head",   "body",     "html",     "isindex"});
}

bool raw_text_element(std::string_view name) {
    return one_of(name, {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea",
                         "title", "plaintext"});
}

// An end tag does not reach past these (HTML "scope" boundaries).
bool scope_boundary(std::string_view name) {
    return one_of(name, {"applet", "marquee", "object", "table", "template"});
}

bool ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Skips the rest of a tag after its name (attributes, quoted values may hold '>').
// Returns the offset after '>' (or the end) and whether the tag ended in "/>".
size_t skip_tag_rest(std::string_view in, size_t j, bool& self_closing) {
    self_closing = false;
    const size_t n = in.size();
    while (j < n) {
        while (j < n && is_space(in[j]))
            ++j;
        if (j >= n) break;
        if (in[j] == '>') return j + 1;
        if (in[j] == '/') {
            if (j + 1 < n && in[j + 1] == '>') {
                self_closing = true;
                return j + 2;
            }
            ++j;
            continue;
        }
        ++j; // first character of an attribute name (may be '=')
        while (j < n && !is_space(in[j]) && in[j] != '/' && in[j] != '>' && in[j] != '=')
            ++j;
        while (j < n && is_space(in[j]))
            ++j;
        if (j < n && in[j] == '=') {
            ++j;
            while (j < n && is_space(in[j]))
                ++j;
            if (j < n && (in[j] == '"' || in[j] == '\'')) {
                size_t close = in.find(in[j], j + 1);
                j = close == std::string_view::npos ? n : close + 1;
            } else {
                while (j < n && !is_space(in[j]) && in[j] != '>')
                    ++j;
            }
        }
    }
    return n;
}

// Offset of the "</name" that ends a raw-text element's content, or the end of the input.
size_t find_raw_end(std::string_view in, size_t from, std::string_view name) {
    while (true) {
        size_t k = in.find("</", from);
        if (k == std::string_view::npos) return in.size();
        size_t e = k + 2 + name.size();
        bool match = e <= in.size();
        for (size_t t = 0; match && t < name.size(); ++t)
            match = ascii_lower(in[k + 2 + t]) == name[t];
        if (match && (e == in.size() || is_space(in[e]) || in[e] == '/' || in[e] == '>')) return k;
        from = k + 2;
    }
}

// A comment, declaration or processing instruction at `lt`: the offset after it, or npos if
// there is none there. Inside svg/math, CDATA sections end at "]]>".
size_t skip_markup_declaration(std::string_view in, size_t lt, bool foreign) {
    const size_t n = in.size();
    std::string_view rest = in.substr(lt);
    if (rest.starts_with("<!--")) {
        size_t j = lt + 4;
        if (j < n && in[j] == '>') return j + 1;
        if (in.substr(j).starts_with("->")) return j + 2;
        size_t a = in.find("-->", j), b = in.find("--!>", j);
        return std::min(a == std::string_view::npos ? n : a + 3,
                        b == std::string_view::npos ? n : b + 4);
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
        std::string_view close = foreign && rest.starts_with("<![CDATA[") ? "]]>" : ">";
        size_t k = in.find(close, lt + 2);
        return k == std::string_view::npos ? n : k + close.size();
    }
    return std::string_view::npos;
}

} // namespace

// Takes out the start tags (and raw-text elements) that would nest deeper than kParseDepthCap,
// estimated by a light tokenizer. Newlines inside removed text are kept so gumbo's line numbers
// stay right. Only pathological input is changed.
std::string cap_nesting(std::string_view in, bool& capped) {
    capped = false;
    std::string out;
    std::vector<std::string> stack;
    size_t foreign = 0; // svg/math elements on the stack
    size_t copied = 0, i = 0;
    const size_t n = in.size();
    auto drop = [&](size_t from, size_t to) {
        out.append(in.substr(copied, from - copied));
        for (size_t k = from; k < to; ++k)
            if (in[k] == '\n') out += '\n';
        copied = to;
        capped = true;
    };
    while (i < n) {
        size_t lt = in.find('<', i);
        if (lt == std::string_view::npos) break;
        if (size_t after = skip_markup_declaration(in, lt, foreign > 0);
            after != std::string_view::npos) {
            i = after;
            continue;
        }
        std::string_view rest = in.substr(lt);
        bool end_tag = rest.starts_with("</");
        size_t name_at = lt + (end_tag ? 2 : 1);
        if (name_at >= n || !ascii_alpha(in[name_at])) {
            if (end_tag) { // "</>" is nothing, "</3" a bogus comment
                size_t k = in.find('>', lt + 2);
                i = k == std::string_view::npos ? n : k + 1;
            } else {
                i = lt + 1;
            }
            continue;
        }
        size_t j = name_at;
        std::string name;
        while (j < n && !is_space(in[j]) && in[j] != '/' && in[j] != '>')
            name += ascii_lower(in[j++]);
        bool self_closing = false;
        j = skip_tag_rest(in, j, self_closing);
        if (end_tag) {
            for (size_t k = stack.size(); k-- > 0;) {
                if (stack[k] == name) {
                    while (stack.size() > k) {
                        if (stack.back() == "svg" || stack.back() == "math") --foreign;
                        stack.pop_back();
                    }
                    break;
                }
                if (scope_boundary(stack[k])) break;
            }
            i = j;
            continue;
        }
        bool raw = !foreign && raw_text_element(name);
        size_t raw_end = j;
        if (raw) raw_end = name == "plaintext" ? n : find_raw_end(in, j, name);
        bool counted = !uncounted(name) && !(foreign && self_closing);
        if (counted && stack.size() >= kParseDepthCap) {
            if (raw) { // the whole element, end tag included
                bool sc = false;
                size_t after = raw_end < n ? skip_tag_rest(in, raw_end + 2 + name.size(), sc) : n;
                drop(lt, after);
                i = after;
            } else {
                drop(lt, j);
                i = j;
            }
            continue;
        }
        if (counted) {
            stack.push_back(name);
            if (name == "svg" || name == "math") ++foreign;
        }
        i = raw ? raw_end : j;
    }
    out.append(in.substr(copied));
    return out;
}

// The input without C0 controls (but tab, LF, CR, FF) and U+FFFE/FFFF: gumbo would turn them into
// U+FFFD; the rule is that they vanish. Byte-wise is safe: these bytes never occur inside a
// multi-byte UTF-8 sequence.
std::string strip_controls(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        unsigned char c = in[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') continue;
        if (c == 0xEF && i + 2 < in.size() && (unsigned char)in[i + 1] == 0xBF &&
            ((unsigned char)in[i + 2] == 0xBE || (unsigned char)in[i + 2] == 0xBF)) {
            i += 2;
            continue;
        }
        out += char(c);
    }
    return out;
}

} // namespace imprenta::doc::html_detail

#include "doc/html_detail.h"

#include "util/utf8.h"

#include <algorithm>
#include <cstring>

namespace imprenta::doc::html_detail {

// Text and attribute helpers

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

// Runs of HTML white space -> one space, as CSS `white-space: normal` renders them.
std::string collapse_space(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (char c : s) {
        if (is_space(c)) {
            if (!space) out += ' ';
            space = true;
        } else {
            out += c;
            space = false;
        }
    }
    return out;
}

std::string trim_space(std::string s) {
    size_t b = 0, e = s.size();
    while (b < e && is_space(s[b]))
        ++b;
    while (e > b && is_space(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

// A URL as a browser would read it: leading/trailing white space and every control character
// gone (browsers strip tabs and newlines inside URLs; the others cannot go into XML).
std::string clean_url(std::string_view raw) {
    std::string s = util::xml_safe_text(raw);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n'; }),
            s.end());
    return trim_space(s);
}

// Lower-case scheme of a cleaned URL ("" for relative URLs).
std::string url_scheme(std::string_view url) {
    std::string scheme;
    for (char c : url) {
        if (c == ':') return scheme;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool ok = alpha ||
                  (!scheme.empty() && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!ok) return "";
        scheme += ascii_lower(c);
    }
    return "";
}

bool unsafe_scheme(const std::string& scheme) {
    return scheme == "javascript" || scheme == "vbscript" || scheme == "data";
}

const char* attr(const GumboNode* n, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : nullptr;
}

// An id that is a valid XML name in every reader: ASCII letters, digits, '-', '_', '.'.
std::string valid_id(const GumboNode* n) {
    const char* v = attr(n, "id");
    if (!v || !*v || std::strlen(v) > 200) return "";
    std::string_view id(v);
    auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!letter(id[0])) return "";
    for (char c : id)
        if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return "";
    return std::string(id);
}

// The class attribute reduced to [A-Za-z0-9_ -] (it may end up as a CSS class); `fallback` if none.
std::string style_of(const GumboNode* n, const char* fallback) {
    const char* v = attr(n, "class");
    std::string out;
    if (v) {
        for (const char* p = v; *p; ++p) {
            char c = *p;
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
            if (ok)
                out += c;
            else if (is_space(c) && !out.empty() && out.back() != ' ')
                out += ' ';
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        if (out.size() > 100) out.resize(100);
    }
    return out.empty() ? fallback : out;
}

bool has_class_token(const GumboNode* n, std::string_view token) {
    const char* v = attr(n, "class");
    if (!v) return false;
    std::string_view s(v);
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i]))
            ++i;
        size_t b = i;
        while (i < s.size() && !is_space(s[i]))
            ++i;
        if (s.substr(b, i - b) == token) return true;
    }
    return false;
}

// "language-go" / "lang-go" in a class attribute, or data-lang (Hugo's highlighter) -> "go".
std::string code_language(const GumboNode* n) {
    std::string lang;
    if (const char* v = attr(n, "class")) {
        std::string_view s(v);
        size_t i = 0;
        while (i < s.size() && lang.empty()) {
            while (i < s.size() && is_space(s[i]))
                ++i;
            size_t b = i;
            while (i < s.size() && !is_space(s[i]))
                ++i;
            std::string_view tok = s.substr(b, i - b);
            if (tok.starts_with("language-"))
                lang = tok.substr(9);
            else if (tok.starts_with("lang-"))
                lang = tok.substr(5);
        }
    }
    if (lang.empty())
        if (const char* v = attr(n, "data-lang")) lang = v;
    std::string out;
    for (char c : lang)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '+' || c == '#' || c == '.')
            out += c;
    if (out.size() > 40) out.resize(40);
    return out;
}

Align align_of(const GumboNode* cell) {
    std::string value;
    if (const char* a = attr(cell, "align")) value = a;
    if (const char* st = attr(cell, "style")) {
        std::string s;
        for (const char* p = st; *p; ++p)
            s += ascii_lower(*p);
        if (size_t k = s.find("text-align"); k != std::string::npos) {
            k = s.find(':', k);
            if (k != std::string::npos) {
                size_t b = k + 1;
                while (b < s.size() && is_space(s[b]))
                    ++b;
                size_t e = b;
                while (e < s.size() && s[e] >= 'a' && s[e] <= 'z')
                    ++e;
                value = s.substr(b, e - b);
            }
        }
    }
    for (char& c : value)
        c = ascii_lower(c);
    value = trim_space(value);
    if (value == "left" || value == "start") return Align::Left;
    if (value == "center") return Align::Center;
    if (value == "right" || value == "end") return Align::Right;
    return Align::None;
}

int int_attr(const GumboNode* n, const char* name, int fallback, int lo, int hi) {
    const char* v = attr(n, name);
    if (!v) return fallback;
    char* end = nullptr;
    long x = std::strtol(v, &end, 10);
    if (end == v) return fallback;
    return int(std::clamp<long>(x, lo, hi));
}

Inline make_inline(InlineKind kind, std::string text) {
    Inline x;
    x.kind = kind;
    x.text = std::move(text);
    return x;
}

bool is_mark(const Inline& x) {
    return x.kind == InlineKind::LineBreak && x.text == kBlockMark;
}

bool is_block_role(Role r) {
    return r >= Role::Paragraph;
}

TagInfo classify(const GumboNode* n) {
    if (n->type == GUMBO_NODE_TEMPLATE) return {Role::Drop};
    const GumboElement& e = n->v.element;
    if (e.tag_namespace != GUMBO_NAMESPACE_HTML) return {Role::Foreign};
    switch (e.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON: // UI chrome ("Copy"), not prose
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_KEYGEN:
        return {Role::Drop};
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_NEXTID:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_MGLYPH:
    case GUMBO_TAG_MALIGNMARK:
        return {Role::Silent};
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_VAR:
        return {Role::Phrase, InlineKind::Emphasis};
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
        return {Role::Phrase, InlineKind::Strong};
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_S:
    case GUMBO_TAG_STRIKE:
        return {Role::Phrase, InlineKind::Strikethrough};
    case GUMBO_TAG_SUP:
        return {Role::Phrase, InlineKind::Superscript};
    case GUMBO_TAG_SUB:
        return {Role::Phrase, InlineKind::Subscript};
    case GUMBO_TAG_Q:
        return {Role::Quote};
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_TT:
        return {Role::Code};
    case GUMBO_TAG_A:
        return {Role::Link};
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
        return {Role::Image};
    case GUMBO_TAG_BR:
        return {Role::Break};
    case GUMBO_TAG_P:
    case GUMBO_TAG_ADDRESS:
        return {Role::Paragraph};
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
        return {Role::Heading};
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_CENTER:
        return {Role::Division};
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_TBODY: // table parts outside a table (gumbo normally drops those tags)
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        return {Role::Splice};
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
        return {Role::List};
    case GUMBO_TAG_LI:
        return {Role::ListItem};
    case GUMBO_TAG_BLOCKQUOTE:
        return {Role::BlockQuote};
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        return {Role::Pre};
    case GUMBO_TAG_HR:
        return {Role::Rule};
    case GUMBO_TAG_TABLE:
        return {Role::Table};
    case GUMBO_TAG_FIGURE:
        return {Role::Figure};
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CAPTION:
        return {Role::Caption};
    case GUMBO_TAG_DETAILS:
        return {Role::Details};
    case GUMBO_TAG_ASIDE:
        return {Role::Aside};
    case GUMBO_TAG_DL:
        return {Role::DefList};
    case GUMBO_TAG_DT:
        return {Role::Term};
    case GUMBO_TAG_DD:
        return {Role::Definition};
    default:
        // span, font, small, mark, u, ins, abbr, time, label, ruby, bdi, unknown elements...
        return {Role::Transparent};
    }
}

bool is_tag(const GumboNode* n, GumboTag tag) {
    return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag &&
           n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

const GumboVector& children_of(const GumboNode* n) {
    return n->v.element.children;
}

} // namespace imprenta::doc::html_detail

#include "doc/html.h"

#include "util/utf8.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>

namespace imprenta::doc {

namespace {

// ---------------------------------------------------------------------------------------------
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

Inline make_inline(InlineKind kind, std::string text = {}) {
    Inline x;
    x.kind = kind;
    x.text = std::move(text);
    return x;
}

// A LineBreak that marks a block boundary inside inline content; resolved in finish_inlines.
const std::string kBlockMark = "\x01";

bool is_mark(const Inline& x) {
    return x.kind == InlineKind::LineBreak && x.text == kBlockMark;
}

// ---------------------------------------------------------------------------------------------
// Element roles

enum class Role {
    Drop,        // removed with its content, warned
    Silent,      // removed with its content, no warning (metadata, form options, wbr)
    Foreign,     // svg / math: the IR cannot carry them
    Transparent, // its children take its place
    Phrase,      // an inline of `kind` with children
    Quote,       // q: children in quotation marks
    Code,        // code/kbd/samp/tt: Code inline with the text
    Link,
    Image,
    Break,
    // Block elements
    Paragraph,
    Heading,
    Division,
    Splice, // article, main, header...: its blocks take its place
    List,
    ListItem,
    BlockQuote,
    Pre,
    Rule,
    Table,
    Figure,
    Caption, // figcaption, legend, summary outside their parent: a paragraph
    Details,
    Aside,
    DefList,
    Term,
    Definition,
};

struct TagInfo {
    Role role = Role::Transparent;
    InlineKind kind = InlineKind::Text;
};

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

// ---------------------------------------------------------------------------------------------
// Parsing

// gumbo's allocator hooks, tracking every live block so the whole tree is freed in one loop:
// gumbo_destroy_output recurses once per nesting level and overflows the stack on deep input.
class GumboArena {
public:
    GumboArena() = default;
    GumboArena(const GumboArena&) = delete;
    GumboArena& operator=(const GumboArena&) = delete;
    ~GumboArena() {
        for (Header* h = head_.next; h;) {
            Header* next = h->next;
            std::free(h);
            h = next;
        }
    }
    static void* allocate(void* self, size_t size) {
        auto* arena = static_cast<GumboArena*>(self);
        auto* h = static_cast<Header*>(std::malloc(sizeof(Header) + size));
        if (!h) std::abort(); // gumbo does not check for failure; crash here, not in gumbo
        h->prev = &arena->head_;
        h->next = arena->head_.next;
        if (h->next) h->next->prev = h;
        arena->head_.next = h;
        return h + 1;
    }
    static void deallocate(void*, void* ptr) {
        if (!ptr) return;
        Header* h = static_cast<Header*>(ptr) - 1;
        h->prev->next = h->next;
        if (h->next) h->next->prev = h->prev;
        std::free(h);
    }

private:
    struct alignas(alignof(std::max_align_t)) Header {
        Header* prev = nullptr;
        Header* next = nullptr;
    };
    Header head_;
};

class Fragment {
public:
    explicit Fragment(std::string html) : html_(std::move(html)) {
        GumboOptions options = kGumboDefaultOptions;
        options.allocator = &GumboArena::allocate;
        options.deallocator = &GumboArena::deallocate;
        options.userdata = &arena_;
        options.max_errors = 0;
        options.fragment_context = GUMBO_TAG_BODY;
        options.fragment_namespace = GUMBO_NAMESPACE_HTML;
        output_ = gumbo_parse_with_options(&options, html_.data(), html_.size());
    }
    // The <html> element whose children are the fragment's nodes.
    const GumboNode* root() const { return output_->root; }

private:
    std::string html_; // gumbo's tree points into it
    GumboArena arena_;
    GumboOutput* output_ = nullptr; // owned by arena_
};

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
        std::string_view rest = in.substr(lt);
        if (rest.starts_with("<!--")) {
            size_t j = lt + 4;
            if (j < n && in[j] == '>')
                i = j + 1;
            else if (in.substr(j).starts_with("->"))
                i = j + 2;
            else {
                size_t a = in.find("-->", j), b = in.find("--!>", j);
                i = std::min(a == std::string_view::npos ? n : a + 3,
                             b == std::string_view::npos ? n : b + 4);
            }
            continue;
        }
        if (rest.starts_with("<!") || rest.starts_with("<?")) {
            std::string_view close = foreign && rest.starts_with("<![CDATA[") ? "]]>" : ">";
            size_t k = in.find(close, lt + 2);
            i = k == std::string_view::npos ? n : k + close.size();
            continue;
        }
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

// ---------------------------------------------------------------------------------------------
// Lowering

struct BlockSink {
    std::vector<Block>* out;
    std::vector<Inline> pending; // inline content seen at block level, waiting for a paragraph
    int pending_line = 0;
};

class Lowerer {
public:
    explicit Lowerer(const HtmlContext& ctx) : ctx_(ctx) {}

    void note_capped() {
        warn_once("#depth", ctx_.pos,
                  "HTML nested too deeply: the inner tags were left out, their text kept");
    }

    std::vector<Block> blocks(const GumboNode* root) { return child_blocks(root); }

    std::vector<Inline> inlines(const GumboNode* root) {
        std::vector<Inline> out;
        inline_children(root, out);
        finish_inlines(out);
        return out;
    }

private:
    // ---- diagnostics ----
    util::SourcePos pos_of(const GumboNode* n) const {
        util::SourcePos p = ctx_.pos;
        unsigned line = n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE
                            ? n->v.element.start_pos.line
                            : n->v.text.start_pos.line;
        if (ctx_.pos.line > 0 && line > 1) {
            p.line = ctx_.pos.line + int(line) - 1;
            p.col = 0;
        }
        return p;
    }
    int line_of(const GumboNode* n) const { return pos_of(n).line; }

    void warn(const util::SourcePos& pos, const std::string& msg) {
        if (ctx_.diags) ctx_.diags->warning(pos, msg);
    }
    void warn_once(const std::string& key, const util::SourcePos& pos, const std::string& msg) {
        if (warned_.insert(key).second) warn(pos, msg);
    }

    static std::string tag_name(const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEMPLATE) return "template";
        const GumboElement& e = n->v.element;
        if (e.tag_namespace == GUMBO_NAMESPACE_SVG) return "svg";
        if (e.tag_namespace == GUMBO_NAMESPACE_MATHML) return "math";
        return gumbo_normalized_tagname(e.tag);
    }

    // Warns for (and reports) an element that goes with all its content.
    bool dropped(const GumboNode* n, const TagInfo& info) {
        switch (info.role) {
        case Role::Foreign: {
            std::string name = tag_name(n);
            warn_once("<" + name, pos_of(n), "inline <" + name + "> left out");
            return true;
        }
        case Role::Drop: {
            std::string name = tag_name(n);
            warn_once("<" + name, pos_of(n), "dropped <" + name + "> element");
            return true;
        }
        case Role::Silent:
            return true;
        default:
            return false;
        }
    }

    // Event handlers cannot reach the IR; say they were there.
    void check_attributes(const GumboNode* n) {
        const GumboVector& attrs = n->v.element.attributes;
        for (unsigned k = 0; k < attrs.length; ++k) {
            auto* a = static_cast<const GumboAttribute*>(attrs.data[k]);
            std::string_view name(a->name);
            if (name.size() > 2 && ascii_lower(name[0]) == 'o' && ascii_lower(name[1]) == 'n') {
                std::string shown = util::xml_safe_text(name.substr(0, 40));
                warn_once("@" + shown, pos_of(n), "dropped event handler attribute " + shown);
            }
        }
    }

    // Element depth guard: true if `n` is too deep and was flattened into `out` as text.
    bool too_deep(const GumboNode* n, std::vector<Inline>& out) {
        if (depth_ < kHtmlMaxDepth) return false;
        warn_once("#depth", pos_of(n),
                  "HTML nested more than " + std::to_string(kHtmlMaxDepth) +
                      " levels deep: the inner part kept as plain text");
        out.push_back(make_inline(InlineKind::Text, " " + collect_text(n, false) + " "));
        return true;
    }

    struct Deeper {
        int& d;
        explicit Deeper(int& depth) : d(++depth) {}
        ~Deeper() { --d; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
    };

    // The text of a subtree, without recursion (it also serves content nested too deeply).
    // `verbatim` keeps white space and turns <br> into a newline (pre); otherwise blocks and
    // breaks become spaces.
    std::string collect_text(const GumboNode* root, bool verbatim) {
        std::string out;
        struct Frame {
            const GumboNode* node;
            unsigned next;
        };
        std::vector<Frame> stack{{root, 0}};
        while (!stack.empty()) {
            const GumboNode* node = stack.back().node;
            unsigned index = stack.back().next++;
            const GumboVector& kids = children_of(node);
            if (index >= kids.length) {
                stack.pop_back();
                if (!verbatim && !stack.empty() && is_block_role(classify(node).role)) out += ' ';
                continue;
            }
            auto* c = static_cast<const GumboNode*>(kids.data[index]);
            switch (c->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA:
                out += c->v.text.text;
                break;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE: {
                TagInfo info = classify(c);
                if (dropped(c, info)) break;
                if (info.role == Role::Break) {
                    out += verbatim ? '\n' : ' ';
                    break;
                }
                if (info.role == Role::Image) {
                    if (const char* alt = attr(c, "alt")) out += alt;
                    break;
                }
                if (!verbatim && is_block_role(info.role)) out += ' ';
                stack.push_back({c, 0});
                break;
            }
            default:
                break;
            }
        }
        return util::xml_safe_text(out);
    }

    void append_text(std::vector<Inline>& out, const char* text) {
        std::string t = util::xml_safe_text(text);
        if (t.empty()) return;
        if (!out.empty() && out.back().kind == InlineKind::Text)
            out.back().text += t;
        else
            out.push_back(make_inline(InlineKind::Text, std::move(t)));
    }

    // ---- block context ----
    std::vector<Block> child_blocks(const GumboNode* n, const GumboNode* skip = nullptr) {
        std::vector<Block> out;
        BlockSink sink{&out, {}, 0};
        const GumboVector& kids = children_of(n);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c != skip) block_child(c, sink);
        }
        flush(sink);
        return out;
    }

    // A paragraph of nothing but <br>s is left out (a blank line a browser would show).
    static bool only_breaks(const std::vector<Inline>& v) {
        return std::all_of(v.begin(), v.end(),
                           [](const Inline& x) { return x.kind == InlineKind::LineBreak; });
    }

    void flush(BlockSink& s) {
        finish_inlines(s.pending);
        if (!only_breaks(s.pending)) {
            Block p;
            p.kind = BlockKind::Paragraph;
            p.line = s.pending_line;
            p.inlines = std::move(s.pending);
            s.out->push_back(std::move(p));
        }
        s.pending.clear();
        s.pending_line = 0;
    }

    void block_child(const GumboNode* n, BlockSink& s) {
        switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_CDATA:
            if (s.pending_line == 0) s.pending_line = line_of(n);
            append_text(s.pending, n->v.text.text);
            return;
        case GUMBO_NODE_WHITESPACE:
            append_text(s.pending, n->v.text.text);
            return;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            break;
        default:
            return;
        }
        TagInfo info = classify(n);
        if (dropped(n, info)) return;
        if (too_deep(n, s.pending)) return;
        Deeper guard(depth_);
        check_attributes(n);
        if (info.role == Role::Transparent) {
            const GumboVector& kids = children_of(n);
            for (unsigned k = 0; k < kids.length; ++k)
                block_child(static_cast<const GumboNode*>(kids.data[k]), s);
            return;
        }
        if (!is_block_role(info.role)) {
            if (s.pending_line == 0) s.pending_line = line_of(n);
            inline_element(n, info, s.pending);
            return;
        }
        flush(s);
        block_element(n, info, *s.out);
    }

    std::vector<Inline> inline_content(const GumboNode* n) {
        std::vector<Inline> v;
        inline_children(n, v);
        finish_inlines(v);
        return v;
    }

    Block make_block(BlockKind kind, const GumboNode* n) {
        Block b;
        b.kind = kind;
        b.line = line_of(n);
        b.id = valid_id(n);
        return b;
    }

    void block_element(const GumboNode* n, const TagInfo& info, std::vector<Block>& out) {
        switch (info.role) {
        case Role::Paragraph:
        case Role::Caption:
        case Role::Term: {
            Block p = make_block(BlockKind::Paragraph, n);
            p.inlines = inline_content(n);
            if (only_breaks(p.inlines)) return;
            if (info.role == Role::Term) {
                Inline strong = make_inline(InlineKind::Strong);
                strong.children = std::move(p.inlines);
                p.inlines = {std::move(strong)};
            }
            out.push_back(std::move(p));
            return;
        }
        case Role::Heading: {
            Block h = make_block(BlockKind::Heading, n);
            h.level = int(n->v.element.tag - GUMBO_TAG_H1) + 1;
            h.inlines = inline_content(n);
            if (h.inlines.empty()) return;
            out.push_back(std::move(h));
            return;
        }
        case Role::Division:
        case Role::DefList:
        case Role::Definition:
        case Role::BlockQuote:
        case Role::Aside: {
            BlockKind kind = info.role == Role::BlockQuote ? BlockKind::BlockQuote
                             : info.role == Role::Aside    ? BlockKind::Aside
                                                           : BlockKind::Division;
            Block d = make_block(kind, n);
            d.children = child_blocks(n);
            if (d.children.empty()) return;
            if (info.role == Role::Division) d.style = style_of(n, tag_name(n).c_str());
            if (info.role == Role::DefList) d.style = "dl";
            if (info.role == Role::Definition) d.style = "dd";
            if (info.role == Role::Aside) {
                for (const char* s : {"info", "warning", "danger"})
                    if (has_class_token(n, s)) d.style = s;
            }
            out.push_back(std::move(d));
            return;
        }
        case Role::Splice:
        case Role::ListItem: { // an <li> outside a list keeps its content
            auto kids = child_blocks(n);
            for (auto& b : kids)
                out.push_back(std::move(b));
            return;
        }
        case Role::List:
            list(n, out);
            return;
        case Role::Pre: {
            Block c = make_block(BlockKind::CodeBlock, n);
            c.text = collect_text(n, true);
            while (!c.text.empty() && c.text.back() == '\n')
                c.text.pop_back();
            c.info = code_language(n);
            const GumboVector& kids = children_of(n);
            for (unsigned k = 0; k < kids.length && c.info.empty(); ++k) {
                auto* k0 = static_cast<const GumboNode*>(kids.data[k]);
                if (is_tag(k0, GUMBO_TAG_CODE)) c.info = code_language(k0);
            }
            out.push_back(std::move(c));
            return;
        }
        case Role::Rule:
            out.push_back(make_block(BlockKind::ThematicBreak, n));
            return;
        case Role::Table:
            table(n, out);
            return;
        case Role::Figure:
        case Role::Details: {
            bool figure = info.role == Role::Figure;
            Block f = make_block(figure ? BlockKind::Figure : BlockKind::Details, n);
            GumboTag caption_tag = figure ? GUMBO_TAG_FIGCAPTION : GUMBO_TAG_SUMMARY;
            const GumboNode* caption = nullptr;
            const GumboVector& kids = children_of(n);
            for (unsigned k = 0; k < kids.length && !caption; ++k) {
                auto* c = static_cast<const GumboNode*>(kids.data[k]);
                if (is_tag(c, caption_tag)) caption = c;
            }
            if (caption) {
                Deeper guard(depth_);
                f.inlines = inline_content(caption);
            }
            f.children = child_blocks(n, caption);
            if (f.children.empty() && f.inlines.empty()) return;
            out.push_back(std::move(f));
            return;
        }
        default:
            return;
        }
    }

    // <input type=checkbox> opening an <li>: a task list item (goldmark renders them so).
    static const GumboNode* task_checkbox(const GumboNode* li) {
        const GumboVector& kids = children_of(li);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_COMMENT) continue;
            if (c->type == GUMBO_NODE_ELEMENT && is_tag(c, GUMBO_TAG_P)) return task_checkbox(c);
            if (!is_tag(c, GUMBO_TAG_INPUT)) return nullptr;
            const char* type = attr(c, "type");
            return type && strcasecmp(type, "checkbox") == 0 ? c : nullptr;
        }
        return nullptr;
    }

    // Like child_blocks, but a checkbox one level down (inside a leading <p>) is skipped too.
    std::vector<Block> item_blocks(const GumboNode* li, const GumboNode* checkbox) {
        if (!checkbox || checkbox->parent == li) return child_blocks(li, checkbox);
        std::vector<Block> out;
        BlockSink sink{&out, {}, 0};
        const GumboVector& kids = children_of(li);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c != checkbox->parent) {
                block_child(c, sink);
                continue;
            }
            flush(sink);
            Block p = make_block(BlockKind::Paragraph, c);
            const GumboVector& inner = children_of(c);
            for (unsigned t = 0; t < inner.length; ++t)
                if (inner.data[t] != checkbox)
                    inline_node(static_cast<const GumboNode*>(inner.data[t]), p.inlines);
            finish_inlines(p.inlines);
            if (!p.inlines.empty()) out.push_back(std::move(p));
        }
        flush(sink);
        return out;
    }

    void list(const GumboNode* n, std::vector<Block>& out) {
        Block l = make_block(BlockKind::List, n);
        l.ordered = is_tag(n, GUMBO_TAG_OL);
        if (l.ordered) l.start = int_attr(n, "start", 1, -1000000000, 1000000000);
        const GumboVector& kids = children_of(n);
        std::vector<const GumboNode*> stray; // content outside any <li>
        auto flush_stray = [&] {
            if (stray.empty()) return;
            std::vector<Block> blocks;
            BlockSink sink{&blocks, {}, 0};
            Deeper guard(depth_); // the item made up for them is a level too
            for (auto* c : stray)
                block_child(c, sink);
            flush(sink);
            stray.clear();
            if (blocks.empty()) return;
            if (l.children.empty()) l.children.push_back(make_block(BlockKind::ListItem, n));
            auto& into = l.children.back().children;
            for (auto& b : blocks)
                into.push_back(std::move(b));
        };
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (!is_tag(c, GUMBO_TAG_LI)) {
                if (c->type != GUMBO_NODE_COMMENT && c->type != GUMBO_NODE_WHITESPACE)
                    stray.push_back(c);
                continue;
            }
            flush_stray();
            if (std::vector<Inline> flat; too_deep(c, flat)) {
                Block item = make_block(BlockKind::ListItem, c);
                Block p = make_block(BlockKind::Paragraph, c);
                p.inlines = std::move(flat);
                finish_inlines(p.inlines);
                if (!p.inlines.empty()) item.children.push_back(std::move(p));
                l.children.push_back(std::move(item));
                continue;
            }
            Deeper guard(depth_);
            check_attributes(c);
            Block item = make_block(BlockKind::ListItem, c);
            const GumboNode* box = task_checkbox(c);
            if (box) item.task = gumbo_get_attribute(&box->v.element.attributes, "checked") ? 1 : 0;
            item.children = item_blocks(c, box);
            const GumboVector& inner = children_of(c);
            for (unsigned t = 0; t < inner.length; ++t)
                if (is_tag(static_cast<const GumboNode*>(inner.data[t]), GUMBO_TAG_P))
                    l.tight = false;
            l.children.push_back(std::move(item));
        }
        flush_stray();
        if (l.children.empty()) return;
        out.push_back(std::move(l));
    }

    // Rows of a table section (or of the table itself), with each cell's header flag and align.
    struct RawCell {
        TableCell cell;
        bool header = false;
        Align align = Align::None;
    };
    using RawRow = std::vector<RawCell>;

    // Largest row * column count a table is padded to (a hostile colspan must not allocate much).
    static constexpr size_t kMaxPaddedCells = 1000000;
    static constexpr int kMaxColspan = 1000;

    void table_rows(const GumboNode* section, std::vector<RawRow>& rows) {
        const GumboVector& kids = children_of(section);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* tr = static_cast<const GumboNode*>(kids.data[k]);
            if (!is_tag(tr, GUMBO_TAG_TR)) continue;
            Deeper guard(depth_);
            RawRow row;
            const GumboVector& cells = children_of(tr);
            for (unsigned t = 0; t < cells.length; ++t) {
                auto* td = static_cast<const GumboNode*>(cells.data[t]);
                bool th = is_tag(td, GUMBO_TAG_TH);
                if (!th && !is_tag(td, GUMBO_TAG_TD)) continue;
                check_attributes(td);
                RawCell cell;
                cell.header = th;
                cell.align = align_of(td);
                {
                    Deeper inner(depth_);
                    if (!too_deep(td, cell.cell.inlines)) inline_children(td, cell.cell.inlines);
                    finish_inlines(cell.cell.inlines);
                }
                row.push_back(std::move(cell));
                // Keep columns lined up: a spanning cell is followed by empty ones.
                int span = int_attr(td, "colspan", 1, 1, kMaxColspan);
                for (int s = 1; s < span; ++s) {
                    RawCell pad;
                    pad.header = th;
                    row.push_back(std::move(pad));
                }
            }
            rows.push_back(std::move(row));
        }
    }

    void table(const GumboNode* n, std::vector<Block>& out) {
        std::vector<RawRow> head, body, foot;
        std::vector<Inline> caption;
        const GumboVector& kids = children_of(n);
        table_rows(n, body);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c->type != GUMBO_NODE_ELEMENT && c->type != GUMBO_NODE_TEMPLATE) continue;
            Deeper guard(depth_);
            if (is_tag(c, GUMBO_TAG_THEAD))
                table_rows(c, head);
            else if (is_tag(c, GUMBO_TAG_TBODY))
                table_rows(c, body);
            else if (is_tag(c, GUMBO_TAG_TFOOT))
                table_rows(c, foot);
            else if (is_tag(c, GUMBO_TAG_CAPTION) && caption.empty())
                caption = inline_content(c);
            else
                dropped(c, classify(c)); // script/form/input inside a table: warn
        }
        Block t = make_block(BlockKind::Table, n);
        t.header_rows = int(head.size());
        std::vector<RawRow> rows = std::move(head);
        for (auto& r : body)
            rows.push_back(std::move(r));
        for (auto& r : foot)
            rows.push_back(std::move(r));
        if (rows.empty()) {
            if (!caption.empty()) {
                Block p = make_block(BlockKind::Paragraph, n);
                p.id.clear();
                p.inlines = std::move(caption);
                out.push_back(std::move(p));
            }
            return;
        }
        if (t.header_rows == 0 && !rows[0].empty() &&
            std::all_of(rows[0].begin(), rows[0].end(), [](const RawCell& c) { return c.header; }))
            t.header_rows = 1;
        size_t columns = 0;
        for (const auto& r : rows)
            columns = std::max(columns, r.size());
        bool pad = columns * rows.size() <= kMaxPaddedCells;
        t.aligns.assign(columns, Align::None);
        for (const auto& r : rows)
            for (size_t col = 0; col < r.size(); ++col)
                if (t.aligns[col] == Align::None) t.aligns[col] = r[col].align;
        for (auto& r : rows) {
            TableRow row;
            for (auto& c : r)
                row.cells.push_back(std::move(c.cell));
            if (pad) row.cells.resize(columns);
            t.rows.push_back(std::move(row));
        }
        if (caption.empty()) {
            out.push_back(std::move(t));
            return;
        }
        Block f = make_block(BlockKind::Figure, n);
        f.id.clear();
        f.inlines = std::move(caption);
        f.children.push_back(std::move(t));
        out.push_back(std::move(f));
    }

    // ---- inline context ----
    void inline_children(const GumboNode* n, std::vector<Inline>& out) {
        const GumboVector& kids = children_of(n);
        for (unsigned k = 0; k < kids.length; ++k)
            inline_node(static_cast<const GumboNode*>(kids.data[k]), out);
    }

    void inline_node(const GumboNode* n, std::vector<Inline>& out) {
        switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            append_text(out, n->v.text.text);
            return;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            break;
        default:
            return;
        }
        TagInfo info = classify(n);
        if (dropped(n, info)) return;
        if (too_deep(n, out)) return;
        Deeper guard(depth_);
        check_attributes(n);
        if (info.role == Role::Transparent) {
            inline_children(n, out);
            return;
        }
        if (!is_block_role(info.role)) {
            inline_element(n, info, out);
            return;
        }
        // A block inside inline content: its text on a line of its own.
        out.push_back(make_inline(InlineKind::LineBreak, kBlockMark));
        if (info.role == Role::Pre) {
            std::string text = collect_text(n, true);
            size_t b = 0;
            while (b <= text.size()) {
                size_t e = text.find('\n', b);
                if (e == std::string::npos) e = text.size();
                if (b > 0) out.push_back(make_inline(InlineKind::LineBreak));
                if (e > b) out.push_back(make_inline(InlineKind::Code, text.substr(b, e - b)));
                b = e + 1;
            }
        } else if (info.role == Role::Table) {
            table_inline(n, out);
        } else {
            inline_children(n, out);
        }
        out.push_back(make_inline(InlineKind::LineBreak, kBlockMark));
    }

    // A table flattened into inline content: a line per row, cells apart by spaces.
    void table_inline(const GumboNode* n, std::vector<Inline>& out) {
        const GumboVector& kids = children_of(n);
        for (unsigned k = 0; k < kids.length; ++k) {
            auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c->type != GUMBO_NODE_ELEMENT) continue;
            Deeper guard(depth_);
            if (is_tag(c, GUMBO_TAG_CAPTION)) {
                inline_children(c, out);
                out.push_back(make_inline(InlineKind::LineBreak, kBlockMark));
                continue;
            }
            const GumboVector& rows = children_of(c);
            for (unsigned r = 0; r < rows.length; ++r) {
                auto* tr = static_cast<const GumboNode*>(rows.data[r]);
                if (!is_tag(tr, GUMBO_TAG_TR)) continue;
                Deeper row_guard(depth_);
                const GumboVector& cells = children_of(tr);
                for (unsigned t = 0; t < cells.length; ++t) {
                    auto* td = static_cast<const GumboNode*>(cells.data[t]);
                    if (td->type != GUMBO_NODE_ELEMENT) continue;
                    if (too_deep(td, out)) continue;
                    Deeper cell_guard(depth_);
                    inline_children(td, out);
                    out.push_back(make_inline(InlineKind::Text, " "));
                }
                out.push_back(make_inline(InlineKind::LineBreak, kBlockMark));
            }
        }
    }

    void inline_element(const GumboNode* n, const TagInfo& info, std::vector<Inline>& out) {
        switch (info.role) {
        case Role::Phrase: {
            Inline x = make_inline(info.kind);
            inline_children(n, x.children);
            out.push_back(std::move(x));
            return;
        }
        case Role::Quote:
            out.push_back(make_inline(InlineKind::Text, "\u201C"));
            inline_children(n, out);
            out.push_back(make_inline(InlineKind::Text, "\u201D"));
            return;
        case Role::Code:
            out.push_back(make_inline(InlineKind::Code, collect_text(n, false)));
            return;
        case Role::Break:
            out.push_back(make_inline(InlineKind::LineBreak));
            return;
        case Role::Link: {
            const char* href = attr(n, "href");
            if (!href) { // an anchor (<a name>, <a id>): only its content
                inline_children(n, out);
                return;
            }
            std::string url = clean_url(href);
            if (url.empty()) {
                inline_children(n, out);
                return;
            }
            if (unsafe_scheme(url_scheme(url))) {
                warn(pos_of(n), "dropped " + url_scheme(url) + ": link (its text kept)");
                inline_children(n, out);
                return;
            }
            Inline link = make_inline(InlineKind::Link);
            link.target.url = std::move(url);
            if (const char* title = attr(n, "title"))
                link.title = trim_space(collapse_space(util::xml_safe_text(title)));
            ++in_link_;
            inline_children(n, link.children);
            --in_link_;
            out.push_back(std::move(link));
            return;
        }
        case Role::Image:
            image(n, out);
            return;
        default:
            inline_children(n, out);
            return;
        }
    }

    void image(const GumboNode* n, std::vector<Inline>& out) {
        auto text_attr = [&](const char* name) {
            const char* v = attr(n, name);
            return v ? trim_space(collapse_space(util::xml_safe_text(v))) : std::string();
        };
        std::string alt = text_attr("alt");
        std::string title = text_attr("title");
        const char* raw_src = attr(n, "src");
        std::string src = raw_src ? clean_url(raw_src) : "";
        auto alt_as_text = [&] {
            if (!alt.empty()) out.push_back(make_inline(InlineKind::Text, alt));
        };
        if (src.empty()) {
            alt_as_text();
            return;
        }
        std::string scheme = url_scheme(src);
        if (unsafe_scheme(scheme)) {
            warn(pos_of(n), "dropped image with a " + scheme + ": URL (never embedded)");
            alt_as_text();
            return;
        }
        if (!scheme.empty() || src.starts_with("//")) {
            std::string url = src.starts_with("//") ? "https:" + src : src;
            warn(pos_of(n), "remote image not fetched: " + url.substr(0, 200));
            if (in_link_ > 0) { // links do not nest: the text alone
                out.push_back(make_inline(InlineKind::Text, alt.empty() ? url : alt));
                return;
            }
            Inline link = make_inline(InlineKind::Link);
            link.target.url = url;
            link.title = title;
            link.children.push_back(make_inline(InlineKind::Text, alt.empty() ? url : alt));
            out.push_back(std::move(link));
            return;
        }
        int asset = ctx_.resolve_image ? ctx_.resolve_image(src, pos_of(n)) : -1;
        if (asset < 0) {
            alt_as_text();
            return;
        }
        Inline img = make_inline(InlineKind::Image, alt);
        img.asset = asset;
        img.title = title;
        out.push_back(std::move(img));
    }

    // ---- white space ----
    struct SpaceState {
        bool prev_space = true; // at a line start, or after a space: a space here is dropped
        bool has_content = false;
        Inline* last_text = nullptr;    // the latest Text/Code, to trim before a break
        Inline* pending_mark = nullptr; // a block mark that becomes a break if content follows
    };

    static void trim_last(SpaceState& st) {
        if (st.last_text && !st.last_text->text.empty() && st.last_text->text.back() == ' ')
            st.last_text->text.pop_back();
        st.last_text = nullptr;
    }

    static void content_arrives(SpaceState& st) {
        if (st.pending_mark) st.pending_mark->text.clear(); // a real LineBreak now
        st.pending_mark = nullptr;
        st.has_content = true;
    }

    static void space_pass(std::vector<Inline>& v, SpaceState& st) {
        for (Inline& x : v) {
            switch (x.kind) {
            case InlineKind::SoftBreak:
                x.kind = InlineKind::Text;
                x.text = " ";
                [[fallthrough]];
            case InlineKind::Text:
            case InlineKind::Code: {
                x.text = collapse_space(x.text);
                if (st.prev_space && !x.text.empty() && x.text.front() == ' ') x.text.erase(0, 1);
                if (x.text.empty()) break;
                content_arrives(st);
                st.prev_space = x.text.back() == ' ';
                st.last_text = &x;
                break;
            }
            case InlineKind::LineBreak:
                if (x.text == kBlockMark) {
                    if (!st.has_content || st.pending_mark) break; // stays a mark: removed later
                    st.pending_mark = &x;
                } else {
                    content_arrives(st);
                }
                trim_last(st);
                st.prev_space = true;
                break;
            case InlineKind::Image:
            case InlineKind::NoteRef:
                content_arrives(st);
                st.prev_space = false;
                st.last_text = nullptr;
                break;
            default:
                space_pass(x.children, st);
                break;
            }
        }
    }

    // Removes marks, empty text and empty containers; merges neighbouring text.
    static void prune(std::vector<Inline>& v) {
        std::vector<Inline> out;
        out.reserve(v.size());
        for (Inline& x : v) {
            switch (x.kind) {
            case InlineKind::Text:
                if (x.text.empty()) continue;
                if (!out.empty() && out.back().kind == InlineKind::Text) {
                    out.back().text += x.text;
                    continue;
                }
                break;
            case InlineKind::Code:
                if (x.text.empty()) continue;
                break;
            case InlineKind::LineBreak:
                if (is_mark(x)) continue;
                break;
            case InlineKind::Emphasis:
            case InlineKind::Strong:
            case InlineKind::Strikethrough:
            case InlineKind::Superscript:
            case InlineKind::Subscript:
            case InlineKind::Link:
                prune(x.children);
                if (x.children.empty()) continue;
                break;
            default:
                break;
            }
            out.push_back(std::move(x));
        }
        v = std::move(out);
    }

    // White space as a browser renders it, block marks resolved, empty nodes gone.
    static void finish_inlines(std::vector<Inline>& v) {
        SpaceState st;
        space_pass(v, st);
        trim_last(st);
        prune(v);
    }

    const HtmlContext& ctx_;
    std::set<std::string> warned_;
    int depth_ = 0;
    int in_link_ = 0; // inside a Link being built
};

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

std::string prepare(std::string_view html, Lowerer& lowerer) {
    bool capped = false;
    std::string text = cap_nesting(strip_controls(html), capped);
    if (capped) lowerer.note_capped();
    return text;
}

} // namespace

bool unsafe_url(std::string_view url) {
    return unsafe_scheme(url_scheme(clean_url(url)));
}

std::vector<Block> html_to_blocks(std::string_view html, const HtmlContext& ctx) {
    Lowerer lowerer(ctx);
    Fragment fragment(prepare(html, lowerer));
    return lowerer.blocks(fragment.root());
}

std::vector<Inline> html_to_inlines(std::string_view html, const HtmlContext& ctx) {
    Lowerer lowerer(ctx);
    Fragment fragment(prepare(html, lowerer));
    return lowerer.inlines(fragment.root());
}

} // namespace imprenta::doc

#include "doc/markdown.h"

#include "doc/html.h"
#include "doc/shortcodes.h"
#include "util/unique_names.h"
#include "util/utf8.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/node.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace imprenta::doc {

namespace {

// Containers nested deeper than this are flattened: hostile input must not exhaust the stack.
// 32 levels of lists make about 70 nested XHTML elements: below the depth XML tools accept.
constexpr int kMaxNesting = 32;

struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct ParserDeleter {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};

void register_extensions() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

std::string type_string(cmark_node* n) {
    const char* s = cmark_node_get_type_string(n);
    return s ? s : "";
}

const char* literal(cmark_node* n) {
    const char* s = cmark_node_get_literal(n);
    return s ? s : "";
}

void append_text(std::vector<Inline>& out, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().kind == InlineKind::Text)
        util::append_xml_safe_text(out.back().text, text);
    else
        out.push_back(Inline{InlineKind::Text, util::xml_safe_text(text), {}, {}, {}, -1, -1});
}

bool is_remote(std::string_view url) {
    return url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") ||
           url.starts_with("ftp://");
}

// ---- Inline HTML inside a paragraph -------------------------------------------------------------
// cmark hands inline HTML over tag by tag ("<sup>", text, "</sup>"), so tags are matched here with
// a stack; anything beyond simple phrasing markup goes to the HTML reader (gumbo).

struct Tag {
    std::string name; // lowercase
    bool closing = false;
    bool self_closing = false;
    std::map<std::string, std::string> attrs;
    bool comment = false;
};

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

class Lowering {
public:
    Lowering(const MarkdownInput& in, const ShortcodeExpansion* sc) : in_(in), sc_(sc) {}

    MarkdownResult run(cmark_node* doc) {
        MarkdownResult r;
        // Footnote definitions come last, in first-reference order; number them first so
        // references can point at them.
        for (cmark_node* c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) != CMARK_NODE_FOOTNOTE_DEFINITION) continue;
            int index = int(notes_.size());
            note_index_[c] = index;
            Note note;
            // The public API gives no label for definitions; cmark-gfm keeps it in as.literal.
            note.label = std::string(reinterpret_cast<const char*>(c->as.literal.data),
                                     size_t(std::max(0, int(c->as.literal.len))));
            note.id = "fn-" + std::to_string(index + 1);
            note.ref_id = "fnref-" + std::to_string(index + 1);
            notes_.push_back(std::move(note));
        }
        std::vector<Block> blocks;
        for (cmark_node* c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) != CMARK_NODE_FOOTNOTE_DEFINITION) continue;
            lower_children(c, notes_[note_index_[c]].blocks, 1);
        }
        lower_children(doc, blocks, 0);
        if (!blocks.empty() && blocks.front().kind == BlockKind::Heading &&
            blocks.front().level == 1) {
            r.has_leading_h1 = true;
            r.leading_h1 = std::move(blocks.front().inlines);
            blocks.erase(blocks.begin());
        }
        r.blocks = std::move(blocks);
        r.notes = std::move(notes_);
        return r;
    }

private:
    int line_of(cmark_node* n) const {
        int l = cmark_node_get_start_line(n);
        if (l <= 0) return 0;
        if (sc_ && size_t(l - 1) < sc_->line_map.size()) return sc_->line_map[l - 1];
        return in_.first_line + l - 1;
    }
    util::SourcePos pos_of(cmark_node* n) const {
        return {in_.source, line_of(n), std::max(0, cmark_node_get_start_column(n))};
    }
    void warn(const util::SourcePos& pos, const std::string& msg) const {
        if (in_.diags) in_.diags->warning(pos, msg);
    }

    HtmlContext html_context(const util::SourcePos& pos) const {
        HtmlContext ctx;
        ctx.pos = pos;
        ctx.diags = in_.diags;
        ctx.resolve_image = in_.resolve_image;
        return ctx;
    }

    Block make(BlockKind kind, cmark_node* n) const {
        Block b;
        b.kind = kind;
        b.line = line_of(n);
        return b;
    }

    // Lowers the children of `n`; shortcode container markers among them gather the blocks up to
    // their closing marker into one container block.
    void lower_children(cmark_node* n, std::vector<Block>& out, int depth) {
        struct Open {
            int index;
            Block block;
        };
        std::vector<Open> open;
        auto sink = [&]() -> std::vector<Block>& {
            return open.empty() ? out : open.back().block.children;
        };
        auto close_top = [&] {
            Block b = std::move(open.back().block);
            open.pop_back();
            finish_container(b);
            sink().push_back(std::move(b));
        };
        for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
            auto type = cmark_node_get_type(c);
            if (type == CMARK_NODE_FOOTNOTE_DEFINITION) continue;
            if (sc_ && type == CMARK_NODE_HTML_BLOCK) {
                int o = parse_open_marker(literal(c));
                if (o >= 0 && size_t(o) < sc_->containers.size()) {
                    open.push_back({o, container_block(sc_->containers[o], c)});
                    continue;
                }
                int k = parse_close_marker(literal(c));
                if (k >= 0) {
                    for (size_t i = open.size(); i-- > 0;) {
                        if (open[i].index == k) {
                            while (open.size() > i)
                                close_top();
                            break;
                        }
                    }
                    continue; // a closing marker with no opening one here: nothing to close
                }
            }
            lower_block(c, sink(), depth + int(open.size()));
        }
        while (!open.empty())
            close_top();
    }

    // The IR container a block shortcode becomes.
    Block container_block(const Shortcode& sc, cmark_node* n) const {
        Block b = make(BlockKind::Division, n);
        b.style = sc.name;
        auto title_inlines = [](const std::string& t) {
            std::vector<Inline> v;
            if (!t.empty()) append_text(v, t);
            return v;
        };
        if (sc.name == "details" || sc.name == "tab") {
            b.kind = BlockKind::Details;
            b.inlines = title_inlines(sc.arg("title", 0));
        } else if (sc.name == "hint") {
            b.kind = BlockKind::Aside;
            b.style = sc.arg("type", 0);
            if (b.style.find_first_of("\"<>& ") != std::string::npos) b.style.clear();
            b.inlines = title_inlines(sc.arg("title"));
        } else if (sc.name == "figure") {
            b.kind = BlockKind::Figure;
            b.inlines = title_inlines(sc.arg("caption"));
        }
        return b;
    }

    // Columns hold a list of cards: in a book they are consecutive blocks, not a bullet list.
    static void finish_container(Block& b) {
        if (b.kind != BlockKind::Division || b.style != "columns") return;
        std::vector<Block> kids;
        for (auto& c : b.children) {
            if (c.kind != BlockKind::List) {
                kids.push_back(std::move(c));
                continue;
            }
            for (auto& item : c.children)
                for (auto& k : item.children)
                    kids.push_back(std::move(k));
        }
        b.children = std::move(kids);
    }

    // Too deep: keep the text of every paragraph, heading and code block below `n`, drop the
    // structure. Iterative, since hostile input nests tens of thousands of levels.
    void flatten(cmark_node* n, std::vector<Block>& out) {
        warn(pos_of(n), "content nested more than " + std::to_string(kMaxNesting) +
                            " levels deep was flattened");
        cmark_iter* it = cmark_iter_new(n);
        for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
            cmark_node* c = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER) continue;
            auto t = cmark_node_get_type(c);
            if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
                Block p = make(BlockKind::Paragraph, c);
                append_text(p.inlines, plain_of(c));
                if (!p.inlines.empty()) out.push_back(std::move(p));
            } else if (t == CMARK_NODE_CODE_BLOCK) {
                Block code = make(BlockKind::CodeBlock, c);
                code.text = util::xml_safe_text(literal(c));
                out.push_back(std::move(code));
            }
        }
        cmark_iter_free(it);
    }

    void lower_block(cmark_node* n, std::vector<Block>& out, int depth) {
        auto type = cmark_node_get_type(n);
        if (depth > kMaxNesting) {
            flatten(n, out);
            return;
        }
        switch (type) {
        case CMARK_NODE_PARAGRAPH: {
            Block p = make(BlockKind::Paragraph, n);
            p.inlines = lower_inlines(n);
            if (!p.inlines.empty()) out.push_back(std::move(p));
            return;
        }
        case CMARK_NODE_HEADING: {
            Block h = make(BlockKind::Heading, n);
            h.level = std::clamp(cmark_node_get_heading_level(n), 1, 6);
            h.inlines = lower_inlines(n);
            take_custom_id(h);
            out.push_back(std::move(h));
            return;
        }
        case CMARK_NODE_BLOCK_QUOTE: {
            Block q = make(BlockKind::BlockQuote, n);
            lower_children(n, q.children, depth + 1);
            out.push_back(std::move(q));
            return;
        }
        case CMARK_NODE_LIST: {
            Block l = make(BlockKind::List, n);
            l.ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            l.start = std::max(0, cmark_node_get_list_start(n));
            l.tight = cmark_node_get_list_tight(n);
            for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
                Block item = make(BlockKind::ListItem, c);
                if (type_string(c) == "tasklist")
                    item.task = cmark_gfm_extensions_get_tasklist_item_checked(c) ? 1 : 0;
                lower_children(c, item.children, depth + 1);
                l.children.push_back(std::move(item));
            }
            out.push_back(std::move(l));
            return;
        }
        case CMARK_NODE_CODE_BLOCK: {
            Block c = make(BlockKind::CodeBlock, n);
            c.text = util::xml_safe_text(literal(n));
            while (!c.text.empty() && c.text.back() == '\n')
                c.text.pop_back();
            const char* info = cmark_node_get_fence_info(n);
            c.info = info ? util::xml_safe_text(info) : "";
            if (auto sp = c.info.find_first_of(" \t{"); sp != std::string::npos) c.info.resize(sp);
            out.push_back(std::move(c));
            return;
        }
        case CMARK_NODE_HTML_BLOCK: {
            auto blocks = html_to_blocks(literal(n), html_context(pos_of(n)));
            for (auto& b : blocks) {
                if (b.line == 0) b.line = line_of(n);
                out.push_back(std::move(b));
            }
            return;
        }
        case CMARK_NODE_THEMATIC_BREAK:
            out.push_back(make(BlockKind::ThematicBreak, n));
            return;
        default:
            break;
        }
        if (type_string(n) == "table") {
            Block t = make(BlockKind::Table, n);
            int cols = cmark_gfm_extensions_get_table_columns(n);
            const uint8_t* aligns = cmark_gfm_extensions_get_table_alignments(n);
            for (int i = 0; i < cols; ++i) {
                uint8_t a = aligns ? aligns[i] : 0;
                t.aligns.push_back(a == 'l'   ? Align::Left
                                   : a == 'c' ? Align::Center
                                   : a == 'r' ? Align::Right
                                              : Align::None);
            }
            for (cmark_node* r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
                TableRow row;
                for (cmark_node* c = cmark_node_first_child(r); c; c = cmark_node_next(c))
                    row.cells.push_back(TableCell{lower_inlines(c)});
                row.cells.resize(std::max<size_t>(row.cells.size(), cols));
                if (cmark_gfm_extensions_get_table_row_is_header(r)) ++t.header_rows;
                t.rows.push_back(std::move(row));
            }
            out.push_back(std::move(t));
            return;
        }
        // Unknown container: keep what is inside.
        lower_children(n, out, depth + 1);
    }

    // "## Título {#custom-id}" as Hugo and pandoc allow.
    void take_custom_id(Block& h) {
        if (h.inlines.empty() || h.inlines.back().kind != InlineKind::Text) return;
        std::string& t = h.inlines.back().text;
        if (t.empty() || t.back() != '}') return;
        auto open = t.rfind("{#");
        if (open == std::string::npos) return;
        std::string id = t.substr(open + 2, t.size() - open - 3);
        if (id.empty() || id.find_first_of(" \t\"'<>&") != std::string::npos) return;
        h.id = make_id(id, "section");
        t.resize(open);
        while (!t.empty() && t.back() == ' ')
            t.pop_back();
        if (t.empty()) h.inlines.pop_back();
    }

    // ---- inlines --------------------------------------------------------------------------------

    std::vector<Inline> lower_inlines(cmark_node* parent) {
        std::vector<Inline> out;
        // About one inline per child node (adjacent text merges, inline HTML may add a few):
        // growing the vector node by node moved every Inline several times.
        size_t children = 0;
        for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
            ++children;
        out.reserve(children);
        html_stack_.clear();
        skip_until_.clear();
        std::vector<Inline>* sink = &out;
        lower_inline_children(parent, sink, 0);
        // Unclosed inline HTML tags: close them at the end of the paragraph.
        while (!html_stack_.empty())
            close_html(out);
        return out;
    }

    void lower_inline_children(cmark_node* parent, std::vector<Inline>*& sink, int depth) {
        for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
            lower_inline(c, sink, depth);
    }

    std::vector<Inline>& current(std::vector<Inline>& base) {
        return html_stack_.empty() ? base : html_stack_.back().element.children;
    }

    void lower_inline(cmark_node* n, std::vector<Inline>*& sink, int depth) {
        auto type = cmark_node_get_type(n);
        if (type == CMARK_NODE_HTML_INLINE) {
            inline_html(n, *sink);
            return;
        }
        if (!skip_until_.empty()) return; // inside a dropped element such as <script>
        std::vector<Inline>& out = current(*sink);
        auto container = [&](InlineKind kind) -> Inline& {
            out.push_back(Inline{kind, {}, {}, {}, {}, -1, -1});
            return out.back();
        };
        auto recurse = [&](Inline& into) {
            if (depth > kMaxNesting) {
                append_text(into.children, plain_of(n));
                return;
            }
            std::vector<Inline>* inner = &into.children;
            // Inline HTML opened inside emphasis stays inside it.
            auto saved = std::move(html_stack_);
            html_stack_.clear();
            lower_inline_children(n, inner, depth + 1);
            while (!html_stack_.empty())
                close_html(into.children);
            html_stack_ = std::move(saved);
        };
        switch (type) {
        case CMARK_NODE_TEXT:
            append_text(out, literal(n));
            return;
        case CMARK_NODE_SOFTBREAK:
            out.push_back(Inline{InlineKind::SoftBreak, {}, {}, {}, {}, -1, -1});
            return;
        case CMARK_NODE_LINEBREAK:
            out.push_back(Inline{InlineKind::LineBreak, {}, {}, {}, {}, -1, -1});
            return;
        case CMARK_NODE_CODE:
            out.push_back(
                Inline{InlineKind::Code, util::xml_safe_text(literal(n)), {}, {}, {}, -1, -1});
            return;
        case CMARK_NODE_EMPH:
            recurse(container(InlineKind::Emphasis));
            return;
        case CMARK_NODE_STRONG:
            recurse(container(InlineKind::Strong));
            return;
        case CMARK_NODE_LINK: {
            Inline& l = container(InlineKind::Link);
            const char* url = cmark_node_get_url(n);
            const char* title = cmark_node_get_title(n);
            l.target.url = util::xml_safe_text(url ? url : "");
            l.title = util::xml_safe_text(title ? title : "");
            recurse(l);
            return;
        }
        case CMARK_NODE_IMAGE: {
            std::string src =
                util::xml_safe_text(cmark_node_get_url(n) ? cmark_node_get_url(n) : "");
            const char* title = cmark_node_get_title(n);
            std::string alt = plain_of(n);
            image(out, src, alt, title ? util::xml_safe_text(title) : "", pos_of(n));
            return;
        }
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            auto it = n->parent_footnote_def ? note_index_.find(n->parent_footnote_def)
                                             : note_index_.end();
            if (it == note_index_.end()) {
                append_text(out, std::string("[^") + literal(n) + "]");
                return;
            }
            out.push_back(Inline{
                InlineKind::NoteRef, std::to_string(it->second + 1), {}, {}, {}, -1, it->second});
            return;
        }
        default:
            break;
        }
        if (type_string(n) == "strikethrough") {
            recurse(container(InlineKind::Strikethrough));
            return;
        }
        // Unknown inline: keep its text.
        append_text(out, plain_of(n));
    }

    void image(std::vector<Inline>& out, std::string src, const std::string& alt,
               const std::string& title, const util::SourcePos& pos) {
        if (src.starts_with("//")) src = "https:" + src; // protocol-relative
        if (is_remote(src)) {
            warn(pos, "remote image not fetched, linked instead: " + src);
            Inline l{InlineKind::Link, {}, {}, {}, title, -1, -1};
            l.target.url = src;
            append_text(l.children, alt.empty() ? src : alt);
            out.push_back(std::move(l));
            return;
        }
        int asset = in_.resolve_image ? in_.resolve_image(src, pos) : -1;
        if (asset < 0) {
            if (!alt.empty()) append_text(out, "[" + alt + "]");
            return;
        }
        Inline img{InlineKind::Image, alt, {}, {}, title, asset, -1};
        out.push_back(std::move(img));
    }

    std::string plain_of(cmark_node* n) {
        std::string s;
        cmark_iter* it = cmark_iter_new(n);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node* c = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER) continue;
            auto t = cmark_node_get_type(c);
            if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) s += literal(c);
            if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) s += ' ';
        }
        cmark_iter_free(it);
        return util::xml_safe_text(s);
    }

    void close_html(std::vector<Inline>& base) {
        OpenElement done = std::move(html_stack_.back());
        html_stack_.pop_back();
        auto& into = current(base);
        if (done.unwrap)
            into.insert(into.end(), std::make_move_iterator(done.element.children.begin()),
                        std::make_move_iterator(done.element.children.end()));
        else
            into.push_back(std::move(done.element));
    }

    void inline_html(cmark_node* n, std::vector<Inline>& base) {
        std::string raw = literal(n);
        auto pos = pos_of(n);
        auto tag = parse_tag(raw);
        if (!skip_until_.empty()) {
            if (tag && tag->closing && tag->name == skip_until_) skip_until_.clear();
            return;
        }
        if (!tag) {
            // Declarations, processing instructions, CDATA: nothing for a book.
            return;
        }
        if (tag->comment) return;
        std::vector<Inline>& out = current(base);
        const std::string& name = tag->name;
        if (dropped_with_content().count(name)) {
            if (!tag->closing) {
                warn(pos, "dropped <" + name + "> element");
                if (!tag->self_closing) skip_until_ = name;
            }
            return;
        }
        if (name == "br") {
            out.push_back(Inline{InlineKind::LineBreak, {}, {}, {}, {}, -1, -1});
            return;
        }
        if (name == "img") {
            if (tag->closing) return;
            image(out, tag->attrs["src"], tag->attrs["alt"], tag->attrs["title"], pos);
            return;
        }
        for (const auto& [attr, value] : tag->attrs)
            if (attr.starts_with("on")) warn(pos, "dropped event handler attribute '" + attr + "'");
        bool known = false;
        InlineKind kind = phrasing_kind(name, known);
        if (tag->closing) {
            // Close the innermost matching element (and anything left open inside it).
            for (size_t i = html_stack_.size(); i-- > 0;) {
                if (html_stack_[i].name == name) {
                    while (html_stack_.size() > i)
                        close_html(base);
                    break;
                }
            }
            return;
        }
        if (tag->self_closing) return;
        // Wrappers without meaning in a book (span, u, small, mark, abbr...) keep their content.
        // Past kMaxNesting open elements, markup is dropped and only the text kept.
        bool too_deep = html_stack_.size() >= size_t(kMaxNesting);
        if (too_deep && html_stack_.size() == size_t(kMaxNesting))
            warn(pos, "inline HTML nested more than " + std::to_string(kMaxNesting) +
                          " levels deep: the inner markup is dropped");
        OpenElement open{Inline{kind, {}, {}, {}, {}, -1, -1}, name, !known || too_deep};
        Inline& el = open.element;
        if (kind == InlineKind::Link) {
            std::string href = tag->attrs["href"];
            if (unsafe_url(href)) {
                warn(pos, "dropped unsafe link '" + href.substr(0, 40) + "'");
                href.clear();
            }
            el.target.url = util::xml_safe_text(href);
        }
        html_stack_.push_back(std::move(open));
    }

    const MarkdownInput& in_;
    const ShortcodeExpansion* sc_;
    std::vector<Note> notes_;
    std::map<cmark_node*, int> note_index_;
    struct OpenElement {
        Inline element;
        std::string name;
        bool unwrap = false;
    };
    std::vector<OpenElement> html_stack_;
    std::string skip_until_;
};

} // namespace

std::string make_id(std::string_view text, std::string_view fallback) {
    std::string id = util::slugify(text);
    if (id.empty()) id = fallback;
    if (!id.empty() && !(id[0] >= 'a' && id[0] <= 'z')) id = "h-" + id;
    return id;
}

void assign_heading_ids(std::vector<Block>& blocks, std::vector<std::string>& used) {
    util::UniqueNames taken;
    for (const auto& u : used)
        taken.reserve(u);
    std::function<void(std::vector<Block>&)> walk = [&](std::vector<Block>& bs) {
        for (auto& b : bs) {
            if (b.kind == BlockKind::Heading || !b.id.empty()) {
                std::string base = b.id.empty() ? make_id(plain_text(b.inlines), "section") : b.id;
                b.id = taken.take(base);
                used.push_back(b.id);
            }
            walk(b.children);
        }
    };
    walk(blocks);
}

MarkdownResult read_markdown(const MarkdownInput& input) {
    register_extensions();
    std::optional<ShortcodeExpansion> sc;
    std::string_view body = input.body;
    if (body.find("{{<") != std::string_view::npos || body.find("{{%") != std::string_view::npos) {
        sc = expand_shortcodes(body, input.first_line, input.source, input.diags);
        body = sc->markdown;
    }
    int options = CMARK_OPT_FOOTNOTES | (input.smart ? CMARK_OPT_SMART : 0);
    std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist"})
        if (auto* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    cmark_parser_feed(parser.get(), body.data(), body.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    Lowering lowering(input, sc ? &*sc : nullptr);
    MarkdownResult r = lowering.run(doc.get());
    return r;
}

} // namespace imprenta::doc

#include "doc/html_detail.h"

#include "util/utf8.h"

#include <algorithm>

namespace imprenta::doc::html_detail {

void Lowerer::note_capped() {
    warn_once("#depth", ctx_.pos,
              "HTML nested too deeply: the inner tags were left out, their text kept");
}

std::vector<Inline> Lowerer::inlines(const GumboNode* root) {
    std::vector<Inline> out;
    inline_children(root, out);
    finish_inlines(out);
    return out;
}

// ---- diagnostics ----
util::SourcePos Lowerer::pos_of(const GumboNode* n) const {
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

void Lowerer::warn(const util::SourcePos& pos, const std::string& msg) {
    if (ctx_.diags) ctx_.diags->warning(pos, msg);
}

void Lowerer::warn_once(const std::string& key, const util::SourcePos& pos,
                        const std::string& msg) {
    if (warned_.insert(key).second) warn(pos, msg);
}

std::string Lowerer::tag_name(const GumboNode* n) {
    if (n->type == GUMBO_NODE_TEMPLATE) return "template";
    const GumboElement& e = n->v.element;
    if (e.tag_namespace == GUMBO_NAMESPACE_SVG) return "svg";
    if (e.tag_namespace == GUMBO_NAMESPACE_MATHML) return "math";
    return gumbo_normalized_tagname(e.tag);
}

// Warns for (and reports) an element that goes with all its content.
bool Lowerer::dropped(const GumboNode* n, const TagInfo& info) {
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
void Lowerer::check_attributes(const GumboNode* n) {
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
bool Lowerer::too_deep(const GumboNode* n, std::vector<Inline>& out) {
    if (depth_ < kHtmlMaxDepth) return false;
    warn_once("#depth", pos_of(n),
              "HTML nested more than " + std::to_string(kHtmlMaxDepth) +
                  " levels deep: the inner part kept as plain text");
    // Appended, not "literal" + string: GCC 12 -O3 warns falsely about that (-Wrestrict).
    std::string text(1, ' ');
    text += collect_text(n, false);
    text += ' ';
    out.push_back(make_inline(InlineKind::Text, std::move(text)));
    return true;
}

// The text of a subtree, without recursion (it also serves content nested too deeply).
// `verbatim` keeps white space and turns <br> into a newline (pre); otherwise blocks and
// breaks become spaces.
std::string Lowerer::collect_text(const GumboNode* root, bool verbatim) {
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

void Lowerer::append_text(std::vector<Inline>& out, const char* text) {
    std::string t = util::xml_safe_text(text);
    if (t.empty()) return;
    if (!out.empty() && out.back().kind == InlineKind::Text)
        out.back().text += t;
    else
        out.push_back(make_inline(InlineKind::Text, std::move(t)));
}

// ---- inline context ----
void Lowerer::inline_children(const GumboNode* n, std::vector<Inline>& out) {
    const GumboVector& kids = children_of(n);
    for (unsigned k = 0; k < kids.length; ++k)
        inline_node(static_cast<const GumboNode*>(kids.data[k]), out);
}

void Lowerer::inline_node(const GumboNode* n, std::vector<Inline>& out) {
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
void Lowerer::table_inline(const GumboNode* n, std::vector<Inline>& out) {
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

void Lowerer::inline_element(const GumboNode* n, const TagInfo& info, std::vector<Inline>& out) {
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
        set_pos(link, pos_of(n));
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

void Lowerer::image(const GumboNode* n, std::vector<Inline>& out) {
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
    set_pos(img, pos_of(n));
    img.asset = asset;
    img.title = title;
    out.push_back(std::move(img));
}

void Lowerer::trim_last(SpaceState& st) {
    if (st.last_text && !st.last_text->text.empty() && st.last_text->text.back() == ' ')
        st.last_text->text.pop_back();
    st.last_text = nullptr;
}

void Lowerer::content_arrives(SpaceState& st) {
    if (st.pending_mark) st.pending_mark->text.clear(); // a real LineBreak now
    st.pending_mark = nullptr;
    st.has_content = true;
}

void Lowerer::space_pass(std::vector<Inline>& v, SpaceState& st) {
    for (Inline& x : v) {
        switch (x.kind) {
        case InlineKind::SoftBreak:
            x.kind = InlineKind::Text;
            x.text.assign(1, ' '); // not = " ": GCC 12 -O3 warns falsely (-Wrestrict)
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
void Lowerer::prune(std::vector<Inline>& v) {
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
void Lowerer::finish_inlines(std::vector<Inline>& v) {
    SpaceState st;
    space_pass(v, st);
    trim_last(st);
    prune(v);
}

} // namespace imprenta::doc::html_detail

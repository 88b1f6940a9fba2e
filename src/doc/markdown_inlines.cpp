#include "doc/markdown_detail.h"

#include "util/utf8.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm/node.h>

#include <algorithm>
#include <cstring>

namespace imprenta::doc::md_detail {

std::vector<Inline> Lowering::lower_inlines(cmark_node* parent) {
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

void Lowering::lower_inline_children(cmark_node* parent, std::vector<Inline>*& sink, int depth) {
    for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        lower_inline(c, sink, depth);
}

std::vector<Inline>& Lowering::current(std::vector<Inline>& base) {
    return html_stack_.empty() ? base : html_stack_.back().element.children;
}

void Lowering::lower_inline(cmark_node* n, std::vector<Inline>*& sink, int depth) {
    auto type = cmark_node_get_type(n);
    if (type == CMARK_NODE_HTML_INLINE) {
        inline_html(n, *sink);
        return;
    }
    if (!skip_until_.empty()) return; // inside a dropped element such as <script>
    std::vector<Inline>& out = current(*sink);
    auto container = [&](InlineKind kind) -> Inline& {
        out.push_back(Inline{kind, {}, {}, {}, {}, -1, -1, 0, 0});
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
        out.push_back(Inline{InlineKind::SoftBreak, {}, {}, {}, {}, -1, -1, 0, 0});
        return;
    case CMARK_NODE_LINEBREAK:
        out.push_back(Inline{InlineKind::LineBreak, {}, {}, {}, {}, -1, -1, 0, 0});
        return;
    case CMARK_NODE_CODE:
        out.push_back(
            Inline{InlineKind::Code, util::xml_safe_text(literal(n)), {}, {}, {}, -1, -1, 0, 0});
        return;
    case CMARK_NODE_EMPH:
        recurse(container(InlineKind::Emphasis));
        return;
    case CMARK_NODE_STRONG:
        recurse(container(InlineKind::Strong));
        return;
    case CMARK_NODE_LINK: {
        Inline& l = container(InlineKind::Link);
        set_pos(l, pos_of(n));
        const char* url = cmark_node_get_url(n);
        const char* title = cmark_node_get_title(n);
        l.target.url = util::xml_safe_text(url ? url : "");
        l.title = util::xml_safe_text(title ? title : "");
        recurse(l);
        return;
    }
    case CMARK_NODE_IMAGE: {
        std::string src = util::xml_safe_text(cmark_node_get_url(n) ? cmark_node_get_url(n) : "");
        const char* title = cmark_node_get_title(n);
        std::string alt = plain_of(n);
        image(out, src, alt, title ? util::xml_safe_text(title) : "", pos_of(n));
        return;
    }
    case CMARK_NODE_FOOTNOTE_REFERENCE: {
        auto it =
            n->parent_footnote_def ? note_index_.find(n->parent_footnote_def) : note_index_.end();
        if (it == note_index_.end()) {
            append_text(out, std::string("[^") + literal(n) + "]");
            return;
        }
        out.push_back(Inline{
            InlineKind::NoteRef, std::to_string(it->second + 1), {}, {}, {}, -1, it->second, 0, 0});
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

void Lowering::image(std::vector<Inline>& out, std::string src, const std::string& alt,
                     const std::string& title, const util::SourcePos& pos) {
    if (src.starts_with("//")) src = "https:" + src; // protocol-relative
    if (is_remote(src)) {
        warn(pos, "remote image not fetched, linked instead: " + src);
        Inline l{InlineKind::Link, {}, {}, {}, title, -1, -1, 0, 0};
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
    Inline img{InlineKind::Image, alt, {}, {}, title, asset, -1, pos.line, pos.col};
    out.push_back(std::move(img));
}

std::string Lowering::plain_of(cmark_node* n) {
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

void Lowering::close_html(std::vector<Inline>& base) {
    OpenElement done = std::move(html_stack_.back());
    html_stack_.pop_back();
    auto& into = current(base);
    if (done.unwrap)
        into.insert(into.end(), std::make_move_iterator(done.element.children.begin()),
                    std::make_move_iterator(done.element.children.end()));
    else
        into.push_back(std::move(done.element));
}

void Lowering::inline_html(cmark_node* n, std::vector<Inline>& base) {
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
        out.push_back(Inline{InlineKind::LineBreak, {}, {}, {}, {}, -1, -1, 0, 0});
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
    OpenElement open{Inline{kind, {}, {}, {}, {}, -1, -1, 0, 0}, name, !known || too_deep};
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

} // namespace imprenta::doc::md_detail

#include "doc/html_detail.h"

#include <algorithm>
#include <cstring>
#include <strings.h>

namespace imprenta::doc::html_detail {

// ---- block context ----
std::vector<Block> Lowerer::child_blocks(const GumboNode* n, const GumboNode* skip) {
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
bool Lowerer::only_breaks(const std::vector<Inline>& v) {
    return std::all_of(v.begin(), v.end(),
                       [](const Inline& x) { return x.kind == InlineKind::LineBreak; });
}

void Lowerer::flush(BlockSink& s) {
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

void Lowerer::block_child(const GumboNode* n, BlockSink& s) {
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

std::vector<Inline> Lowerer::inline_content(const GumboNode* n) {
    std::vector<Inline> v;
    inline_children(n, v);
    finish_inlines(v);
    return v;
}

Block Lowerer::make_block(BlockKind kind, const GumboNode* n) {
    Block b;
    b.kind = kind;
    b.line = line_of(n);
    b.id = valid_id(n);
    return b;
}

void Lowerer::block_element(const GumboNode* n, const TagInfo& info, std::vector<Block>& out) {
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
const GumboNode* Lowerer::task_checkbox(const GumboNode* li) {
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
std::vector<Block> Lowerer::item_blocks(const GumboNode* li, const GumboNode* checkbox) {
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

void Lowerer::list(const GumboNode* n, std::vector<Block>& out) {
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
            if (is_tag(static_cast<const GumboNode*>(inner.data[t]), GUMBO_TAG_P)) l.tight = false;
        l.children.push_back(std::move(item));
    }
    flush_stray();
    if (l.children.empty()) return;
    out.push_back(std::move(l));
}

void Lowerer::table_rows(const GumboNode* section, std::vector<RawRow>& rows) {
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

void Lowerer::table(const GumboNode* n, std::vector<Block>& out) {
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

} // namespace imprenta::doc::html_detail

#include "doc/markdown_detail.h"

#include "util/utf8.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm/node.h>

#include <algorithm>

namespace imprenta::doc::md_detail {

MarkdownResult Lowering::run(cmark_node* doc) {
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
    if (!blocks.empty() && blocks.front().kind == BlockKind::Heading && blocks.front().level == 1) {
        r.has_leading_h1 = true;
        r.leading_h1 = std::move(blocks.front().inlines);
        blocks.erase(blocks.begin());
    }
    r.blocks = std::move(blocks);
    r.notes = std::move(notes_);
    return r;
}

int Lowering::line_of(cmark_node* n) const {
    int l = cmark_node_get_start_line(n);
    if (l <= 0) return 0;
    if (sc_ && size_t(l - 1) < sc_->line_map.size()) return sc_->line_map[l - 1];
    return in_.first_line + l - 1;
}

util::SourcePos Lowering::pos_of(cmark_node* n) const {
    return {in_.source, line_of(n), std::max(0, cmark_node_get_start_column(n))};
}

void Lowering::warn(const util::SourcePos& pos, const std::string& msg) const {
    if (in_.diags) in_.diags->warning(pos, msg);
}

HtmlContext Lowering::html_context(const util::SourcePos& pos) const {
    HtmlContext ctx;
    ctx.pos = pos;
    ctx.diags = in_.diags;
    ctx.resolve_image = in_.resolve_image;
    return ctx;
}

Block Lowering::make(BlockKind kind, cmark_node* n) const {
    Block b;
    b.kind = kind;
    b.line = line_of(n);
    return b;
}

// Lowers the children of `n`; shortcode container markers among them gather the blocks up to
// their closing marker into one container block.
void Lowering::lower_children(cmark_node* n, std::vector<Block>& out, int depth) {
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
Block Lowering::container_block(const Shortcode& sc, cmark_node* n) const {
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
        if (sc.named.count("media")) b.style += " media"; // a video or post: a QR code in print
        b.inlines = title_inlines(sc.arg("title"));
    } else if (sc.name == "figure") {
        b.kind = BlockKind::Figure;
        b.inlines = title_inlines(sc.arg("caption"));
    }
    return b;
}

// Columns hold a list of cards: in a book they are consecutive blocks, not a bullet list.
void Lowering::finish_container(Block& b) {
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
void Lowering::flatten(cmark_node* n, std::vector<Block>& out) {
    warn(pos_of(n),
         "content nested more than " + std::to_string(kMaxNesting) + " levels deep was flattened");
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

void Lowering::lower_block(cmark_node* n, std::vector<Block>& out, int depth) {
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
void Lowering::take_custom_id(Block& h) {
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

} // namespace imprenta::doc::md_detail

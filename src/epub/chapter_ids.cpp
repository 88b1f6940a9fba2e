// What a chapter will carry before it is rendered: its ids (made valid and unique) and the images
// it shows. The rules on what gets rendered are the renderer's (xhtml.cpp), said once here.
#include "epub/plan.h"
#include "epub/xml.h"

namespace imprenta::epub {

using doc::Block;
using doc::BlockKind;
using doc::Inline;
using doc::InlineKind;

bool IdAllocator::add(const std::string& id) {
    return !(base_ && base_->contains(id)) && used_.insert(id).second;
}

int& IdAllocator::next_suffix(const std::string& base) {
    auto it = next_.find(base);
    if (it == next_.end()) {
        int from = 0;
        for (const IdAllocator* b = base_; b && !from; b = b->base_)
            if (auto f = b->next_.find(base); f != b->next_.end()) from = f->second;
        it = next_.emplace(base, from).first;
    }
    return it->second;
}

std::string IdAllocator::take(const std::string& base) {
    if (add(base)) return base;
    int& next = next_suffix(base);
    if (next < 2) next = 2;
    for (;; ++next) {
        std::string candidate = base + "-" + std::to_string(next);
        if (add(candidate)) return candidate;
    }
}

namespace {

// The renderer and collect_ids must agree on what gets rendered; these say it once.
bool renders_inlines(BlockKind k) {
    return k == BlockKind::Paragraph || k == BlockKind::Heading || k == BlockKind::Figure ||
           k == BlockKind::Aside || k == BlockKind::Details;
}

bool renders_children(BlockKind k) {
    return k == BlockKind::BlockQuote || k == BlockKind::List || k == BlockKind::ListItem ||
           k == BlockKind::Figure || k == BlockKind::Aside || k == BlockKind::Details ||
           k == BlockKind::Division;
}

bool renders_inline_children(InlineKind k) {
    return k == InlineKind::Emphasis || k == InlineKind::Strong || k == InlineKind::Strikethrough ||
           k == InlineKind::Superscript || k == InlineKind::Subscript || k == InlineKind::Link;
}

void collect_block_ids(const Block& b, ChapterIds& ids) {
    if (!b.id.empty()) {
        std::string id = ids.alloc.take(xml_id(b.id));
        ids.blocks.emplace(&b, id);
        ids.anchors.emplace(b.id, id);
    }
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            collect_block_ids(c, ids);
}

void count_refs(const std::vector<Inline>& inlines, bool in_link, std::vector<int>& counts) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::NoteRef && !in_link && in.note >= 0 &&
            in.note < static_cast<int>(counts.size()))
            ++counts[in.note];
        if (renders_inline_children(in.kind))
            count_refs(in.children, in_link || in.kind == InlineKind::Link, counts);
    }
}

void count_refs(const Block& b, std::vector<int>& counts) {
    if (renders_inlines(b.kind)) count_refs(b.inlines, false, counts);
    if (b.kind == BlockKind::Table)
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                count_refs(cell.inlines, false, counts);
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            count_refs(c, counts);
}

void collect_images(const std::vector<Inline>& inlines, std::vector<bool>& used, bool& all_alt) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::Image && in.asset >= 0 &&
            in.asset < static_cast<int>(used.size())) {
            used[in.asset] = true;
            all_alt = all_alt && in.text.find_first_not_of(" \t\n") != std::string::npos;
        }
        if (renders_inline_children(in.kind)) collect_images(in.children, used, all_alt);
    }
}

void collect_images(const Block& b, std::vector<bool>& used, bool& all_alt) {
    if (renders_inlines(b.kind)) collect_images(b.inlines, used, all_alt);
    if (b.kind == BlockKind::Table)
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                collect_images(cell.inlines, used, all_alt);
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            collect_images(c, used, all_alt);
}

} // namespace

// A leading H1 that repeats the chapter title becomes the chapter heading, so the title shows once.
const Block* title_block(const doc::Chapter& ch) {
    if (ch.blocks.empty()) return nullptr;
    const Block& b = ch.blocks.front();
    if (b.kind != BlockKind::Heading || b.level != 1) return nullptr;
    if (!ch.title.empty() && doc::plain_text(b.inlines) != ch.title) return nullptr;
    return &b;
}

std::string note_id_base(const doc::Note& note, size_t i) {
    return note.id.empty() ? "fn-" + std::to_string(i + 1) : note.id;
}

std::string note_ref_base(const doc::Note& note, size_t i) {
    return note.ref_id.empty() ? "fnref-" + std::to_string(i + 1) : note.ref_id;
}

ChapterIds collect_ids(const doc::Chapter& ch) {
    ChapterIds ids;
    for (const auto& b : ch.blocks)
        collect_block_ids(b, ids);
    ids.notes.resize(ch.notes.size());
    for (size_t i = 0; i < ch.notes.size(); ++i) {
        const auto& note = ch.notes[i];
        ids.notes[i] = ids.alloc.take(xml_id(note_id_base(note, i)));
        if (!note.id.empty()) ids.anchors.emplace(note.id, ids.notes[i]);
        for (const auto& b : note.blocks)
            collect_block_ids(b, ids);
    }
    std::vector<int> counts(ch.notes.size(), 0);
    const Block* tb = title_block(ch);
    if (!tb) count_refs(ch.title_inlines, false, counts);
    for (const auto& b : ch.blocks)
        count_refs(b, counts);
    for (const auto& note : ch.notes)
        for (const auto& b : note.blocks)
            count_refs(b, counts);
    ids.note_refs.resize(ch.notes.size());
    for (size_t i = 0; i < ch.notes.size(); ++i) {
        if (counts[i] == 0) continue;
        const auto& note = ch.notes[i];
        ids.note_refs[i] = ids.alloc.take(xml_id(note_ref_base(note, i)));
        if (!note.ref_id.empty()) ids.anchors.emplace(note.ref_id, ids.note_refs[i]);
    }
    return ids;
}

void collect_images(const doc::Chapter& ch, std::vector<bool>& used, bool& all_alt) {
    if (ch.banner >= 0 && ch.banner < static_cast<int>(used.size())) {
        used[ch.banner] = true; // described by its alt text, or decoration (alt="")
    }
    if (!title_block(ch)) collect_images(ch.title_inlines, used, all_alt);
    for (const auto& b : ch.blocks)
        collect_images(b, used, all_alt);
    for (const auto& note : ch.notes)
        for (const auto& b : note.blocks)
            collect_images(b, used, all_alt);
}

} // namespace imprenta::epub

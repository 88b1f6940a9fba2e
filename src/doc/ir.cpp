#include "doc/ir.h"

namespace imprenta::doc {

std::string plain_text(const std::vector<Inline>& inlines) {
    std::string s;
    for (const auto& in : inlines) {
        switch (in.kind) {
        case InlineKind::Text:
        case InlineKind::Code:
            s += in.text;
            break;
        case InlineKind::SoftBreak:
        case InlineKind::LineBreak:
            s += ' ';
            break;
        case InlineKind::Image:
        case InlineKind::NoteRef:
            break;
        default:
            s += plain_text(in.children);
        }
    }
    return s;
}

namespace {

size_t count(const std::vector<Inline>& inlines) {
    size_t n = inlines.size();
    for (const auto& in : inlines)
        n += count(in.children);
    return n;
}

size_t count(const std::vector<Block>& blocks) {
    size_t n = blocks.size();
    for (const auto& b : blocks) {
        n += count(b.inlines) + count(b.children);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                n += count(c.inlines);
    }
    return n;
}

} // namespace

size_t node_count(const Book& book) {
    size_t n = 0;
    for (const auto& ch : book.chapters) {
        n += count(ch.blocks) + ch.notes.size();
        for (const auto& note : ch.notes)
            n += count(note.blocks);
    }
    return n;
}

void compact_blocks(Book& book) {
    for (auto& ch : book.chapters) {
        for (auto& b : ch.blocks)
            b = Block(b);
        for (auto& note : ch.notes)
            note.blocks = std::vector<Block>(note.blocks);
    }
}

void release_blocks(Book& book, size_t chapter, int note) {
    if (chapter >= book.chapters.size()) return;
    Chapter& ch = book.chapters[chapter];
    if (note < 0)
        std::vector<Block>().swap(ch.blocks);
    else if (size_t(note) < ch.notes.size())
        std::vector<Block>().swap(ch.notes[size_t(note)].blocks);
}

} // namespace imprenta::doc

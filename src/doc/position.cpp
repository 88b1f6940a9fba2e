#include "doc/position.h"

namespace imprenta::doc {

TextAt resolve(const Chapter& chapter, const TextPos& pos) {
    TextAt at;
    const std::vector<Block>* level = &chapter.blocks;
    for (size_t k = 0; k < pos.path.size(); ++k) {
        int i = pos.path[k];
        if (i < 0 || size_t(i) >= level->size()) return {};
        const Block& b = (*level)[size_t(i)];
        if (b.kind == BlockKind::Table) { // then row and cell, and nothing below
            if (k + 1 == pos.path.size()) return {&b, nullptr, false};
            if (k + 3 != pos.path.size()) return {};
            int r = pos.path[k + 1], c = pos.path[k + 2];
            if (r < 0 || size_t(r) >= b.rows.size() || c < 0 ||
                size_t(c) >= b.rows[size_t(r)].cells.size())
                return {};
            return {&b, &b.rows[size_t(r)].cells[size_t(c)].inlines, false};
        }
        at = {&b, &b.inlines, b.kind == BlockKind::CodeBlock};
        if (at.code) at.inlines = nullptr;
        level = &b.children;
    }
    return at;
}

std::vector<int> reading_key(const Chapter& chapter, const TextPos& pos) {
    std::vector<int> key = pos.path;
    if (pos.offset < 0) {
        key.push_back(kBeforeBlock);
        return key;
    }
    TextAt at = resolve(chapter, pos);
    bool caption = at.block && at.block->kind == BlockKind::Figure && at.inlines &&
                   at.inlines == &at.block->inlines;
    key.push_back(caption ? kCaption : kInlines);
    key.push_back(pos.offset);
    return key;
}

namespace {

void append_text(const std::vector<Inline>& inlines, std::string& out) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::Text || in.kind == InlineKind::Code)
            out += in.text;
        else
            append_text(in.children, out);
    }
}

} // namespace

bool reads_before(const Chapter& chapter, const TextPos& a, const TextPos& b) {
    return reading_key(chapter, a) < reading_key(chapter, b);
}

std::string text_from(const Chapter& chapter, const TextPos& pos) {
    TextAt at = resolve(chapter, pos);
    std::string all;
    if (at.code)
        all = at.block->text;
    else if (at.inlines)
        append_text(*at.inlines, all);
    size_t from = pos.offset < 0 ? 0 : size_t(pos.offset);
    return from < all.size() ? all.substr(from) : std::string();
}

} // namespace imprenta::doc

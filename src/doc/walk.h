// Visits every inline of a chapter with the source line of the block it stands in: titles, blocks,
// table cells, nested blocks and notes. One walk for every pass that rewrites inlines.
#pragma once
#include "doc/ir.h"

#include <vector>

namespace imprenta::doc {

template <typename F> void for_each_inline(std::vector<Inline>& inlines, int line, F& f) {
    for (auto& in : inlines) {
        f(in, line);
        for_each_inline(in.children, line, f);
    }
}

template <typename F> void for_each_inline(std::vector<Block>& blocks, F& f) {
    for (auto& b : blocks) {
        for_each_inline(b.inlines, b.line, f);
        for (auto& r : b.rows)
            for (auto& c : r.cells)
                for_each_inline(c.inlines, b.line, f);
        for_each_inline(b.children, f);
    }
}

template <typename F> void for_each_inline(Chapter& ch, F& f) {
    for_each_inline(ch.title_inlines, 0, f);
    for_each_inline(ch.blocks, f);
    for (auto& n : ch.notes)
        for_each_inline(n.blocks, f);
}

} // namespace imprenta::doc

#include "pdf/text.h"

#include "pdf/text_builder.h"

#include "pdf/linebreak.h"
#include "pdf/paragraph.h"
#include "pdf/protrusion.h"
#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace imprenta::pdf {

namespace {
using namespace para;
} // namespace

std::vector<TypesetLine> typeset(const std::vector<doc::Inline>& inlines, const InlineStyle& style,
                                 const ParagraphSpec& spec) {
    bool justify = spec.align == TextAlign::Justify;
    Builder b(style, spec, justify);
    b.build(inlines);
    const auto& items = b.items;
    auto& infos = b.infos;
    std::vector<TypesetLine> out;
    bool any_box = std::any_of(items.begin(), items.end(),
                               [](const Item& i) { return i.type == Item::Type::Box; });
    if (!any_box) return out;

    std::vector<Line> lines;
    if (justify) {
        double w = spec.width;
        BreakParams params = style.breaking ? *style.breaking : BreakParams{};
        params.emergency_stretch *= style.breaking ? style.size : 0;
        params.looseness = spec.looseness;
        lines = break_lines(
            items, [w](size_t) { return w; }, params);
    } else {
        lines = greedy_lines(items, spec.width);
    }

    const Font& reg = style.fonts->file(face_for(style.bold, style.italic, style.mono));
    double asc = reg.ascent() * style.size, desc = reg.descent() * style.size;
    double base_baseline = (style.leading - (asc + desc)) / 2 + asc;

    for (size_t li = 0; li < lines.size(); ++li) {
        const Line& ln = lines[li];
        size_t end = std::min(ln.end, items.size());
        bool last = li + 1 == lines.size();
        double ratio = justify ? ln.ratio : 0;
        if (ratio < -1) ratio = -1;
        bool hyphen = end < items.size() && items[end].type == Item::Type::Penalty &&
                      !infos[end].text.empty() && items[end].penalty < kInfinity &&
                      items[end].penalty > -kInfinity;

        // Natural width, for ragged alignment.
        double natural = 0;
        for (size_t i = ln.start; i < end; ++i)
            if (items[i].type != Item::Type::Penalty) natural += items[i].width;
        if (hyphen) natural += items[end].width;
        // Trailing glue before a forced break is not content.
        for (size_t i = end; i > ln.start && items[i - 1].type == Item::Type::Glue; --i)
            natural -= items[i - 1].width;

        TypesetLine tl;
        tl.height = style.leading;
        tl.baseline = base_baseline;
        tl.hyphenated = hyphen && items[end].flagged;
        tl.width = natural;
        for (size_t i = ln.start; i < end && tl.word == kNoWord; ++i)
            if (items[i].type == Item::Type::Box && infos[i].word >= 0) tl.word = infos[i].word;
        for (size_t i = ln.start; i < end; ++i) {
            if (infos[i].asset >= 0 && infos[i].img_h + desc > tl.baseline) {
                double extra = infos[i].img_h + desc * 0.5 - tl.baseline;
                if (extra > 0) {
                    tl.baseline += extra;
                    tl.height += extra;
                }
            }
        }
        TextAlign align = spec.align;
        if (b.rtl && spec.mirror && align != TextAlign::Center) // ragged left, last line right
            align = align == TextAlign::Right  ? TextAlign::Left
                    : align == TextAlign::Left ? TextAlign::Right
                    : last                     ? TextAlign::Right
                                               : align;
        // Protrusion: the first character hangs into the left margin, the last (or the
        // hyphen) into the right one, as the breaker counted them.
        double hang_left = justify && !b.rtl ? left_protrusion(items, ln.start) : 0;
        double hang_right = justify && !b.rtl && !last ? right_protrusion(items, ln.end) : 0;
        double x = -hang_left;
        if (align == TextAlign::Center) x = std::max(0.0, (spec.width - natural) / 2);
        if (align == TextAlign::Right) x = std::max(0.0, spec.width - natural);

        bool reordered = false;
        std::vector<Placed> placed =
            place_line(items, infos, ln.start, end, hyphen, ratio, x, b.rtl, reordered);
        // Justified lines end exactly at the margin, free of rounding drift.
        if (justify && !last && !placed.empty() && !reordered) {
            double target = spec.width + hang_right - items[placed.back().item].width;
            if (std::abs(target - placed.back().x) < 1.0) placed.back().x = target;
        }
        paint_line(tl, placed, items, infos, b.links, style);
        out.push_back(std::move(tl));
    }
    return out;
}

InlineWidths measure(const std::vector<doc::Inline>& inlines, const InlineStyle& style) {
    ParagraphSpec spec;
    spec.width = 1e6;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    Builder b(style, spec, false);
    b.build(inlines);
    InlineWidths w;
    double line = 0, word = 0;
    for (const auto& it : b.items) {
        if (it.type == Item::Type::Box) {
            word += it.width;
            line += it.width;
        } else if (it.type == Item::Type::Glue) {
            w.min = std::max(w.min, word);
            word = 0;
            if (it.stretch < kFil) line += it.width;
        } else if (it.penalty <= -kInfinity) {
            w.min = std::max(w.min, word);
            w.max = std::max(w.max, line);
            word = line = 0;
        } else if (it.penalty < kInfinity) {
            w.min = std::max(w.min, word); // URL and hyphen breaks: a cell may wrap there
            word = 0;
        }
    }
    w.min = std::max(w.min, word);
    w.max = std::max({w.max, line, w.min});
    return w;
}

} // namespace imprenta::pdf

// Knuth–Plass line breaking on items made from the input bytes: it never fails, never loses an
// item, takes every forced break, and gives ordered lines with sane ratios.
#include "fuzz_common.h"
#include "pdf/linebreak.h"

#include <cmath>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace imprenta::pdf;
    if (size < 4 || size > 64 * 1024) return 0;
    // Header: three line widths (the last one repeats) and the tolerance.
    double widths[3] = {double(1 + data[0]) * 2, double(1 + data[1]) * 2, double(1 + data[2]) * 2};
    BreakParams params;
    params.tolerance = 0.5 + (data[3] & 7);
    params.max_active = (data[3] & 0x80) ? 8 : 4096;
    std::vector<Item> items;
    for (size_t i = 4; i + 2 < size; i += 3) {
        uint8_t a = data[i], b = data[i + 1], c = data[i + 2];
        Item it;
        switch (a % 8) {
        case 0:
        case 1:
        case 2:
        case 3: // words
            it.type = Item::Type::Box;
            it.width = b * 0.5;
            break;
        case 4:
        case 5: // interword glue, sometimes infinite
            it.type = Item::Type::Glue;
            it.width = b * 0.1;
            it.stretch = (c == 255) ? kFil : c * 0.05;
            it.shrink = (c % 16) * 0.05;
            break;
        case 6: // hyphenation points and the odd penalty
            it.type = Item::Type::Penalty;
            it.width = (b % 8) * 0.5;
            it.penalty = (int(c) - 128) * 10.0;
            it.flagged = b & 0x80;
            break;
        default: // forced or forbidden breaks
            it.type = Item::Type::Penalty;
            it.penalty = (b & 1) ? -kInfinity : kInfinity;
            break;
        }
        items.push_back(it);
    }
    size_t calls = 0;
    auto line_width = [&](size_t line) {
        ++calls;
        return widths[std::min<size_t>(line, 2)];
    };
    auto lines = break_lines(items, line_width, params);
    if (items.empty()) {
        fuzz::check(lines.empty(), "lines for no items");
        return 0;
    }
    fuzz::check(!lines.empty(), "no lines for a non-empty paragraph");
    fuzz::check(lines.front().start == 0, "first line does not start at item 0");
    fuzz::check(lines.back().end == items.size(), "last line does not end the paragraph");
    std::vector<bool> is_end(items.size() + 1, false);
    for (size_t k = 0; k < lines.size(); ++k) {
        const Line& l = lines[k];
        fuzz::check(l.start <= l.end && l.end <= items.size(), "line out of range");
        fuzz::check(std::isfinite(l.ratio) && l.ratio >= -1.0, "bad ratio");
        if (k > 0) {
            fuzz::check(lines[k - 1].end <= l.start, "lines overlap or go backwards");
            // Only discardable items (glue, penalties) may be dropped between two lines.
            for (size_t i = lines[k - 1].end + 1; i < l.start; ++i)
                fuzz::check(items[i].type != Item::Type::Box,
                            "box " + std::to_string(i) + " lost between lines");
        }
        is_end[l.end] = true;
    }
    for (size_t i = 0; i + 1 < items.size(); ++i)
        if (items[i].type == Item::Type::Penalty && items[i].penalty <= -kInfinity)
            fuzz::check(is_end[i], "forced break at item " + std::to_string(i) + " not taken");
    return 0;
}

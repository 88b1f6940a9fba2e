#include "pdf/linebreak.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

using namespace imprenta::pdf;

// Sanitizer builds run several times slower; the time limits are about complexity, not speed.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlowdown = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr double kSlowdown = 5;
#else
constexpr double kSlowdown = 1;
#endif
#else
constexpr double kSlowdown = 1;
#endif

namespace {

Item box(double w) {
    return Item{Item::Type::Box, w, 0, 0, 0, false};
}
Item glue(double w, double stretch, double shrink) {
    return Item{Item::Type::Glue, w, stretch, shrink, 0, false};
}
Item penalty(double p, double w = 0, bool flagged = false) {
    return Item{Item::Type::Penalty, w, 0, 0, p, flagged};
}
// As TeX ends a paragraph: no break before the finishing glue, then a forced break.
void finish(std::vector<Item>& items) {
    items.push_back(penalty(kInfinity));
    items.push_back(glue(0, kFil, 0));
    items.push_back(penalty(-kInfinity));
}

// Words separated by interword glue, then the finishing glue and forced penalty.
std::vector<Item> paragraph(const std::vector<double>& words, Item space) {
    std::vector<Item> items;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i) items.push_back(space);
        items.push_back(box(words[i]));
    }
    finish(items);
    return items;
}

struct Measure {
    double natural = 0, stretch = 0, shrink = 0;
};
Measure measure(const std::vector<Item>& items, const Line& l) {
    Measure m;
    for (size_t k = l.start; k < l.end; ++k) {
        const Item& it = items[k];
        if (it.type == Item::Type::Penalty) continue;
        m.natural += it.width;
        if (it.type == Item::Type::Glue) {
            m.stretch += it.stretch;
            m.shrink += it.shrink;
        }
    }
    if (l.end < items.size() && items[l.end].type == Item::Type::Penalty)
        m.natural += items[l.end].width;
    return m;
}

// The invariants every result must satisfy: lines in order, every box in exactly one line,
// only glue/penalties discarded between lines, each break a legal break, last line to the end.
void expect_coverage(const std::vector<Item>& items, const std::vector<Line>& lines) {
    ASSERT_FALSE(lines.empty());
    std::vector<int> owner(items.size(), 0);
    size_t prev_end = 0;
    for (size_t n = 0; n < lines.size(); ++n) {
        const Line& l = lines[n];
        ASSERT_LE(l.start, l.end) << "line " << n;
        if (n == 0) {
            EXPECT_EQ(l.start, 0u);
        } else {
            ASSERT_GT(l.start, prev_end) << "line " << n;
            for (size_t k = prev_end + 1; k < l.start; ++k)
                EXPECT_NE(items[k].type, Item::Type::Box) << "box " << k << " dropped";
        }
        for (size_t k = l.start; k < l.end; ++k)
            owner[k]++;
        if (n + 1 < lines.size()) {
            ASSERT_LT(l.end, items.size());
            const Item& b = items[l.end];
            if (b.type == Item::Type::Glue) {
                ASSERT_GT(l.end, 0u);
                EXPECT_EQ(items[l.end - 1].type, Item::Type::Box) << "glue break not after a box";
            } else {
                ASSERT_EQ(b.type, Item::Type::Penalty) << "break at a box";
                EXPECT_LT(b.penalty, kInfinity) << "forbidden break used";
            }
            owner[l.end]++; // the break item itself
        } else {
            EXPECT_EQ(l.end, items.size());
        }
        EXPECT_GE(l.ratio, -1.0);
        EXPECT_TRUE(std::isfinite(l.ratio));
        prev_end = l.end;
    }
    for (size_t k = 0; k < items.size(); ++k) {
        EXPECT_LE(owner[k], 1) << "item " << k << " in two lines";
        if (items[k].type == Item::Type::Box) {
            EXPECT_EQ(owner[k], 1) << "box " << k;
        }
    }
}

std::vector<size_t> break_positions(const std::vector<Line>& lines) {
    std::vector<size_t> out;
    for (size_t i = 0; i + 1 < lines.size(); ++i)
        out.push_back(lines[i].end);
    return out;
}

struct Lcg {
    uint64_t s;
    uint32_t next() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return uint32_t(s >> 33);
    }
    int in(int lo, int hi) { return lo + int(next() % uint32_t(hi - lo + 1)); }
};

// Independent scorer of a complete set of breaks under the Knuth–Plass model, or +inf if some
// line is infeasible at `tol`. `breaks` are the break item indices (the last one is the end).
double score(const std::vector<Item>& items, const std::vector<size_t>& breaks,
             const std::function<double(size_t)>& width, const BreakParams& p, double tol) {
    const double inf = std::numeric_limits<double>::infinity();
    double total = 0;
    int prev_fit = 1;
    bool prev_flag = false;
    size_t start = 0;
    for (size_t n = 0; n < breaks.size(); ++n) {
        size_t b = breaks[n];
        bool last = n + 1 == breaks.size();
        Line l{start, b, 0};
        Measure m = measure(items, l);
        double shortfall = width(n) - m.natural;
        double r = 0;
        if (std::abs(shortfall) > 1e-9) {
            if (shortfall > 0)
                r = m.stretch > 0 ? shortfall / m.stretch : inf;
            else
                r = m.shrink > 0 ? shortfall / m.shrink : -inf;
        }
        if (r < -1 || r > tol) return inf;
        double bad = 100 * std::abs(r * r * r);
        int fit = r > 0 ? (bad > 99 ? 3 : bad > 12 ? 2 : 1) : (bad > 12 ? 0 : 1);
        double d = (p.line_penalty + bad) * (p.line_penalty + bad);
        const Item& it = items[b];
        bool flag = it.type == Item::Type::Penalty && it.flagged;
        if (it.type == Item::Type::Penalty && it.penalty > -kInfinity)
            d += it.penalty > 0 ? it.penalty * it.penalty : -it.penalty * it.penalty;
        if (flag && prev_flag) d += p.flagged_demerits;
        if (last && prev_flag) d += p.final_hyphen_demerits;
        if (std::abs(fit - prev_fit) > 1) d += p.fitness_demerits;
        total += d;
        prev_fit = fit;
        prev_flag = flag;
        start = b + 1;
        while (start < items.size() && items[start].type != Item::Type::Box &&
               !(items[start].type == Item::Type::Penalty && items[start].penalty <= -kInfinity))
            ++start;
    }
    return total;
}

bool legal_break(const std::vector<Item>& items, size_t i) {
    if (items[i].type == Item::Type::Glue) return i > 0 && items[i - 1].type == Item::Type::Box;
    return items[i].type == Item::Type::Penalty && items[i].penalty < kInfinity;
}

// Exact reference optimum by plain dynamic programming over (break, line count, fitness of the
// last line), with none of the breaker's pruning: +inf if nothing is feasible at `tol`.
double reference_optimum(const std::vector<Item>& items, const std::function<double(size_t)>& width,
                         const BreakParams& p, double tol) {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<size_t> legal;
    for (size_t i = 0; i + 1 < items.size(); ++i)
        if (legal_break(items, i)) legal.push_back(i);
    legal.push_back(items.size() - 1);
    size_t max_lines = legal.size();
    // best[k][lines][fit]: breaks up to legal[k]; node 0 is the paragraph start.
    std::vector<std::vector<std::array<double, 4>>> best(
        legal.size() + 1, std::vector<std::array<double, 4>>(max_lines + 1, {inf, inf, inf, inf}));
    best[0][0][1] = 0;
    for (size_t from = 0; from <= legal.size(); ++from) {
        for (size_t lines = 0; lines < max_lines; ++lines) {
            for (int fit = 0; fit < 4; ++fit) {
                double base = best[from][lines][fit];
                if (!std::isfinite(base)) continue;
                for (size_t to = from + 1; to <= legal.size(); ++to) {
                    size_t start = 0;
                    bool prev_flag = false;
                    if (from > 0) {
                        size_t b = legal[from - 1];
                        prev_flag = items[b].type == Item::Type::Penalty && items[b].flagged;
                        start = b + 1;
                        while (start < items.size() && items[start].type != Item::Type::Box &&
                               !(items[start].type == Item::Type::Penalty &&
                                 items[start].penalty <= -kInfinity))
                            ++start;
                    }
                    size_t b = legal[to - 1];
                    if (start > b) continue;
                    Measure m = measure(items, Line{start, b, 0});
                    double shortfall = width(lines) - m.natural;
                    double r = 0;
                    if (std::abs(shortfall) > 1e-9) {
                        if (shortfall > 0)
                            r = m.stretch > 0 ? shortfall / m.stretch : inf;
                        else
                            r = m.shrink > 0 ? shortfall / m.shrink : -inf;
                    }
                    if (r < -1 || r > tol) continue;
                    double bad = 100 * std::abs(r * r * r);
                    int f = r > 0 ? (bad > 99 ? 3 : bad > 12 ? 2 : 1) : (bad > 12 ? 0 : 1);
                    double d = (p.line_penalty + bad) * (p.line_penalty + bad);
                    const Item& it = items[b];
                    bool flag = it.type == Item::Type::Penalty && it.flagged;
                    if (it.type == Item::Type::Penalty && it.penalty > -kInfinity)
                        d += it.penalty > 0 ? it.penalty * it.penalty : -it.penalty * it.penalty;
                    if (flag && prev_flag) d += p.flagged_demerits;
                    if (to == legal.size() && prev_flag) d += p.final_hyphen_demerits;
                    if (std::abs(f - fit) > 1) d += p.fitness_demerits;
                    double& slot = best[to][lines + 1][f];
                    slot = std::min(slot, base + d);
                    if (it.type == Item::Type::Penalty && it.penalty <= -kInfinity) break;
                }
            }
        }
    }
    double out = inf;
    for (size_t lines = 0; lines <= max_lines; ++lines)
        for (int fit = 0; fit < 4; ++fit)
            out = std::min(out, best[legal.size()][lines][fit]);
    return out;
}

} // namespace

TEST(Linebreak, TotalFitBalancesWhereFirstFitLeavesALooseLine) {
    // Width 12, spaces 1 +2 -0. First fit packs "3 4 1 1" (exactly 12) and leaves "3 5" at
    // ratio 1.5; total fit moves one word down: ratios 0.5 and 0.25.
    auto items = paragraph({3, 4, 1, 1, 3, 5, 4, 1}, glue(1, 2, 0));
    auto lines = break_lines(items, [](size_t) { return 12.0; });
    expect_coverage(items, lines);
    EXPECT_EQ(break_positions(lines), (std::vector<size_t>{5, 11})); // after words 2 and 5
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_NEAR(lines[0].ratio, 0.5, 1e-9);
    EXPECT_NEAR(lines[1].ratio, 0.25, 1e-9);
    EXPECT_NEAR(lines[2].ratio, 0.0, 1e-4); // finishing kFil glue takes the slack
    EXPECT_EQ(lines[1].start, 6u);
    EXPECT_EQ(lines[2].start, 12u);
}

TEST(Linebreak, MatchesReferenceOptimum) {
    Lcg rng{42};
    int compared = 0, emergency = 0;
    for (int trial = 0; trial < 400; ++trial) {
        BreakParams p;
        p.tolerance = 4;
        p.fitness_demerits = trial % 5 == 0 ? 20000 : 3000;
        p.flagged_demerits = trial % 7 == 0 ? 20000 : 3000;
        double hyphen_penalty = std::vector<double>{50, 0, 300}[trial % 3];
        std::vector<Item> items;
        int words = rng.in(3, 45);
        for (int w = 0; w < words; ++w) {
            if (w) items.push_back(glue(1, rng.in(1, 4) * 0.5, rng.in(0, 2) * 0.25));
            int len = rng.in(1, 8);
            int syllables = len >= 4 && rng.in(0, 2) ? rng.in(2, 3) : 1;
            for (int k = 0; k < syllables; ++k) { // hyphenation points inside longer words
                if (k) items.push_back(penalty(hyphen_penalty, 1, true));
                items.push_back(box(len / syllables + (k == 0 ? len % syllables : 0)));
            }
            if (rng.in(0, 14) == 0) items.push_back(penalty(rng.in(-200, 200)));
        }
        finish(items);
        double base = rng.in(14, 30);
        int mode = trial % 4; // constant, two narrow lines, alternating, narrower from line 2
        std::function<double(size_t)> width = [=](size_t n) {
            switch (mode) {
            case 1:
                return n < 2 ? base - 3 : base;
            case 2:
                return n % 2 ? base - 2 : base;
            case 3:
                return n >= 2 ? base - 2 : base;
            default:
                return base;
            }
        };
        // The first pass must find the optimum at `tolerance`; failing that, the second pass
        // the optimum at `emergency_tolerance`.
        double tol = p.tolerance;
        double best = reference_optimum(items, width, p, tol);
        if (!std::isfinite(best)) {
            tol = p.emergency_tolerance;
            best = reference_optimum(items, width, p, tol);
            if (std::isfinite(best)) ++emergency;
        }
        auto lines = break_lines(items, width, p);
        expect_coverage(items, lines);
        if (!std::isfinite(best)) continue; // only the final pass applies
        std::vector<size_t> breaks = break_positions(lines);
        breaks.push_back(items.size() - 1);
        double got = score(items, breaks, width, p, tol);
        EXPECT_NEAR(got, best, 1e-6 * std::max(1.0, best)) << "trial " << trial;
        ++compared;
    }
    EXPECT_GT(compared, 300);
    EXPECT_GT(emergency, 5);
}

TEST(Linebreak, ForcedBreaksAreHonoured) {
    std::vector<Item> items;
    for (int w = 0; w < 5; ++w) {
        items.push_back(box(3));
        items.push_back(glue(1, 1, 0.3));
    }
    items.push_back(box(3));
    size_t forced_at = items.size() + 1;
    items.push_back(glue(0, kFil, 0)); // a hard line break: fil glue + forced penalty
    items.push_back(penalty(-kInfinity));
    for (int w = 0; w < 3; ++w) {
        items.push_back(box(3));
        items.push_back(glue(1, 1, 0.3));
    }
    items.push_back(box(3));
    finish(items);
    auto lines = break_lines(items, [](size_t) { return 100.0; });
    expect_coverage(items, lines);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].end, forced_at);
    EXPECT_EQ(lines[1].start, forced_at + 1);
    EXPECT_NEAR(lines[0].ratio, 0.0, 1e-3);
}

TEST(Linebreak, ConsecutiveForcedBreaksGiveAnEmptyLine) {
    std::vector<Item> items = {box(5),           glue(0, kFil, 0),    penalty(-kInfinity),
                               glue(0, kFil, 0), penalty(-kInfinity), box(5)};
    finish(items);
    auto lines = break_lines(items, [](size_t) { return 20.0; });
    expect_coverage(items, lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].end, 2u);
    EXPECT_EQ(lines[1].start, 4u);
    EXPECT_EQ(lines[1].end, 4u);
    EXPECT_EQ(lines[2].start, 5u);
}

TEST(Linebreak, ForbiddenBreaksAreNeverUsed) {
    // Every second space is a tie: penalty(+inf) before the glue makes the glue unbreakable
    // (it no longer follows a box) and the penalty itself is forbidden.
    std::vector<Item> items;
    std::vector<size_t> tied;
    for (int w = 0; w < 60; ++w) {
        if (w) {
            if (w % 2) {
                tied.push_back(items.size());
                items.push_back(penalty(kInfinity));
                tied.push_back(items.size());
            }
            items.push_back(glue(1, 1, 0.5));
        }
        items.push_back(box(2 + w % 4));
    }
    finish(items);
    for (double width : {9.0, 13.0, 20.0, 31.0}) {
        auto lines = break_lines(items, [&](size_t) { return width; });
        expect_coverage(items, lines);
        for (const Line& l : lines)
            for (size_t t : tied)
                EXPECT_NE(l.end, t) << "width " << width;
    }
}

TEST(Linebreak, NoOverfullLineWhenAFeasibleBreakExists) {
    Lcg rng{7};
    std::vector<double> words;
    for (int i = 0; i < 400; ++i)
        words.push_back(rng.in(2, 9));
    auto items = paragraph(words, glue(1, 0.5, 0.33));
    for (double width : {25.0, 40.0, 66.0}) {
        auto lines = break_lines(items, [&](size_t) { return width; });
        expect_coverage(items, lines);
        for (size_t n = 0; n < lines.size(); ++n) {
            Measure m = measure(items, lines[n]);
            EXPECT_LE(m.natural - m.shrink, width + 1e-9) << "overfull line " << n;
            if (n + 1 < lines.size()) { // justified: the ratio fills the line exactly
                double r = lines[n].ratio;
                double set = m.natural + r * (r >= 0 ? m.stretch : m.shrink);
                EXPECT_NEAR(set, width, 1e-6) << "line " << n;
            }
        }
    }
}

TEST(Linebreak, HyphensOnlyWhenTheyImproveTheParagraph) {
    // Words split at flagged penalties (width 1 for the hyphen glyph, penalty 50).
    auto build = [](const std::vector<std::vector<double>>& words) {
        std::vector<Item> items;
        for (size_t w = 0; w < words.size(); ++w) {
            if (w) items.push_back(glue(1, 1, 0.4));
            for (size_t s = 0; s < words[w].size(); ++s) {
                if (s) items.push_back(penalty(50, 1, true));
                items.push_back(box(words[w][s]));
            }
        }
        finish(items);
        return items;
    };
    auto flagged_breaks = [](const std::vector<Item>& items, const std::vector<Line>& lines) {
        int n = 0;
        for (size_t i = 0; i + 1 < lines.size(); ++i)
            if (items[lines[i].end].type == Item::Type::Penalty && items[lines[i].end].flagged) ++n;
        return n;
    };
    // Words fill lines of 11 exactly at natural width: hyphenating would only cost demerits.
    auto easy = build({{2, 3}, {5}, {2, 3}, {5}, {2, 3}, {5}, {2, 3}, {5}});
    auto lines = break_lines(easy, [](size_t) { return 11.0; });
    expect_coverage(easy, lines);
    EXPECT_EQ(flagged_breaks(easy, lines), 0);
    for (size_t i = 0; i + 1 < lines.size(); ++i)
        EXPECT_NEAR(lines[i].ratio, 0, 1e-9);
    // Words of 6 in a measure of 10: two never fit on a line (13, overfull) and one alone
    // cannot stretch, so only "abc a-" / "bc ab-" / "c abc" / "abc" is feasible at ratio <= 1.
    auto hard = build({{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}});
    BreakParams p;
    p.tolerance = 1;
    p.emergency_tolerance = 1; // no emergency pass: only hyphenation makes lines feasible
    lines = break_lines(
        hard, [](size_t) { return 10.0; }, p);
    expect_coverage(hard, lines);
    EXPECT_GT(flagged_breaks(hard, lines), 0);
    for (size_t i = 0; i + 1 < lines.size(); ++i)
        EXPECT_LE(lines[i].ratio, 1.0 + 1e-9);
}

TEST(Linebreak, OverwideBoxGivesOneOverfullLineAndLosesNothing) {
    std::vector<double> words = {3, 4, 2, 5, 3, 80, 4, 3, 2, 5, 3, 4};
    auto items = paragraph(words, glue(1, 1, 0.3));
    auto lines = break_lines(items, [](size_t) { return 20.0; });
    expect_coverage(items, lines);
    int overfull = 0;
    for (size_t n = 0; n < lines.size(); ++n) {
        Measure m = measure(items, lines[n]);
        if (m.natural - m.shrink > 20 + 1e-9) {
            ++overfull;
            EXPECT_EQ(lines[n].start, 10u); // the wide box alone: the least overflow
            EXPECT_EQ(lines[n].end, 11u);
            EXPECT_DOUBLE_EQ(lines[n].ratio, -1.0);
        }
    }
    EXPECT_EQ(overfull, 1);
    // A single box wider than the line, alone in its paragraph.
    std::vector<Item> lone = {box(500)};
    finish(lone);
    lines = break_lines(lone, [](size_t) { return 20.0; });
    expect_coverage(lone, lines);
    ASSERT_EQ(lines.size(), 1u);
}

TEST(Linebreak, VariableWidthsAreRespected) {
    Lcg rng{3};
    std::vector<double> words;
    for (int i = 0; i < 120; ++i)
        words.push_back(rng.in(2, 7));
    auto items = paragraph(words, glue(1, 0.6, 0.3));
    // Three lines beside a float, then the full measure.
    auto width = [](size_t n) { return n < 3 ? 22.0 : 40.0; };
    auto lines = break_lines(items, width);
    expect_coverage(items, lines);
    ASSERT_GT(lines.size(), 4u);
    for (size_t n = 0; n + 1 < lines.size(); ++n) {
        Measure m = measure(items, lines[n]);
        double r = lines[n].ratio;
        double set = m.natural + r * (r >= 0 ? m.stretch : m.shrink);
        EXPECT_NEAR(set, width(n), 1e-6) << "line " << n;
    }
    Measure first = measure(items, lines[0]);
    EXPECT_LE(first.natural - first.shrink, 22.0 + 1e-9);
}

TEST(Linebreak, ParagraphWithoutFinalPenaltyAndEmptyInput) {
    EXPECT_TRUE(break_lines({}, [](size_t) { return 10.0; }).empty());
    std::vector<Item> items = {box(3), glue(1, 1, 0), box(3), glue(1, 1, 0),
                               box(3), glue(1, 1, 0), box(3), glue(0, kFil, 0)};
    auto lines = break_lines(items, [](size_t) { return 8.0; });
    expect_coverage(items, lines);
    EXPECT_EQ(lines.back().end, items.size());
    std::vector<Item> only = {penalty(-kInfinity)};
    lines = break_lines(only, [](size_t) { return 8.0; });
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].start, 0u);
    EXPECT_EQ(lines[0].end, 1u);
}

TEST(Linebreak, ActiveBoundStillCoversEverything) {
    Lcg rng{11};
    std::vector<double> words;
    for (int i = 0; i < 300; ++i)
        words.push_back(rng.in(1, 6));
    auto items = paragraph(words, glue(1, 2, 0.5));
    BreakParams p;
    p.max_active = 1;
    auto lines = break_lines(
        items, [](size_t) { return 30.0; }, p);
    expect_coverage(items, lines);
    auto same = break_lines(
        items, [](size_t) { return 30.0; }, p);
    ASSERT_EQ(lines.size(), same.size()); // deterministic
    for (size_t i = 0; i < lines.size(); ++i)
        EXPECT_EQ(lines[i].end, same[i].end);
}

namespace {
// ~400k items: words with hyphenation points, as a multi-megabyte paragraph would give.
std::vector<Item> huge_paragraph(bool with_overwide_box) {
    Lcg rng{99};
    std::vector<Item> items;
    items.reserve(410000);
    while (items.size() < 400000) {
        if (!items.empty()) items.push_back(glue(3.3, 1.6, 1.1));
        int syllables = rng.in(1, 4);
        for (int s = 0; s < syllables; ++s) {
            if (s) items.push_back(penalty(50, 3, true));
            items.push_back(box(rng.in(4, 14)));
        }
        if (with_overwide_box && items.size() >= 390000 && items.size() < 390004)
            items.push_back(box(900)); // glued to a word, wider than the line: all three passes
    }
    finish(items);
    return items;
}

void check_huge(const std::vector<Item>& items, int max_overfull) {
    // The thread's CPU time, not the wall clock: a loaded machine (CI, parallel ctest) must not
    // fail it, a quadratic breaker (minutes for this paragraph) must.
    auto cpu = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
    };
    double t0 = cpu();
    auto lines = break_lines(items, [](size_t n) { return n == 0 ? 300.0 : 330.0; });
    double secs = cpu() - t0;
    EXPECT_LT(secs, 3.0 * kSlowdown);
    expect_coverage(items, lines);
    EXPECT_GT(lines.size(), 5000u);
    int overfull = 0;
    for (size_t n = 0; n + 1 < lines.size(); ++n) {
        EXPECT_LE(lines[n].ratio, 2.0 + 1e-9) << "line " << n;
        Measure m = measure(items, lines[n]);
        if (m.natural - m.shrink > (n == 0 ? 300.0 : 330.0) + 1e-6) ++overfull;
    }
    EXPECT_EQ(overfull, max_overfull);
}
} // namespace

TEST(Linebreak, HugeParagraphIsNearLinear) {
    check_huge(huge_paragraph(false), 0);
}

TEST(Linebreak, HugeParagraphNeedingTheFinalPassIsNearLinear) {
    check_huge(huge_paragraph(true), 1);
}

TEST(Linebreak, ArbitraryItemSequencesAlwaysGiveValidLines) {
    Lcg rng{5};
    for (int trial = 0; trial < 500; ++trial) {
        std::vector<Item> items;
        int n = rng.in(0, 60);
        for (int k = 0; k < n; ++k) {
            switch (rng.in(0, 6)) {
            case 0:
            case 1:
            case 2:
                items.push_back(box(rng.in(0, 30)));
                break;
            case 3:
                items.push_back(glue(rng.in(0, 3), rng.in(0, 2), rng.in(0, 1)));
                break;
            case 4:
                items.push_back(glue(0, kFil, 0));
                break;
            case 5:
                items.push_back(
                    penalty(std::vector<double>{-kInfinity, kInfinity, 0, 100, -100}[rng.in(0, 4)],
                            rng.in(0, 1), rng.in(0, 1) == 1));
                break;
            default:
                items.push_back(box(-rng.in(0, 2)));
                break; // negative kerns happen
            }
        }
        if (rng.in(0, 1)) finish(items);
        double w = rng.in(0, 40);
        BreakParams p;
        p.max_active = size_t(rng.in(1, 50));
        auto lines = break_lines(
            items, [&](size_t line) { return line % 3 ? w : w + 5; }, p);
        if (items.empty()) {
            EXPECT_TRUE(lines.empty());
            continue;
        }
        expect_coverage(items, lines);
        // Forced breaks always end a line.
        for (size_t k = 0; k + 1 < items.size(); ++k) {
            if (items[k].type != Item::Type::Penalty || items[k].penalty > -kInfinity) continue;
            bool ends = false;
            for (const Line& l : lines)
                ends = ends || l.end == k;
            EXPECT_TRUE(ends) << "trial " << trial << " forced break " << k;
        }
    }
}

namespace {

// Random words, some with hyphenation points, for the TeX rules below.
std::vector<Item> hyphenated_paragraph(Lcg& rng, double hyphen_penalty) {
    std::vector<Item> items;
    int words = rng.in(8, 40);
    for (int w = 0; w < words; ++w) {
        if (w) items.push_back(glue(1, 0.5, 0.3));
        int len = rng.in(2, 9);
        int parts = len >= 4 ? 2 : 1;
        for (int k = 0; k < parts; ++k) {
            if (k) items.push_back(penalty(hyphen_penalty, 1, true));
            items.push_back(box(k == 0 ? len - len / 2 * (parts - 1) : len / 2));
        }
    }
    finish(items);
    return items;
}

bool ends_flagged(const std::vector<Item>& items, const Line& l) {
    return l.end < items.size() && items[l.end].type == Item::Type::Penalty && items[l.end].flagged;
}

} // namespace

TEST(Linebreak, NoMoreConsecutiveHyphensThanTheLimit) {
    Lcg rng{7};
    int ladders_without = 0, ladders_with = 0;
    for (int trial = 0; trial < 300; ++trial) {
        // Hyphens are cheap here, so unlimited the breaker builds ladders of them.
        auto items = hyphenated_paragraph(rng, -50);
        double w = rng.in(20, 30); // every line but the last holds a glue: all feasible
        BreakParams p;
        p.tolerance = 100;
        p.flagged_demerits = 0;
        for (int limit : {0, 2}) {
            p.max_hyphen_run = limit;
            auto lines = break_lines(
                items, [w](size_t) { return w; }, p);
            expect_coverage(items, lines);
            int run = 0, longest = 0;
            for (const Line& l : lines) {
                run = ends_flagged(items, l) ? run + 1 : 0;
                longest = std::max(longest, run);
            }
            (limit ? ladders_with : ladders_without) += longest >= 3;
        }
    }
    EXPECT_GT(ladders_without, 10); // the rule has something to do
    EXPECT_EQ(ladders_with, 0);
}

TEST(Linebreak, NoHyphenBeforeTheLastLineWhenAnythingElseFits) {
    Lcg rng{11};
    int before = 0, strict = 0;
    for (int trial = 0; trial < 300; ++trial) {
        auto items = hyphenated_paragraph(rng, -50);
        double w = rng.in(20, 30); // every line but the last holds a glue: all feasible
        BreakParams p;
        p.tolerance = 100;
        p.final_hyphen_demerits = 0;
        for (bool s : {false, true}) {
            p.strict_final_hyphen = s;
            auto lines = break_lines(
                items, [w](size_t) { return w; }, p);
            expect_coverage(items, lines);
            bool bad = lines.size() >= 2 && ends_flagged(items, lines[lines.size() - 2]);
            (s ? strict : before) += bad;
        }
    }
    EXPECT_GT(before, 10);
    EXPECT_EQ(strict, 0);
}

TEST(Linebreak, StrictFinalHyphenStaysWhenNothingElseFits) {
    // Width 10: "aaaa-" "bbbbbbbbb" is the only setting without an overfull line.
    std::vector<Item> items{box(4), penalty(50, 1, true), box(9)};
    finish(items);
    BreakParams p;
    p.strict_final_hyphen = true;
    auto lines = break_lines(
        items, [](size_t) { return 10.0; }, p);
    expect_coverage(items, lines);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(ends_flagged(items, lines[0]));
}

TEST(Linebreak, EmergencyStretchChoosesBreaksButLinesKeepTheirGlue) {
    // Width 12, tolerance 0.5: "5 5" is short by 1 with stretch 1 (ratio 1), so only the
    // emergency stretch (2) lets it pass the tolerance; the line is still set at ratio 1.
    auto items = paragraph({5, 5, 5}, glue(1, 1, 0));
    BreakParams p;
    p.tolerance = 0.5;
    p.emergency_tolerance = 0.5;
    p.emergency_stretch = 2;
    auto lines = break_lines(
        items, [](size_t) { return 12.0; }, p);
    expect_coverage(items, lines);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NEAR(lines[0].ratio, 1.0, 1e-9);
}

TEST(Linebreak, LoosenessSetsTheParagraphOneLineShorterOrLonger) {
    Lcg rng{5};
    int shorter = 0, longer = 0;
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<double> words(size_t(rng.in(20, 60)));
        for (double& x : words)
            x = rng.in(1, 6);
        auto items = paragraph(words, glue(2, 1, 1)); // spaces that can give way a lot
        double w = rng.in(14, 22);
        BreakParams p;
        p.tolerance = 3;
        size_t best = break_lines(
                          items, [w](size_t) { return w; }, p)
                          .size();
        p.looseness = -1;
        auto tight = break_lines(
            items, [w](size_t) { return w; }, p);
        expect_coverage(items, tight);
        p.looseness = 1;
        auto loose = break_lines(
            items, [w](size_t) { return w; }, p);
        expect_coverage(items, loose);
        EXPECT_LE(tight.size(), best);
        EXPECT_GE(loose.size(), best);
        shorter += tight.size() + 1 == best;
        longer += loose.size() == best + 1;
    }
    EXPECT_GT(shorter, 5);
    EXPECT_GT(longer, 5);
}

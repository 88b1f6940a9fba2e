// Knuth–Plass total-fit line breaking over boxes, glue and penalties ("Breaking Paragraphs into
// Lines", 1981), with a bounded set of active breakpoints so huge paragraphs stay near linear.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

namespace imprenta::pdf {

struct Item {
    enum class Type { Box, Glue, Penalty } type = Type::Box;
    double width = 0;
    double stretch = 0;   // Glue
    double shrink = 0;    // Glue
    double penalty = 0;   // Penalty: <= -kInfinity forces a break, >= kInfinity forbids one
    bool flagged = false; // Penalty: a hyphen break (consecutive flagged breaks cost extra)
    // Character protrusion (pdfTeX's \lpcode/\rpcode): how far the box's first character may
    // hang into the left margin when it starts a line, and its last character (or a penalty's
    // hyphen) into the right margin when it ends one. A line may hold that much more.
    float protrude_left = 0, protrude_right = 0;
};

constexpr double kInfinity = 10000;

// "Infinite" stretch (TeX's fil): a glue whose stretch is kFil (or any huge value) takes up all
// the slack of its line. There is no separate order of infinity: the ratio is plainly
// shortfall / total stretch, so a line holding kFil glue gets ratio ~ 0 (interword glue stays at
// its natural width) and `width + ratio * stretch` still places every glue correctly, including
// centred lines (kFil glue on both sides).
constexpr double kFil = 1e6;

// What hangs into the right margin when a line breaks at `at`: the hyphen a penalty draws, else
// the box just before the break. 0 at the paragraph's end (its last line is ragged).
inline double right_protrusion(const std::vector<Item>& items, size_t at) {
    if (at >= items.size() || at == 0) return 0;
    const Item& it = items[at];
    if (it.type == Item::Type::Penalty && it.width > 0) return it.protrude_right;
    if (it.type == Item::Type::Penalty && it.penalty <= -kInfinity) return 0;
    const Item& before = items[at - 1];
    return before.type == Item::Type::Box ? before.protrude_right : 0;
}
// What hangs into the left margin when a line starts at `start`.
inline double left_protrusion(const std::vector<Item>& items, size_t start) {
    return start < items.size() && items[start].type == Item::Type::Box ? items[start].protrude_left
                                                                        : 0;
}

struct BreakParams {
    double tolerance = 2.0;            // largest adjustment ratio accepted in the first pass
    double emergency_tolerance = 10.0; // second pass, before giving up and allowing overfull
    double line_penalty = 10;
    double flagged_demerits = 3000;
    double fitness_demerits = 3000; // adjacent lines more than one fitness class apart
    size_t max_active = 4096; // bound on active breakpoints (keeps multi-MB paragraphs linear)
    double final_hyphen_demerits = 5000; // the next-to-last line ends with a hyphen
    // No hyphen before the last line unless nothing else fits: such breaks are left out of the
    // `tolerance` passes (with and without emergency stretch), then priced as above.
    bool strict_final_hyphen = false;
    // Most consecutive lines ending flagged (0: no limit); more only where nothing else fits,
    // i.e. in the last-resort pass.
    int max_hyphen_run = 0;
    // TeX's \emergencystretch: stretch added to every line, for choosing breaks only, in a pass
    // tried after `tolerance` fails and before `emergency_tolerance`.
    double emergency_stretch = 0;
    // TeX's \looseness: the paragraph is set in this many lines more (or fewer) than its best
    // setting, as close to that as the tolerance allows. Ignored for paragraphs of more than
    // 2000 breakpoints (it keeps every line count apart, which is quadratic).
    int looseness = 0;
    // Character protrusion: the paragraph builder gives boxes their protrude_* amounts (the
    // breaker honours whatever amounts the items carry).
    bool protrusion = false;
};

// The items of a line are [start, end). Items between the previous line's end and `start` (glue
// and non-forced penalties after a break) are discarded. The break item items[end] is not part
// of the line, except that a penalty's width is drawn at the line end (the hyphen of a flagged
// penalty); a glue break item is dropped.
struct Line {
    size_t start = 0; // first item on the line; 0 for the first line (nothing discarded there)
    size_t end = 0;   // index of the break item, or items.size() for the paragraph's last line
                      // (its range then includes the final forced penalty, which has no width)
    // Adjustment ratio for placement: each glue gets width + ratio * (ratio >= 0 ? stretch :
    // shrink). Clamped to >= -1 (an overfull line is set at full shrink and sticks out); 0 when
    // the line has no stretch to fill its slack (e.g. a lone word followed by a forced break).
    // No upper clamp: a last-resort very loose line may exceed emergency_tolerance. With kFil
    // finishing glue the last line's ratio is ~0 (see kFil).
    double ratio = 0;
};

// Breaks `items` into lines whose width is `line_width(line_number)` (0-based), minimising total
// demerits (Knuth–Plass): badness 100|r|^3; demerits (line_penalty + badness)^2 + penalty^2
// (minus penalty^2 for negative non-forced penalties); + flagged_demerits for two consecutive
// flagged breaks; + final_hyphen_demerits when the next-to-last line ends flagged; +
// fitness_demerits between adjacent lines of non-adjacent fitness classes (tight r < -0.5,
// decent, loose r > 0.5, very loose r > ~1).
// Legal breaks: a glue right after a box (the glue is discarded), or a penalty < kInfinity
// (<= -kInfinity forces a break). A break is never taken where only discardables separate it
// from a forced break (that would only leave an empty line). A paragraph normally ends as in TeX:
// {Penalty, penalty = kInfinity}, {Glue, stretch = kFil}, {Penalty, penalty = -kInfinity};
// without a final forced penalty the end of `items` acts as one. Two consecutive forced breaks
// give an empty line (start == end).
// Passes: `tolerance`, then `tolerance` with `emergency_stretch` (if > 0), then (with
// strict_final_hyphen, which the first two obey) `tolerance` again, then
// `emergency_tolerance` (with that stretch), then a last pass that accepts any line and,
// where every line reaching a break is overfull (a box wider than the line), breaks from the
// node that overflows least. Never fails and never loses an item; empty input gives no lines.
// Widths: line_width is called up front for line numbers 0 .. min(#breakpoints, 1024) - 1 only;
// lines beyond that use the last probed width (exact for paragraphs under ~1024 breakpoints; a
// longer paragraph must have settled to a constant width by line 1023). Lines that share a width
// from some line on are merged like TeX's easy_line, which keeps huge paragraphs linear.
// max_active: when exceeded, the nodes with the largest demerits over the best node at their own
// breakpoint are dropped (at least one is kept). Deterministic for the same input.
// Throws std::invalid_argument if line_width is empty.
std::vector<Line> break_lines(const std::vector<Item>& items,
                              const std::function<double(size_t)>& line_width,
                              const BreakParams& params = {});

} // namespace imprenta::pdf

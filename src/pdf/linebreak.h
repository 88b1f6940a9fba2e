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
    double stretch = 0; // Glue
    double shrink = 0;  // Glue
    double penalty = 0; // Penalty: <= -kInfinity forces a break, >= kInfinity forbids one
    bool flagged = false; // Penalty: a hyphen break (consecutive flagged breaks cost extra)
};

constexpr double kInfinity = 10000;

struct BreakParams {
    double tolerance = 2.0;           // largest adjustment ratio accepted in the first pass
    double emergency_tolerance = 10.0; // second pass, before giving up and allowing overfull
    double line_penalty = 10;
    double flagged_demerits = 3000;
    double fitness_demerits = 3000;
    size_t max_active = 4096; // bound on active breakpoints (keeps multi-MB paragraphs linear)
};

struct Line {
    size_t start = 0;  // index of the first item on the line (after discarding glue/penalties)
    size_t end = 0;    // index of the break item (a glue or penalty), or items.size() for the last
    double ratio = 0;  // adjustment ratio: >0 stretch, <0 shrink
};

// Breaks `items` (which must end with the usual finishing glue + forced penalty) into lines whose
// width is `line_width(line_number)` (0-based). Never fails: with no feasible break it falls back
// to overfull lines rather than losing text.
std::vector<Line> break_lines(const std::vector<Item>& items,
                              const std::function<double(size_t)>& line_width,
                              const BreakParams& params = {});

} // namespace imprenta::pdf

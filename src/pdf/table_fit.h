// How a table too wide for the text block still fits without overprinting: first its columns
// shrink to their longest words (wrapping the cells), then its font steps down, and when even the
// smallest size is too wide, its columns are split into groups set one after another.
#pragma once
#include <cstddef>
#include <vector>

namespace imprenta::pdf {

// Smallest font size a table is stepped down to, and the size under which the reader is warned.
constexpr double kTableMinSize = 5.5;
constexpr double kTableWarnSize = 7.0;

struct TableFit {
    double size = 0;                  // font size to set the cells at
    std::vector<size_t> group_starts; // first column of each column group; {0}: one table
};

// `mins`: each column's narrowest width (its longest word) at font size `size`; `colsep`: the gap
// between columns at that size (it scales with the size, as the words do); `avail`: the width.
TableFit fit_table(const std::vector<double>& mins, double size, double colsep, double avail);

// A small, never-overprinting report of what fit_table did, for the warning.
struct SmallTable {
    int line = 0;      // the table's source line
    double size = 0;   // font size it was set at
    size_t groups = 1; // column groups it was split into
    size_t columns = 0;
};

} // namespace imprenta::pdf

#include "pdf/table_fit.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

TableFit fit_table(const std::vector<double>& mins, double size, double colsep, double avail) {
    TableFit fit{size, {0}};
    if (mins.empty() || size <= 0) return fit;
    double words = 0;
    for (double m : mins)
        words += m;
    double need = words + colsep * double(mins.size() - 1);
    if (need <= avail) return fit;
    // Widths scale with the size: the size at which the longest words just fit, in 0.1 pt steps
    // rounded down so that measuring again at that size still fits.
    double fitting = std::floor(size * avail / need * 10.0) / 10.0;
    if (fitting >= kTableMinSize) {
        fit.size = fitting;
        return fit;
    }
    fit.size = kTableMinSize;
    double k = kTableMinSize / size;
    fit.group_starts.clear();
    double used = 0;
    for (size_t c = 0; c < mins.size(); ++c) {
        double w = mins[c] * k;
        if (fit.group_starts.empty() || used + colsep * k + w > avail) {
            fit.group_starts.push_back(c);
            used = w;
        } else {
            used += colsep * k + w;
        }
    }
    return fit;
}

} // namespace imprenta::pdf

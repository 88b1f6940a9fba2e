#include "pdf/linebreak.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace imprenta::pdf {

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kBadnessCap = 1e7; // uncapped 100|r|^3 of a hopeless line would swamp doubles
constexpr size_t kMaxWidthProbes = 1024;
constexpr size_t kMaxLooseBreakpoints = 2000;

enum Fitness : int { kTight = 0, kDecent = 1, kLoose = 2, kVeryLoose = 3 };

double finite_or_zero(double v) {
    return std::isfinite(v) ? v : 0.0;
}

struct Breakpoint {
    size_t pos = kNone; // break item, kNone for the paragraph start
    size_t lines = 0;   // lines up to and including the one ending here
    double ratio = 0;   // of the line ending here
    size_t prev = kNone;
};

struct Active {
    size_t bp;    // index into the breakpoint records
    size_t pos;   // break item (kNone for the start)
    size_t start; // first item of the next line
    size_t lines; // lines so far == 0-based number of the next line
    int fitness;
    int hyphens; // consecutive lines ending flagged, this one included
    double demerits;
};

struct Candidate {
    size_t line_class;
    int fitness;
    int hyphens;
    double demerits;
    double ratio;
    size_t from_bp;
    size_t from_lines;
};

class Breaker {
public:
    Breaker(const std::vector<Item>& items, const std::function<double(size_t)>& line_width,
            const BreakParams& params)
        : items_(items), n_(items.size()), params_(params) {
        // The paragraph ends at its last forced penalty if it is the final item, otherwise at a
        // virtual forced break after the last item.
        end_pos_ = (n_ > 0 && forced(n_ - 1)) ? n_ - 1 : n_;
        next_start_.assign(n_ + 2, n_);
        for (size_t k = n_; k-- > 0;) {
            const Item& it = items_[k];
            bool discardable =
                it.type == Item::Type::Glue || (it.type == Item::Type::Penalty && !forced(k));
            next_start_[k] = discardable ? next_start_[k + 1] : k;
        }
        W_.assign(n_ + 1, 0);
        Y_.assign(n_ + 1, 0);
        Z_.assign(n_ + 1, 0);
        legal_.assign(n_ + 1, 0);
        size_t breakpoints = 0;
        for (size_t i = 0; i < n_; ++i) {
            const Item& it = items_[i];
            double w = 0, y = 0, z = 0;
            if (it.type == Item::Type::Box) {
                w = finite_or_zero(it.width);
            } else if (it.type == Item::Type::Glue) {
                w = finite_or_zero(it.width);
                y = finite_or_zero(it.stretch);
                z = finite_or_zero(it.shrink);
            }
            W_[i + 1] = W_[i] + w;
            Y_[i + 1] = Y_[i] + y;
            Z_[i + 1] = Z_[i] + z;
            legal_[i] = i == end_pos_ || legal(i);
            if (legal_[i]) ++breakpoints;
        }
        legal_[n_] = end_pos_ == n_;
        if (legal_[n_]) ++breakpoints;
        // Looseness keeps every line count apart: quadratic, so not for huge paragraphs.
        loose_ = params_.looseness != 0 && breakpoints <= kMaxLooseBreakpoints;

        // Line widths: at most one line per breakpoint, so probing that many lines is exact;
        // huge paragraphs assume the widths settle within the first kMaxWidthProbes lines.
        size_t probes = std::max<size_t>(1, std::min(breakpoints, kMaxWidthProbes));
        widths_.resize(probes);
        for (size_t k = 0; k < probes; ++k)
            widths_[k] = finite_or_zero(line_width(k));
        uniform_from_ = probes - 1;
        while (uniform_from_ > 0 && widths_[uniform_from_ - 1] == widths_[probes - 1])
            --uniform_from_;
    }

    std::vector<Line> run() {
        if (n_ == 0) return {};
        strict_ = params_.strict_final_hyphen;
        if (pass(params_.tolerance, false)) return lines();
        double extra = std::max(0.0, finite_or_zero(params_.emergency_stretch));
        extra_stretch_ = extra;
        if (extra > 0 && pass(params_.tolerance, false)) return lines();
        // Nothing fits without a hyphen before the last line: priced, no longer excluded.
        if (strict_) {
            strict_ = false;
            extra_stretch_ = 0;
            if (pass(params_.tolerance, false)) return lines();
            extra_stretch_ = extra;
        }
        if (params_.emergency_tolerance > params_.tolerance &&
            pass(params_.emergency_tolerance, false))
            return lines();
        if (pass(kInf, true)) return lines();
        // Unreachable in theory (the final pass always has a break); never lose text anyway.
        return {Line{0, n_, 0}};
    }

private:
    bool forced(size_t i) const {
        return i < n_ && items_[i].type == Item::Type::Penalty && items_[i].penalty <= -kInfinity;
    }
    bool legal(size_t i) const {
        const Item& it = items_[i];
        bool ok = false;
        if (it.type == Item::Type::Glue) ok = i > 0 && items_[i - 1].type == Item::Type::Box;
        if (it.type == Item::Type::Penalty) ok = !(it.penalty >= kInfinity);
        if (!ok || forced(i)) return ok;
        // Not where only discardables separate it from a forced break: the next line would be
        // empty, and breaking at that forced break instead is always better (e.g. a finishing
        // glue that lacks the usual penalty(kInfinity) before it).
        size_t next = next_start_[i + 1];
        return next != end_pos_ && !forced(next);
    }
    double width(size_t line) const { return widths_[std::min(line, uniform_from_)]; }

    static double ratio_of(double shortfall, double stretch, double shrink, double line_width) {
        if (std::abs(shortfall) <= 1e-9 * (1 + std::abs(line_width))) return 0;
        if (shortfall > 0) return stretch > 1e-12 ? shortfall / stretch : kInf;
        return shrink > 1e-12 ? shortfall / shrink : -kInf;
    }

    bool pass(double tolerance, bool final_pass) {
        bps_.clear();
        bps_.push_back(Breakpoint{});
        actives_.clear();
        actives_.push_back(Active{0, kNone, 0, 0, kDecent, 0, 0});
        final_pass_ = final_pass;
        for (size_t i = 0; i <= end_pos_; ++i) {
            if (!legal_[i]) continue;
            try_break(i, tolerance, final_pass);
            if (actives_.empty()) return false;
        }
        best_ = kNone;
        double best_d = kInf;
        size_t best_lines = 0;
        for (const Active& a : actives_) {
            if (a.pos == end_pos_ && a.demerits < best_d) {
                best_d = a.demerits;
                best_ = a.bp;
                best_lines = a.lines;
            }
        }
        if (best_ == kNone || !loose_) return best_ != kNone;
        // \looseness: the ending whose line count is nearest the wanted one, then the cheapest.
        long want = std::max(1L, long(best_lines) + params_.looseness);
        long best_gap = std::abs(long(best_lines) - want);
        for (const Active& a : actives_) {
            if (a.pos != end_pos_) continue;
            long gap = std::abs(long(a.lines) - want);
            if (gap < best_gap || (gap == best_gap && a.demerits < best_d)) {
                best_gap = gap;
                best_d = a.demerits;
                best_ = a.bp;
            }
        }
        return true;
    }

    void try_break(size_t i, double tolerance, bool final_pass) {
        const bool is_end = i == end_pos_;
        const Item* it = i < n_ ? &items_[i] : nullptr;
        const bool is_penalty = it && it->type == Item::Type::Penalty;
        const bool is_forced = is_end || forced(i);
        const double pi = is_penalty ? finite_or_zero(it->penalty) : 0.0;
        const double pen_width = is_penalty ? finite_or_zero(it->width) : 0.0;
        const bool flagged = is_penalty && it->flagged;
        const double hang = right_protrusion(items_, i); // into the right margin

        candidates_.clear();
        stays_.assign(actives_.size(), 0);
        size_t kept = 0;
        size_t least_overflow = kNone;
        double least_overflow_amount = kInf;
        for (size_t k = 0; k < actives_.size(); ++k) {
            const Active& a = actives_[k];
            if (a.start > i) { // i lies in the discardables right after a's break: no line
                stays_[k] = 1;
                ++kept;
                continue;
            }
            double lw = width(a.lines);
            double natural =
                W_[i] - W_[a.start] + pen_width - hang - left_protrusion(items_, a.start);
            double stretch = Y_[i] - Y_[a.start];
            double shrink = Z_[i] - Z_[a.start];
            double shortfall = lw - natural;
            double r = ratio_of(shortfall, stretch, shrink, lw);
            bool overfull = r < -1 - 1e-9;
            // Emergency stretch judges the line as if it could stretch more; it is still set
            // with its own glue (ratio r).
            double judged = extra_stretch_ > 0 && shortfall > 0
                                ? ratio_of(shortfall, stretch + extra_stretch_, shrink, lw)
                                : r;
            if (overfull) {
                double amount = -(shortfall + shrink);
                if (amount < least_overflow_amount) {
                    least_overflow_amount = amount;
                    least_overflow = k;
                }
            } else if (judged <= tolerance) {
                add_candidate(a, judged, r, pi, flagged, is_forced, is_end);
            }
            if (!overfull && !is_forced) {
                stays_[k] = 1;
                ++kept;
            }
        }
        // Final pass: if every line reaching here is overfull and nothing else survives, break
        // anyway from the node that overflows least, so the paragraph always completes.
        if (final_pass && candidates_.empty() && kept == 0 && least_overflow != kNone)
            add_candidate(actives_[least_overflow], -kInf, -kInf, pi, flagged, is_forced, is_end);
        if (candidates_.size() > 1) // most breakpoints have none or one
            std::sort(candidates_.begin(), candidates_.end(),
                      [](const Candidate& x, const Candidate& y) {
                          if (x.line_class != y.line_class) return x.line_class < y.line_class;
                          if (x.fitness != y.fitness) return x.fitness < y.fitness;
                          return x.hyphens < y.hyphens;
                      });
        pending_.clear();
        for (size_t g = 0; g < candidates_.size();) {
            size_t h = g;
            double best = kInf;
            while (h < candidates_.size() && candidates_[h].line_class == candidates_[g].line_class)
                best = std::min(best, candidates_[h++].demerits);
            // Within one line class a node worse than the best by more than fitness_demerits can
            // never win (TeX's minimal_demerits + adj_demerits rule).
            for (size_t k = g; k < h; ++k) {
                const Candidate& c = candidates_[k];
                if (c.demerits > best + params_.fitness_demerits) continue;
                bps_.push_back(Breakpoint{i, c.from_lines + 1, c.ratio, c.from_bp});
                pending_.push_back(Active{bps_.size() - 1, i, next_start_[std::min(i + 1, n_)],
                                          c.from_lines + 1, c.fitness, c.hyphens, c.demerits});
            }
            g = h;
        }
        size_t w = 0;
        for (size_t k = 0; k < actives_.size(); ++k)
            if (stays_[k]) {
                if (w != k) actives_[w] = actives_[k];
                ++w;
            }
        actives_.resize(w);
        actives_.insert(actives_.end(), pending_.begin(), pending_.end());
        if (actives_.size() > std::max<size_t>(1, params_.max_active)) prune();
    }

    // `r` judges the line (badness, fitness); `set` is the ratio it is set at.
    void add_candidate(const Active& a, double r, double set, double pi, bool flagged,
                       bool is_forced, bool is_end) {
        int hyphens = flagged ? a.hyphens + 1 : 0;
        // A third hyphen in a row (or whatever the limit is) only when nothing else fits.
        bool over = params_.max_hyphen_run > 0 && hyphens > params_.max_hyphen_run;
        if (over && !final_pass_) return;
        if (strict_ && is_end && a.hyphens > 0) return;
        double b =
            std::isfinite(r) ? std::min(100 * std::abs(r * r * r), kBadnessCap) : kBadnessCap;
        int fitness;
        if (r > 0)
            fitness = b > 99 ? kVeryLoose : b > 12 ? kLoose : kDecent;
        else
            fitness = b > 12 ? kTight : kDecent;
        double d = params_.line_penalty + b;
        d *= d;
        if (!is_forced) {
            if (pi > 0)
                d += pi * pi;
            else if (pi < 0)
                d -= pi * pi;
        }
        if (flagged && a.hyphens > 0) d += params_.flagged_demerits;
        if (is_end && a.hyphens > 0) d += params_.final_hyphen_demerits;
        if (over) d += kBadnessCap;
        if (std::abs(fitness - a.fitness) > 1) d += params_.fitness_demerits;
        double total = a.demerits + d;

        size_t line_class = loose_ ? a.lines + 1 : std::min(a.lines + 1, uniform_from_);
        double placed = std::isfinite(set) ? std::max(set, -1.0) : (set > 0 ? 0.0 : -1.0);
        // Nodes that differ in their run of hyphens are kept apart only under a run limit
        // (without one, all nodes at a break share its flag: run 0 or 1).
        int run = std::min(hyphens, std::max(params_.max_hyphen_run, 0) + 1);
        for (Candidate& c : candidates_) {
            if (c.line_class == line_class && c.fitness == fitness && c.hyphens == run) {
                if (total < c.demerits)
                    c = Candidate{line_class, fitness, run, total, placed, a.bp, a.lines};
                return;
            }
        }
        candidates_.push_back(Candidate{line_class, fitness, run, total, placed, a.bp, a.lines});
    }

    // Keeps the most promising nodes. Demerits only compare fairly between
    // nodes at the same breakpoint, so nodes are ranked by their excess over the best node at
    // their breakpoint; among equals the oldest breakpoints (about to expire anyway) go first.
    void prune() {
        // Down to 3/4 of the bound, so saturated paragraphs prune every few breakpoints rather
        // than at each one.
        size_t keep = std::max<size_t>(1, params_.max_active - params_.max_active / 4);
        std::vector<double>& excess = excess_;
        excess.resize(actives_.size());
        for (size_t g = 0; g < actives_.size();) { // actives_ is ordered by position
            size_t h = g;
            double best = kInf;
            while (h < actives_.size() && actives_[h].pos == actives_[g].pos)
                best = std::min(best, actives_[h++].demerits);
            for (size_t k = g; k < h; ++k)
                excess[k] = actives_[k].demerits - best;
            g = h;
        }
        std::vector<size_t>& order = order_;
        order.resize(actives_.size());
        std::iota(order.begin(), order.end(), 0);
        std::nth_element(order.begin(), order.begin() + keep, order.end(), [&](size_t x, size_t y) {
            if (excess[x] != excess[y]) return excess[x] < excess[y];
            return x > y; // later (newer) first; indices are unique
        });
        std::vector<char>& stay = stays_;
        stay.assign(actives_.size(), 0);
        for (size_t k = 0; k < keep; ++k)
            stay[order[k]] = 1;
        size_t w = 0;
        for (size_t k = 0; k < actives_.size(); ++k)
            if (stay[k]) actives_[w++] = actives_[k];
        actives_.resize(w);
    }

    std::vector<Line> lines() const {
        std::vector<size_t> chain;
        for (size_t b = best_; b != 0 && b != kNone; b = bps_[b].prev)
            chain.push_back(b);
        std::reverse(chain.begin(), chain.end());
        std::vector<Line> out;
        out.reserve(chain.size());
        for (size_t k = 0; k < chain.size(); ++k) {
            const Breakpoint& bp = bps_[chain[k]];
            Line line;
            line.end = k + 1 == chain.size() ? n_ : bp.pos;
            line.start = k == 0 ? 0 : std::min(next_start_[bps_[chain[k - 1]].pos + 1], line.end);
            line.ratio = bp.ratio;
            out.push_back(line);
        }
        return out;
    }

    const std::vector<Item>& items_;
    size_t n_;
    BreakParams params_;
    size_t end_pos_ = 0;
    std::vector<double> W_, Y_, Z_;  // prefix sums of width, stretch, shrink over items [0, k)
    std::vector<size_t> next_start_; // first box or forced penalty at or after k
    std::vector<char> legal_;        // legal breakpoints, including the paragraph end
    std::vector<double> widths_;
    size_t uniform_from_ = 0; // lines from here on share widths_[uniform_from_]
    std::vector<Breakpoint> bps_;
    std::vector<Active> actives_;
    std::vector<Candidate> candidates_;
    std::vector<char> stays_;
    std::vector<double> excess_;
    std::vector<size_t> order_;
    std::vector<Active> pending_;
    size_t best_ = kNone;
    double extra_stretch_ = 0; // emergency stretch of the current pass
    bool final_pass_ = false;
    bool strict_ = false; // no hyphen before the last line in this pass
    bool loose_ = false;  // looseness applies (ordinary paragraphs only)
};

} // namespace

std::vector<Line> break_lines(const std::vector<Item>& items,
                              const std::function<double(size_t)>& line_width,
                              const BreakParams& params) {
    if (!line_width) throw std::invalid_argument("break_lines: no line_width function");
    return Breaker(items, line_width, params).run();
}

} // namespace imprenta::pdf

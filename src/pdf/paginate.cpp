#include "pdf/paginate.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <string>

namespace imprenta::pdf {

namespace {

constexpr double kEps = 0.01;

// A run of one footnote's lines placed on a page.
struct Segment {
    int note;
    size_t from, to; // lines [from, to)
};

double lines_height(const NoteBody& b, size_t from, size_t to) {
    double h = 0;
    for (size_t i = from; i < to; ++i)
        h += b.lines[i].height;
    return h;
}

struct Candidate {
    size_t at = 0;       // break item (or items.size() at the end)
    double height = 0;   // content height above the break
    double stretch = 0;  // glue stretch above the break
    double notes = 0;    // footnote area height, separator included
    size_t segments = 0; // prefix of the scan's segments
    size_t deferred = 0; // prefix of the scan's deferred floats
    size_t scaled = 0;   // prefix of the scan's scaled figures
    double cost = 0;
    bool forced = false;
};

} // namespace

std::vector<PageBuild> paginate(const std::vector<VItem>& items, const std::vector<NoteBody>& notes,
                                const PageSpec& spec) {
    using K = VItem::Kind;
    const double H = spec.height;
    const size_t n = items.size();
    std::vector<PageBuild> pages;
    std::vector<bool> note_done(notes.size(), false);
    std::deque<size_t> floats;    // figures waiting for the top of a page
    std::vector<Segment> carried; // footnote lines continued from the last page
    size_t pos = 0;
    // Boxes and their height from each item to the chapter's end: what a break leaves over.
    std::vector<size_t> boxes_after(n + 1, 0);
    std::vector<double> height_after(n + 1, 0);
    for (size_t k = n; k-- > 0;) {
        bool box = items[k].kind == K::Box;
        boxes_after[k] = boxes_after[k + 1] + (box ? 1 : 0);
        height_after[k] = height_after[k + 1] + (box ? items[k].height : 0);
    }
    const size_t min_end = size_t(std::max(spec.chapter_end_min_lines, 0));

    while (true) {
        while (pos < n && items[pos].kind != K::Box)
            ++pos;
        if (pos >= n && floats.empty() && carried.empty()) break;

        std::vector<Segment> segs;
        double nh = 0;
        // 1. Footnote lines continued from the previous page (at most half of this one).
        std::vector<Segment> still_carried;
        for (const Segment& c : carried) {
            if (!still_carried.empty()) {
                still_carried.push_back(c);
                continue;
            }
            const NoteBody& b = notes[c.note];
            size_t to = c.from;
            double h = nh == 0 ? spec.note_sep : 0;
            while (to < c.to && (nh + h + b.lines[to].height <= H / 2 || to == c.from)) {
                h += b.lines[to].height;
                ++to;
            }
            segs.push_back({c.note, c.from, to});
            nh += h;
            if (to < c.to) still_carried.push_back({c.note, to, c.to});
        }

        // 2. Figures deferred from the previous page go first.
        struct TopFloat {
            size_t item;
            double scale, height;
        };
        std::vector<TopFloat> top;
        double y = 0;
        while (!floats.empty()) {
            const VItem& f = items[floats.front()];
            double avail = H - y - nh;
            double s = 1;
            double fixed = f.height - f.image_h;
            if (f.height > avail + kEps) {
                double fit = f.image_h > 0 ? (avail - fixed) / f.image_h : 0;
                if (top.empty())
                    s = std::clamp(fit, 0.05, 1.0);
                else if (fit >= f.min_scale)
                    s = fit;
                else
                    break;
            }
            double h = fixed + s * f.image_h;
            top.push_back({floats.front(), s, h});
            floats.pop_front();
            y += h + spec.float_sep;
            for (int nn : f.notes)
                if (!note_done[nn]) {
                    segs.push_back({nn, 0, notes[nn].lines.size()});
                    nh += (nh == 0 ? spec.note_sep : 0) +
                          lines_height(notes[nn], 0, notes[nn].lines.size());
                    note_done[nn] = true;
                }
        }

        // 3. Scan forward, recording every legal break until the page overflows.
        std::vector<Candidate> cands;
        std::vector<size_t> deferred;
        std::vector<std::pair<size_t, double>> scaled;
        std::vector<bool> pending(notes.size(), false); // notes already on this page's scan
        double h = y, stretch = 0;
        bool placed = !top.empty();
        // A table continued from the last page gets its header rows again.
        double repeat_h = 0;
        if (pos < n && items[pos].repeat && items[pos].repeat_h < H / 2) {
            repeat_h = items[pos].repeat_h;
            h += repeat_h;
        }
        bool stop_at_break = false, deferring = false;
        auto candidate = [&](size_t at, double pen, bool forced) {
            Candidate c;
            c.at = at;
            c.height = h;
            c.stretch = stretch;
            c.notes = nh;
            c.segments = segs.size();
            c.deferred = deferred.size();
            c.scaled = scaled.size();
            c.forced = forced;
            double free = std::max(0.0, H - h - nh - stretch);
            double short_lines = free / spec.line;
            if (at < n && items[at].kind == K::Penalty && items[at].broken)
                pen += pages.size() % 2 == 0 ? spec.broken_turn_penalty : spec.broken_penalty;
            c.cost = (forced ? 0 : std::clamp(pen, -kForbid + 1, kForbid)) +
                     100 * short_lines * short_lines;
            if (pen >= kForbid && !forced) c.cost += kForbid; // only when nothing else is left
            // A chapter's last page with a line or two: break earlier, as a page some lines
            // short costs less.
            if (!forced && boxes_after[at] > 0 && boxes_after[at] < min_end &&
                height_after[at] < H / 2)
                c.cost += kForbid / 2;
            cands.push_back(c);
        };
        size_t j = pos;
        for (; j < n; ++j) {
            const VItem& it = items[j];
            if (it.kind == K::Penalty) {
                if (!placed) continue;
                if (it.penalty <= kForce) {
                    candidate(j, it.penalty, true);
                    break;
                }
                candidate(j, it.penalty, false);
                if (stop_at_break) break;
                continue;
            }
            if (it.kind == K::Glue) {
                if (placed && j > 0 && items[j - 1].kind == K::Box) {
                    candidate(j, 0, false);
                    if (stop_at_break) break;
                }
                if (placed) {
                    h += it.height;
                    stretch += it.stretch;
                }
                continue;
            }
            // A box: its footnotes come with it.
            std::vector<int> fresh;
            double need = 0;
            for (int nn : it.notes)
                if (nn >= 0 && size_t(nn) < notes.size() && !note_done[nn] && !pending[nn]) {
                    fresh.push_back(nn);
                    need += lines_height(notes[nn], 0, notes[nn].lines.size());
                }
            double sep = (nh == 0 && need > 0) ? spec.note_sep : 0;
            auto add_notes = [&](bool all) {
                double room = H - h - it.height - nh - sep;
                for (int nn : fresh) {
                    pending[nn] = true;
                    const NoteBody& b = notes[nn];
                    size_t to = 0;
                    if (all) {
                        to = b.lines.size();
                    } else {
                        while (to < b.lines.size() && b.lines[to].height <= room + kEps) {
                            room -= b.lines[to].height;
                            ++to;
                        }
                    }
                    segs.push_back({nn, 0, to});
                    nh += lines_height(b, 0, to);
                    if (!all) room = 0;
                }
                nh += sep;
            };
            if (deferring && it.floatable) { // figures keep their order
                deferred.push_back(j);
                continue;
            }
            if (h + it.height + nh + sep + need <= H + kEps) {
                h += it.height;
                add_notes(true);
                placed = true;
                continue;
            }
            if (it.floatable && it.image_h > 0) {
                double fixed = it.height - it.image_h;
                double s = (H - h - nh - sep - need - fixed) / it.image_h;
                if (s >= it.min_scale) {
                    scaled.push_back({j, s});
                    h += fixed + s * it.image_h;
                    add_notes(true);
                    placed = true;
                    continue;
                }
                if (placed) {
                    deferred.push_back(j);
                    deferring = true;
                    continue;
                }
                s = std::clamp(s, 0.05, 1.0);
                scaled.push_back({j, s});
                h += fixed + s * it.image_h;
                add_notes(false);
                placed = true;
                stop_at_break = true;
                continue;
            }
            // The line fits but its notes do not: split them when two lines or more fit here.
            if (need > 0 && h + it.height + nh + sep <= H + kEps) {
                double room = H - h - it.height - nh - sep;
                const NoteBody& b = notes[fresh.front()];
                size_t fit = 0;
                while (fit < b.lines.size() && lines_height(b, 0, fit + 1) <= room + kEps)
                    ++fit;
                if (fit >= 2 || !placed) {
                    h += it.height;
                    add_notes(false);
                    placed = true;
                    stop_at_break = true;
                    continue;
                }
            }
            if (!placed) { // taller than a page: it has to go somewhere
                h += it.height;
                add_notes(false);
                placed = true;
                stop_at_break = true;
                continue;
            }
            break; // overflow
        }
        if (j >= n) {
            candidate(n, 0, true);
        }

        PageBuild page;
        if (cands.empty()) { // only deferred floats or carried notes: an almost empty page
            candidate(j, 0, true);
        }
        const Candidate* best = &cands.front();
        for (const auto& c : cands)
            if (c.cost <= best->cost) best = &c;

        // Commit: figures at the top, then the flow, glue stretched for a flush bottom.
        for (const auto& t : top)
            page.items.push_back({t.item, 0, t.scale, t.height});
        double yy = 0;
        for (auto& p : page.items) {
            p.y = yy;
            yy += p.height + spec.float_sep;
        }
        if (repeat_h > 0) {
            page.items.push_back({pos, yy, 1, repeat_h, true});
            yy += repeat_h;
        }
        double free = H - best->height - best->notes;
        double ratio = 0;
        // As TeX's \flushbottom: every page but a chapter's last ends at the foot, its glue
        // (between paragraphs, around headings and figures) stretched as far as that takes;
        // lines are never spaced out. Facing pages thus end on the same baseline.
        if (spec.flush_bottom && !best->forced && best->stretch > 0 && free > 0)
            ratio = free / best->stretch;
        std::vector<size_t> moved(deferred.begin(), deferred.begin() + long(best->deferred));
        std::vector<std::pair<size_t, double>> shrunk(scaled.begin(),
                                                      scaled.begin() + long(best->scaled));
        bool seen_box = !top.empty();
        for (size_t k = pos; k < best->at && k < n; ++k) {
            const VItem& it = items[k];
            if (std::find(moved.begin(), moved.end(), k) != moved.end()) continue;
            if (it.kind == K::Penalty) continue;
            if (it.kind == K::Glue) {
                if (!seen_box) continue;
                yy += it.height + ratio * it.stretch;
                continue;
            }
            double s = 1;
            for (const auto& sc : shrunk)
                if (sc.first == k) s = sc.second;
            double hh = it.height - (1 - s) * it.image_h;
            page.items.push_back({k, yy, s, hh});
            yy += hh;
            seen_box = true;
        }
        for (size_t f : moved)
            floats.push_back(f);
        std::sort(floats.begin(), floats.end());

        // Footnotes: stacked at the foot of the text block, in the order they were called.
        std::vector<Segment> placed_segs(segs.begin(), segs.begin() + long(best->segments));
        if (!placed_segs.empty()) {
            double total = spec.note_sep;
            for (const auto& s : placed_segs)
                total += lines_height(notes[s.note], s.from, s.to);
            page.notes_top = H - total;
            double ny = page.notes_top + spec.note_sep;
            for (const auto& s : placed_segs)
                for (size_t l = s.from; l < s.to; ++l) {
                    page.notes.push_back({s.note, l, ny});
                    ny += notes[s.note].lines[l].height;
                }
        }
        // What is carried on: lines this page had no room for, then earlier carries.
        std::vector<Segment> next = still_carried;
        for (const auto& s : placed_segs) {
            size_t full = notes[s.note].lines.size();
            bool carried_part = false;
            for (const auto& c : carried)
                if (c.note == s.note) carried_part = true;
            if (!carried_part) note_done[s.note] = true;
            if (s.to < full && !carried_part) next.push_back({s.note, s.to, full});
        }
        carried = std::move(next);

        size_t progress = best->at;
        if (page.items.empty() && page.notes.empty() && progress <= pos) {
            // Nothing fits at all (cannot happen with sane input); skip one item, never loop.
            progress = pos + 1;
        }
        pos = progress;
        pages.push_back(std::move(page));
    }
    return pages;
}

} // namespace imprenta::pdf

namespace imprenta::pdf {

namespace {

// Index of the last item placed on a page (the flow's, not a repeated header), or npos.
size_t last_item(const PageBuild& p) {
    size_t last = std::string::npos;
    for (const auto& pl : p.items)
        if (!pl.repeat && (last == std::string::npos || pl.item > last)) last = pl.item;
    return last;
}

// Lines missing at the foot of a page.
double short_lines(const PageBuild& p, const PageSpec& spec) {
    double bottom = 0;
    for (const auto& pl : p.items)
        bottom = std::max(bottom, pl.y + pl.height);
    double foot = p.notes.empty() ? spec.height : p.notes_top;
    double free = foot - bottom;
    return free > spec.line * 0.5 ? free / spec.line : 0;
}

bool ends_broken(const std::vector<VItem>& items, const PageBuild& p) {
    size_t last = last_item(p);
    return last != std::string::npos && last + 1 < items.size() &&
           items[last + 1].kind == VItem::Kind::Penalty && items[last + 1].broken;
}

size_t boxes_on(const PageBuild& p) {
    size_t n = 0;
    for (const auto& pl : p.items)
        n += !pl.repeat;
    return n;
}

} // namespace

double pages_cost(const std::vector<VItem>& items, const std::vector<PageBuild>& pages,
                  const PageSpec& spec) {
    double cost = 0;
    for (size_t k = 0; k + 1 < pages.size(); ++k) {
        // Cubed, not squared as when a page is chosen: a refit must not trade a hyphen at a
        // page's foot for a page that ends lines above the one facing it.
        double s = short_lines(pages[k], spec);
        cost += 100 * s * s * s;
        if (ends_broken(items, pages[k]))
            cost += k % 2 == 0 ? spec.broken_turn_penalty : spec.broken_penalty;
    }
    if (!pages.empty() && pages.size() > 1 &&
        boxes_on(pages.back()) < size_t(std::max(spec.chapter_end_min_lines, 0)))
        cost += kForbid / 2;
    return cost;
}

std::vector<std::map<int, int>> refits(const std::vector<VItem>& items,
                                       const std::vector<PageBuild>& pages, const PageSpec& spec) {
    std::vector<std::map<int, int>> out;
    auto blocks_of = [&](const PageBuild& p) {
        std::vector<int> b;
        for (const auto& pl : p.items)
            if (!pl.repeat && items[pl.item].baseline > 0 &&
                (b.empty() || b.back() != items[pl.item].block))
                b.push_back(items[pl.item].block);
        return b;
    };
    // Only a hyphen priced above TeX's own \brokenpenalty is worth laying the chapter out again.
    constexpr double kVersoRefit = 100.5;
    // Few paragraphs can change their length within the tolerance, so a try sets many.
    auto all = [](const std::vector<int>& blocks, int l) {
        std::map<int, int> m;
        for (int b : blocks)
            m[b] = l;
        return m;
    };
    for (size_t k = 0; k + 1 < pages.size(); ++k) {
        double price = k % 2 == 0 ? spec.broken_turn_penalty : spec.broken_penalty;
        if (price < kVersoRefit || !ends_broken(items, pages[k])) continue;
        std::vector<int> here = blocks_of(pages[k]);
        std::vector<int> before = k > 0 ? blocks_of(pages[k - 1]) : std::vector<int>{};
        out.push_back(all(here, 1));
        before.insert(before.end(), here.begin(), here.end());
        out.push_back(all(before, -1));
        if (here.size() > 1) {
            out.push_back(all({here.begin(), here.end() - 1}, 1));
            out.push_back(all({here.end() - 1, here.end()}, 1));
        }
    }
    size_t n = pages.size();
    if (n >= 2 && spec.chapter_end_min_lines > 0 && short_lines(pages[n - 2], spec) >= 1) {
        std::vector<int> last_two = blocks_of(pages[n - 2]), last = blocks_of(pages[n - 1]);
        out.push_back(all(last_two, 1));
        last_two.insert(last_two.end(), last.begin(), last.end());
        out.push_back(all(last_two, -1));
    }
    return out;
}

} // namespace imprenta::pdf

#include "pdf/chapter_builder.h"
#include "pdf/image_res.h"

#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf::chapter {

void ChapterBuilder::list(const doc::Block& b, const Frame& f) {
    bool nested = f.list_depth > 0;
    if (!nested)
        space_around();
    else
        glue(b.tight ? 0 : 0.3 * L(), 0);
    // Hanging markers: widest number decides the indent of ordered lists.
    InlineStyle s = style(f);
    std::vector<std::string> markers;
    int n = 0;
    for (const auto& item : b.children) {
        std::string m;
        if (item.task >= 0)
            m = item.task ? drawable_or(fonts_, "\u2611", "[x]")
                          : drawable_or(fonts_, "\u2610", "[ ]");
        else if (b.ordered)
            m = std::to_string(b.start + n) + ".";
        else {
            static const char* bullets[] = {"\u2022", "\u2013", "\u2217", "\u00b7"};
            static const char* plain[] = {"*", "-", "*", "-"};
            int d = std::min(f.list_depth, 3);
            m = drawable_or(fonts_, bullets[d], plain[d]);
        }
        markers.push_back(m);
        ++n;
    }
    double widest = 0;
    for (const auto& m : markers)
        widest = std::max(widest, typeset_plain(m, s).width);
    double gap = f.size * 0.5;
    double indent = std::max(f.size * 1.5, widest + gap);
    Frame inner = inset(f, indent, 0);
    inner.list_depth = f.list_depth + 1;
    inner.indent = false;
    for (size_t i = 0; i < b.children.size(); ++i) {
        const doc::Block& item = b.children[i];
        if (i > 0) {
            if (b.tight)
                penalty(0);
            else
                glue(0.3 * L(), 0.1 * L());
        }
        size_t start = list_->size();
        int outer = parent_;
        parent_ = node(Role::LI);
        int lbl = node(Role::Lbl), body = node(Role::LBody);
        parent_ = body;
        path_.push_back(int(i));
        children(item.children, inner);
        parent_ = outer;
        claim(start, body);
        if (item.children.empty()) {
            VItem v;
            v.height = f.leading;
            v.baseline = typeset_plain("x", s).baseline;
            box(std::move(v));
        }
        path_.pop_back();
        // The marker hangs in the indent, on the item's first baseline.
        for (size_t k = start; k < list_->size(); ++k) {
            VItem& v = (*list_)[k];
            if (v.kind != VItem::Kind::Box) continue;
            TypesetLine m = typeset_plain(markers[i], s);
            double bl = v.baseline > 0 ? v.baseline : m.baseline;
            double x = std::max(f.x, inner.x - gap - m.width);
            Paint p = std::move(m.paint);
            p.claim(lbl);
            v.paint.take(std::move(p), x, bl - m.baseline);
            break;
        }
        if (!item.id.empty()) anchor_next(item.id, start);
    }
    if (!nested)
        space_around();
    else
        glue(b.tight ? 0 : 0.3 * L(), 0);
}

void ChapterBuilder::code(const doc::Block& b, const Frame& f) {
    space_around();
    double cs = f.size * 0.85, cl = cs * 1.32;
    double pad_x = cs * 0.6, pad_y = cl * 0.35;
    double avail = f.width - 2 * pad_x;
    std::string marker = fonts_.can_draw(Face::Mono, 0x21AA) ? "\u21aa" : "\u00bb";
    ShapeSpec mono{Face::Mono, cs, style(f).lang, false};
    double marker_w = shape(fonts_, mono, marker + " ", nullptr).width;
    const Font& mf = fonts_.file(Face::Mono);
    double baseline = (cl - (mf.ascent() + mf.descent()) * cs) / 2 + mf.ascent() * cs;

    auto bg_box = [&](double h) {
        VItem v;
        v.height = h;
        v.paint.rects.push_back({f.x, 0, f.width, h, kCodeBg});
        return v;
    };
    // Source lines, tabs expanded, each wrapped at the margin with a continuation marker.
    std::vector<std::pair<std::string, bool>> rows; // text, is continuation
    std::vector<int> row_at; // where each row's source line starts in b.text (page map)
    size_t pos = 0;
    const std::string& text = b.text;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line;
        int col = 0;
        for (size_t i = pos; i < nl;) {
            char32_t cp = util::next_code_point(text, i);
            if (cp == '\t') {
                int n = 4 - col % 4;
                line.append(size_t(n), ' ');
                col += n;
            } else if (cp != '\r') {
                util::append_utf8(line, cp);
                ++col;
            }
        }
        // Wrap.
        bool cont = false;
        while (true) {
            double limit = cont ? avail - marker_w : avail;
            double w = 0;
            size_t i = 0, cut = std::string::npos, last_space = std::string::npos;
            while (i < line.size()) {
                size_t at = i;
                char32_t cp = util::next_code_point(line, i);
                FontId fid;
                double cw = fonts_.resolve(Face::Mono, cp, mono.lang, fid)
                                ? fonts_.font(fid).advance(fonts_.font(fid).glyph(cp)) * cs / 1000
                                : fonts_.char_width(Face::Mono, '?', cs);
                if (w + cw > limit && at > 0) {
                    cut = at;
                    break;
                }
                w += cw;
                if (cp == ' ') last_space = i;
            }
            // A source line wrapped across a page belongs to the page it starts on.
            row_at.push_back(cont ? kNoWord : int(pos));
            if (cut == std::string::npos) {
                rows.push_back({line, cont});
                break;
            }
            // Prefer a space near the end of the line to a cut inside a word.
            if (last_space != std::string::npos && last_space > cut * 3 / 4) cut = last_space;
            rows.push_back({line.substr(0, cut), cont});
            line = line.substr(cut);
            cont = true;
        }
        if (nl >= text.size()) break;
        pos = nl + 1;
    }
    box(bg_box(pad_y));
    size_t n = rows.size();
    for (size_t i = 0; i < n; ++i) {
        // Keep two lines together at both ends of the block.
        if (i > 0) penalty(i == 1 || i + 1 == n ? kForbid : 0);
        VItem v = bg_box(cl);
        v.baseline = baseline;
        v.at = row_at[i];
        double x = f.x + pad_x;
        if (rows[i].second) {
            v.paint.add_text(x, baseline, cs, kGrey, shape(fonts_, mono, marker, nullptr));
            x += marker_w;
        }
        v.paint.add_text(x, baseline, cs, {}, shape(fonts_, mono, rows[i].first, &out_.missing));
        if (i == 0 && !b.id.empty()) v.paint.anchors.push_back({0, ci_, b.id});
        box(std::move(v));
    }
    penalty(kForbid);
    box(bg_box(pad_y));
    space_around();
}

void ChapterBuilder::thematic(const Frame& f) {
    space_around();
    VItem v;
    v.height = L() * 1.2;
    InlineStyle s = style(f);
    std::string orn = drawable_or(fonts_, "\u2042", "*\u2002\u2002*\u2002\u2002*");
    if (orn == "*\u2002\u2002*\u2002\u2002*" && !fonts_.can_draw(Face::Regular, 0x2002))
        orn = "*   *   *";
    TypesetLine t = typeset_plain(orn, s);
    double y = (v.height - t.height) / 2;
    v.paint.take(std::move(t.paint), f.x + (f.width - t.width) / 2, y);
    box(std::move(v));
    keep_ = 1; // never alone at a page's foot
    space_around();
}

void ChapterBuilder::figure(int asset, const std::vector<doc::Inline>* caption, const Frame& f,
                            const std::string& id, const std::string& alt) {
    const ImageSizes& im = *env_.images;
    bool usable = im.usable(asset);
    int fig = node(Role::Figure, alt);
    VItem v;
    double w = 0, h = 0;
    if (usable) {
        PrintSize s =
            figure_size(geo_, f.width, im.width[asset], im.height[asset], caption != nullptr);
        if (f.image_share > 0) { // hugo-book's size class: a share of the measure
            double k = s.w > 0 ? f.width * f.image_share / s.w : 1.0;
            s.w *= k;
            s.h *= k;
            double max_h = geo_.text_h() * (caption ? 0.62 : 0.72);
            if (s.h > max_h) {
                s.w *= max_h / s.h;
                s.h = max_h;
            }
        }
        w = s.w;
        h = s.h;
        double x = f.image_align == 'l'   ? f.x
                   : f.image_align == 'r' ? f.x + f.width - w
                                          : f.x + (f.width - w) / 2;
        v.paint.images.push_back({x, 0, w, h, asset, fig});
        v.floatable = true;
        v.image_h = h;
        v.image_y = 0;
        v.min_scale = std::min(1.0, std::max(0.55, 3 * L() / h));
    }
    double y = h;
    if (caption && !caption->empty()) {
        if (usable) y += 0.45 * L();
        Frame cf = f;
        cf.size = f.size * 0.9;
        cf.leading = f.leading * 0.9;
        InlineStyle s = style(cf);
        s.italic = true;
        ParagraphSpec spec;
        spec.width = f.width;
        spec.align = TextAlign::Center;
        spec.hyphenate = false;
        int outer = parent_;
        parent_ = fig;
        int cap = node(Role::Caption);
        parent_ = outer;
        for (auto& l : typeset(*caption, s, spec)) {
            for (int nn : l.notes)
                v.notes.push_back(nn);
            l.paint.claim(cap);
            v.paint.take(std::move(l.paint), f.x, y);
            y += l.height;
        }
    }
    if (y <= 0) return;
    v.height = y;
    if (!id.empty()) v.paint.anchors.push_back({0, ci_, id});
    box(std::move(v));
}

void ChapterBuilder::figure_block(const doc::Block& b, const Frame& f) {
    space_around();
    int asset = -1, count = 0;
    for (const auto& c : b.children) {
        int a = c.kind == doc::BlockKind::Paragraph ? lone_image(c) : -1;
        if (a != -1) {
            asset = a;
            ++count;
        } else {
            count = 99;
        }
    }
    if (count == 1) {
        std::string alt;
        for (const auto& c : b.children)
            alt = lone_image_alt(c);
        figure(asset, &b.inlines, f, b.id, alt);
    } else {
        // Several images or other content: a group whose caption follows it.
        size_t start = list_->size();
        int outer = parent_;
        int group = node(Role::Div);
        parent_ = group;
        children(b.children, f);
        if (!b.inlines.empty()) {
            Frame cf = f;
            cf.size = f.size * 0.9;
            cf.leading = f.leading * 0.9;
            penalty(kForbid);
            size_t at = list_->size();
            int cap = node(Role::Caption);
            paragraph(b.inlines, cf, false, "", TextAlign::Center, false, true);
            claim(at, cap);
        }
        parent_ = outer;
        claim(start, group);
    }
    space_around();
}

doc::Block ChapterBuilder::column_group(const doc::Block& b, size_t first, size_t last) {
    doc::Block g;
    g.kind = b.kind;
    g.line = b.line;
    g.header_rows = b.header_rows;
    if (first == 0) g.id = b.id;
    for (size_t c = first; c < last && c < b.aligns.size(); ++c)
        g.aligns.push_back(b.aligns[c]);
    for (const auto& r : b.rows) {
        doc::TableRow row;
        for (size_t c = first; c < last && c < r.cells.size(); ++c)
            row.cells.push_back(r.cells[c]);
        g.rows.push_back(std::move(row));
    }
    return g;
}

void ChapterBuilder::table(const doc::Block& b, const Frame& f, double size) {
    size_t ncols = 0;
    for (const auto& r : b.rows)
        ncols = std::max(ncols, r.cells.size());
    if (ncols == 0) return;
    if (size == 0) {
        Frame probe = f;
        probe.size = f.size * 0.9;
        InlineStyle body = style(probe), head = body;
        head.bold = true;
        std::vector<double> mins(ncols, probe.size);
        for (size_t r = 0; r < b.rows.size(); ++r)
            for (size_t c = 0; c < b.rows[r].cells.size(); ++c)
                mins[c] = std::max(
                    mins[c],
                    measure(b.rows[r].cells[c].inlines, int(r) < b.header_rows ? head : body).min);
        TableFit fit = fit_table(mins, probe.size, probe.size * 1.2, f.width);
        if (fit.size < kTableWarnSize || fit.group_starts.size() > 1)
            out_.small_tables.push_back({b.line, fit.size, fit.group_starts.size(), ncols});
        for (size_t g = 0; g < fit.group_starts.size(); ++g) {
            size_t first = fit.group_starts[g];
            size_t last = g + 1 < fit.group_starts.size() ? fit.group_starts[g + 1] : ncols;
            if (fit.group_starts.size() == 1) {
                table(b, f, fit.size);
            } else {
                col_base_ = int(first);
                table(column_group(b, first, last), f, fit.size);
                col_base_ = 0;
            }
        }
        return;
    }
    space_around();
    Frame tf = f;
    tf.size = size;
    tf.leading = tf.size * 1.25;
    double colsep = tf.size * 1.2, pad_y = tf.leading * 0.15;
    InlineStyle body = style(tf), head = body;
    head.bold = true;
    auto is_head = [&](size_t r) { return int(r) < b.header_rows; };

    std::vector<double> mins(ncols, 0), maxs(ncols, 0);
    for (size_t r = 0; r < b.rows.size(); ++r)
        for (size_t c = 0; c < b.rows[r].cells.size(); ++c) {
            InlineWidths w = measure(b.rows[r].cells[c].inlines, is_head(r) ? head : body);
            mins[c] = std::max(mins[c], w.min);
            maxs[c] = std::max(maxs[c], w.max);
        }
    double avail = f.width - colsep * double(ncols - 1);
    double sum_min = 0, sum_max = 0;
    for (size_t c = 0; c < ncols; ++c) {
        maxs[c] = std::max(maxs[c], tf.size);
        mins[c] = std::min(std::max(mins[c], tf.size), maxs[c]);
        sum_min += mins[c];
        sum_max += maxs[c];
    }
    std::vector<double> widths(ncols);
    for (size_t c = 0; c < ncols; ++c) {
        if (sum_max <= avail)
            widths[c] = maxs[c];
        else if (sum_min >= avail)
            widths[c] = avail * mins[c] / sum_min;
        else
            widths[c] = mins[c] + (maxs[c] - mins[c]) * (avail - sum_min) / (sum_max - sum_min);
    }
    double total = colsep * double(ncols - 1);
    for (double w : widths)
        total += w;
    double x0 = f.x + std::max(0.0, (f.width - total) / 2);

    const double thick = 0.8, thin = 0.45;
    Color black{};
    std::vector<VItem> rows;
    for (size_t r = 0; r < b.rows.size(); ++r) {
        VItem row;
        double x = x0, h = 0;
        std::vector<std::vector<TypesetLine>> cells(ncols);
        std::vector<int> cell_tags(ncols, kUntagged);
        int outer = parent_;
        parent_ = node(Role::TR);
        for (size_t c = 0; c < b.rows[r].cells.size() && c < ncols; ++c)
            cell_tags[c] = node(is_head(r) ? Role::TH : Role::TD);
        parent_ = outer;
        for (size_t c = 0; c < ncols; ++c) {
            if (c < b.rows[r].cells.size()) {
                ParagraphSpec spec;
                spec.width = widths[c];
                spec.hyphenate = false;
                doc::Align a = c < b.aligns.size() ? b.aligns[c] : doc::Align::None;
                spec.align = a == doc::Align::Center  ? TextAlign::Center
                             : a == doc::Align::Right ? TextAlign::Right
                                                      : TextAlign::Left;
                cells[c] = typeset(b.rows[r].cells[c].inlines, is_head(r) ? head : body, spec);
            }
            double ch = 0;
            for (const auto& l : cells[c])
                ch += l.height;
            h = std::max(h, ch);
        }
        h = std::max(h, tf.leading) + 2 * pad_y;
        // The row starts at its first cell's first word (page map).
        if (!b.rows[r].cells.empty()) {
            std::vector<int> cell = path_;
            cell.insert(cell.end(), {int(r), col_base_});
            row.at = 0;
            for (size_t c = 0; c < ncols; ++c)
                if (!cells[c].empty() && cells[c].front().word >= 0) {
                    cell.back() = col_base_ + int(c);
                    row.at = cells[c].front().word;
                    break;
                }
            row.path = path_index(cell);
        }
        for (size_t c = 0; c < ncols; ++c) {
            double y = pad_y;
            for (auto& l : cells[c]) {
                for (int nn : l.notes)
                    row.notes.push_back(nn);
                if (row.baseline == 0) row.baseline = y + l.baseline;
                l.paint.claim(cell_tags[c]);
                row.paint.take(std::move(l.paint), x, y);
                y += l.height;
            }
            x += widths[c] + colsep;
        }
        row.height = h;
        if (r == 0) {
            row.paint.rules.push_back({x0, thick / 2, x0 + total, thick / 2, thick, black});
            if (!b.id.empty()) row.paint.anchors.push_back({0, ci_, b.id});
        }
        bool last = r + 1 == b.rows.size();
        if (last || (b.header_rows > 0 && int(r) + 1 == b.header_rows)) {
            double w = last ? thick : thin;
            row.paint.rules.push_back({x0, h - w / 2, x0 + total, h - w / 2, w, black});
        }
        rows.push_back(std::move(row));
    }
    // Header rows are repeated above a row that opens a page (without anchors or links).
    std::shared_ptr<Paint> head_paint;
    double head_h = 0;
    if (b.header_rows > 0 && size_t(b.header_rows) < rows.size()) {
        head_paint = std::make_shared<Paint>();
        for (int r = 0; r < b.header_rows; ++r) {
            Paint copy = rows[r].paint;
            copy.anchors.clear();
            copy.links.clear();
            copy.outlines.clear();
            head_paint->take(std::move(copy), 0, head_h);
            head_h += rows[r].height;
        }
    }
    for (size_t r = 0; r < rows.size(); ++r) {
        bool last = r + 1 == rows.size();
        // Never break inside the header, nor leave fewer than two body rows on either side.
        bool keep = is_head(r) || int(r) == b.header_rows || int(r) == b.header_rows + 1 || last;
        if (r > 0) penalty(keep ? kForbid : 0);
        if (head_paint && !is_head(r)) {
            rows[r].repeat = head_paint;
            rows[r].repeat_h = head_h;
        }
        box(std::move(rows[r]));
    }
    space_around();
}
} // namespace imprenta::pdf::chapter

#include "pdf/boxes.h"

#include "pdf/chapter_builder.h"

#include <algorithm>
#include <map>
#include <qrencode.h>

namespace imprenta::pdf {

std::vector<bool> qr_modules(const std::string& text, int& size) {
    size = 0;
    QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!qr) return {};
    size = qr->width;
    std::vector<bool> out(size_t(size) * size_t(size));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = qr->data[i] & 1;
    QRcode_free(qr);
    return out;
}

void draw_box_frames(const PageBuild& page, const std::vector<VItem>& items, Paint& paint,
                     double x0, double y0) {
    // Each frame's extent on this page, in the order first met (outer boxes first).
    std::vector<const BoxFrame*> order;
    std::map<const BoxFrame*, std::pair<double, double>> extent;
    for (const auto& pl : page.items) {
        if (pl.repeat) continue;
        for (const auto& fr : items[pl.item].frames) {
            auto [it, fresh] = extent.emplace(fr.get(), std::pair{pl.y, pl.y + pl.height});
            if (fresh) order.push_back(fr.get());
            it->second.first = std::min(it->second.first, pl.y);
            it->second.second = std::max(it->second.second, pl.y + pl.height);
        }
    }
    // Tints under everything, the outermost lowest.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const BoxFrame& f = **it;
        auto [top, bottom] = extent[&f];
        if (f.filled) paint.prepend_rect({x0 + f.x, y0 + top, f.width, bottom - top, f.fill});
    }
    for (const BoxFrame* f : order) {
        auto [top, bottom] = extent[f];
        double l = x0 + f->x, r = l + f->width, t = y0 + top, b = y0 + bottom;
        if (f->left_rule > 0) {
            double x = l + f->left_rule / 2;
            paint.rules.push_back({x, t, x, b, f->left_rule, f->line});
        }
        if (f->frame > 0) {
            double h = f->frame / 2;
            paint.rules.push_back({l, t + h, r, t + h, f->frame, f->line});
            paint.rules.push_back({l, b - h, r, b - h, f->frame, f->line});
            paint.rules.push_back({l + h, t, l + h, b, f->frame, f->line});
            paint.rules.push_back({r - h, t, r - h, b, f->frame, f->line});
        }
    }
}

namespace chapter {

namespace {

bool has_token(const std::string& style, std::string_view token) {
    size_t pos = 0;
    while (pos < style.size()) {
        size_t end = style.find(' ', pos);
        if (end == std::string::npos) end = style.size();
        if (std::string_view(style).substr(pos, end - pos) == token) return true;
        pos = end + 1;
    }
    return false;
}

// Colours of the EPUB's style sheet (templates/epub/style.css), by the hint's kind.
AsideColors kind_colors(const std::string& style) {
    std::string kind = style.substr(0, style.find(' '));
    if (kind == "info" || kind == "note") return {{0.93f, 0.957f, 0.98f}, {0.29f, 0.5f, 0.71f}};
    if (kind == "success" || kind == "tip")
        return {{0.933f, 0.969f, 0.937f}, {0.25f, 0.56f, 0.31f}};
    if (kind == "important") return {{0.957f, 0.937f, 0.98f}, {0.48f, 0.32f, 0.67f}};
    if (kind == "warning") return {{0.992f, 0.973f, 0.9f}, {0.85f, 0.64f, 0.0f}};
    if (kind == "danger" || kind == "caution" || kind == "error")
        return {{0.984f, 0.933f, 0.925f}, {0.75f, 0.22f, 0.17f}};
    return {{0.95f, 0.96f, 0.97f}, {0.48f, 0.55f, 0.64f}};
}

// The first external link's address in `blocks`.
std::string first_url(const std::vector<doc::Inline>& inlines) {
    for (const auto& in : inlines) {
        if (in.kind == doc::InlineKind::Link && !in.target.url.empty()) return in.target.url;
        if (auto u = first_url(in.children); !u.empty()) return u;
    }
    return {};
}
std::string first_url(const std::vector<doc::Block>& blocks) {
    for (const auto& b : blocks) {
        if (auto u = first_url(b.inlines); !u.empty()) return u;
        if (auto u = first_url(b.children); !u.empty()) return u;
    }
    return {};
}

// How a block is boxed, or null for a block drawn without a box.
std::shared_ptr<BoxFrame> box_frame_for(const doc::Block& b, const Frame& f) {
    auto fr = std::make_shared<BoxFrame>();
    fr->x = f.x;
    fr->width = f.width;
    if (b.kind == doc::BlockKind::Aside) {
        AsideColors c = kind_colors(b.style);
        fr->fill = c.bg;
        fr->filled = true;
        fr->line = c.rule;
        fr->left_rule = 2.5;
        return fr;
    }
    bool framed = b.kind == doc::BlockKind::Details ||
                  (b.kind == doc::BlockKind::Division &&
                   (has_token(b.style, "card") || has_token(b.style, "columns")));
    if (framed) {
        fr->fill = {0.985f, 0.985f, 0.985f};
        fr->filled = true;
        fr->line = {0.72f, 0.72f, 0.72f};
        fr->frame = 0.6;
        return fr;
    }
    if (b.kind == doc::BlockKind::Division && has_token(b.style, "steps")) {
        fr->line = {0.72f, 0.72f, 0.72f};
        fr->left_rule = 1.5;
        return fr;
    }
    return nullptr;
}

} // namespace

void ChapterBuilder::qr_code(const std::string& url, const Frame& f) {
    int n = 0;
    auto modules = qr_modules(url, n);
    if (n == 0) return;
    double m = std::max(1.1, 3.2 * L() / n); // about three lines tall, never under 1.1 pt a module
    VItem v;
    double top = 0.25 * L() + 2 * m;
    // A white quiet zone of two modules, so that the box's tint does not confuse a reader.
    v.paint.rects.push_back({f.x, top - 2 * m, (n + 4) * m, (n + 4) * m, {1, 1, 1}});
    double left = f.x + 2 * m;
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n;) {
            if (!modules[size_t(row) * n + col]) {
                ++col;
                continue;
            }
            int run = col;
            while (run < n && modules[size_t(row) * n + run])
                ++run;
            v.paint.rects.push_back({left + col * m, top + row * m, (run - col) * m, m, {}});
            col = run;
        }
    v.height = top + (n + 2) * m;
    penalty(kForbid); // with the link above it
    box(std::move(v));
}

void ChapterBuilder::boxed(const doc::Block& b, const Frame& f) {
    auto frame = box_frame_for(b, f);
    if (!frame) {
        children(b.children, f);
        return;
    }
    space_around();
    double pad = f.size * 0.8;
    Frame in = inset(f, frame->left_rule + pad, frame->frame > 0 ? pad : pad * 0.5);
    if (frame->frame == 0 && !frame->filled) in = inset(f, frame->left_rule + pad, 0);
    in.indent = true;
    size_t start = list_->size();
    int keep = keep_;
    double strut = frame->filled ? 0.45 * L() : 0.1 * L();
    box(VItem::box(strut));
    keep_ = keep;
    if (!b.inlines.empty()) {
        paragraph(b.inlines, in, false, "", TextAlign::Left, true);
        glue(0.25 * L(), 0);
        keep_ = std::max(keep_, 2);
    }
    if (has_token(b.style, "columns")) {
        // Side by side on the site; one after another here, each a paragraph of its own.
        in.indent = false;
        for (size_t k = 0; k < b.children.size(); ++k) {
            if (k) glue(0.35 * L(), 0);
            children(std::span(b.children).subspan(k, 1), in, int(k));
        }
    } else {
        children(b.children, in);
    }
    if (b.kind == doc::BlockKind::Aside && b.style.find(" media") != std::string::npos)
        if (auto url = first_url(b.children); !url.empty()) qr_code(url, in);
    penalty(kForbid);
    box(VItem::box(strut));
    // Glue inside becomes a fixed strut (the frame has no holes); a page may break after a strut
    // only between content, so no part of the box is an empty strip at a page's foot or head.
    std::vector<VItem> decorated;
    size_t first_content = std::string::npos, last_content = 0;
    for (size_t i = start; i < list_->size(); ++i) {
        VItem v = std::move((*list_)[i]);
        if (v.kind == VItem::Kind::Glue) {
            if (!decorated.empty() && decorated.back().kind == VItem::Kind::Box) {
                decorated.push_back(VItem::pen(0));
                decorated.back().block = v.block;
            }
            VItem s = VItem::box(v.height);
            s.block = v.block;
            v = std::move(s);
        } else if (v.kind == VItem::Kind::Box && i > start && i + 1 < list_->size()) {
            if (first_content == std::string::npos) first_content = decorated.size();
            last_content = decorated.size();
        }
        if (v.kind == VItem::Kind::Box) v.frames.insert(v.frames.begin(), frame);
        decorated.push_back(std::move(v));
    }
    for (size_t k = 0; k < decorated.size(); ++k)
        if (decorated[k].kind == VItem::Kind::Penalty &&
            (first_content == std::string::npos || k < first_content || k > last_content))
            decorated[k].penalty = kForbid;
    list_->resize(start);
    for (auto& v : decorated)
        list_->push_back(std::move(v));
    space_around();
}

} // namespace chapter

} // namespace imprenta::pdf

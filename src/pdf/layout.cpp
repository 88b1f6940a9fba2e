#include "pdf/layout.h"

#include "pdf/chapter_builder.h"
#include "pdf/image_res.h"

#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

std::string drawable_or(const FontSet& fonts, const std::string& wanted, const std::string& plain) {
    for (size_t i = 0; i < wanted.size();) {
        char32_t cp = util::next_code_point(wanted, i);
        if (!fonts.can_draw(Face::Regular, cp)) return plain;
    }
    return wanted;
}

namespace chapter {

ChapterLayout ChapterBuilder::run() {
    note_numbers_.assign(chap_.notes.size(), "");
    collect_note_numbers(chap_.blocks, note_numbers_);
    for (size_t i = 0; i < note_numbers_.size(); ++i)
        if (note_numbers_[i].empty()) note_numbers_[i] = std::to_string(i + 1);

    list_ = &out_.items;
    parent_ =
        out_.structure.add(chap_.kind == doc::ChapterKind::Part ? Role::Part : Role::Sect, -1);
    Frame body = body_frame();
    size_t first = opening();
    for (size_t i = first; i < chap_.blocks.size(); ++i) {
        block_ = int(i);
        path_.assign(1, int(i));
        const doc::Block& b = chap_.blocks[i];
        bool after_par = i > first && chap_.blocks[i - 1].kind == doc::BlockKind::Paragraph &&
                         lone_image(chap_.blocks[i - 1]) == -1;
        one_block(b, body, after_par);
    }
    path_.clear();
    while (!out_.items.empty() && out_.items.back().kind != VItem::Kind::Box)
        out_.items.pop_back();
    // Its text alone fills more pages than a refit would lay out again: the blocks are read
    // for the last time (100,000 notes: the IR's 90 MB go as the notes are laid out).
    bool once = env_.release && too_long_to_refit();
    if (once) {
        env_.release(size_t(ci_), -1);
        out_.blocks_released = true;
    }

    // Footnotes, and notes no line calls (set at the chapter's end rather than lost).
    out_.notes.resize(chap_.notes.size());
    std::vector<bool> called(chap_.notes.size(), false);
    for (const auto& it : out_.items)
        for (int n : it.notes)
            called[n] = true;
    for (size_t n = 0; n < chap_.notes.size(); ++n) {
        note_body(int(n));
        if (once) env_.release(size_t(ci_), int(n));
        if (!called[n] && !out_.items.empty()) out_.items.back().notes.push_back(int(n));
    }
    return std::move(out_);
}

// Boxes that neither shrink (floatable figures) nor exceed a page never share a page's
// height: more of them than kMaxRefitPages pages hold make more pages than that.
bool ChapterBuilder::too_long_to_refit() const {
    double h = 0, page = geo_.text_h();
    for (const auto& it : out_.items)
        if (it.kind == VItem::Kind::Box && !it.floatable && it.height <= page) h += it.height;
    return h > page * double(kMaxRefitPages);
}

Frame ChapterBuilder::body_frame() const {
    Frame f;
    f.width = geo_.text_w();
    f.size = geo_.font_size;
    f.leading = geo_.line();
    return f;
}

InlineStyle ChapterBuilder::style(const Frame& f) {
    InlineStyle s;
    s.fonts = &fonts_;
    s.hyphenator = hyph_;
    s.breaking = &env_.breaking;
    s.images = env_.images;
    s.missing = &out_.missing;
    s.chapter = &chap_;
    s.chapter_index = ci_;
    s.lang = chap_.lang.empty() ? env_.book->meta.language : chap_.lang;
    s.direction = language_direction(s.lang) == 1 ? 1 : -1;
    s.size = f.size;
    s.leading = f.leading;
    return s;
}

void ChapterBuilder::box(VItem v) {
    v.kind = VItem::Kind::Box;
    v.block = block_;
    if (v.path < 0 && !path_.empty() && list_ == &out_.items) v.path = path_index(path_);
    list_->push_back(std::move(v));
    if (keep_ > 0) --keep_;
}

void ChapterBuilder::glue(double h, double stretch) {
    if (list_->empty()) return;
    if (last_is(VItem::Kind::Glue)) {
        VItem& g = list_->back();
        g.height = std::max(g.height, h);
        g.stretch = std::max(g.stretch, stretch);
        return;
    }
    if (keep_ > 0 && last_is(VItem::Kind::Box)) penalty(kForbid);
    VItem g = VItem::glue(h, stretch);
    g.block = block_;
    list_->push_back(g);
}

void ChapterBuilder::penalty(double p) {
    if (list_->empty()) return;
    if (keep_ > 0) p = std::max(p, kForbid);
    if (last_is(VItem::Kind::Penalty)) {
        VItem& q = list_->back();
        q.penalty = (p >= kForbid || q.penalty >= kForbid) ? kForbid : std::min(q.penalty, p);
        return;
    }
    VItem v = VItem::pen(p);
    v.block = block_;
    list_->push_back(v);
}

void ChapterBuilder::lines(std::vector<TypesetLine>&& ls, const Frame& f,
                           const std::string& anchor) {
    size_t n = ls.size();
    for (size_t i = 0; i < n; ++i) {
        if (i > 0) {
            double p = 0;
            if (i == 1 || i + 1 == n) p = kForbid; // orphan (club) / widow
            penalty(p);
            // The page builder prices a break after a hyphen (TeX's \brokenpenalty).
            if (ls[i - 1].hyphenated && last_is(VItem::Kind::Penalty)) list_->back().broken = true;
        }
        VItem v;
        v.height = ls[i].height;
        v.baseline = ls[i].baseline;
        v.notes = std::move(ls[i].notes);
        v.at = ls[i].word;
        if (i == 0 && !anchor.empty()) v.paint.anchors.push_back({0, ci_, anchor});
        v.paint.take(std::move(ls[i].paint), f.x, 0);
        box(std::move(v));
    }
}

void ChapterBuilder::paragraph(const std::vector<doc::Inline>& inlines, const Frame& f, bool indent,
                               const std::string& anchor, TextAlign align, bool bold, bool italic) {
    InlineStyle s = style(f);
    s.bold = bold;
    s.italic = italic;
    ParagraphSpec spec;
    spec.width = f.width;
    spec.indent = indent ? f.size * 1.5 : 0;
    spec.align = f.justify ? align : TextAlign::Left;
    if (auto it = looseness->find(block_); it != looseness->end()) spec.looseness = it->second;
    auto ls = memo ? memo->typeset(inlines, s, spec) : typeset(inlines, s, spec);
    if (ls.empty()) return;
    lines(std::move(ls), f, anchor);
}

void ChapterBuilder::children(std::span<const doc::Block> v, const Frame& f, int base) {
    for (size_t i = 0; i < v.size(); ++i) {
        bool after_par =
            i > 0 && v[i - 1].kind == doc::BlockKind::Paragraph && lone_image(v[i - 1]) == -1;
        path_.push_back(base + int(i));
        one_block(v[i], f, after_par && f.indent);
        path_.pop_back();
    }
}

// The image size classes of hugo-book's image shortcode, as the EPUB's style sheet sizes them.
static Frame image_frame(const std::string& style, const Frame& f) {
    Frame g = f;
    auto has = [&](std::string_view c) {
        for (size_t at = style.find(c); at != std::string::npos; at = style.find(c, at + 1))
            if ((at == 0 || style[at - 1] == ' ') &&
                (at + c.size() == style.size() || style[at + c.size()] == ' '))
                return true;
        return false;
    };
    g.image_share = has("img-small") ? 0.33 : has("img-medium") ? 0.5 : has("img-large") ? 0.75 : 0;
    g.image_align = has("img-left") ? 'l' : has("img-right") ? 'r' : 0;
    return g;
}

int ChapterBuilder::block_node(const doc::Block& b) {
    using K = doc::BlockKind;
    switch (b.kind) {
    case K::Paragraph:
        return lone_image(b) != -1 ? kUntagged : node(Role::P);
    case K::Heading:
        return node(heading_role(b.level));
    case K::BlockQuote:
        return node(Role::BlockQuote);
    case K::List:
        return node(Role::L);
    case K::CodeBlock:
        return node(Role::Code);
    case K::ThematicBreak:
        return kArtifact;
    case K::Table:
        return node(Role::Table);
    case K::Figure:
        return kUntagged;
    case K::ListItem:
    case K::Aside:
    case K::Details:
    case K::Division:
        return node(Role::Div);
    }
    return kUntagged;
}

void ChapterBuilder::one_block(const doc::Block& b, const Frame& f, bool after_par) {
    using K = doc::BlockKind;
    size_t start = list_->size();
    int tag = block_node(b);
    int outer = parent_;
    if (tag >= 0) parent_ = tag;
    switch (b.kind) {
    case K::Paragraph: {
        int img = lone_image(b);
        if (img != -1) {
            space_around();
            if (img >= 0) figure(img, nullptr, f, b.id, lone_image_alt(b));
            space_around();
            break;
        }
        if (last_is(VItem::Kind::Box)) glue(0, 0.04 * L());
        paragraph(b.inlines, f, after_par, b.id);
        break;
    }
    case K::Heading:
        heading(b, f);
        break;
    case K::BlockQuote: {
        space_around();
        double ind = f.size * (f.list_depth > 0 ? 1.2 : 1.8);
        Frame q = inset(f, ind, ind);
        if (!f.quoted && !f.note) {
            q.size = f.size * 0.95;
            q.leading = f.leading * 0.95;
        }
        q.quoted = true;
        anchor_next(b.id, start);
        children(b.children, q);
        space_around();
        break;
    }
    case K::List:
        list(b, f);
        break;
    case K::ListItem:
        children(b.children, f);
        break;
    case K::CodeBlock:
        code(b, f);
        break;
    case K::ThematicBreak:
        thematic(f);
        break;
    case K::Table:
        table(b, f);
        break;
    case K::Figure:
        figure_block(b, f);
        break;
    case K::Aside:
    case K::Details:
        boxed(b, f);
        break;
    case K::Division:
        if (b.style.find("img-") != std::string::npos) {
            children(b.children, image_frame(b.style, f));
            break;
        }
        boxed(b, f);
        break;
    }
    parent_ = outer;
    if (tag != kUntagged) claim(start, tag);
    if (!b.id.empty()) anchor_next(b.id, start);
}

void ChapterBuilder::anchor_next(const std::string& id, size_t start) {
    if (id.empty()) return;
    for (size_t i = start; i < list_->size(); ++i) {
        VItem& v = (*list_)[i];
        if (v.kind != VItem::Kind::Box) continue;
        for (const auto& a : v.paint.anchors)
            if (a.id == id) return;
        v.paint.anchors.push_back({0, ci_, id});
        return;
    }
}

void ChapterBuilder::heading(const doc::Block& b, const Frame& f) {
    double scale, above, below;
    bool italic = false;
    switch (b.level) {
    case 1:
        scale = 1.45, above = 1.6, below = 0.7;
        break;
    case 2:
        scale = 1.25, above = 1.4, below = 0.55;
        break;
    case 3:
        scale = 1.1, above = 1.1, below = 0.45;
        break;
    case 4:
        scale = 1.0, above = 0.9, below = 0.35;
        break;
    default:
        scale = 1.0, above = 0.8, below = 0.3, italic = true;
        break;
    }
    if (f.note) scale = 1, above = 0.5, below = 0.2;
    glue(above * L(), 0.3 * L());
    Frame h = f;
    h.size = f.size * scale;
    h.leading = h.size * 1.22;
    InlineStyle s = style(h);
    s.bold = true;
    s.italic = italic;
    ParagraphSpec spec;
    spec.width = f.width;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    auto ls = typeset(b.inlines, s, spec);
    if (ls.empty()) return;
    for (size_t i = 0; i < ls.size(); ++i) {
        if (i > 0) penalty(kForbid);
        VItem v;
        v.height = ls[i].height;
        v.baseline = ls[i].baseline;
        v.notes = std::move(ls[i].notes);
        v.at = ls[i].word;
        if (i == 0) {
            if (!b.id.empty()) v.paint.anchors.push_back({0, ci_, b.id});
            if (b.level <= 2 && chap_.in_toc && list_ == &out_.items)
                v.paint.outlines.push_back({0, chap_.depth + 1, plain_text_with_alt(b.inlines)});
        }
        v.paint.take(std::move(ls[i].paint), f.x, 0);
        box(std::move(v));
    }
    keep_ = 2; // the heading and the first two lines of what follows stay together
    glue(below * L(), 0.1 * L());
}

size_t ChapterBuilder::opening() {
    Frame f = body_frame();
    bool part = chap_.kind == doc::ChapterKind::Part;
    size_t first = 0;
    std::string h1_id;
    if (!chap_.blocks.empty() && chap_.blocks[0].kind == doc::BlockKind::Heading &&
        chap_.blocks[0].level == 1 && plain_text_with_alt(chap_.blocks[0].inlines) == chap_.title) {
        first = 1;
        h1_id = chap_.blocks[0].id;
    }
    const ImageSizes& im = *env_.images;
    VItem top;
    top.paint.anchors.push_back({0, ci_, ""});
    if (!h1_id.empty()) top.paint.anchors.push_back({0, ci_, h1_id});
    if (chap_.banner >= 0 && im.usable(chap_.banner) && !part) {
        auto [w, h] = banner_size(geo_, f.width, im.width[chap_.banner], im.height[chap_.banner]);
        // A banner whose alt text only repeats the title is decoration (as in the EPUB).
        bool decorative = chap_.banner_alt.empty() || chap_.banner_alt == chap_.title;
        int tag = decorative ? kArtifact : node(Role::Figure, chap_.banner_alt);
        top.paint.images.push_back({(f.width - w) / 2, 0, w, h, chap_.banner, tag});
        top.height = h + 1.5 * L();
    } else {
        top.height = geo_.text_h() * (part ? 0.3 : 0.12);
    }
    box(std::move(top));

    Frame h = f;
    h.size = part ? Type::part_title(geo_) : Type::chapter_title(geo_);
    h.leading = h.size * 1.2;
    InlineStyle s = style(h);
    s.bold = true;
    ParagraphSpec spec;
    spec.width = f.width;
    spec.align = part ? TextAlign::Center : TextAlign::Left;
    spec.hyphenate = false;
    std::vector<doc::Inline> title = chap_.title_inlines;
    if (title.empty()) {
        doc::Inline t;
        t.text = chap_.title;
        title.push_back(t);
    }
    auto ls = typeset(title, s, spec);
    int h1 = node(Role::H1);
    for (size_t i = 0; i < ls.size(); ++i) {
        ls[i].paint.claim(h1);
        penalty(kForbid);
        VItem v;
        v.height = ls[i].height;
        v.baseline = ls[i].baseline;
        v.notes = std::move(ls[i].notes);
        if (i == 0 && chap_.in_toc) v.paint.outlines.push_back({0, chap_.depth, chap_.title});
        v.paint.take(std::move(ls[i].paint), 0, 0);
        box(std::move(v));
    }
    keep_ = 2;
    glue((part ? 3.0 : 2.2) * L(), 0);
    return first;
}

void ChapterBuilder::note_body(int n) {
    std::vector<VItem> lines;
    list_ = &lines;
    keep_ = 0;
    Frame f = body_frame();
    f.size = Type::note_size(geo_);
    f.leading = f.size * 1.25;
    f.note = true;
    double hang = f.size * 1.4;
    f.x = hang;
    f.width -= hang;
    f.indent = false;
    int note_tag = node(Role::Note);
    int outer = parent_;
    parent_ = note_tag;
    children(chap_.notes[n].blocks, f);
    parent_ = outer;
    claim(0, note_tag);
    list_ = &out_.items;
    // The number, hanging and linked back to the call; the anchor links point to.
    InlineStyle s = style(f);
    s.size = f.size * 0.95;
    TypesetLine num = typeset_plain(note_numbers_[n], s);
    NoteBody body;
    size_t kept = 0; // exact room: a book of notes has 100,000 of these lists
    for (const auto& v : lines)
        if (v.kind == VItem::Kind::Box || (v.kind == VItem::Kind::Glue && kept > 0)) ++kept;
    body.lines.reserve(kept);
    for (auto& v : lines) {
        if (v.kind == VItem::Kind::Penalty) continue;
        if (v.kind == VItem::Kind::Glue) { // space between the note's paragraphs
            if (!body.lines.empty()) body.lines.push_back({v.height, 0, {}});
            continue;
        }
        body.lines.push_back({v.height, v.baseline, std::move(v.paint)});
    }
    while (!body.lines.empty() && body.lines.back().paint.texts.empty() &&
           body.lines.back().paint.images.empty() && body.lines.back().paint.rects.empty())
        body.lines.pop_back();
    if (body.lines.empty()) body.lines.push_back({f.leading, 0, {}});
    NoteLine& first = body.lines.front();
    double bl = first.baseline > 0 ? first.baseline : num.baseline;
    double x = hang - f.size * 0.4 - num.width;
    const doc::Note& note = chap_.notes[n];
    first.paint.anchors.push_back({0, ci_, note.id});
    first.paint.links.push_back(
        {x - 1, bl - f.size, num.width + 2, f.size * 1.2, "", ci_, note.ref_id, note_tag});
    num.paint.claim(note_tag);
    const Paint* number[] = {&num.paint}; // room for it alone: 100,000 notes would double
    first.paint.reserve(number, 0);
    first.paint.take(std::move(num.paint), x, bl - num.baseline);
    out_.notes[n] = std::move(body);
}
} // namespace chapter

std::vector<TypesetLine> ParagraphMemo::typeset(const std::vector<doc::Inline>& inlines,
                                                const InlineStyle& style,
                                                const ParagraphSpec& spec) {
    Key key{&inlines,        spec.width,     spec.indent,    style.size, style.leading,
            int(spec.align), spec.hyphenate, spec.looseness, style.bold, style.italic};
    auto it = lines_.find(key);
    if (it != lines_.end()) return it->second;
    std::vector<TypesetLine> lines = pdf::typeset(inlines, style, spec);
    if (lines.size() > room_) {
        room_ = 0; // full: later paragraphs are not kept either, whatever their size
        return lines;
    }
    room_ -= lines.size();
    return lines_.emplace(key, std::move(lines)).first->second;
}

ChapterLayout layout_chapter(const LayoutEnv& env, int chapter, const Hyphenator* hyphenator,
                             const std::map<int, int>& looseness, ParagraphMemo* memo) {
    chapter::ChapterBuilder b(env, chapter, hyphenator);
    b.looseness = &looseness;
    b.memo = memo;
    return b.run();
}

} // namespace imprenta::pdf

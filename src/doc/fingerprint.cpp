#include "doc/fingerprint.h"

#include "util/hash.h"

#include <algorithm>
#include <cstring>

namespace imprenta::doc {

// A field added to ir.h changes its struct's size, and then this fails to compile until the
// field is hashed below (a forgotten field would let a cache hand out a stale page).
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(LinkTarget) == 72 && sizeof(Inline) == 184 && sizeof(Block) == 264 &&
                  sizeof(Note) == 120 && sizeof(Chapter) == 336 && sizeof(Metadata) == 416 &&
                  sizeof(Asset) == 184,
              "doc/ir.h changed: hash the new field in doc/fingerprint.cpp, then update sizes");
#endif

namespace {

// Appends to a string: the fingerprint as bytes.
struct ToString {
    std::string& out;
    void append(const char* p, size_t n) { out.append(p, n); }
};

template <class Out> class H {
public:
    explicit H(Out& out) : out_(out) {}
    H& s(std::string_view v) {
        i(int64_t(v.size()));
        out_.append(v.data(), v.size());
        return *this;
    }
    H& i(int64_t v) {
        char b[8];
        std::memcpy(b, &v, 8);
        out_.append(b, 8);
        return *this;
    }
    void inlines(const std::vector<Inline>& v) {
        i(int64_t(v.size()));
        for (const auto& in : v) {
            i(int(in.kind))
                .s(in.text)
                .s(in.title)
                .i(in.asset)
                .i(in.note)
                .i(in.line)
                .i(in.col); // positions: warnings name them
            s(in.target.url).i(in.target.chapter).s(in.target.anchor);
            inlines(in.children);
        }
    }
    void blocks(const std::vector<Block>& v) {
        i(int64_t(v.size()));
        for (const auto& b : v) {
            i(int(b.kind)).i(b.line).s(b.id).i(b.level).i(b.ordered).i(b.start).i(b.tight);
            i(b.task).s(b.text).s(b.info).i(b.header_rows).s(b.style);
            i(int64_t(b.aligns.size()));
            for (Align a : b.aligns)
                i(int(a));
            i(int64_t(b.rows.size()));
            for (const auto& r : b.rows) {
                i(int64_t(r.cells.size()));
                for (const auto& c : r.cells)
                    inlines(c.inlines);
            }
            inlines(b.inlines);
            blocks(b.children);
        }
    }

private:
    Out& out_;
};

void links(const std::vector<Inline>& v, std::vector<int>& out) {
    for (const auto& in : v) {
        if (in.kind == InlineKind::Link && in.target.chapter >= 0) out.push_back(in.target.chapter);
        links(in.children, out);
    }
}
void links(const std::vector<Block>& v, std::vector<int>& out) {
    for (const auto& b : v) {
        links(b.inlines, out);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                links(c.inlines, out);
        links(b.children, out);
    }
}

template <class Out> void chapter_fields(Out& out, const Chapter& ch) {
    H<Out> h(out);
    h.i(int(ch.kind)).s(ch.source).s(ch.slug).s(ch.title).s(ch.lang).i(ch.rtl).s(ch.description);
    h.s(ch.lang_pos.file).i(ch.lang_pos.line).i(ch.lang_pos.col);
    h.i(ch.depth).i(ch.in_toc).i(ch.banner).s(ch.banner_alt);
    h.inlines(ch.title_inlines);
    h.blocks(ch.blocks);
    h.i(int64_t(ch.notes.size()));
    for (const auto& n : ch.notes) {
        h.s(n.label).s(n.id).s(n.ref_id);
        h.blocks(n.blocks);
    }
}

} // namespace

std::vector<int> linked_chapters(const Chapter& ch) {
    std::vector<int> out;
    links(ch.title_inlines, out);
    links(ch.blocks, out);
    for (const auto& n : ch.notes)
        links(n.blocks, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::array<uint8_t, 16> fingerprint_key(const Chapter& ch) {
    util::Hash128 to;
    chapter_fields(to, ch);
    return to.finish();
}

void fingerprint(std::string& out, const Metadata& m) {
    ToString to{out};
    H<ToString> h(to);
    h.s(m.title).s(m.subtitle).i(int64_t(m.authors.size()));
    for (const auto& a : m.authors)
        h.s(a);
    h.s(m.language)
        .s(m.language_pos.file)
        .i(m.language_pos.line)
        .i(m.language_pos.col)
        .i(m.rtl)
        .s(m.identifier)
        .s(m.publisher)
        .s(m.description)
        .s(m.rights);
    h.s(m.date).i(m.modified).s(m.slug).i(m.cover).s(m.version).i(m.toc_depth);
}

void fingerprint(std::string& out, const Asset& a) {
    ToString to{out};
    H<ToString> h(to);
    h.s(a.source.string()).s(a.source_display).s(a.name).i(a.width).i(a.height).s(a.format);
    h.s(a.used_at.file).i(a.used_at.line).i(a.used_at.col);
}

} // namespace imprenta::doc

#include "pdf/shape.h"

#include "util/string_table.h"
#include "util/utf8.h"

#include <hb.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace imprenta::pdf {

namespace {

// Characters that stay in the run of the character before them: marks, joiners, selectors.
bool attaches(char32_t cp) {
    if (cp < 0x300) return false;
    if (invisible(cp)) return true;
    int8_t gc = u_charType(UChar32(cp));
    return gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_COMBINING_SPACING_MARK ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF); // skin tones
}

struct Piece {
    FontId font;
    size_t from, to;
    bool missing = false;
};

// Splits `text` by the font that draws each character (marks and joiners go with their base).
std::vector<Piece> by_font(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                           std::set<char32_t>* missing) {
    std::vector<Piece> out;
    FontId own = fonts.id(spec.face);
    for (size_t i = 0; i < text.size();) {
        size_t at = i;
        char32_t cp = util::next_code_point(text, i);
        bool attach = attaches(cp) || cp < 0x20;
        FontId f = own;
        bool lacks = false;
        if (attach && !out.empty()) {
            out.back().to = i;
            continue;
        }
        // U+FE0F asks for the emoji presentation of the character before it (❤️).
        size_t next = i;
        bool emoji = next < text.size() && util::next_code_point(text, next) == 0xFE0F;
        if (!attach && !fonts.resolve(spec.face, cp, emoji ? kEmojiLang : spec.lang, f)) {
            if (missing) missing->insert(cp);
            lacks = true;
            f = own;
        }
        if (!out.empty() && out.back().font == f && !out.back().missing && !lacks)
            out.back().to = i;
        else
            out.push_back({f, at, i, lacks});
    }
    return out;
}

struct BufferDeleter {
    void operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }
};

GlyphRun shape_piece(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                     const Piece& p) {
    GlyphRun run;
    run.font = p.font;
    run.rtl = spec.rtl;
    run.text = std::string(text.substr(p.from, p.to - p.from));
    const Font& font = fonts.font(p.font);
    double scale = 1000.0 / font.upem();
    if (p.missing) { // '?' for the whole piece: one glyph per character
        uint32_t q = font.glyph('?');
        for (size_t i = 0; i < run.text.size();) {
            size_t at = i;
            util::next_code_point(run.text, i);
            float adv = float(font.advance(q));
            run.glyphs.push_back({q, uint32_t(at), uint32_t(i - at), adv, 0, 0});
        }
        return run;
    }
    thread_local std::unique_ptr<hb_buffer_t, BufferDeleter> buffer(hb_buffer_create());
    hb_buffer_t* buf = buffer.get();
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, run.text.data(), int(run.text.size()), 0, int(run.text.size()));
    hb_buffer_set_direction(buf, spec.rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    if (!spec.lang.empty())
        hb_buffer_set_language(buf, hb_language_from_string(spec.lang.c_str(), -1));
    hb_buffer_guess_segment_properties(buf);
    hb_buffer_set_flags(buf, hb_buffer_flags_t(HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES));
    hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
    // Code is set as typed: no ligatures in monospaced text.
    static const hb_feature_t no_liga[] = {{HB_TAG('l', 'i', 'g', 'a'), 0, 0, ~0u},
                                           {HB_TAG('c', 'a', 'l', 't'), 0, 0, ~0u}};
    bool mono = spec.face == Face::Mono || spec.face == Face::MonoBold;
    hb_shape(font.hb(), buf, mono ? no_liga : nullptr, mono ? 2 : 0);
    unsigned n = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
    run.glyphs.reserve(n);
    std::vector<uint32_t> starts;
    starts.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
        run.glyphs.push_back({info[i].codepoint, info[i].cluster, 0,
                              float(pos[i].x_advance * scale), float(pos[i].x_offset * scale),
                              float(pos[i].y_offset * scale)});
        starts.push_back(info[i].cluster);
    }
    // Each cluster's text goes with its first glyph (the ToUnicode map gives it back).
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    std::vector<bool> given(starts.size(), false);
    for (auto& g : run.glyphs) {
        size_t k =
            size_t(std::lower_bound(starts.begin(), starts.end(), g.cluster) - starts.begin());
        if (given[k]) continue;
        given[k] = true;
        uint32_t end = k + 1 < starts.size() ? starts[k + 1] : uint32_t(run.text.size());
        g.cluster_len = end - g.cluster;
    }
    return run;
}

// The cache key, built in a buffer the thread reuses (no allocation per word once it is warm).
const std::string& cache_key(const ShapeSpec& spec, std::string_view text) {
    thread_local std::string key;
    key.resize(3 + spec.lang.size() + text.size()); // one call, not five appends
    char* p = key.data();
    *p++ = char(spec.face);
    *p++ = spec.rtl ? 'r' : 'l';
    std::memcpy(p, spec.lang.data(), spec.lang.size());
    p += spec.lang.size();
    *p++ = '\0';
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    return key;
}

Shaped shape_uncached(const FontSet& fonts, const ShapeSpec& spec, std::string_view text) {
    Shaped s;
    std::set<char32_t> missing;
    for (const Piece& p : by_font(fonts, spec, text, &missing)) {
        GlyphRun g = shape_piece(fonts, spec, text, p);
        if (g.glyphs.empty()) continue;
        double w = 0;
        for (const auto& gl : g.glyphs)
            w += gl.advance;
        s.runs.push_back(std::move(g));
        s.starts.push_back(uint32_t(p.from));
        s.widths.push_back(w);
    }
    if (spec.rtl) {
        std::reverse(s.runs.begin(), s.runs.end());
        std::reverse(s.starts.begin(), s.starts.end());
        std::reverse(s.widths.begin(), s.widths.end());
    }
    s.missing.assign(missing.begin(), missing.end());
    return s;
}

// The glyphs of run `k` whose clusters start in [a, b) of the text shaped: a contiguous range,
// since shaping keeps clusters monotone (ascending in a left-to-right run, descending in a
// right-to-left one). A binary search keeps cutting a long word at every character linear.
std::pair<size_t, size_t> glyphs_in(const Shaped& s, size_t k, size_t a, size_t b) {
    const auto& gs = s.runs[k].glyphs;
    size_t start = s.starts[k];
    // A whole run (most words are one): every cluster starts inside its text.
    if (a <= start && b >= start + s.runs[k].text.size()) return {0, gs.size()};
    auto at = [&](const Glyph& g) { return start + g.cluster; };
    std::vector<Glyph>::const_iterator i, j;
    if (!s.runs[k].rtl) {
        i = std::partition_point(gs.begin(), gs.end(), [&](const Glyph& g) { return at(g) < a; });
        j = std::partition_point(i, gs.end(), [&](const Glyph& g) { return at(g) < b; });
    } else {
        i = std::partition_point(gs.begin(), gs.end(), [&](const Glyph& g) { return at(g) >= b; });
        j = std::partition_point(i, gs.end(), [&](const Glyph& g) { return at(g) >= a; });
    }
    return {size_t(i - gs.begin()), size_t(j - gs.begin())};
}

// Bytes [from, to) of run `k`'s text, in the text shaped, clipped to [a, b).
std::pair<size_t, size_t> run_span(const Shaped& s, size_t k, size_t a, size_t b) {
    size_t rs = s.starts[k], re = rs + s.runs[k].text.size();
    return {std::max(rs, a), std::min(re, b)};
}

// Width in points of the glyphs [i, j) of run `k` as part of `t`.
double run_width(const ShapedText& t, size_t k, size_t i, size_t j) {
    if (!t.cut) return t.shaped->widths[k] * (t.size / 1000.0);
    double w = 0;
    for (size_t g = i; g < j; ++g)
        w += t.shaped->runs[k].glyphs[g].advance * t.size / 1000.0;
    return w;
}

// glyphs_in for the part of run `k` that `t` draws, [a, b) (run_span of t.from, t.to).
std::pair<size_t, size_t> drawn_glyphs(const ShapedText& t, size_t k, size_t a, size_t b) {
    if (t.one_run) return {t.first_glyph, t.last_glyph};
    return glyphs_in(*t.shaped, k, a, b);
}

bool run_view(const ShapedText& t, size_t k, RunView& v) {
    auto [a, b] = run_span(*t.shaped, k, t.from, t.to);
    if (a >= b) return false;
    auto [i, j] = drawn_glyphs(t, k, a, b);
    if (i == j) return false;
    uint32_t start = t.shaped->starts[k];
    v = {&t.shaped->runs[k], uint32_t(i), uint32_t(j), uint32_t(a - start), uint32_t(b - start)};
    return true;
}

} // namespace

std::vector<Run> ShapedText::runs() const {
    std::vector<Run> out;
    append_runs(out);
    return out;
}

void ShapedText::append_runs(std::vector<Run>& out) const {
    if (!shaped) return;
    for (size_t k = 0; k < shaped->runs.size(); ++k) {
        auto [a, b] = run_span(*shaped, k, from, to);
        if (a >= b) continue;
        auto [i, j] = drawn_glyphs(*this, k, a, b);
        if (i == j) continue;
        Run r;
        r.shaped = std::shared_ptr<const GlyphRun>(shaped, &shaped->runs[k]);
        r.start = shaped->starts[k];
        r.first = uint32_t(i);
        r.last = uint32_t(j);
        r.text_from = uint32_t(a - r.start);
        r.text_to = uint32_t(b - r.start);
        r.width = run_width(*this, k, i, j);
        out.push_back(std::move(r));
    }
}

const ShapedText& ShapeMemo::get(const FontSet& fonts, const ShapeSpec& spec) {
    for (const auto& [s, t] : done_)
        if (s.face == spec.face && s.size == spec.size && s.rtl == spec.rtl && s.lang == spec.lang)
            return t;
    return done_.emplace_back(spec, shape(fonts, spec, text_, nullptr)).second;
}

bool edge_runs(const ShapedText& t, RunView& first, RunView& last) {
    if (!t.shaped) return false;
    size_t n = t.shaped->runs.size(), k = 0;
    while (k < n && !run_view(t, k, first))
        ++k;
    if (k == n) return false;
    size_t z = n;
    while (z > k + 1 && !run_view(t, z - 1, last))
        --z;
    if (z == k + 1) last = first;
    return true;
}

namespace {

// A thread's shaping cache. A FontSet is known by its generation, so a new set at an old
// address starts afresh.
struct ShapeCache {
    const FontSet* owner = nullptr;
    size_t generation = 0;
    util::StringTable<std::shared_ptr<const Shaped>> table;
};

// Every thread's cache, for forget_shapes. Never destroyed: the pool's threads end (and drop
// their caches) during static destruction.
std::mutex& caches_mutex() {
    static auto* m = new std::mutex;
    return *m;
}
std::vector<ShapeCache*>& all_caches() {
    static auto* v = new std::vector<ShapeCache*>;
    return *v;
}

struct ThreadCache : ShapeCache {
    ThreadCache() {
        std::lock_guard lock(caches_mutex());
        all_caches().push_back(this);
    }
    ~ThreadCache() {
        std::lock_guard lock(caches_mutex());
        std::erase(all_caches(), this);
    }
    ThreadCache(const ThreadCache&) = delete;
    ThreadCache& operator=(const ThreadCache&) = delete;
};

} // namespace

void forget_shapes(const FontSet& fonts) {
    std::lock_guard lock(caches_mutex());
    for (ShapeCache* c : all_caches())
        if (c->owner == &fonts && c->generation == fonts.generation()) {
            c->table = {};
            c->owner = nullptr;
        }
}

ShapedText shape(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                 std::set<char32_t>* missing) {
    thread_local ThreadCache cache; // as long as the thread, or until forget_shapes
    if (cache.owner != &fonts || cache.generation != fonts.generation() ||
        cache.table.size() > 200000) {
        cache.table.clear();
        cache.owner = &fonts;
        cache.generation = fonts.generation();
    }
    const std::string& key = cache_key(spec, text);
    std::shared_ptr<const Shaped>& entry = cache.table.find_or_add(key);
    if (!entry) entry = std::make_shared<const Shaped>(shape_uncached(fonts, spec, text));
    const Shaped& s = *entry;
    if (missing) missing->insert(s.missing.begin(), s.missing.end());
    ShapedText t;
    t.shaped = entry;
    t.to = uint32_t(text.size());
    t.size = spec.size;
    if (s.runs.size() == 1) {
        t.one_run = true;
        auto [a, b] = run_span(s, 0, t.from, t.to);
        if (a < b) {
            auto [i, j] = glyphs_in(s, 0, a, b);
            t.first_glyph = uint32_t(i);
            t.last_glyph = uint32_t(j);
        }
    }
    for (double w : s.widths)
        t.width += w * (spec.size / 1000.0);
    return t;
}

bool cluster_boundary(const ShapedText& t, size_t at) {
    if (!t.shaped) return false;
    const Shaped& s = *t.shaped;
    for (size_t k = 0; k < s.runs.size(); ++k) {
        size_t rs = s.starts[k], re = rs + s.runs[k].text.size();
        if (at == rs || at == re) return true;
        if (at < rs || at > re) continue;
        auto [i, j] = glyphs_in(s, k, at, at + 1);
        for (size_t g = i; g < j; ++g)
            if (rs + s.runs[k].glyphs[g].cluster == at) return true;
        return false;
    }
    return false;
}

ShapedText slice(const ShapedText& t, size_t from, size_t to) {
    ShapedText out = t;
    out.from = uint32_t(std::max<size_t>(from, t.from));
    out.to = uint32_t(std::min<size_t>(to, t.to));
    out.cut = true;
    out.width = 0;
    out.first_glyph = out.last_glyph = 0;
    if (!t.shaped) return out;
    for (size_t k = 0; k < t.shaped->runs.size(); ++k) {
        auto [a, b] = run_span(*t.shaped, k, out.from, out.to);
        if (a >= b) continue;
        auto [i, j] = glyphs_in(*t.shaped, k, a, b);
        out.width += run_width(out, k, i, j);
        if (t.one_run) {
            out.first_glyph = uint32_t(i);
            out.last_glyph = uint32_t(j);
        }
    }
    return out;
}

} // namespace imprenta::pdf

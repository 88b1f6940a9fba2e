#include "pdf/shape.h"

#include "util/utf8.h"

#include <hb.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

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

Run shape_piece(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                const Piece& p) {
    Run run;
    run.font = p.font;
    run.rtl = spec.rtl;
    run.start = uint32_t(p.from);
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

struct Shaped {
    std::vector<Run> runs; // widths in 1/1000 em (size 1000)
    std::vector<char32_t> missing;
};

std::string cache_key(const ShapeSpec& spec, std::string_view text) {
    std::string key;
    key.reserve(text.size() + spec.lang.size() + 4);
    key += char(spec.face);
    key += spec.rtl ? 'r' : 'l';
    key += spec.lang;
    key += '\0';
    key.append(text);
    return key;
}

Shaped shape_uncached(const FontSet& fonts, const ShapeSpec& spec, std::string_view text) {
    Shaped s;
    std::set<char32_t> missing;
    for (const Piece& p : by_font(fonts, spec, text, &missing)) {
        Run r = shape_piece(fonts, spec, text, p);
        if (r.glyphs.empty()) continue;
        for (const auto& g : r.glyphs)
            r.width += g.advance;
        s.runs.push_back(std::move(r));
    }
    if (spec.rtl) std::reverse(s.runs.begin(), s.runs.end());
    s.missing.assign(missing.begin(), missing.end());
    return s;
}

} // namespace

double width_of(const std::vector<Run>& runs) {
    double w = 0;
    for (const auto& r : runs)
        w += r.width;
    return w;
}

std::vector<Run> shape(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                       std::set<char32_t>* missing) {
    // The cache lives as long as the thread; a FontSet is known by its generation, so a new set
    // at an old address starts afresh.
    struct Cache {
        const FontSet* owner = nullptr;
        size_t generation = 0;
        std::unordered_map<std::string, Shaped> map;
    };
    thread_local Cache cache;
    if (cache.owner != &fonts || cache.generation != fonts.generation() ||
        cache.map.size() > 200000) {
        cache.map.clear();
        cache.owner = &fonts;
        cache.generation = fonts.generation();
    }
    std::string key = cache_key(spec, text);
    auto it = cache.map.find(key);
    if (it == cache.map.end())
        it = cache.map.emplace(std::move(key), shape_uncached(fonts, spec, text)).first;
    const Shaped& s = it->second;
    if (missing) missing->insert(s.missing.begin(), s.missing.end());
    std::vector<Run> out = s.runs;
    for (auto& r : out)
        r.width *= spec.size / 1000.0;
    return out;
}

bool cluster_boundary(const std::vector<Run>& runs, size_t at) {
    for (const auto& r : runs) {
        if (at == r.start || at == r.start + r.text.size()) return true;
        if (at < r.start || at > r.start + r.text.size()) continue;
        for (const auto& g : r.glyphs)
            if (r.start + g.cluster == at) return true;
        return false;
    }
    return false;
}

std::vector<Run> slice(const std::vector<Run>& runs, size_t from, size_t to, double size) {
    std::vector<Run> out;
    for (const auto& r : runs) {
        size_t rs = r.start, re = r.start + r.text.size();
        if (re <= from || rs >= to) continue;
        size_t a = std::max(rs, from), b = std::min(re, to);
        Run s;
        s.font = r.font;
        s.rtl = r.rtl;
        s.start = uint32_t(a);
        s.text = r.text.substr(a - rs, b - a);
        for (const auto& g : r.glyphs) {
            size_t c = rs + g.cluster;
            if (c < a || c >= b) continue;
            Glyph n = g;
            n.cluster = uint32_t(c - a);
            n.cluster_len = std::min<uint32_t>(g.cluster_len, uint32_t(b - c));
            s.glyphs.push_back(n);
            s.width += g.advance * size / 1000.0;
        }
        if (!s.glyphs.empty()) out.push_back(std::move(s));
    }
    return out;
}

} // namespace imprenta::pdf

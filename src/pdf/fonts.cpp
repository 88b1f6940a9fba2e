#include "pdf/fonts.h"

#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"

namespace imprenta::pdf {

namespace fs = std::filesystem;

namespace {

struct Reader {
    std::string_view data;
    bool ok(size_t off, size_t n) const { return off <= data.size() && n <= data.size() - off; }
    uint16_t u16(size_t off) const {
        if (!ok(off, 2)) return 0;
        return uint16_t((uint8_t(data[off]) << 8) | uint8_t(data[off + 1]));
    }
    int16_t i16(size_t off) const { return int16_t(u16(off)); }
    uint32_t u32(size_t off) const { return (uint32_t(u16(off)) << 16) | u16(off + 2); }
};

struct Table {
    size_t offset = 0;
    size_t length = 0;
    bool found = false;
};

Table find_table(const Reader& r, const char* tag) {
    uint16_t n = r.u16(4);
    for (uint16_t i = 0; i < n; ++i) {
        size_t rec = 12 + size_t(i) * 16;
        if (!r.ok(rec, 16)) break;
        if (r.data.substr(rec, 4) == std::string_view(tag, 4)) {
            Table t{r.u32(rec + 8), r.u32(rec + 12), true};
            if (!r.ok(t.offset, t.length)) return {};
            return t;
        }
    }
    return {};
}

} // namespace

FontFile FontFile::load(const fs::path& path) {
    std::string bytes = util::read_file(path, size_t(64) << 20);
    Reader r{bytes};
    auto fail = [&](const std::string& why) {
        return util::BuildError({path.string()}, "not a usable TrueType font: " + why);
    };
    uint32_t version = r.u32(0);
    if (version != 0x00010000 && version != 0x74727565) // 'true'
        throw fail("only TrueType outlines can be embedded (not OpenType/CFF or collections)");
    Table head = find_table(r, "head"), hhea = find_table(r, "hhea"), maxp = find_table(r, "maxp"),
          hmtx = find_table(r, "hmtx"), cmap = find_table(r, "cmap"), os2 = find_table(r, "OS/2");
    if (!head.found || !hhea.found || !maxp.found || !hmtx.found || !cmap.found)
        throw fail("a required table (head, hhea, maxp, hmtx, cmap) is missing");

    FontFile f;
    f.path_ = path;
    unsigned upem = r.u16(head.offset + 18);
    if (upem == 0) throw fail("unitsPerEm is 0");
    unsigned num_glyphs = r.u16(maxp.offset + 4);
    unsigned num_hmetrics = r.u16(hhea.offset + 34);
    if (num_hmetrics == 0 || num_hmetrics > num_glyphs) throw fail("bad hhea");
    f.width_.resize(num_glyphs);
    unsigned last = 0;
    for (unsigned g = 0; g < num_glyphs; ++g) {
        if (g < num_hmetrics) last = r.u16(hmtx.offset + size_t(g) * 4);
        // libharu writes advance * 1000 / unitsPerEm, truncated: measure exactly what it draws.
        f.width_[g] = uint16_t(last * 1000u / upem);
    }
    f.ascent_ = r.i16(hhea.offset + 4) / double(upem);
    f.descent_ = -r.i16(hhea.offset + 6) / double(upem);
    if (os2.found && r.u16(os2.offset) >= 2 && os2.length >= 90) {
        int xh = r.i16(os2.offset + 86);
        if (xh > 0) f.x_height_ = xh / double(upem);
    }

    // The (3,1) format-4 subtable, the one libharu maps code points through.
    f.gid_.assign(0x10000, 0);
    uint16_t nsub = r.u16(cmap.offset + 2);
    size_t sub = 0;
    for (uint16_t i = 0; i < nsub; ++i) {
        size_t rec = cmap.offset + 4 + size_t(i) * 8;
        if (r.u16(rec) == 3 && r.u16(rec + 2) == 1) {
            size_t off = cmap.offset + r.u32(rec + 4);
            if (r.u16(off) == 4) {
                sub = off;
                break;
            }
        }
    }
    if (sub == 0) throw fail("no Unicode (3,1) format 4 cmap");
    unsigned segs = r.u16(sub + 6) / 2;
    size_t ends = sub + 14, starts = ends + segs * 2 + 2, deltas = starts + segs * 2,
           ranges = deltas + segs * 2;
    if (!r.ok(sub, 16 + segs * 8)) throw fail("truncated cmap");
    for (unsigned s = 0; s < segs; ++s) {
        unsigned end = r.u16(ends + s * 2), start = r.u16(starts + s * 2);
        uint16_t delta = r.u16(deltas + s * 2);
        size_t ro_pos = ranges + s * 2;
        unsigned ro = r.u16(ro_pos);
        for (unsigned c = start; c <= end && c < 0xFFFF; ++c) {
            uint16_t g;
            if (ro == 0) {
                g = uint16_t(c + delta);
            } else {
                size_t at = ro_pos + ro + (c - start) * 2;
                g = r.u16(at);
                if (g != 0) g = uint16_t(g + delta);
            }
            if (g < num_glyphs) f.gid_[c] = g;
        }
    }
    return f;
}

fs::path default_font_path(Face f) {
    const fs::path lib = "/usr/share/fonts/truetype/liberation2";
    const fs::path dv = "/usr/share/fonts/truetype/dejavu";
    switch (f) {
    case Face::Regular:
        return lib / "LiberationSerif-Regular.ttf";
    case Face::Bold:
        return lib / "LiberationSerif-Bold.ttf";
    case Face::Italic:
        return lib / "LiberationSerif-Italic.ttf";
    case Face::BoldItalic:
        return lib / "LiberationSerif-BoldItalic.ttf";
    case Face::Mono:
        return dv / "DejaVuSansMono.ttf";
    case Face::MonoBold:
        return dv / "DejaVuSansMono-Bold.ttf";
    case Face::Fallback:
        return dv / "DejaVuSans.ttf";
    }
    return {};
}

FontSet::FontSet(const book::PdfConfig& config, const fs::path& root) {
    const std::string* configured[kFaceCount] = {
        &config.font_regular, &config.font_bold, &config.font_italic,  &config.font_bold_italic,
        &config.font_mono,    &config.font_mono, &config.font_fallback};
    for (int i = 0; i < kFaceCount; ++i) {
        Face face = static_cast<Face>(i);
        fs::path p = default_font_path(face);
        // A configured mono font replaces both mono faces (books rarely name a bold mono).
        if (!configured[i]->empty()) {
            p = fs::path(*configured[i]);
            if (p.is_relative()) p = root / p;
        }
        files_[i] = FontFile::load(p);
    }
}

bool FontSet::resolve(Face preferred, char32_t cp, Face& out) const {
    if (file(preferred).has(cp)) {
        out = preferred;
        return true;
    }
    // Bold mono falls back to plain mono before the sans fallback, so code keeps its grid.
    if (preferred == Face::MonoBold && file(Face::Mono).has(cp)) {
        out = Face::Mono;
        return true;
    }
    if (file(Face::Fallback).has(cp)) {
        out = Face::Fallback;
        return true;
    }
    return false;
}

namespace {

// Characters that draw nothing: controls, soft hyphens and zero-width characters.
bool invisible(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || cp == 0x200B || cp == 0xFEFF ||
           cp == 0x200C || cp == 0x200D;
}

} // namespace

std::vector<Run> FontSet::shape(Face preferred, std::string_view text, double size,
                                std::set<char32_t>* missing) const {
    std::vector<Run> runs;
    // Almost every word is drawn whole by the face asked for: then the run is the text itself.
    const FontFile& own = file(preferred);
    double width = 0;
    bool whole = true;
    for (size_t i = 0; i < text.size();) {
        char32_t cp = util::next_code_point(text, i);
        if (invisible(cp) || !own.has(cp)) {
            whole = false;
            break;
        }
        width += own.advance(cp) * size / 1000.0;
    }
    if (whole) {
        if (!text.empty()) runs.push_back({preferred, std::string(text), width});
        return runs;
    }
    for (size_t i = 0; i < text.size();) {
        char32_t cp = util::next_code_point(text, i);
        if (invisible(cp)) continue;
        Face f;
        if (!resolve(preferred, cp, f)) {
            if (missing) missing->insert(cp);
            cp = '?';
            f = preferred;
        }
        if (runs.empty() || runs.back().face != f) runs.push_back({f, {}, 0});
        util::append_utf8(runs.back().text, cp);
        runs.back().width += file(f).advance(cp) * size / 1000.0;
    }
    return runs;
}

} // namespace imprenta::pdf

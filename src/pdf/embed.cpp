#include "pdf/embed.h"

#include "image/prepare.h"
#include "util/deflate.h"
#include "util/diag.h"
#include "util/hash.h"
#include "util/utf8.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace imprenta::pdf {

namespace {

constexpr hb_tag_t kCff = HB_TAG('C', 'F', 'F', ' ');

struct Subset {
    std::string program; // deflated font program (TrueType file, or the bare CFF table)
    std::string error;
};

// The glyphs' outlines and metrics only: layout tables and hinting are of no use in a PDF.
Subset subset_font(const Font& font, const std::vector<uint32_t>& glyphs) {
    Subset out;
    hb_subset_input_t* in = hb_subset_input_create_or_fail();
    if (!in) return {{}, "out of memory"};
    hb_set_t* gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0); // .notdef
    for (uint32_t g : glyphs)
        hb_set_add(gs, g);
    hb_set_t* drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const char* t : {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "kerx",
                          "DSIG", "vhea", "vmtx", "VORG", "CBDT", "CBLC", "sbix", "COLR", "CPAL"})
        hb_set_add(drop, hb_tag_from_string(t, 4));
    // Codes are glyph ids: TrueType and name-keyed CFF keep theirs; a CID-keyed CFF keeps its
    // CIDs in the subset's charset instead, so it may be renumbered.
    unsigned flags = HB_SUBSET_FLAGS_NO_HINTING;
    if (!font.cid_keyed()) flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
    hb_subset_input_set_flags(in, flags);
    hb_face_t* sub = hb_subset_or_fail(font.face(), in);
    hb_subset_input_destroy(in);
    if (!sub) return {{}, "HarfBuzz could not subset it"};
    hb_blob_t* blob = font.cff() ? hb_face_reference_table(sub, kCff) : hb_face_reference_blob(sub);
    unsigned n = 0;
    const char* data = hb_blob_get_data(blob, &n);
    if (n == 0)
        out.error = "the subset is empty";
    else
        out.program = util::deflate_zlib({data, n}, 6);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return out;
}

// Six capital letters from the glyph set: subset fonts are named "ABCDEF+Name" (PDF 9.6.4).
std::string subset_tag(const std::vector<uint32_t>& glyphs, const Font& font) {
    std::string seed = font.postscript_name() + std::to_string(font.index());
    for (uint32_t g : glyphs)
        seed.append(reinterpret_cast<const char*>(&g), sizeof g);
    std::string h = util::sha256_hex(seed);
    std::string tag;
    for (size_t i = 0; i < 6; ++i)
        tag += char('A' + (std::stoi(h.substr(i * 2, 2), nullptr, 16) % 26));
    return tag;
}

void append_utf16_hex(std::string& out, const std::string& text) {
    char buf[8];
    for (size_t i = 0; i < text.size();) {
        char32_t c = util::next_code_point(text, i);
        if (c >= 0x10000) {
            c -= 0x10000;
            std::snprintf(buf, sizeof buf, "%04X", unsigned(0xD800 + (c >> 10)));
            out += buf;
            c = 0xDC00 + (c & 0x3FF);
        }
        std::snprintf(buf, sizeof buf, "%04X", unsigned(c));
        out += buf;
    }
}

// ToUnicode: each code to the characters of the glyph it selects (bfchar, 100 to a block).
std::string to_unicode_cmap(const std::vector<std::pair<unsigned, std::string>>& map,
                            int code_bytes) {
    std::string c = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
                    "def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n";
    c += code_bytes == 1 ? "<00> <FF>\n" : "<0000> <FFFF>\n";
    c += "endcodespacerange\n";
    for (size_t i = 0; i < map.size(); i += 100) {
        size_t n = std::min<size_t>(100, map.size() - i);
        c += std::to_string(n) + " beginbfchar\n";
        for (size_t k = i; k < i + n; ++k) {
            char buf[16];
            std::snprintf(buf, sizeof buf, code_bytes == 1 ? "<%02X> <" : "<%04X> <", map[k].first);
            c += buf;
            append_utf16_hex(c, map[k].second);
            c += ">\n";
        }
        c += "endbfchar\n";
    }
    return c + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

int16_t head_value(const Font& font, unsigned offset) {
    hb_blob_t* b = hb_face_reference_table(font.face(), HB_TAG('h', 'e', 'a', 'd'));
    unsigned n = 0;
    const auto* d = reinterpret_cast<const uint8_t*>(hb_blob_get_data(b, &n));
    int16_t v = offset + 2 <= n ? int16_t(d[offset] << 8 | d[offset + 1]) : 0;
    hb_blob_destroy(b);
    return v;
}

} // namespace

// Sets k's flag in `flags` (by font, by glyph id); true if it was not set yet.
static bool first_time(std::vector<std::vector<bool>>& flags, GlyphKey k) {
    auto f = size_t(k >> 32);
    auto gid = size_t(uint32_t(k));
    if (flags.size() <= f) flags.resize(f + 1);
    std::vector<bool>& seen = flags[f];
    if (seen.size() <= gid) seen.resize(gid + 1);
    if (seen[gid]) return false;
    seen[gid] = true;
    return true;
}

void FontUse::add(const PageUse& page) {
    // The glyphs are sorted, so in runs by font: each run finds and sizes its font's flags once.
    const std::vector<GlyphKey>& keys = page.glyphs;
    for (size_t i = 0; i < keys.size();) {
        auto f = FontId(keys[i] >> 32);
        size_t end = i, top = 0; // the run's end, and its largest glyph id + 1
        for (; end < keys.size() && FontId(keys[end] >> 32) == f; ++end)
            top = std::max(top, size_t(uint32_t(keys[end])) + 1);
        if (seen_.size() <= f) seen_.resize(size_t(f) + 1);
        std::vector<uint8_t>& seen = seen_[f];
        if (seen.size() < top) seen.resize(top, 0);
        std::vector<uint32_t>* out = nullptr;
        for (; i < end; ++i) {
            auto gid = uint32_t(keys[i]);
            if (seen[gid]) continue;
            if (!page.bitmaps.empty() &&
                std::find(page.bitmaps.begin(), page.bitmaps.end(), keys[i]) != page.bitmaps.end())
                continue;
            seen[gid] = 1;
            if (!out) out = &glyphs[f];
            out->push_back(gid);
        }
    }
    // The first page's text stays: a glyph with a text already is not looked up in the map.
    for (const auto& [k, text] : page.texts)
        if (first_time(has_text_, k)) texts.try_emplace(k, text);
}

std::vector<int> font_ranks(const FontSet& fonts) {
    std::vector<int> ids(fonts.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::sort(ids.begin(), ids.end(), [&](int a, int b) {
        const Font &x = fonts.font(FontId(a)), &y = fonts.font(FontId(b));
        return std::make_pair(x.path().string(), x.index()) <
               std::make_pair(y.path().string(), y.index());
    });
    std::vector<int> rank(ids.size());
    for (size_t r = 0; r < ids.size(); ++r)
        rank[size_t(ids[r])] = int(r);
    return rank;
}

struct FontEmbedder::Planned {
    FontId id = 0;
    // Numbered by declare(), in this order: what embed() fills.
    haru::Obj file, desc, cid, unicode, type0;
    std::vector<uint32_t> glyphs; // sorted
    Subset subset;
};

FontEmbedder::FontEmbedder(haru::Objects& objects, const FontSet& fonts)
    : obj_(objects), set_(fonts) {}
FontEmbedder::~FontEmbedder() = default;

void FontEmbedder::declare(const std::vector<FontId>& fonts) {
    // Written in a stable order (file, face index): the object numbers must not depend on
    // which thread met a fallback font first.
    auto ranks = font_ranks(set_);
    std::vector<FontId> order = fonts;
    std::sort(order.begin(), order.end(), [&](FontId a, FontId b) { return ranks[a] < ranks[b]; });
    for (FontId id : order) {
        Planned& p = planned_.emplace_back();
        p.id = id;
        p.file = obj_.stream(haru::Coding::Deflated);
        p.desc = obj_.dict();
        p.cid = obj_.dict();
        p.unicode = obj_.stream(haru::Coding::Flate);
        p.type0 = obj_.dict();
        fonts_[id] = p.type0;
    }
}

size_t FontEmbedder::declared() const {
    return planned_.size();
}

void FontEmbedder::plan(const FontUse& use, const std::string& target) {
    bool same = use.glyphs.size() == planned_.size();
    for (Planned& p : planned_) {
        auto g = use.glyphs.find(p.id);
        if (g == use.glyphs.end()) {
            same = false;
            break;
        }
        p.glyphs = g->second;
        std::sort(p.glyphs.begin(), p.glyphs.end());
        p.glyphs.erase(std::unique(p.glyphs.begin(), p.glyphs.end()), p.glyphs.end());
    }
    if (!same)
        throw util::BuildError({target}, "internal error: the pages drew from other fonts than "
                                         "the ones declared before they were encoded");
}

void FontEmbedder::subset(size_t k) {
    Planned& p = planned_[k];
    p.subset = subset_font(set_.font(p.id), p.glyphs);
}

void FontEmbedder::embed(const FontUse& use, const std::string& target) {
    for (Planned& p : planned_) {
        const std::vector<uint32_t>& glyphs = p.glyphs;
        FontId id = p.id;
        const Font& font = set_.font(id);
        if (!p.subset.error.empty())
            throw util::BuildError({target}, "cannot embed font " + font.path().string() + ": " +
                                                 p.subset.error);
        obj_.set_bytes(p.file, p.subset.program);
        std::string().swap(p.subset.program);
        if (font.cff()) obj_.name(p.file, "Subtype", "CIDFontType0C");

        std::string base = subset_tag(glyphs, font) + "+" + font.postscript_name();
        describe(p.desc, font, base, p.file);

        // Widths by glyph id, in runs of consecutive ids.
        haru::Obj widths = obj_.array(), run{};
        for (size_t k = 0; k < glyphs.size(); ++k) {
            if (k == 0 || glyphs[k] != glyphs[k - 1] + 1) {
                obj_.push_number(widths, glyphs[k]);
                run = obj_.array();
                obj_.push(widths, run);
            }
            obj_.push_number(run, double(glyph_width(font, glyphs[k])) / 1000.0);
        }

        haru::Obj cid = p.cid;
        obj_.name(cid, "Type", "Font");
        obj_.name(cid, "Subtype", font.cff() ? "CIDFontType0" : "CIDFontType2");
        obj_.name(cid, "BaseFont", base);
        haru::Obj info = obj_.direct_dict();
        obj_.text(info, "Registry", "Adobe");
        obj_.text(info, "Ordering", "Identity");
        obj_.number(info, "Supplement", 0);
        obj_.put(cid, "CIDSystemInfo", info);
        obj_.put(cid, "FontDescriptor", p.desc);
        obj_.put(cid, "W", widths);
        if (!font.cff()) obj_.name(cid, "CIDToGIDMap", "Identity");

        std::vector<std::pair<unsigned, std::string>> map;
        for (uint32_t g : glyphs) {
            auto t = use.texts.find(glyph_key(id, g));
            if (t != use.texts.end() && !t->second.empty()) map.emplace_back(g, t->second);
        }
        obj_.set_bytes(p.unicode, to_unicode_cmap(map, 2));

        haru::Obj type0 = p.type0;
        obj_.name(type0, "Type", "Font");
        obj_.name(type0, "Subtype", "Type0");
        obj_.name(type0, "BaseFont", base);
        obj_.name(type0, "Encoding", "Identity-H");
        haru::Obj desc_fonts = obj_.array();
        obj_.push(desc_fonts, cid);
        obj_.put(type0, "DescendantFonts", desc_fonts);
        obj_.put(type0, "ToUnicode", p.unicode);
    }
}

void FontEmbedder::describe(haru::Obj desc, const Font& font, const std::string& base,
                            haru::Obj file) {
    double em = 1000.0;
    obj_.name(desc, "Type", "FontDescriptor");
    obj_.name(desc, "FontName", base);
    obj_.number(desc, "Flags", 4);
    haru::Obj bbox = obj_.array();
    for (unsigned off : {36u, 38u, 40u, 42u})
        obj_.push_number(bbox, std::round(head_value(font, off) * em / font.upem()));
    obj_.put(desc, "FontBBox", bbox);
    obj_.number(desc, "ItalicAngle",
                std::round(hb_style_get_value(font.hb(), HB_STYLE_TAG_SLANT_ANGLE)));
    obj_.number(desc, "Ascent", std::round(font.ascent() * em));
    obj_.number(desc, "Descent", -std::round(font.descent() * em));
    obj_.number(desc, "CapHeight", std::round(font.ascent() * em * 0.9));
    obj_.number(desc, "StemV", 80);
    obj_.put(desc, font.cff() ? "FontFile3" : "FontFile2", file);
}

haru::Obj FontEmbedder::glyph_image(GlyphKey key) {
    auto it = glyph_images_.find(key);
    if (it != glyph_images_.end()) return it->second;
    const Font& font = set_.font(FontId(key >> 32));
    hb_blob_t* png = hb_ot_color_glyph_reference_png(font.hb(), hb_codepoint_t(key));
    unsigned n = 0;
    const char* data = hb_blob_get_data(png, &n);
    haru::Obj img{};
    try {
        image::PdfImage pi = image::pdf_image_from_png({data, n});
        auto deflate = [](const std::vector<uint8_t>& v) {
            return util::deflate_zlib({reinterpret_cast<const char*>(v.data()), v.size()}, 6);
        };
        img = obj_.image(deflate(pi.pixels), pi.width, pi.height,
                         pi.components == 1 ? "DeviceGray" : "DeviceRGB", 0);
        if (img && !pi.alpha.empty()) {
            haru::Obj mask = obj_.image(deflate(pi.alpha), pi.width, pi.height, "DeviceGray", 0);
            if (mask) obj_.put(img, "SMask", mask);
        }
    } catch (const std::exception&) {
        img = {}; // an unreadable strike: the glyph stays blank
    }
    hb_blob_destroy(png);
    glyph_images_[key] = img;
    return img;
}

haru::Obj FontEmbedder::bitmap_font(const std::vector<GlyphKey>& bitmaps, const FontUse& use) {
    haru::Obj font = obj_.dict(), procs = obj_.direct_dict(), xobjects = obj_.direct_dict();
    haru::Obj widths = obj_.array(), diffs = obj_.array();
    obj_.push_number(diffs, 1);
    std::vector<std::pair<unsigned, std::string>> map;
    double top = 0, bottom = 0, right = 0;
    for (size_t k = 0; k < bitmaps.size() && k < 255; ++k) {
        GlyphKey key = bitmaps[k];
        const Font& f = set_.font(FontId(key >> 32));
        auto gid = uint32_t(key);
        double s = 1000.0 / f.upem(), adv = std::round(f.advance(gid) * 1000.0) / 1000.0;
        // (Appending, not "g" + to_string(): GCC 12 warns falsely about that, -Wrestrict.)
        std::string name = "g", image = "I";
        name += std::to_string(k + 1);
        image += std::to_string(k + 1);
        std::string proc = std::to_string(adv) + " 0 d0\n";
        hb_glyph_extents_t e{};
        haru::Obj img = glyph_image(key);
        if (img && hb_font_get_glyph_extents(f.hb(), gid, &e) && e.width > 0) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "q %.3f 0 0 %.3f %.3f %.3f cm /%s Do Q\n", e.width * s,
                          -e.height * s, e.x_bearing * s, (e.y_bearing + e.height) * s,
                          image.c_str());
            proc += buf;
            obj_.put(xobjects, image.c_str(), img);
            top = std::max(top, e.y_bearing * s);
            bottom = std::min(bottom, (e.y_bearing + e.height) * s);
            right = std::max(right, (e.x_bearing + e.width) * s);
        }
        obj_.put(procs, name.c_str(), obj_.stream(proc, haru::Coding::Flate));
        obj_.push_name(diffs, name);
        obj_.push_number(widths, adv);
        auto t = use.texts.find(key);
        if (t != use.texts.end()) map.emplace_back(unsigned(k + 1), t->second);
    }
    size_t n = std::min<size_t>(bitmaps.size(), 255);
    // Text extraction (poppler) guesses a Type 3 font's size from the width of its glyph named
    // "m" (0.6 em), else from the first glyph's (0.5 em): an emoji 1.25 em wide made the line's
    // emoji read as 26-point text and left their line. A blank, never-drawn "m" 0.6 em wide
    // keeps them at the size they are set in.
    if (n < 255) {
        std::string m = "m";
        obj_.put(procs, m.c_str(), obj_.stream("600 0 d0\n", haru::Coding::Flate));
        obj_.push_name(diffs, m);
        obj_.push_number(widths, 600);
        ++n;
    }
    obj_.name(font, "Type", "Font");
    obj_.name(font, "Subtype", "Type3");
    haru::Obj bbox = obj_.array(), matrix = obj_.array();
    for (double v : {0.0, std::floor(bottom), std::ceil(right), std::ceil(top)})
        obj_.push_number(bbox, v);
    for (double v : {0.001, 0.0, 0.0, 0.001, 0.0, 0.0})
        obj_.push_number(matrix, v);
    obj_.put(font, "FontBBox", bbox);
    obj_.put(font, "FontMatrix", matrix);
    obj_.put(font, "CharProcs", procs);
    haru::Obj enc = obj_.direct_dict();
    obj_.name(enc, "Type", "Encoding");
    obj_.put(enc, "Differences", diffs);
    obj_.put(font, "Encoding", enc);
    obj_.number(font, "FirstChar", 1);
    obj_.number(font, "LastChar", double(n));
    obj_.put(font, "Widths", widths);
    haru::Obj res = obj_.direct_dict();
    obj_.put(res, "XObject", xobjects);
    obj_.put(font, "Resources", res);
    obj_.put(font, "ToUnicode", obj_.stream(to_unicode_cmap(map, 1), haru::Coding::Flate));
    return font;
}

} // namespace imprenta::pdf

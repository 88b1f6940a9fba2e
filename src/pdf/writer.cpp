#include "pdf/writer.h"

#include "pdf/content.h"
#include "util/diag.h"
#include "util/parallel.h"
#include "util/time.h"
#include "util/utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_error.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

namespace imprenta::pdf {

namespace fs = std::filesystem;

namespace {

struct HpdfError {
    HPDF_STATUS code = 0;
    HPDF_STATUS detail = 0;
};

void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* e = static_cast<HpdfError*>(user);
    if (e->code == 0) { // the first error explains the rest
        e->code = code;
        e->detail = detail;
    }
}

struct DocDeleter {
    void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

// Percent-encodes what is not printable ASCII: /URI strings are ASCII by definition.
std::string ascii_uri(const std::string& url) {
    std::string out;
    for (unsigned char c : url) {
        if (c <= 0x20 || c >= 0x7F || c == '(' || c == ')' || c == '\\') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out;
}

// libharu writes a stream's /Filter from the filter it applies itself; streams imprenta has
// already deflated (on worker threads) go in unfiltered, and this names their filter instead.
HPDF_STATUS name_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// A page's operators, or an image's samples, deflated ahead of the serial save.
struct Encoded {
    std::string content;
    PageUse use;
};
struct EncodedImage {
    int asset = -1;
    image::PdfImage source; // JPEG data stays here; raw pixels are dropped once deflated
    std::string pixels, alpha;
};

class Writer {
public:
    Writer(Document& d, const doc::Book& book, const FontSet& fonts,
           std::map<int, image::PdfImage>& images, const fs::path& path, const fs::path& target)
        : d_(d), book_(book), fonts_(fonts), images_(images), path_(path), target_(target) {}

    void run() {
        encode();

        pdf_.reset(HPDF_New(on_error, &err_));
        if (!pdf_) throw util::BuildError({target_.string()}, "cannot create a PDF document");
        HPDF_Doc pdf = pdf_.get();
        HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL); // before any page: it applies to new streams
        HPDF_UseUTFEncodings(pdf);
        HPDF_SetCurrentEncoder(pdf, "UTF-8"); // Info strings below are UTF-8
        utf8_ = HPDF_GetEncoder(pdf, "UTF-8");
        check("setting up the document");
        info();
        load_images();
        load_fonts();

        H_ = d_.geo.page_h;
        for (size_t i = 0; i < d_.pages.size(); ++i) {
            HPDF_Page p = HPDF_AddPage(pdf);
            HPDF_Page_SetWidth(p, HPDF_REAL(d_.geo.page_w));
            HPDF_Page_SetHeight(p, HPDF_REAL(H_));
            pages_.push_back(p);
        }
        check("adding pages");
        index_anchors();
        for (size_t i = 0; i < d_.pages.size(); ++i) {
            fill(i);
            link(i);
        }
        outline();
        labels();
        HPDF_SaveToFile(pdf, path_.c_str());
        check("saving");
    }

private:
    Document& d_;
    const doc::Book& book_;
    const FontSet& fonts_;
    std::map<int, image::PdfImage>& images_;
    fs::path path_;   // where libharu writes (a temporary file)
    fs::path target_; // the output as the user named it, for messages
    HpdfError err_;
    DocPtr pdf_;
    HPDF_Encoder utf8_ = nullptr;
    double H_ = 0;
    std::vector<HPDF_Page> pages_;
    std::vector<Encoded> encoded_; // by page
    std::vector<EncodedImage> encoded_images_;
    std::map<int, HPDF_Image> hpdf_images_;
    std::array<HPDF_Dict, kFaceCount> fonts_by_face_{};
    std::vector<std::pair<HPDF_Dict, std::string>> font_programs_; // FontFile2 streams to fill
    struct Place {
        size_t page;
        double y;
    };
    std::map<std::pair<int, std::string>, Place> anchors_;

    void check(const char* what) {
        if (err_.code == 0) return;
        const char* why = "";
        switch (err_.code) {
        case HPDF_FAILD_TO_ALLOC_MEM:
            why = ": out of memory";
            break;
        case HPDF_FILE_IO_ERROR:
        case HPDF_FILE_OPEN_ERROR:
            why = ": cannot write the file";
            break;
        case HPDF_INVALID_JPEG_DATA:
        case HPDF_UNSUPPORTED_JPEG_FORMAT:
            why = ": unsupported JPEG data";
            break;
        case HPDF_TTF_CANNOT_EMBEDDING_FONT:
            why = ": the font's license forbids embedding";
            break;
        case HPDF_TTF_INVALID_CMAP:
        case HPDF_TTF_INVALID_FOMAT:
        case HPDF_TTF_MISSING_TABLE:
            why = ": the font is not a usable TrueType font";
            break;
        default:
            break;
        }
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "PDF writer failed while %s%s (libharu error 0x%04X, detail %u)", what, why,
                      unsigned(err_.code), unsigned(err_.detail));
        throw util::BuildError({target_.string()}, buf);
    }

    void info() {
        HPDF_Doc pdf = pdf_.get();
        const auto& m = book_.meta;
        if (!m.title.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, m.title.c_str());
        std::string authors;
        for (const auto& a : m.authors)
            authors += (authors.empty() ? "" : ", ") + a;
        if (!authors.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, authors.c_str());
        if (!m.description.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, m.description.c_str());
        HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "imprenta " IMPRENTA_VERSION);
        // "D:YYYYMMDDhhmmssZ" from the book's modification time: never the wall clock.
        std::string s = util::pdf_date_utc(m.modified);
        HPDF_Date date{};
        if (std::sscanf(s.c_str(), "D:%4d%2d%2d%2d%2d%2d", &date.year, &date.month, &date.day,
                        &date.hour, &date.minutes, &date.seconds) == 6) {
            date.ind = 'Z';
            HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
            HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
        }
        check("writing document info");
    }

    // Every page's operators and every image's samples, deflated in parallel; the drawing is
    // freed as it is encoded (only anchors, outlines and links remain).
    void encode() {
        std::vector<bool> drawable;
        for (auto& [asset, img] : images_) {
            if (size_t(asset) >= drawable.size()) drawable.resize(size_t(asset) + 1, false);
            drawable[size_t(asset)] = true;
            encoded_images_.push_back({asset, std::move(img), {}, {}});
        }
        images_.clear();
        encoded_.resize(d_.pages.size());
        size_t n_images = encoded_images_.size();
        util::parallel_for(n_images + d_.pages.size(), [&](size_t k) {
            if (k < n_images) { // images first: the largest tasks
                EncodedImage& e = encoded_images_[k];
                if (e.source.kind != image::PdfImage::Kind::Raw) return; // embedded as they are
                e.pixels = flate({reinterpret_cast<const char*>(e.source.pixels.data()),
                                  e.source.pixels.size()});
                if (!e.source.alpha.empty())
                    e.alpha = flate({reinterpret_cast<const char*>(e.source.alpha.data()),
                                     e.source.alpha.size()});
                std::vector<uint8_t>().swap(e.source.pixels);
                std::vector<uint8_t>().swap(e.source.alpha);
                return;
            }
            size_t i = k - n_images;
            Paint& p = d_.pages[i].paint;
            encoded_[i].content =
                flate(page_operators(p, d_.geo.page_h, fonts_, drawable, encoded_[i].use));
            release(p);
        });
    }

    // An image XObject around samples that are already deflated; `png_colors` > 0 says the rows
    // carry PNG filter bytes (a PNG's own data, with that many samples a pixel).
    HPDF_Dict flate_image(const std::string& data, int width, int height, const char* space,
                          int png_colors = 0) {
        HPDF_Doc pdf = pdf_.get();
        HPDF_Dict img = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
        if (!img) return nullptr;
        img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
        img->filter = HPDF_STREAM_FILTER_NONE;
        img->write_fn = name_flate_filter;
        HPDF_Dict_AddName(img, "Type", "XObject");
        HPDF_Dict_AddName(img, "Subtype", "Image");
        HPDF_Dict_AddNumber(img, "Width", width);
        HPDF_Dict_AddNumber(img, "Height", height);
        HPDF_Dict_AddName(img, "ColorSpace", space);
        HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
        if (png_colors > 0) {
            HPDF_Dict parms = HPDF_Dict_New(pdf->mmgr);
            HPDF_Dict_Add(img, "DecodeParms", parms);
            HPDF_Dict_AddNumber(parms, "Predictor", 15);
            HPDF_Dict_AddNumber(parms, "Colors", png_colors);
            HPDF_Dict_AddNumber(parms, "BitsPerComponent", 8);
            HPDF_Dict_AddNumber(parms, "Columns", width);
        }
        HPDF_Stream_Write(img->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()),
                          HPDF_UINT(data.size()));
        return img;
    }

    void load_images() {
        HPDF_Doc pdf = pdf_.get();
        for (auto& e : encoded_images_) {
            const image::PdfImage& img = e.source;
            HPDF_Image h = nullptr;
            if (img.kind == image::PdfImage::Kind::Jpeg) {
                h = HPDF_LoadJpegImageFromMem(pdf, as_bytes(img.data), HPDF_UINT(img.data.size()));
            } else if (img.kind == image::PdfImage::Kind::Png) {
                h = flate_image(img.data, img.width, img.height,
                                img.components == 1 ? "DeviceGray" : "DeviceRGB", img.components);
            } else {
                h = flate_image(e.pixels, img.width, img.height,
                                img.components == 1 ? "DeviceGray" : "DeviceRGB");
                if (h && !e.alpha.empty()) {
                    HPDF_Dict mask = flate_image(e.alpha, img.width, img.height, "DeviceGray");
                    if (mask) HPDF_Dict_Add(h, "SMask", mask);
                }
            }
            std::string what = "embedding image " + (size_t(e.asset) < book_.assets.size()
                                                         ? book_.assets[e.asset].source_display
                                                         : std::to_string(e.asset));
            check(what.c_str());
            hpdf_images_[e.asset] = h;
            e = EncodedImage{}; // libharu holds its own copy now
        }
    }

    // The faces the pages use, each file embedded once with the glyphs drawn from it.
    void load_fonts() {
        uint32_t faces = 0;
        std::array<std::vector<bool>, kFaceCount> by_face;
        for (const auto& e : encoded_) {
            faces |= e.use.faces;
            for (uint32_t g : e.use.glyphs) {
                auto& u = by_face[g >> 16];
                if (u.empty()) u.assign(0x10000, false);
                u[g & 0xFFFF] = true;
            }
        }
        std::map<fs::path, std::vector<bool>> used; // by font file: faces may share one
        for (int f = 0; f < kFaceCount; ++f) {
            if (by_face[size_t(f)].empty()) continue;
            auto& u = used[fonts_.file(Face(f)).path()];
            if (u.empty()) u.assign(0x10000, false);
            for (size_t cp = 0; cp < u.size(); ++cp)
                if (by_face[size_t(f)][cp]) u[cp] = true;
        }
        std::map<fs::path, HPDF_Dict> by_path;
        for (int f = 0; f < kFaceCount; ++f) {
            if (!(faces & (1u << f))) continue;
            const fs::path& path = fonts_.file(Face(f)).path();
            auto it = by_path.find(path);
            if (it == by_path.end()) it = by_path.emplace(path, embed_font(path, used[path])).first;
            fonts_by_face_[size_t(f)] = it->second;
        }
        util::parallel_for(font_programs_.size(), [&](size_t i) {
            font_programs_[i].second = flate(font_programs_[i].second);
        });
        for (auto& [file, packed] : font_programs_)
            HPDF_Stream_Write(file->stream, as_bytes(packed), HPDF_UINT(packed.size()));
        font_programs_.clear();
        check("embedding fonts");
    }

    static const HPDF_BYTE* as_bytes(const std::string& s) {
        return reinterpret_cast<const HPDF_BYTE*>(s.data());
    }

    // A TrueType font as the Type0 and CIDFontType2 dictionaries PDF readers expect, with codes
    // equal to code points (Identity-H). Built here rather than by HPDF_GetFont, which maps and
    // measures all 65,536 code points for every face (about 5 ms each, serial) and writes a
    // ToUnicode stream poppler cannot read. libharu still parses the file and writes the subset
    // (FontFile2) of the glyphs marked as used, which measuring a glyph does.
    HPDF_Dict embed_font(const fs::path& path, const std::vector<bool>& used) {
        HPDF_Doc pdf = pdf_.get();
        std::string what = "loading font " + path.string();
        const char* name = HPDF_LoadTTFontFromFile(pdf, path.c_str(), HPDF_TRUE);
        HPDF_FontDef def = name ? HPDF_GetFontDef(pdf, name) : nullptr;
        check(what.c_str());
        if (!def) throw util::BuildError({target_.string()}, "PDF writer failed while " + what);
        auto* tt = static_cast<HPDF_TTFontDefAttr>(def->attr);
        HPDF_MMgr mm = pdf->mmgr;
        HPDF_Xref xref = pdf->xref;

        std::vector<char32_t> codes;
        for (char32_t cp = 0; cp < used.size(); ++cp)
            if (used[cp]) codes.push_back(cp);
        // Widths first: measuring marks the glyphs (and their components) for the subset.
        HPDF_Array widths = HPDF_Array_New(mm);
        HPDF_Array run = nullptr;
        std::string gid_map; // CIDToGIDMap: two bytes a code, up to the last one used
        if (!codes.empty()) gid_map.assign((size_t(codes.back()) + 1) * 2, '\0');
        for (size_t i = 0; i < codes.size(); ++i) {
            auto cp = HPDF_UINT16(codes[i]);
            if (i == 0 || codes[i] != codes[i - 1] + 1) {
                HPDF_Array_AddNumber(widths, cp);
                run = HPDF_Array_New(mm);
                HPDF_Array_Add(widths, run);
            }
            HPDF_Array_AddNumber(run, HPDF_TTFontDef_GetCharWidth(def, cp));
            HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, cp);
            gid_map[size_t(cp) * 2] = char(gid >> 8);
            gid_map[size_t(cp) * 2 + 1] = char(gid & 0xFF);
        }

        HPDF_Dict file = HPDF_DictStream_New(mm, xref);
        if (!file) check(what.c_str());
        HPDF_TTFontDef_SaveFontData(def, file->stream);
        // The subset is deflated with the others, in parallel (load_fonts), rather than by
        // libharu's zlib at save.
        {
            std::string program(HPDF_Stream_Size(file->stream), '\0');
            HPDF_UINT got = HPDF_UINT(program.size());
            HPDF_Stream_Seek(file->stream, 0, HPDF_SEEK_SET);
            HPDF_Stream_Read(file->stream, reinterpret_cast<HPDF_BYTE*>(program.data()), &got);
            program.resize(got);
            HPDF_MemStream_FreeData(file->stream);
            file->filter = HPDF_STREAM_FILTER_NONE;
            file->write_fn = name_flate_filter;
            font_programs_.emplace_back(file, std::move(program));
        }
        HPDF_Dict_AddNumber(file, "Length1", HPDF_INT32(tt->length1));

        HPDF_Dict desc = HPDF_Dict_New(mm);
        HPDF_Xref_Add(xref, desc);
        HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
        HPDF_Dict_AddName(desc, "FontName", tt->base_font);
        HPDF_Dict_AddNumber(desc, "Flags", HPDF_INT32(def->flags));
        HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
        HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
        HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
        HPDF_Dict_AddNumber(desc, "Descent", def->descent);
        HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height ? def->cap_height : def->ascent);
        HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
        HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
        HPDF_Dict_Add(desc, "FontFile2", file);

        HPDF_Dict map = small_stream(gid_map, what);

        HPDF_Dict cid = HPDF_Dict_New(mm);
        HPDF_Xref_Add(xref, cid);
        HPDF_Dict_AddName(cid, "Type", "Font");
        HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
        HPDF_Dict_AddName(cid, "BaseFont", tt->base_font);
        HPDF_Dict info = HPDF_Dict_New(mm);
        HPDF_Dict_Add(cid, "CIDSystemInfo", info);
        HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", nullptr));
        HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", nullptr));
        HPDF_Dict_AddNumber(info, "Supplement", 0);
        HPDF_Dict_Add(cid, "FontDescriptor", desc);
        HPDF_Dict_AddNumber(cid, "DW", def->missing_width);
        HPDF_Dict_Add(cid, "W", widths);
        HPDF_Dict_Add(cid, "CIDToGIDMap", map);

        HPDF_Dict unicode = small_stream(to_unicode_cmap(codes), what);

        HPDF_Dict font = HPDF_Dict_New(mm);
        HPDF_Xref_Add(xref, font);
        HPDF_Dict_AddName(font, "Type", "Font");
        HPDF_Dict_AddName(font, "Subtype", "Type0");
        HPDF_Dict_AddName(font, "BaseFont", tt->base_font);
        HPDF_Dict_AddName(font, "Encoding", "Identity-H");
        HPDF_Array descendants = HPDF_Array_New(mm);
        HPDF_Dict_Add(font, "DescendantFonts", descendants);
        HPDF_Array_Add(descendants, cid);
        HPDF_Dict_Add(font, "ToUnicode", unicode);
        check(what.c_str());
        return font;
    }

    // A stream object holding `bytes`, deflated by libharu when it saves (they are a few KB).
    HPDF_Dict small_stream(const std::string& bytes, const std::string& what) {
        HPDF_Doc pdf = pdf_.get();
        HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
        if (!stream) check(what.c_str());
        stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Stream_Write(stream->stream, as_bytes(bytes), HPDF_UINT(bytes.size()));
        return stream;
    }

    // Codes are code points: the map is the identity over the codes used, as ranges that stay
    // within one high byte (bfrange's rule), at most 100 to a block.
    static std::string to_unicode_cmap(const std::vector<char32_t>& codes) {
        std::vector<std::pair<char32_t, char32_t>> ranges;
        for (char32_t cp : codes) {
            if (!ranges.empty() && ranges.back().second + 1 == cp && (cp & 0xFF) != 0)
                ranges.back().second = cp;
            else
                ranges.emplace_back(cp, cp);
        }
        std::string c = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
                        "def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
        for (size_t i = 0; i < ranges.size(); i += 100) {
            size_t n = std::min<size_t>(100, ranges.size() - i);
            c += std::to_string(n) + " beginbfrange\n";
            for (size_t k = i; k < i + n; ++k) {
                char buf[40];
                std::snprintf(buf, sizeof buf, "<%04X> <%04X> <%04X>\n", unsigned(ranges[k].first),
                              unsigned(ranges[k].second), unsigned(ranges[k].first));
                c += buf;
            }
            c += "endbfrange\n";
        }
        return c + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    }

    void index_anchors() {
        for (size_t i = 0; i < d_.pages.size(); ++i)
            for (const auto& a : d_.pages[i].paint.anchors)
                anchors_.emplace(std::make_pair(a.chapter, a.id), Place{i, a.y}); // first wins
    }

    // [page /XYZ null top null]: keeps the reader's zoom (HPDF_Destination_SetXYZ rejects 0).
    HPDF_Destination destination(const Place& at) {
        HPDF_Page page = pages_[at.page];
        HPDF_Destination dst = HPDF_Page_CreateDestination(page);
        if (!dst) return nullptr;
        HPDF_Array arr = dst;
        HPDF_Array_Clear(arr);
        HPDF_Array_Add(arr, page);
        HPDF_Array_AddName(arr, "XYZ");
        HPDF_Array_Add(arr, HPDF_Null_New(arr->mmgr));
        double top = H_ - at.y + 4;
        if (top > H_) top = H_;
        HPDF_Array_AddReal(arr, HPDF_REAL(top));
        HPDF_Array_Add(arr, HPDF_Null_New(arr->mmgr));
        return dst;
    }

    bool resolve(int chapter, const std::string& anchor, Place& out) const {
        auto it = anchors_.find({chapter, anchor});
        if (it == anchors_.end()) it = anchors_.find({chapter, std::string()});
        if (it == anchors_.end()) return false;
        out = it->second;
        return true;
    }

    static HPDF_REAL r(double v) { return HPDF_REAL(v); }

    // The page is encoded now: free what only drawing needed, keeping the memory of a long book
    // near one copy of it.
    static void release(Paint& p) {
        std::vector<RectOp>().swap(p.rects);
        std::vector<ImageOp>().swap(p.images);
        std::vector<RuleOp>().swap(p.rules);
        std::vector<TextOp>().swap(p.texts);
    }

    // The page's content stream, already deflated, and the fonts and images it names.
    void fill(size_t index) {
        Encoded& e = encoded_[index];
        HPDF_Page page = pages_[index];
        if (e.content.empty()) return;
        HPDF_Doc pdf = pdf_.get();
        auto* attr = static_cast<HPDF_PageAttr>(page->attr);
        auto* resources = static_cast<HPDF_Dict>(
            HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT));
        if (!resources) throw util::BuildError({target_.string()}, "PDF page without resources");
        if (e.use.faces) {
            attr->fonts = HPDF_Dict_New(pdf->mmgr);
            HPDF_Dict_Add(resources, "Font", attr->fonts);
            for (int f = 0; f < kFaceCount; ++f)
                if (e.use.faces & (1u << f))
                    HPDF_Dict_Add(attr->fonts, font_resource(Face(f)).c_str(),
                                  fonts_by_face_[size_t(f)]);
        }
        if (!e.use.images.empty()) {
            attr->xobjects = HPDF_Dict_New(pdf->mmgr);
            HPDF_Dict_Add(resources, "XObject", attr->xobjects);
            for (int asset : e.use.images)
                HPDF_Dict_Add(attr->xobjects, image_resource(asset).c_str(),
                              hpdf_images_.at(asset));
        }
        HPDF_Dict contents = attr->contents;
        contents->filter = HPDF_STREAM_FILTER_NONE;
        contents->write_fn = name_flate_filter;
        HPDF_Stream_Write(contents->stream, as_bytes(e.content), HPDF_UINT(e.content.size()));
        e = Encoded{};
        check("writing a page");
    }

    void link(size_t index) {
        HPDF_Page page = pages_[index];
        for (const auto& l : d_.pages[index].paint.links) {
            HPDF_Rect rect{r(l.x), r(H_ - l.y - l.h), r(l.x + l.w), r(H_ - l.y)};
            HPDF_Annotation a = nullptr;
            if (!l.url.empty()) {
                a = HPDF_Page_CreateURILinkAnnot(page, rect, ascii_uri(l.url).c_str());
            } else if (l.chapter >= 0) {
                Place at;
                if (!resolve(l.chapter, l.anchor, at)) continue;
                HPDF_Destination dst = destination(at);
                if (dst) a = HPDF_Page_CreateLinkAnnot(page, rect, dst);
            }
            if (a) HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        }
        std::vector<LinkOp>().swap(d_.pages[index].paint.links);
        check("linking a page");
    }

    void outline() {
        HPDF_Doc pdf = pdf_.get();
        std::vector<HPDF_Outline> stack; // stack[level] = last entry at that level
        bool any = false;
        for (size_t i = 0; i < d_.pages.size(); ++i) {
            for (const auto& o : d_.pages[i].paint.outlines) {
                int level = std::max(0, o.level);
                if (size_t(level) > stack.size()) level = int(stack.size()); // no skipped levels
                HPDF_Outline parent = level == 0 ? nullptr : stack[level - 1];
                HPDF_Outline e = HPDF_CreateOutline(pdf, parent, o.title.c_str(), utf8_);
                if (!e) continue;
                HPDF_Destination dst = destination({i, o.y});
                if (dst) HPDF_Outline_SetDestination(e, dst);
                HPDF_Outline_SetOpened(e, level == 0 ? HPDF_TRUE : HPDF_FALSE);
                stack.resize(size_t(level));
                stack.push_back(e);
                any = true;
            }
        }
        if (any) HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
        check("writing the outline");
    }

    void labels() {
        HPDF_Doc pdf = pdf_.get();
        if (d_.front_pages > 0)
            HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, nullptr);
        if (d_.front_pages < d_.pages.size())
            HPDF_AddPageLabel(pdf, HPDF_UINT(d_.front_pages), HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
                              nullptr);
        check("writing page labels");
    }
};

} // namespace

void write_document(Document& d, const doc::Book& book, const FontSet& fonts,
                    std::map<int, image::PdfImage>& images, const fs::path& path,
                    const fs::path& target) {
    Writer w(d, book, fonts, images, path, target);
    w.run();
}

} // namespace imprenta::pdf

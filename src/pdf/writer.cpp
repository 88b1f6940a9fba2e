#include "pdf/writer.h"

#include "pdf/content.h"
#include "pdf/embed.h"
#include "pdf/haru_objects.h"
#include "pdf/link_text.h"
#include "pdf/pdfx.h"
#include "pdf/print_boxes.h"
#include "pdf/standards.h"
#include "util/diag.h"
#include "util/hash.h"
#include "util/idle.h"
#include "util/in_order.h"
#include "util/parallel.h"
#include "util/time.h"
#include "util/utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>

#include "util/memory.h"
#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>

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

// A page's operators, or an image's samples, deflated ahead of the serial save.
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

    // The pages are encoded on the pool's threads while their objects go into libharu's
    // document in page order (util::InOrder), on whichever thread finished the next page: the
    // objects are numbered as before, and only the fonts, the structure tree and the save wait
    // for the last page.
    void run() {
        prepare();
        size_t n = encoded_images_.size() + d_.pages.size(), n_fonts = fonts_.size();
        util::InOrder steps(n, [&](size_t k) { commit(k); });
        if (n == 0) { // no page: nothing to wait for
            begin();
            add_pages();
            embedder_->plan(font_use_, target_.string());
        }
        // Then the structure tree (beside the fonts' subsetting), then each font's subset (at
        // most one per font loaded).
        util::parallel_for(n + 1 + n_fonts, [&](size_t k) {
            if (k < n) {
                try {
                    encode(k);
                } catch (...) {
                    steps.fail();
                    throw;
                }
                steps.ready(k);
            } else if (!steps.wait()) {
                return; // an encoding or a step failed, and says why
            } else if (k == n) {
                finish_pages();
            } else {
                if (k - n - 1 < embedder_->declared()) embedder_->subset(k - n - 1);
            }
        });
        embedder_->embed(font_use_, target_.string());
        check("embedding fonts");
        objects_->save(path_.c_str());
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
    std::vector<EncodedImage> encoded_images_;
    std::map<int, HPDF_Image> hpdf_images_;
    std::unique_ptr<haru::Objects> objects_;
    std::unique_ptr<FontEmbedder> embedder_;
    haru::Obj srgb_;                       // srgb_space()
    std::vector<int> font_rank_;           // resource name of each font (font_ranks)
    std::vector<bool> drawable_;           // by asset: decoded, so drawn
    std::vector<const char*> front_roles_; // the front matter's structure's role names
    std::vector<bool> fonts_drawn_;  // by font: outline glyphs drawn (declared before the pages)
    std::vector<bool> made_earlier_; // by page: encoded by an earlier build (watch)
    FontUse font_use_;
    struct Place {
        size_t page;
        double y;
    };
    // Every page's anchors (OutPage::paint.anchors) by (chapter, id), then page order: an
    // index into the pages' own anchors, not a copy of their ids (a book of notes has 200,000).
    struct AnchorAt {
        uint32_t page, index;
    };
    std::vector<AnchorAt> anchors_;
    std::vector<std::vector<const char*>> roles_; // by chapter: its structure's role names
    std::vector<TaggedPage> tagged_;              // by page
    size_t next_link_key_ = 0;                    // the next link annotation's /StructParent
    LinkDescriptions descriptions_{book_};        // the links' /Contents
    std::string tail_; // a link's entries after its target, made for each

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
        HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, kCreator);
        HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, kProducer);
        // The release's version as a key of its own (libharu's setter knows only the standard
        // ones).
        if (!m.version.empty() && pdf->info)
            HPDF_Dict_Add(
                pdf->info, "Version",
                HPDF_String_New(pdf->mmgr, util::xml_safe_text(m.version).c_str(), nullptr));
        // "D:YYYYMMDDhhmmssZ" from the book's modification time: never the wall clock.
        std::string s = util::pdf_date_utc(m.modified);
        HPDF_Date date{};
        if (std::sscanf(s.c_str(), "D:%4d%2d%2d%2d%2d%2d", &date.year, &date.month, &date.day,
                        &date.hour, &date.minutes, &date.seconds) == 6) {
            date.ind = 'Z';
            HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
            HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
        }
        if (d_.geo.print) mark_untrapped(pdf);
        check("writing document info");
        claim_standards(*objects_, book_, d_, authors);
        check("writing document metadata");
    }

    // What encoding needs, and the fonts the pages draw (declared before they are encoded).
    void prepare() {
        for (auto& [asset, img] : images_) {
            if (size_t(asset) >= drawable_.size()) drawable_.resize(size_t(asset) + 1, false);
            drawable_[size_t(asset)] = true;
            encoded_images_.push_back({asset, std::move(img), {}, {}});
        }
        images_.clear();
        font_rank_ = font_ranks(fonts_);
        for (const auto& t : d_.trees)
            roles_.push_back(t.role_names());
        front_roles_ = d_.front.role_names();
        H_ = d_.geo.page_h;
        fonts_drawn_.assign(fonts_.size(), false);
        for (const auto& page : d_.pages) {
            made_earlier_.push_back(page.encoded != nullptr);
            if (page.encoded)
                for (FontId f : page.encoded->use.fonts)
                    fonts_drawn_[f] = true;
        }
    }

    // Item k: an image's samples (the first items: the largest tasks) or a page's operators,
    // deflated (fill() frees the drawing then: only anchors, outlines and links remain).
    void encode(size_t k) {
        size_t n_images = encoded_images_.size();
        if (k < n_images) {
            EncodedImage& e = encoded_images_[k];
            if (e.source.kind != image::PdfImage::Kind::Raw) return; // embedded as they are
            if (d_.color && d_.color->all_cmyk()) flatten_for_x1a(*d_.color, e.source);
            e.pixels = flate(
                {reinterpret_cast<const char*>(e.source.pixels.data()), e.source.pixels.size()});
            if (!e.source.alpha.empty())
                e.alpha = flate(
                    {reinterpret_cast<const char*>(e.source.alpha.data()), e.source.alpha.size()});
            std::vector<uint8_t>().swap(e.source.pixels);
            std::vector<uint8_t>().swap(e.source.alpha);
            return;
        }
        size_t i = k - n_images;
        if (d_.pages[i].encoded) return; // as an earlier build made it
        Paint& p = d_.pages[i].paint;
        int ch = d_.pages[i].chapter;
        const auto& roles = ch >= 0 && size_t(ch) < roles_.size() ? roles_[ch] : front_roles_;
        EncodedPage e;
        e.content = flate(page_operators(p, d_.geo.page_h, fonts_, font_rank_, drawable_, roles,
                                         e.use, d_.color));
        d_.pages[i].encoded = std::make_shared<const EncodedPage>(std::move(e));
    }

    // Item k into the document, in order: the document itself before the first, each image,
    // the fonts and the pages after the last image, then each page's content and links.
    void commit(size_t k) {
        size_t n_images = encoded_images_.size();
        if (k == 0) begin();
        if (k < n_images) load_image(encoded_images_[k]);
        if (k + 1 == n_images || (k == 0 && n_images == 0)) add_pages();
        if (k < n_images) return;
        size_t i = k - n_images;
        font_use_.add(d_.pages[i].encoded->use);
        fill(i);
        link(i);
        if (i + 1 == d_.pages.size()) embedder_->plan(font_use_, target_.string());
    }

    void begin() {
        pdf_.reset(HPDF_New(on_error, &err_));
        if (!pdf_) throw util::BuildError({target_.string()}, "cannot create a PDF document");
        HPDF_Doc pdf = pdf_.get();
        objects_ = std::make_unique<haru::Objects>(pdf);
        embedder_ = std::make_unique<FontEmbedder>(*objects_, fonts_);
        HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL); // before any page: it applies to new streams
        HPDF_UseUTFEncodings(pdf);
        HPDF_SetCurrentEncoder(pdf, "UTF-8"); // Info strings below are UTF-8
        utf8_ = HPDF_GetEncoder(pdf, "UTF-8");
        check("setting up the document");
        info();
    }

    // The fonts drawn (their glyphs known later), then every page, empty. (A step: it overlaps
    // the encoding, which reads the drawings too and leaves them to fill().)
    void add_pages() {
        std::vector<bool>& drawn = fonts_drawn_; // by the pages made earlier, so far
        for (size_t i = 0; i < d_.pages.size(); ++i)
            if (!made_earlier_[i])
                for (const auto& t : d_.pages[i].paint.texts) // 140,000 for 40 essays
                    if (!drawn[t.font] && draws_outline_font(t, fonts_)) drawn[t.font] = true;
        std::vector<FontId> fonts;
        for (size_t f = 0; f < drawn.size(); ++f)
            if (drawn[f]) fonts.push_back(FontId(f));
        embedder_->declare(fonts);
        check("embedding fonts");
        objects_->reserve_pages(d_.pages.size());
        for (size_t i = 0; i < d_.pages.size(); ++i) {
            HPDF_Page p = HPDF_AddPage(pdf_.get());
            HPDF_Page_SetWidth(p, HPDF_REAL(d_.geo.page_w));
            HPDF_Page_SetHeight(p, HPDF_REAL(H_));
            set_page_boxes(*objects_, p, i, d_.geo);
            pages_.push_back(p);
        }
        check("adding pages");
        index_anchors();
        tagged_.resize(d_.pages.size());
        next_link_key_ = d_.pages.size();
    }

    // Once every page is filled and linked.
    void finish_pages() {
        // Every link is resolved: the anchors (200,000 in a book of notes) are not asked again.
        for (auto& page : d_.pages)
            std::vector<AnchorOp>().swap(page.paint.anchors);
        std::vector<AnchorAt>().swap(anchors_);
        descriptions_.clear();
        structure();
        outline();
        labels();
    }

    HPDF_Image flate_image(const std::string& data, int width, int height, const char* space,
                           int png_colors = 0) {
        return haru::Objects::as_image(objects_->image(data, width, height, space, png_colors));
    }

    void load_image(EncodedImage& e) {
        HPDF_Doc pdf = pdf_.get();
        {
            const image::PdfImage& img = e.source;
            HPDF_Image h = nullptr;
            if (img.kind == image::PdfImage::Kind::Jpeg) {
                h = HPDF_LoadJpegImageFromMem(pdf, as_bytes(img.data), HPDF_UINT(img.data.size()));
            } else if (img.kind == image::PdfImage::Kind::Png) {
                h = flate_image(img.data, img.width, img.height, device_space(img.components),
                                img.components);
            } else {
                h = flate_image(e.pixels, img.width, img.height, device_space(img.components));
                if (h && !e.alpha.empty()) {
                    HPDF_Image mask = flate_image(e.alpha, img.width, img.height, "DeviceGray");
                    if (mask) objects_->put(haru::Objects::of(h), "SMask", haru::Objects::of(mask));
                }
            }
            if (h && img.components == 3 && d_.color) // PDF/X-4: RGB means sRGB
                objects_->put(haru::Objects::of(h), "ColorSpace", srgb_space());
            std::string what = "embedding image " + (size_t(e.asset) < book_.assets.size()
                                                         ? book_.assets[e.asset].source_display
                                                         : std::to_string(e.asset));
            check(what.c_str());
            hpdf_images_[e.asset] = h;
            e = EncodedImage{}; // libharu holds its own copy now
        }
    }

    static const char* device_space(int components) {
        return components == 1 ? "DeviceGray" : components == 4 ? "DeviceCMYK" : "DeviceRGB";
    }

    // [/ICCBased sRGB] (the profile stream made once; a direct array per image): what PDF/X-4
    // needs RGB images to say about their colours.
    haru::Obj srgb_space() {
        if (!srgb_) {
            srgb_ = objects_->stream(d_.color->srgb(), haru::Coding::Flate);
            objects_->number(srgb_, "N", 3);
            objects_->name(srgb_, "Alternate", "DeviceRGB");
        }
        haru::Obj space = objects_->array();
        objects_->push_name(space, "ICCBased");
        objects_->push(space, srgb_);
        return space;
    }

    static const HPDF_BYTE* as_bytes(const std::string& s) {
        return reinterpret_cast<const HPDF_BYTE*>(s.data());
    }

    const AnchorOp& anchor(AnchorAt a) const { return d_.pages[a.page].paint.anchors[a.index]; }

    void index_anchors() {
        for (size_t i = 0; i < d_.pages.size(); ++i)
            for (size_t k = 0; k < d_.pages[i].paint.anchors.size(); ++k)
                anchors_.push_back({uint32_t(i), uint32_t(k)});
        // Stable: of equal anchors the first in the book wins.
        std::stable_sort(anchors_.begin(), anchors_.end(), [&](AnchorAt x, AnchorAt y) {
            const AnchorOp &a = anchor(x), &b = anchor(y);
            return a.chapter != b.chapter ? a.chapter < b.chapter : a.id < b.id;
        });
    }

    const AnchorOp* find_anchor(int chapter, std::string_view id, size_t& page) const {
        auto it = std::lower_bound(anchors_.begin(), anchors_.end(), std::pair(chapter, id),
                                   [&](AnchorAt x, const std::pair<int, std::string_view>& key) {
                                       const AnchorOp& a = anchor(x);
                                       return a.chapter != key.first ? a.chapter < key.first
                                                                     : a.id < key.second;
                                   });
        if (it == anchors_.end()) return nullptr;
        const AnchorOp& a = anchor(*it);
        if (a.chapter != chapter || a.id != id) return nullptr;
        page = it->page;
        return &a;
    }

    // [page /XYZ null top null]: keeps the reader's zoom (HPDF_Destination_SetXYZ rejects 0).
    HPDF_Destination destination(const Place& at) {
        return objects_->xyz(pages_[at.page], top_of(at));
    }

    // A little above the target line, so its ascenders show.
    double top_of(const Place& at) const { return std::min(H_ - at.y + 4, H_); }

    bool resolve(int chapter, const std::string& id, Place& out) const {
        size_t page = 0;
        const AnchorOp* a = find_anchor(chapter, id, page);
        if (!a) a = find_anchor(chapter, "", page);
        if (!a) return false;
        out = Place{page, a->y};
        return true;
    }

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
        release(d_.pages[index].paint);
        const EncodedPage& e = *d_.pages[index].encoded;
        HPDF_Page page = pages_[index];
        if (e.content.empty()) return;
        std::vector<std::pair<std::string, haru::Obj>> fonts, xobjects;
        for (FontId f : e.use.fonts)
            fonts.emplace_back(font_resource(font_rank_[f]), embedder_->font(f));
        if (!e.use.bitmaps.empty())
            fonts.emplace_back(kBitmapFont, embedder_->bitmap_font(e.use.bitmaps, font_use_));
        std::sort(fonts.begin(), fonts.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (int asset : e.use.images)
            xobjects.emplace_back(image_resource(asset), haru::Objects::of(hpdf_images_.at(asset)));
        objects_->page_fonts(page, fonts);
        objects_->page_xobjects(page, xobjects);
        objects_->page_contents(page, e.content);
        tagged_[index].marks = e.use.marks;
        if (!d_.keep_encoded) d_.pages[index].encoded.reset();
        check("writing a page");
    }

    void link(size_t index) {
        HPDF_Page page = pages_[index];
        if (d_.color) // PDF/X: no annotations on the printed page; a link means nothing on paper
            d_.pages[index].paint.links.clear();
        for (const auto& l : d_.pages[index].paint.links) {
            const double rect[4] = {l.x, H_ - l.y - l.h, l.x + l.w, H_ - l.y};
            Place at{0, 0};
            bool inside = l.url.empty();
            if (inside && (l.chapter < 0 || !resolve(l.chapter, l.anchor, at))) continue;
            // Printed (PDF/A), described (PDF/UA), and its key in the parent tree, which
            // numbers the links after the pages (tagging.h).
            std::string& tail = tail_;
            tail = "/F 4\012/Contents ";
            tail += descriptions_.pdf_string(l);
            tail += "\012/StructParent ";
            tail += std::to_string(next_link_key_);
            tail += '\012';
            haru::Obj a = inside
                              ? objects_->link_annot(page, rect, pages_[at.page], top_of(at), tail)
                              : objects_->uri_annot(page, rect, l.url, tail);
            if (!a) continue;
            ++next_link_key_;
            tagged_[index].links.push_back({a, l.tag});
        }
        std::vector<LinkOp>().swap(d_.pages[index].paint.links);
        check("linking a page");
    }

    // The structure tree over the pages' marked content (pdf/tagging.h).
    void structure() {
        // The front matter first, in the book's language, then the chapters.
        std::vector<StructTree*> trees = {&d_.front}; // released as they are written
        std::vector<std::string> langs = {book_.meta.language};
        for (size_t c = 0; c < d_.trees.size(); ++c) {
            trees.push_back(&d_.trees[c]);
            langs.push_back(c < d_.langs.size() ? d_.langs[c] : std::string());
        }
        for (size_t i = 0; i < d_.pages.size(); ++i) {
            tagged_[i].page = haru::Objects::of(pages_[i]);
            int ch = d_.pages[i].chapter;
            if (d_.pages[i].blank) continue;
            if (ch < 0)
                tagged_[i].tree = &d_.front;
            else if (size_t(ch) < d_.trees.size())
                tagged_[i].tree = &d_.trees[size_t(ch)];
        }
        write_structure(*objects_, trees, langs, tagged_);
        tagged_.clear();
        check("writing the structure tree");
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
    auto w = std::make_unique<Writer>(d, book, fonts, images, path, target);
    w->run();
    // Freeing libharu's objects takes ~1 ms for 40 essays, on the build's serial end, and a
    // tenth of a watch rebuild for a long book. A large book frees them at once, before the next
    // renderer takes its memory; a rebuild under watch once it is over (util/idle.h); a build
    // keeps them until its next document or its exit, which takes the memory back at once (as it
    // keeps the books, cli/app.cpp).
    if (util::returning_memory_promptly()) return;
    if (d.keep_encoded) {
        util::when_idle([done = std::shared_ptr<Writer>(std::move(w))] {});
        return;
    }
    static std::unique_ptr<Writer> last;
    last = std::move(w);
}

} // namespace imprenta::pdf

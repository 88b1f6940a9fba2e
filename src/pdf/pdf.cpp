// Orchestration of the PDF backend: fonts, images, per-chapter layout and pagination (in
// parallel), body then front matter (so the contents know their page numbers), then libharu.
#include "pdf/pdf.h"

#include "pdf/cover.h"

#include "pdf/boxes.h"
#include "pdf/image_res.h"
#include "pdf/layout.h"
#include "pdf/layout_memo.h"
#include "pdf/paginate.h"
#include "pdf/print_boxes.h"
#include "pdf/print_color.h"
#include "pdf/script.h"
#include "pdf/toc.h"
#include "pdf/writer.h"
#include "util/fs.h"
#include "util/parallel.h"
#include "util/utf8.h"

#include "util/memory.h"

#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <memory>
#include <set>

namespace imprenta::pdf {

namespace {

// Where `cp` first occurs in the chapter's source file (line, 1-based byte column as cmark
// counts), or the file alone when it cannot be found there (it came from elsewhere).
util::SourcePos first_use(const doc::Book& book, const doc::Chapter& ch, char32_t cp) {
    util::SourcePos pos{ch.source, 0, 0};
    std::string text;
    try {
        text = util::read_book_file(book.root, ch.source);
    } catch (const std::exception&) {
        return pos;
    }
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < text.size();) {
        size_t at = i;
        char32_t c = util::next_code_point(text, i);
        if (c == cp) return {ch.source, line, int(at - line_start) + 1};
        if (c == '\n') {
            ++line;
            line_start = i;
        }
    }
    return pos;
}

std::string lang_of(const doc::Book& book, const doc::Chapter& ch) {
    return ch.lang.empty() ? book.meta.language : ch.lang;
}

struct ChapterPages {
    ChapterLayout layout;
    std::vector<PageBuild> builds;
};

// The figure's image shrunk by `s` about its centre, and what lies below it moved up.
void scale_figure(Paint& p, const VItem& it, double s) {
    double dy = (1 - s) * it.image_h;
    double below = it.image_y + it.image_h - 0.01;
    for (auto& im : p.images) {
        double w = im.w * s;
        im.x += (im.w - w) / 2;
        im.w = w;
        im.h *= s;
    }
    for (auto& t : p.texts)
        if (t.y >= below) t.y -= dy;
    for (auto& r : p.rules)
        if (r.y1 >= below) r.y1 -= dy, r.y2 -= dy;
    for (auto& r : p.rects)
        if (r.y >= below) r.y -= dy;
    for (auto& l : p.links)
        if (l.y >= below) l.y -= dy;
}

// The chapter's pages as the page builder made them, without their furniture (folio, running
// head): every chapter opens on a recto, so which side a page is on is known before its number.
// Drawn on the thread that laid the chapter out, whose allocator then reuses the layout's
// memory as it is freed (a 3,000-page chapter drawn on another thread held both: 100 MB more).
// The layout's items are released.
std::vector<OutPage> draw_chapter(ChapterPages& cp, int ci, const Geometry& geo,
                                  const PageSpec& spec) {
    std::vector<OutPage> pages;
    pages.reserve(cp.builds.size());
    size_t read_to = 0; // items before this one were placed on earlier pages
    std::vector<const Paint*> taken;
    for (size_t k = 0; k < cp.builds.size(); ++k) {
        PageBuild& pb = cp.builds[k];
        OutPage page;
        // Room for the page's items and notes, and its frames, rule and furniture (a few each).
        taken.clear();
        for (const auto& pl : pb.items) {
            const VItem& it = cp.layout.items[pl.item];
            taken.push_back(pl.repeat ? it.repeat.get() : &it.paint);
        }
        for (const auto& np : pb.notes)
            taken.push_back(&cp.layout.notes[np.note].lines[np.line].paint);
        page.paint.reserve(taken, 16);
        bool recto = k % 2 == 0;
        double x0 = geo.left(recto), y0 = geo.top;
        page.chapter = ci;
        page.block = -1;
        for (const auto& pl : pb.items) {
            VItem& it = cp.layout.items[pl.item];
            if (page.block < 0) page.block = it.block;
            // A figure floated here from before the page's text is not where it starts.
            if (page.start.empty() && !pl.repeat && it.kind == VItem::Kind::Box && it.path >= 0 &&
                it.at != kNoWord && pl.item >= read_to)
                page.start = {cp.layout.paths[size_t(it.path)], it.at};
            read_to = std::max(read_to, pl.item + 1);
            if (pl.repeat) {
                Paint copy = *it.repeat;
                copy.as_artifact(); // read once, where the table starts
                page.paint.take(std::move(copy), x0, y0 + pl.y);
                continue;
            }
            Paint paint = std::move(it.paint);
            if (pl.scale < 1) scale_figure(paint, it, pl.scale);
            page.paint.take(std::move(paint), x0, y0 + pl.y);
        }
        draw_box_frames(pb, cp.layout.items, page.paint, x0, y0);
        if (page.block < 0) page.block = 0;
        if (!pb.notes.empty()) {
            double ry = y0 + pb.notes_top + spec.note_sep * 0.45;
            page.paint.rules.push_back({x0, ry, x0 + geo.text_w() * 0.3, ry, 0.4, {}});
            for (const auto& np : pb.notes) {
                auto& lines = cp.layout.notes[np.note].lines;
                if (np.line >= lines.size()) continue; // placed once each, in order (paginate)
                page.paint.take(std::move(lines[np.line].paint), x0, y0 + np.y);
                if (np.line + 1 == lines.size()) // its last line: a book of notes has 100,000
                    std::vector<NoteLine>().swap(lines);
            }
        }
        pages.push_back(std::move(page));
    }
    // The layout is drawn into pages now: release it (clear() would keep the capacity).
    decltype(cp.layout.items)().swap(cp.layout.items);
    decltype(cp.layout.notes)().swap(cp.layout.notes);
    decltype(cp.layout.paths)().swap(cp.layout.paths);
    return pages;
}

// The book's typesetting rules ([pdf] in book.toml) for each builder.
HyphenOptions hyphen_options(const book::PdfConfig& c) {
    HyphenOptions h;
    h.left_min = c.left_hyphen_min;
    h.right_min = c.right_hyphen_min;
    h.capitalized = c.hyphenate_capitalized;
    h.exceptions = c.hyphenation;
    return h;
}
BreakParams break_params(const book::PdfConfig& c) {
    BreakParams p;
    p.final_hyphen_demerits = c.final_hyphen_demerits;
    p.strict_final_hyphen = c.final_hyphen_if_nothing_else_fits;
    p.flagged_demerits = c.double_hyphen_demerits;
    p.max_hyphen_run = c.max_hyphenated_lines;
    p.emergency_stretch = c.emergency_stretch; // ems, scaled per paragraph
    p.protrusion = c.protrusion;
    return p;
}
PageSpec page_rules(const book::PdfConfig& c) {
    PageSpec s;
    s.broken_penalty = c.broken_penalty;
    s.broken_turn_penalty = c.broken_turn_penalty;
    s.chapter_end_min_lines = c.chapter_end_min_lines;
    s.flush_bottom = c.flush_bottom;
    return s;
}

// Where the chapter's pages end in a hyphen or it ends on a short page, sets some paragraphs a
// line looser or tighter (TeX's \looseness) and keeps what the page builder prices lower.
// Each try lays the chapter out again: only chapters of 40 pages or fewer with such pages pay.
void refit(ChapterPages& cp, const LayoutEnv& env, int ci, const Hyphenator* h,
           const PageSpec& spec, ParagraphMemo& memo) {
    constexpr size_t kMaxTries = 3;
    if (cp.builds.size() > kMaxRefitPages || cp.layout.blocks_released) return;
    double cost = pages_cost(cp.layout.items, cp.builds, spec);
    std::map<int, int> kept;
    size_t tries = 0;
    for (const auto& change : refits(cp.layout.items, cp.builds, spec)) {
        if (cost < 1 || ++tries > kMaxTries) break;
        std::map<int, int> loose = kept;
        for (const auto& [block, l] : change)
            loose[block] = l;
        ChapterLayout layout = layout_chapter(env, ci, h, loose, &memo);
        // Paragraphs taken from the memo reported their missing characters the first time.
        layout.missing.insert(cp.layout.missing.begin(), cp.layout.missing.end());
        auto builds = paginate(layout.items, layout.notes, spec);
        double c = pages_cost(layout.items, builds, spec);
        if (c + 1 < cost && builds.size() <= cp.builds.size()) {
            cost = c;
            kept = std::move(loose);
            cp.layout = std::move(layout);
            cp.builds = std::move(builds);
            break; // good enough: more tries cost more than they usually win
        }
    }
}

std::string codepoint_name(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", unsigned(cp));
    std::string s = buf;
    if (cp >= 0x20) {
        s += " '";
        util::append_utf8(s, cp);
        s += "'";
    }
    return s;
}

// PDF/X-1a converts every image to CMYK itself, so it wants raw pixels, never JPEG/PNG streams.
bool wants_raw_pixels(const book::PdfConfig& config) {
    return wants_pdfx(config.print) && config.print.pdfx == "x1a";
}

} // namespace

namespace {

std::vector<image::PdfPolicy> policies_for(const book::PdfConfig& config, const doc::Book& book,
                                           const std::set<int>& in_text) {
    auto policies = image_policies(make_geometry(config), book, in_text);
    for (auto& p : policies)
        p.raw = wants_raw_pixels(config);
    return policies;
}

} // namespace

std::vector<image::PdfPolicy> image_policies(const book::PdfConfig& config, const doc::Book& book) {
    return policies_for(config, book, text_assets(book));
}

std::vector<PageStart> write_pdf(const doc::Book& book, const std::filesystem::path& out,
                                 const Options& options, util::Diagnostics& diags) {
    Geometry geo = make_geometry(options.config);
    geo.spine_right = bound_on_right(options.config, book.meta.rtl);
    std::unique_ptr<PrintColor> color; // read first: a missing profile fails before typesetting
    if (wants_pdfx(options.config.print))
        color = std::make_unique<PrintColor>(options.config.print, book.root);
    if (color && options.config.standard == "pdf/a-2u") // two output intents: neither standard
        throw util::BuildError({"book.toml"}, "[pdf] standard = \"pdf/a-2u\" and [print] pdfx "
                                              "cannot be combined: set [print] pdfx = \"none\" "
                                              "for an archival PDF");
    std::unique_ptr<FontSet> loaded =
        options.fonts ? options.fonts() : std::make_unique<FontSet>(options.config, book.root);
    const FontSet& fonts = *loaded;

    // One hyphenator per language, shared by the chapters that use it.
    std::map<std::string, std::unique_ptr<Hyphenator>> hyphenators;
    for (const auto& ch : book.chapters) {
        std::string lang = lang_of(book, ch);
        if (hyphenators.count(lang)) continue;
        auto h = std::make_unique<Hyphenator>(lang, hyphen_options(options.config));
        util::SourcePos at = ch.lang_pos; // the essay's own `lang`, at its value
        if (at.file.empty()) at.file = ch.source;
        if (!h->found() && !unhyphenated_language(lang))
            diags.warning(at, "no hyphenation dictionary for language '" + lang +
                                  "'; the PDF is set without hyphenation there");
        hyphenators.emplace(lang, std::move(h));
    }

    // Decode every image once, in parallel; a bad one is left out with a warning.
    std::set<int> in_text = text_assets(book);
    std::set<int> used = in_text;
    for (const auto& ch : book.chapters)
        if (ch.banner >= 0) used.insert(ch.banner);
    std::vector<int> assets;
    for (int a : used)
        if (size_t(a) < book.assets.size()) assets.push_back(a);
    std::vector<image::PdfPolicy> policies = policies_for(options.config, book, in_text);
    std::vector<image::PdfImage> decoded(assets.size());
    std::vector<std::string> errors(assets.size());
    util::parallel_for(assets.size(), [&](size_t i) {
        try {
            decoded[i] = image::prepare_for_pdf(book.assets[assets[i]].source, policies[assets[i]],
                                                options.cache);
        } catch (const image::ImageError& e) {
            errors[i] = e.what();
        } catch (const util::BuildError& e) {
            errors[i] = e.what();
        }
    });
    ImageSizes sizes;
    sizes.width.assign(book.assets.size(), 0);
    sizes.height.assign(book.assets.size(), 0);
    std::map<int, image::PdfImage> images;
    for (size_t i = 0; i < assets.size(); ++i) {
        const doc::Asset& a = book.assets[assets[i]];
        if (!errors[i].empty() || decoded[i].width <= 0 || decoded[i].height <= 0) {
            diags.warning(a.used_at.file.empty() ? util::SourcePos{a.source_display, 0, 0}
                                                 : a.used_at,
                          "image " + a.source_display + " left out of the PDF: " +
                              (errors[i].empty() ? std::string("empty image") : errors[i]));
            continue;
        }
        // Layout uses the probed size (its aspect), falling back to the decoded one.
        bool probed = a.width > 0 && a.height > 0;
        sizes.width[assets[i]] = probed ? a.width : decoded[i].width;
        sizes.height[assets[i]] = probed ? a.height : decoded[i].height;
        images.emplace(assets[i], std::move(decoded[i]));
    }
    decoded.clear();

    // Chapters are independent until their pages are numbered: lay out and paginate in parallel.
    LayoutEnv env{
        &book, &fonts, &geo, &sizes, break_params(options.config), options.done_with_blocks};
    PageSpec spec = page_rules(options.config);
    spec.height = geo.text_h();
    spec.line = geo.line();
    spec.note_sep = geo.line() * 0.9;
    spec.float_sep = geo.line() * 0.8;
    std::vector<ChapterPages> chapters(book.chapters.size());
    // With a memo (watch): a chapter an earlier build laid out from the same inputs is shared
    // from it, and copied into `chapters` only if its pages must be made again.
    render::Memo* kept_by = options.memo;
    std::vector<render::Key> keys;
    std::vector<std::shared_ptr<const ChapterPages>> kept(book.chapters.size());
    std::vector<std::vector<OutPage>> chapter_pages(book.chapters.size()); // without furniture
    if (kept_by) keys = layout_keys(book, sizes, *kept_by);
    util::parallel_for(book.chapters.size(), [&](size_t i) {
        if (kept_by && (kept[i] = kept_by->find<ChapterPages>(keys[i]))) return;
        const Hyphenator* h = hyphenators.at(lang_of(book, book.chapters[i])).get();
        if (!h->found()) h = nullptr;
        // The refits set only the paragraphs they change. A chapter with more lines than
        // kMaxRefitPages pages could hold at half the body size is never refitted: the memo
        // stops there.
        ParagraphMemo paragraphs(kMaxRefitPages * size_t(spec.height / (geo.font_size * 0.5) + 1));
        chapters[i].layout = layout_chapter(env, int(i), h, {}, &paragraphs);
        chapters[i].builds = paginate(chapters[i].layout.items, chapters[i].layout.notes, spec);
        refit(chapters[i], env, int(i), h, spec, paragraphs);
        if (kept_by)
            kept[i] = kept_by->put(keys[i], chapters[i]); // drawn below, unless its pages are kept
        else
            chapter_pages[i] = draw_chapter(chapters[i], int(i), geo, spec);
    });
    forget_shapes(fonts); // the text is set: its shapes are drawn from the layout now
    auto laid = [&](size_t i) -> const ChapterPages& { return kept[i] ? *kept[i] : chapters[i]; };

    // Body pages; each chapter opens on a recto. Where each chapter starts is known from its
    // page count, so the chapters' pages are numbered and furnished in parallel.
    std::vector<size_t> first_page(book.chapters.size());
    size_t n_body = 0;
    for (size_t ci = 0; ci < book.chapters.size(); ++ci) {
        if (n_body % 2 == 1) ++n_body; // a blank verso before it
        first_page[ci] = n_body;
        n_body += laid(ci).builds.size();
    }
    std::vector<std::set<char32_t>> missing_heads(book.chapters.size());
    std::vector<bool> fresh(book.chapters.size(), !kept_by); // pages made now, to keep
    util::parallel_for(book.chapters.size(), [&](size_t ci) {
        if (kept_by) {
            if (auto out = kept_by->find<ChapterOut>(pages_key(keys[ci], first_page[ci]))) {
                chapter_pages[ci] = out->pages;
                missing_heads[ci] = out->missing_heads;
                return;
            }
            fresh[ci] = true;
            if (chapters[ci].builds.empty()) chapters[ci] = *kept[ci];
            chapter_pages[ci] = draw_chapter(chapters[ci], int(ci), geo, spec);
        }
        const doc::Chapter& ch = book.chapters[ci];
        for (size_t k = 0; k < chapter_pages[ci].size(); ++k) {
            OutPage& page = chapter_pages[ci][k];
            size_t number = first_page[ci] + k; // 0-based in the body
            bool recto = number % 2 == 0;
            page.label = std::to_string(number + 1);
            bool opening = k == 0;
            bool part = ch.kind == doc::ChapterKind::Part;
            Folio folio = opening ? (part ? Folio::None : Folio::Foot) : Folio::Head;
            std::string head = recto ? ch.title : book.meta.title;
            furnish(page, geo, fonts, recto, folio, head, &missing_heads[ci]);
        }
    });
    std::set<char32_t> missing_front;
    std::vector<OutPage> body;
    body.reserve(n_body);
    std::vector<std::string> labels(book.chapters.size());
    for (size_t ci = 0; ci < book.chapters.size(); ++ci) {
        if (body.size() < first_page[ci]) {
            OutPage blank;
            blank.chapter = int(ci) - 1;
            blank.block = body.back().block;
            blank.blank = true;
            blank.label = std::to_string(body.size() + 1);
            body.push_back(std::move(blank));
        }
        labels[ci] = std::to_string(body.size() + 1);
        for (auto& page : chapter_pages[ci])
            body.push_back(std::move(page));
        missing_front.insert(missing_heads[ci].begin(), missing_heads[ci].end());
    }
    chapter_pages.clear();

    FrontInput fi{&book, &fonts, &geo, labels, &missing_front};
    Document doc;
    doc.geo = geo;
    doc.pdfa = options.config.standard == "pdf/a-2u";
    for (size_t ci = 0; ci < chapters.size(); ++ci) {
        // Moved from a chapter laid out now; copied from a memo's, which stays in the memo.
        if (kept[ci])
            doc.trees.push_back(kept[ci]->layout.structure);
        else
            doc.trees.push_back(std::move(chapters[ci].layout.structure));
        doc.langs.push_back(lang_of(book, book.chapters[ci]));
    }
    doc.color = color.get();
    doc.pages = cover_pages(book, geo, options, images, diags);
    fi.first_number = int(doc.pages.size()) + 1; // the cover is page i
    for (auto& p : front_matter(fi, doc.front))
        doc.pages.push_back(std::move(p));
    doc.front_pages = doc.pages.size();
    for (auto& p : body)
        doc.pages.push_back(std::move(p));
    body.clear();
    finish_print_pages(doc, options.config.print, book, diags);
    std::vector<int> pixel_w(book.assets.size(), 0); // vector art has no resolution to warn of
    for (size_t a = 0; a < book.assets.size(); ++a)
        if (book.assets[a].format != "svg") pixel_w[a] = book.assets[a].width;
    warn_low_resolution(doc.pages, book, pixel_w, diags);
    fit_to_print(images, doc.pages, book, geo, options.cache, wants_raw_pixels(options.config));

    // Glyphs no font has: one warning per character, naming the first chapter that uses it.
    std::set<char32_t> warned;
    for (size_t ci = 0; ci < chapters.size(); ++ci)
        for (char32_t cp : laid(ci).layout.missing)
            if (warned.insert(cp).second)
                diags.warning(first_use(book, book.chapters[ci], cp),
                              "no font has a glyph for " + codepoint_name(cp) +
                                  "; the PDF shows '?' instead");
    // Tables too wide for the page: set smaller, or split by columns (never overprinted).
    for (size_t ci = 0; ci < chapters.size(); ++ci)
        for (const auto& t : laid(ci).layout.small_tables) {
            char size[16];
            std::snprintf(size, sizeof size, "%.1f", t.size);
            std::string what = "table of " + std::to_string(t.columns) +
                               " columns is too wide for "
                               "the page: set at " +
                               size + " pt";
            if (t.groups > 1)
                what += " and split into " + std::to_string(t.groups) + " column groups";
            diags.warning({book.chapters[ci].source, t.line, 1}, what);
        }
    for (char32_t cp : missing_front)
        if (warned.insert(cp).second)
            diags.warning({}, "no font has a glyph for " + codepoint_name(cp) +
                                  " (book metadata); the PDF shows '?' instead");

    // The pages made now, kept (once encoded) for the next build: links, anchors and outlines
    // are taken before the writer uses them up.
    std::vector<ChapterOut> made(kept_by ? book.chapters.size() : 0);
    for (size_t ci = 0; ci < made.size(); ++ci) {
        if (!fresh[ci]) continue;
        made[ci].missing_heads = missing_heads[ci];
        for (size_t k = 0; k < laid(ci).builds.size(); ++k)
            made[ci].pages.push_back(
                without_drawing(doc.pages[doc.front_pages + first_page[ci] + k]));
    }
    doc.keep_encoded = kept_by != nullptr;
    // The writer reads titles, notes' labels and metadata, never blocks.
    if (options.done_with_blocks)
        for (size_t ci = 0; ci < book.chapters.size(); ++ci) {
            for (size_t n = 0; n < book.chapters[ci].notes.size(); ++n)
                options.done_with_blocks(ci, int(n));
            options.done_with_blocks(ci, -1);
        }
    forget_shapes(fonts); // the few the pages' furniture and the front matter shaped
    // The layout's temporaries are freed, but glibc keeps them in the worker threads' arenas;
    // hand them back before libharu builds the document (100,000 notes: peak 1.03 -> 0.90 GB).
    util::release_free_memory();
    std::vector<PageStart> map;
    for (size_t i = 0; i < doc.pages.size(); ++i)
        map.push_back({int(i) + 1, doc.pages[i].label, doc.pages[i].chapter, doc.pages[i].block,
                       doc.pages[i].start, doc.pages[i].blank});
    if (options.pages_ready) options.pages_ready(map);
    write_document(doc, book, fonts, images, out,
                   options.report_as.empty() ? out : options.report_as);
    for (size_t ci = 0; ci < made.size(); ++ci) {
        if (!fresh[ci]) continue;
        for (size_t k = 0; k < made[ci].pages.size(); ++k)
            made[ci].pages[k].encoded = doc.pages[doc.front_pages + first_page[ci] + k].encoded;
        kept_by->put(pages_key(keys[ci], first_page[ci]), std::move(made[ci]));
    }
    return map;
}

namespace {

class PdfRenderer : public render::Renderer {
public:
    std::string name() const override { return "pdf"; }
    std::string extension() const override { return "pdf"; }
    std::string activity() const override { return "typesetting the PDF"; }
    // The fonts load on a thread of their own while the essays are read (fontconfig's cache and
    // the seven faces: ~13 ms of one core, on the serial path before the layout otherwise).
    void prepare(const book::Config& config) override {
        fonts_root_ = config.root;
        fonts_ = std::async(std::launch::async, [pdf = config.pdf, root = config.root] {
            return std::make_unique<FontSet>(pdf, root);
        });
    }
    void configure(const book::Config& config) override { config_ = config.pdf; }
    void render(const doc::Book& book, render::Output& out) override {
        Options options;
        if (fonts_.valid() && book.root == fonts_root_) // the first book; editions load their own
            options.fonts = [this] { return fonts_.get(); };
        options.config = config_;
        options.cache = out.cache;
        options.memo = out.memo;
        options.report_as = out.target;
        options.done_with_blocks = out.done_with_blocks;
        // The page map goes on before the file is written: a renderer after this one may start
        // while libharu writes.
        options.pages_ready = [&out](const std::vector<PageStart>& pages) {
            out.handoff.put(render::PageMap{pages, out.target.filename().string()});
            if (out.handed_off) out.handed_off();
        };
        write_pdf(book, out.path, options, out.diags);
    }

private:
    book::PdfConfig config_;
    std::future<std::unique_ptr<FontSet>> fonts_;
    std::filesystem::path fonts_root_;
};

} // namespace

std::unique_ptr<render::Renderer> make_renderer() {
    return std::make_unique<PdfRenderer>();
}

} // namespace imprenta::pdf

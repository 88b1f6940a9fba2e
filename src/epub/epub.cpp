// write_epub: decide names and ids, prepare images and render chapters in parallel, then package
// everything into one zip (render::Output makes it replace the previous file with the others).
#include "epub/epub.h"

#include "epub/generated_cover.h"
#include "epub/page_memo.h"
#include "epub/plan.h"
#include "epub/xml.h"
#include "epub/zip.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/parallel.h"
#include "util/templates.h"
#include "util/utf8.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace imprenta::epub {

namespace {

// A chapter's XHTML deflated for the zip, with what rendering it had to say.
struct PackedPage {
    ZipWriter::Packed packed;
    std::vector<Warning> warnings;
};

void report(util::Diagnostics& diags, const std::vector<Warning>& warnings) {
    for (const auto& w : warnings)
        diags.warning(w.pos, w.message);
}

std::string fallback_identifier(const doc::Metadata& meta) {
    std::string name = meta.title;
    for (const auto& a : meta.authors)
        name += "|" + a;
    return util::stable_urn_uuid(name);
}

// A name segment an unpacker and a URL take as it is: [A-Za-z0-9_-], not starting with '-'.
bool safe_segment(std::string_view seg) {
    if (seg.empty() || seg[0] == '-') return false;
    for (char c : seg)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    return true;
}

// "img/02_cgpt" stays; "img/Foto ñ" -> "img/foto-n".
std::string safe_stem(std::string_view name) {
    std::string out;
    size_t start = 0;
    while (start <= name.size()) {
        size_t end = name.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = name.size();
        std::string_view raw = name.substr(start, end - start);
        std::string seg = safe_segment(raw) ? std::string(raw) : util::slugify(raw);
        if (!seg.empty()) out += (out.empty() ? "" : "/") + seg;
        start = end + 1;
    }
    return out;
}

// The title the EPUB shows: never empty.
std::string book_title(const doc::Metadata& meta) {
    std::string title = util::xml_safe_text(meta.title);
    if (title.find_first_not_of(" \t\n") == std::string::npos)
        title = meta.slug.empty() ? "Untitled" : meta.slug;
    return title;
}

Plan make_plan(const doc::Book& book, std::vector<Warning>& warnings) {
    Plan plan;
    plan.book = &book;
    const auto& meta = book.meta;
    plan.lang = meta.language;
    if (!valid_language_tag(plan.lang)) {
        if (!plan.lang.empty()) {
            Warning w;
            w.pos = meta.language_pos;
            w.message = "language '" + meta.language +
                        "' is not a BCP 47 tag (like 'es' or 'en-US'); using 'en'";
            warnings.push_back(std::move(w));
        }
        plan.lang = "en";
    }
    plan.title = book_title(meta);
    plan.identifier = util::xml_safe_text(meta.identifier);
    if (plan.identifier.find_first_not_of(" \t\n") == std::string::npos)
        plan.identifier = fallback_identifier(meta);

    IdAllocator names;
    names.take("title"); // text/title.xhtml and text/cover.xhtml are ours
    names.take("cover");
    for (size_t i = 0; i < book.chapters.size(); ++i) {
        const auto& ch = book.chapters[i];
        std::string stem = util::slugify(ch.slug);
        if (stem.empty()) stem = "chapter-" + std::to_string(i + 1);
        plan.files.push_back(names.take(stem) + ".xhtml");
        // A chapter that inherits the book's language was reported with it.
        if (ch.lang.empty() || ch.lang == meta.language || valid_language_tag(ch.lang)) {
            plan.langs.push_back(ch.lang.empty() ? plan.lang : ch.lang);
        } else {
            Warning w;
            w.pos = ch.lang_pos; // the essay's own `lang`, at its value
            if (w.pos.file.empty()) w.pos.file = ch.source;
            w.message = "language '" + ch.lang + "' is not a BCP 47 tag; using the book's";
            warnings.push_back(std::move(w));
            plan.langs.push_back(plan.lang);
        }
    }
    plan.ids.resize(book.chapters.size());
    util::parallel_for(book.chapters.size(),
                       [&](size_t i) { plan.ids[i] = collect_ids(book.chapters[i]); });
    return plan;
}

// Prepares every image a page shows (and the cover); a failed one is reported and left out.
void prepare_images(Plan& plan, const Options& options, std::vector<Warning>& warnings) {
    const doc::Book& book = *plan.book;
    std::vector<bool> used(book.assets.size(), false);
    for (const auto& ch : book.chapters)
        collect_images(ch, used, plan.all_alt);
    int cover = book.meta.cover;
    bool cover_valid = cover >= 0 && cover < static_cast<int>(book.assets.size());
    if (cover_valid) used[cover] = true;

    std::vector<size_t> todo;
    for (size_t i = 0; i < used.size(); ++i)
        if (used[i]) todo.push_back(i);
    plan.images.resize(book.assets.size());
    std::vector<std::vector<Warning>> failures(todo.size());
    util::parallel_for(todo.size(), [&](size_t k) {
        const doc::Asset& asset = book.assets[todo[k]];
        ImageResource& r = plan.images[todo[k]];
        try {
            image::EpubImage img =
                image::prepare_for_epub(asset.source, options.images, options.cache);
            r.media_type = std::move(img.media_type);
            r.bytes = std::move(img.bytes);
            r.path = img.extension; // named below, in asset order
            r.ok = true;
        } catch (const image::ImageError& e) {
            // At the image's first reference when there is one: the place to fix.
            Warning w;
            w.pos = asset.used_at.file.empty() ? util::SourcePos{asset.source_display, 0, 0}
                                               : asset.used_at;
            w.message = "cannot use image " + asset.source_display + " (" + e.what() +
                        "); it is left out and pages show its alt text";
            failures[k].push_back(std::move(w));
        }
    });
    for (const auto& f : failures)
        warnings.insert(warnings.end(), f.begin(), f.end());

    IdAllocator names;
    int n = 0;
    for (size_t i = 0; i < plan.images.size(); ++i) {
        ImageResource& r = plan.images[i];
        if (!r.ok) continue;
        std::string stem = safe_stem(book.assets[i].name);
        if (stem.empty()) stem = "image-" + std::to_string(i + 1);
        std::string ext = util::slugify(r.path);
        // Unique ignoring case: names that differ only in case clash on some file systems.
        std::string key = util::to_lower(stem);
        stem += names.take(key).substr(key.size());
        r.path = "images/" + stem + (ext.empty() ? "" : "." + ext);
        r.id = "image-" + std::to_string(++n);
    }
    if (cover_valid && plan.images[cover].ok) plan.cover = cover;
    if (book.meta.cover >= 0 && !cover_valid)
        add_warning(warnings, "", "the cover refers to an image that does not exist; no cover");
}

// The drawn cover's place among the images, named apart from the book's own: taken before it is
// drawn, so that the package files can be written meanwhile (they need its name, not its bytes).
void reserve_generated_cover(Plan& plan) {
    ImageResource r;
    r.ok = true;
    r.media_type = "image/png";
    r.path = "images/cover.png";
    r.id = "cover-image";
    auto taken = [&](const std::string& path) {
        return std::any_of(plan.images.begin(), plan.images.end(),
                           [&](const auto& i) { return i.ok && util::to_lower(i.path) == path; });
    };
    for (int n = 2; taken(r.path); ++n)
        r.path = "images/cover-" + std::to_string(n) + ".png";
    plan.images.push_back(std::move(r));
    plan.cover = static_cast<int>(plan.images.size()) - 1;
}

// The drawn cover's bytes into its place; false (and the place given up) when it could not be
// drawn.
bool add_generated_cover(Plan& plan, CoverDrawing& drawing, util::Diagnostics& diags) {
    std::string error;
    std::optional<std::string> png = drawing.take(error);
    if (!png) {
        diags.warning({}, "cannot draw a cover (" + error + "); the EPUB has none");
        plan.images.pop_back();
        plan.cover = -1;
        return false;
    }
    plan.images.back().bytes = std::move(*png);
    return true;
}

// The package's own files, deflated for the zip: content.opf with what it had to say, the
// navigation, the style sheet, the cover and title pages.
struct FrontFiles {
    ZipWriter::Packed opf, nav, ncx, css, cover, title;
    std::vector<Warning> warnings;
};

FrontFiles front_files(const Plan& plan, const PageTemplate& page, const std::string& css) {
    FrontFiles f;
    f.opf = ZipWriter::pack(package_opf(plan, f.warnings));
    f.nav = ZipWriter::pack(nav_xhtml(plan, page));
    f.ncx = ZipWriter::pack(toc_ncx(plan));
    f.css = ZipWriter::pack(css);
    if (plan.cover >= 0) f.cover = ZipWriter::pack(cover_page(plan, page));
    f.title = ZipWriter::pack(title_page(plan, page));
    return f;
}

} // namespace

void write_epub(const doc::Book& book, const std::filesystem::path& out, const Options& options,
                util::Diagnostics& diags) {
    std::error_code ec;
    if (std::filesystem::is_directory(out, ec))
        throw util::BuildError({out.string()}, "cannot write the EPUB: a directory is in the way");

    PageTemplate page = PageTemplate::load(book.root, &diags);
    std::string css = util::load_template(book.root, "epub/style.css", &diags);

    // A book that names no cover gets one drawn (CoverDrawing), the first job beside the chapters.
    std::optional<CoverDrawing> drawing;
    auto draw_cover = [&] {
        drawing.emplace(book, book_title(book.meta),
                        util::load_template(book.root, "epub/cover.svg", &diags), options.images,
                        options.cache, options.memo);
    };
    if (book.meta.cover < 0) draw_cover();

    std::vector<Warning> warnings;
    Plan plan = make_plan(book, warnings);
    if (options.pages) plan_page_breaks(plan, *options.pages);
    prepare_images(plan, options, warnings);
    report(diags, warnings);
    warnings.clear();
    if (plan.cover < 0 && !drawing) draw_cover(); // the cover named could not be used

    // Each chapter is deflated as soon as it is written: a long one is held whole only briefly.
    // Pages an earlier build (watch) made from the same inputs are taken as they are.
    std::vector<render::Key> keys;
    if (options.memo) keys = page_keys(plan, page, *options.memo);
    if (drawing) reserve_generated_cover(plan);
    // The longest jobs first, beside the chapters: the drawn cover, then the package files
    // (they depend on the plan only).
    FrontFiles front;
    std::vector<PackedPage> chapters(book.chapters.size());
    const size_t front_job = drawing ? 1 : 0, first_chapter = front_job + 1;
    util::parallel_for(first_chapter + book.chapters.size(), [&](size_t job) {
        if (job < front_job) {
            drawing->draw();
            return;
        }
        if (job == front_job) {
            front = front_files(plan, page, css);
            return;
        }
        size_t i = job - first_chapter;
        if (options.memo) {
            if (auto kept = options.memo->find<PackedPage>(keys[i])) {
                chapters[i] = *kept;
                return;
            }
        }
        RenderedPage r = render_chapter(plan, page, i);
        chapters[i] = {ZipWriter::pack(std::move(r.xhtml)), std::move(r.warnings)};
        if (options.memo) options.memo->put(keys[i], chapters[i]);
    });
    // Written again without the cover in the rare build whose cover could not be drawn.
    if (drawing && !add_generated_cover(plan, *drawing, diags))
        front = front_files(plan, page, css);
    for (const auto& c : chapters)
        report(diags, c.warnings);
    report(diags, front.warnings);

    std::string report_as = (options.report_as.empty() ? out : options.report_as).string();
    ZipWriter zip(out, book.meta.modified, report_as);
    zip.add("mimetype", "application/epub+zip", ZipWriter::Method::Store);
    zip.add("META-INF/container.xml", container_xml());
    zip.add("EPUB/content.opf", std::move(front.opf));
    zip.add("EPUB/nav.xhtml", std::move(front.nav));
    zip.add("EPUB/toc.ncx", std::move(front.ncx));
    zip.add("EPUB/style.css", std::move(front.css));
    if (plan.cover >= 0) zip.add("EPUB/text/cover.xhtml", std::move(front.cover));
    zip.add("EPUB/text/title.xhtml", std::move(front.title));
    for (size_t i = 0; i < chapters.size(); ++i)
        zip.add("EPUB/text/" + plan.files[i], std::move(chapters[i].packed));
    // JPEG, PNG and GIF are compressed already: deflating them again costs time, saves nothing.
    for (auto& r : plan.images)
        if (r.ok)
            zip.add("EPUB/" + r.path, std::move(r.bytes),
                    r.media_type == "image/svg+xml" ? ZipWriter::Method::Deflate
                                                    : ZipWriter::Method::Store);
    zip.close();
}

namespace {

class EpubRenderer : public render::Renderer {
public:
    std::string name() const override { return "epub"; }
    std::string extension() const override { return "epub"; }
    std::string activity() const override { return "writing the EPUB"; }
    void render(const doc::Book& book, render::Output& out) override {
        Options options;
        options.cache = out.cache;
        options.memo = out.memo;
        options.report_as = out.target;
        options.pages = out.handoff.get<render::PageMap>();
        write_epub(book, out.path, options, out.diags);
    }
};

} // namespace

std::unique_ptr<render::Renderer> make_renderer() {
    return std::make_unique<EpubRenderer>();
}

} // namespace imprenta::epub

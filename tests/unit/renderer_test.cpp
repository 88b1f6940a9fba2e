// The renderer interface: a third format plugged into the same CLI build path, the typed hand-off
// between renderers, and the output folder's all-or-nothing transaction.
#include "cli/app.h"
#include "epub/epub.h"
#include "pdf/pdf.h"
#include "render/memo.h"
#include "render/page_map.h"
#include "render/render.h"
#include "support/support.h"
#include "util/diag.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

using namespace imprenta;
namespace ts = testing_support;

namespace {

// A plain-text edition: the book's title, then per chapter a heading line (with the printed page
// it starts on, when the PDF ran before and handed its page map on) and its paragraphs.
class PlainTextRenderer : public render::Renderer {
public:
    std::string name() const override { return "txt"; }
    std::string extension() const override { return "txt"; }
    void configure(const book::Config& config) override { configured_title_ = config.title; }
    void render(const doc::Book& book, render::Output& out) override {
        const render::PageMap* pages = out.handoff.get<render::PageMap>();
        std::ofstream f(out.path, std::ios::binary);
        f << book.meta.title << "\n";
        for (size_t i = 0; i < book.chapters.size(); ++i) {
            const doc::Chapter& ch = book.chapters[i];
            f << "\n## " << ch.title;
            if (pages)
                for (const auto& p : pages->pages)
                    if (p.chapter == int(i) && !p.blank) {
                        f << " [p. " << p.label << "]";
                        break;
                    }
            f << "\n";
            for (const auto& b : ch.blocks)
                if (b.kind == doc::BlockKind::Paragraph) f << doc::plain_text(b.inlines) << "\n";
        }
        if (pages) f << "\npages: " << pages->pages.size() << "\n";
        if (!f.flush()) throw util::BuildError({out.target.string()}, "cannot write");
    }
    std::string configured_title_;
};

// Fails after the renderers before it have written their files.
class FailingRenderer : public render::Renderer {
public:
    std::string name() const override { return "fail"; }
    std::string extension() const override { return "fail"; }
    void render(const doc::Book&, render::Output& out) override {
        throw util::BuildError({out.target.string()}, "this renderer always fails");
    }
};

// Notes the thread it renders on and whether the PDF's page map was there to read.
class ThreadProbe : public render::Renderer {
public:
    std::string name() const override { return "probe"; }
    std::string extension() const override { return "probe"; }
    void render(const doc::Book& book, render::Output& out) override {
        thread = std::this_thread::get_id();
        const render::PageMap* map = out.handoff.get<render::PageMap>();
        pages = map ? map->pages.size() : 0;
        std::ofstream(out.path, std::ios::binary) << book.meta.title << "\n";
    }
    std::thread::id thread;
    size_t pages = 0;
};

render::Registry with_plain_text() {
    render::Registry r = cli::builtin_renderers();
    auto txt = std::make_unique<PlainTextRenderer>();
    r.add(std::move(txt), /*by_default=*/false);
    r.add(std::make_unique<FailingRenderer>(), false);
    r.add(std::make_unique<ThreadProbe>(), false);
    return r;
}

int build(const render::Registry& registry, const fs::path& out, const std::string& formats) {
    return cli::run(
        {"build", ts::source_dir(), "-o", out.string(), "--format", formats, "-q", "--no-cache"},
        registry);
}

// A build as `imprenta watch` runs it: with a memo.
int watch_build(const render::Registry& registry, const fs::path& out, const std::string& formats,
                render::Memo& memo) {
    std::vector<std::string> args{ts::source_dir(), "-o", out.string(), "--format",
                                  formats,          "-q", "--no-cache"};
    return cli::build(cli::parse_build_args(args), registry, nullptr, &memo);
}

bool has_temp_files(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp") != std::string::npos) return true;
    return false;
}

} // namespace

TEST(Renderers, BuiltinsArePdfThenEpubThenCover) {
    render::Registry r = cli::builtin_renderers();
    ASSERT_EQ(r.renderers().size(), 3u);
    EXPECT_EQ(r.renderers()[0]->name(), "pdf");
    EXPECT_EQ(r.renderers()[1]->name(), "epub");  // after the PDF: its page-list
    EXPECT_EQ(r.renderers()[2]->name(), "cover"); // after the PDF: it reads its page map
    EXPECT_EQ(r.find("pdf")->extension(), "pdf");
    EXPECT_EQ(r.find("cover")->file_name("book"), "book-cover.pdf");
    EXPECT_FALSE(r.by_default(*r.find("cover"))); // only when asked for
    EXPECT_EQ(r.find("docx"), nullptr);
    EXPECT_EQ(r.names(), "pdf, epub, cover");
}

TEST(Renderers, HandoffIsTyped) {
    render::Handoff h;
    EXPECT_EQ(h.get<render::PageMap>(), nullptr);
    h.put(render::PageMap{{{1, "i", -1, 0, {}, false}, {2, "1", 0, 0, {}, false}}, "book.pdf"});
    h.put(std::string("not a page map"));
    ASSERT_NE(h.get<render::PageMap>(), nullptr);
    EXPECT_EQ(h.get<render::PageMap>()->pages.size(), 2u);
    EXPECT_EQ(*h.get<std::string>(), "not a page map");
    EXPECT_EQ(h.get<int>(), nullptr);
}

// The sample book through the CLI with a third renderer that reads the PDF's page map.
TEST(Renderers, ThirdRendererBuildsTheSampleBookThroughTheCli) {
    fs::path out = ts::fresh_dir("renderer-txt");
    render::Registry registry = with_plain_text();
    ASSERT_EQ(build(registry, out, "epub,pdf,txt"), 0);
    EXPECT_FALSE(has_temp_files(out));
    ASSERT_TRUE(fs::exists(out / "tipos-moviles.epub"));
    ASSERT_TRUE(fs::exists(out / "tipos-moviles.pdf"));
    std::string txt = ts::slurp(out / "tipos-moviles.txt");
    EXPECT_EQ(static_cast<PlainTextRenderer*>(registry.find("txt"))->configured_title_,
              "Tipos móviles");
    EXPECT_TRUE(txt.starts_with("Tipos móviles\n")) << txt.substr(0, 200);
    EXPECT_NE(txt.find("Antes de la imprenta, un libro era un objeto único."), std::string::npos);

    // The page map came from the PDF written in the same build: as many pages, and every chapter
    // starts on the page its table-of-contents line names.
    std::string pdf_text = ts::pdftotext(out / "tipos-moviles.pdf", "-layout");
    size_t pdf_pages = std::count(pdf_text.begin(), pdf_text.end(), '\f');
    EXPECT_NE(txt.find("\npages: " + std::to_string(pdf_pages) + "\n"), std::string::npos) << txt;
    int chapters_checked = 0;
    std::istringstream lines(txt);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("## ")) continue;
        size_t at = line.find(" [p. ");
        ASSERT_NE(at, std::string::npos) << line;
        std::string title = line.substr(3, at - 3);
        std::string label = line.substr(at + 5, line.size() - at - 6);
        bool found = false;
        std::istringstream pdf_lines(pdf_text);
        for (std::string l; std::getline(pdf_lines, l);)
            if (l.find(title) != std::string::npos && l.ends_with(" " + label)) found = true;
        EXPECT_TRUE(found) << "no contents line for '" << title << "' on page " << label;
        ++chapters_checked;
    }
    EXPECT_GE(chapters_checked, 5);

    // Without the PDF there is no page map to read, and nothing else changes.
    fs::path alone = ts::fresh_dir("renderer-txt-alone");
    ASSERT_EQ(build(registry, alone, "txt"), 0);
    std::string txt_alone = ts::slurp(alone / "tipos-moviles.txt");
    EXPECT_EQ(txt_alone.find("[p. "), std::string::npos);
    EXPECT_EQ(txt_alone.find("pages:"), std::string::npos);
    EXPECT_FALSE(fs::exists(alone / "tipos-moviles.pdf"));
}

// The EPUB and PDF do not depend on which other renderers ran beside them.
TEST(Renderers, ExtraRendererLeavesEpubAndPdfBytesAlone) {
    fs::path a = ts::fresh_dir("renderer-bytes-a"), b = ts::fresh_dir("renderer-bytes-b");
    ASSERT_EQ(build(cli::builtin_renderers(), a, "epub,pdf"), 0);
    ASSERT_EQ(build(with_plain_text(), b, "txt,pdf,epub"), 0);
    EXPECT_EQ(ts::slurp(a / "tipos-moviles.epub"), ts::slurp(b / "tipos-moviles.epub"));
    EXPECT_EQ(ts::slurp(a / "tipos-moviles.pdf"), ts::slurp(b / "tipos-moviles.pdf"));
}

// One renderer failing leaves every previous output as it was: all files are renamed, or none.
TEST(Renderers, AFailingRendererLeavesThePreviousOutputs) {
    fs::path out = ts::fresh_dir("renderer-fail");
    ts::write(out / "tipos-moviles.epub", "previous epub");
    ts::write(out / "tipos-moviles.pdf", "previous pdf");
    render::Registry registry = with_plain_text();
    EXPECT_EQ(build(registry, out, "epub,pdf,fail"), 1);
    EXPECT_EQ(ts::slurp(out / "tipos-moviles.epub"), "previous epub");
    EXPECT_EQ(ts::slurp(out / "tipos-moviles.pdf"), "previous pdf");
    EXPECT_FALSE(fs::exists(out / "tipos-moviles.fail"));
    EXPECT_FALSE(has_temp_files(out));

    // A folder in the way of one output: none of them is replaced.
    fs::create_directories(out / "tipos-moviles.txt" / "keep");
    EXPECT_EQ(build(registry, out, "epub,pdf,txt"), 1);
    EXPECT_EQ(ts::slurp(out / "tipos-moviles.epub"), "previous epub");
    EXPECT_EQ(ts::slurp(out / "tipos-moviles.pdf"), "previous pdf");
    EXPECT_TRUE(fs::is_directory(out / "tipos-moviles.txt" / "keep"));
    EXPECT_FALSE(has_temp_files(out));
}

TEST(Renderers, UnknownFormatIsAUsageError) {
    fs::path out = ts::fresh_dir("renderer-usage");
    EXPECT_EQ(build(with_plain_text(), out, "epub,docx"), 2);
    EXPECT_EQ(build(with_plain_text(), out, ""), 2);
    EXPECT_TRUE(fs::is_empty(out));
}

// Under watch, the renderer after the PDF starts on a thread of its own once the PDF has handed
// its page map on, while libharu writes the PDF; a single build runs them one after the other.
// Either way the PDF is the same.
TEST(Renderers, UnderWatchTheNextRendererStartsWhileThePdfIsWritten) {
    render::Registry registry = with_plain_text();
    auto* probe = static_cast<ThreadProbe*>(registry.find("probe"));
    fs::path single = ts::fresh_dir("renderer-overlap-single");
    ASSERT_EQ(build(registry, single, "pdf,probe"), 0);
    EXPECT_EQ(probe->thread, std::this_thread::get_id());
    size_t pages = probe->pages;
    EXPECT_GT(pages, 10u);

    fs::path watched = ts::fresh_dir("renderer-overlap-watch");
    render::Memo memo;
    for (int round = 0; round < 2; ++round) { // the first build fills the memo, the second reuses
        probe->thread = {};
        ASSERT_EQ(watch_build(registry, watched, "pdf,probe", memo), 0) << round;
        EXPECT_NE(probe->thread, std::thread::id()) << round;
        EXPECT_NE(probe->thread, std::this_thread::get_id()) << round;
        EXPECT_EQ(probe->pages, pages) << round;
        EXPECT_EQ(ts::slurp(watched / "tipos-moviles.pdf"), ts::slurp(single / "tipos-moviles.pdf"))
            << round;
        EXPECT_EQ(ts::slurp(watched / "tipos-moviles.probe"), "Tipos móviles\n");
        EXPECT_FALSE(has_temp_files(watched));
    }
}

// A renderer that fails on its own thread while the PDF is written fails the build, and every
// previous output stays as it was.
TEST(Renderers, UnderWatchAFailingOverlappedRendererLeavesThePreviousOutputs) {
    fs::path out = ts::fresh_dir("renderer-overlap-fail");
    ts::write(out / "tipos-moviles.pdf", "previous pdf");
    render::Registry registry = with_plain_text();
    render::Memo memo;
    EXPECT_EQ(watch_build(registry, out, "pdf,fail", memo), 1);
    EXPECT_EQ(ts::slurp(out / "tipos-moviles.pdf"), "previous pdf");
    EXPECT_FALSE(fs::exists(out / "tipos-moviles.fail"));
    EXPECT_FALSE(has_temp_files(out));
    // The same memo then builds the book as usual.
    EXPECT_EQ(watch_build(registry, out, "pdf,epub", memo), 0);
    EXPECT_NE(ts::slurp(out / "tipos-moviles.pdf"), "previous pdf");
    EXPECT_TRUE(fs::exists(out / "tipos-moviles.epub"));
    EXPECT_FALSE(has_temp_files(out));
}

#include "cli/app.h"

#include "book/load_config.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/find_book.h"
#include "cli/manifest.h"
#include "cli/progress.h"
#include "cli/release.h"
#include "cli/temp_dir.h"
#include "cli/usage.h"

#include "book/layout.h"
#include "book/scan.h"
#include "doc/assemble.h"
#include "epub/epub.h"
#include "image/prepare.h"
#include "pdf/cover.h"
#include "pdf/pdf.h"
#include "render/render.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/idle.h"
#include "util/output_folder.h"
#include "util/utf8.h"

#include "util/memory.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace imprenta::cli {

namespace fs = std::filesystem;

namespace {

// Above this many blocks, inlines and notes (100,000 footnotes make 500,000; the bench's 200
// essays 130,000), memory matters more than the page faults of handing it back at once.
constexpr size_t kLargeBookNodes = 250000;

fs::path default_cache_dir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "imprenta";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "imprenta";
    return {};
}

std::string human_size(uintmax_t bytes) {
    char b[32];
    if (bytes >= 1 << 20)
        std::snprintf(b, sizeof b, "%.1f MB", bytes / 1048576.0);
    else
        std::snprintf(b, sizeof b, "%.0f KB", bytes / 1024.0);
    return b;
}

// `imprenta build essay.md`: the chapter's title is the book's; the file name is the slug, so a
// one-essay build inside a book folder never overwrites the whole book's outputs.
void single_file_config(const book::Essay& essay, book::Config& config) {
    config.title.clear(); // the essay's, once assembled: front matter, first heading or file name
    config.slug = util::slugify(essay.path.stem().string());
    if (config.slug.empty()) config.slug = "essay";
}

// Without a title the book is named after its folder, which is rarely what the author wants.
void warn_if_untitled(const book::Config& config, util::Diagnostics& diags) {
    if (!config.title.empty()) return;
    std::string where =
        config.config_file.empty()
            ? "create " + (config.root / "book.toml").string() + " with a line title = \"...\""
            : "add a line title = \"...\" to book.toml";
    bool hugo = false;
    std::error_code ec;
    for (const char* name : {"hugo.toml", "config.toml", "hugo.yaml", "hugo.yml", "config.yaml"})
        hugo = hugo || fs::is_regular_file(config.root / name, ec);
    if (hugo) where = "set title in the Hugo configuration or in a book.toml beside it";
    diags.warning(
        {config.config_file.empty() ? "" : util::display_path(config.config_file, config.root)},
        "the book has no title, so it is called '" + config.root.filename().string() +
            "' after its folder: " + where);
}

void print_results(const BuildArgs& args, const std::vector<doc::Book>& books,
                   const std::vector<fs::path>& outputs, const std::vector<std::string>& stale,
                   const fs::path& out_dir, std::chrono::steady_clock::time_point started,
                   int warnings) {
    std::error_code ec;
    for (const auto& name : stale)
        std::printf("removed %s (written by an earlier build under another name)\n",
                    (out_dir / name).string().c_str());
    for (const auto& target : outputs) {
        uintmax_t size = fs::file_size(target, ec);
        if (args.verbose)
            std::printf("wrote %s (%s, %ju bytes)\n", target.string().c_str(),
                        human_size(size).c_str(), size);
        else
            std::printf("wrote %s (%s)\n", target.string().c_str(), human_size(size).c_str());
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    size_t chapters = 0;
    for (const auto& b : books)
        chapters += b.chapters.size();
    std::printf("%zu chapter%s, %d warning%s, %.2f s\n", chapters, chapters == 1 ? "" : "s",
                warnings, warnings == 1 ? "" : "s", secs);
}

// The renderers --format asks for, in the registry's order (the order they run in).
std::vector<render::Renderer*> selected_renderers(const BuildArgs& args,
                                                  const render::Registry& registry) {
    for (const auto& f : args.formats)
        if (!registry.find(f))
            throw UsageError{"unknown format '" + f + "' (use " + registry.names() +
                             ", or several joined by commas)"};
    std::vector<render::Renderer*> out;
    for (const auto& r : registry.renderers()) {
        bool asked = args.formats.empty() ? registry.by_default(*r)
                                          : std::find(args.formats.begin(), args.formats.end(),
                                                      r->name()) != args.formats.end();
        if (asked) out.push_back(r.get());
    }
    return out;
}

bool runs(const std::vector<render::Renderer*>& renderers, std::string_view name) {
    return std::any_of(renderers.begin(), renderers.end(),
                       [&](const render::Renderer* r) { return r->name() == name; });
}

// What the EPUB and PDF renderers will ask the image stage for, so that it can start at once
// (prepare_ahead).
std::vector<image::Request> image_requests(const std::vector<doc::Book>& books,
                                           const std::vector<render::Renderer*>& renderers,
                                           const book::PdfConfig& config) {
    bool epub = runs(renderers, "epub"), pdf = runs(renderers, "pdf");
    std::vector<image::Request> out;
    for (const auto& b : books) {
        std::vector<image::PdfPolicy> pdf_policies;
        if (pdf) pdf_policies = pdf::image_policies(config, b);
        for (size_t i = 0; i < b.assets.size(); ++i) {
            image::Request r;
            r.source = b.assets[i].source;
            r.epub = epub::Options{}.images;
            if (pdf) r.pdf = pdf_policies[i];
            if (epub) out.push_back(r);
            r.kind = image::Request::Kind::Pdf;
            if (pdf && int(i) != b.meta.cover) out.push_back(r); // the PDF has no cover
        }
    }
    return out;
}

struct Joined {
    std::thread thread;
    ~Joined() {
        if (thread.joinable()) thread.join();
    }
};

// Fails the build (before any output is renamed into place) when --strict and warnings exist.
void check_strict(const BuildArgs& args, const util::Diagnostics& diags) {
    if (args.strict && diags.warning_count() > 0)
        throw util::BuildError({}, std::to_string(diags.warning_count()) +
                                       " warning(s) and --strict: nothing written");
}

// The books to build, read and checked: one per edition, or the one essay of a single-file book.
struct Books {
    std::vector<doc::Book> books;
    book::Config config; // book.toml as read, the same for every edition: renderers' options
};

Books read_books(const BuildArgs& args, const BookTarget& target, util::Diagnostics& diags,
                 Progress& progress, render::Memo* memo,
                 const std::vector<render::Renderer*>& renderers) {
    const fs::path& root = target.root;
    book::Layout layout;
    if (target.single_file) {
        layout.config = book::load_config(root);
        layout.editions.push_back({"", root, "", "", {}});
    } else {
        layout = book::detect_layout(root, diags);
    }
    for (auto* r : renderers)
        r->prepare(layout.config);
    std::vector<book::Edition> editions;
    for (const auto& e : layout.editions)
        if (args.lang.empty() || e.lang == args.lang) editions.push_back(e);
    if (editions.empty())
        throw util::BuildError({root.string()},
                               args.lang.empty() ? "no content folder found"
                                                 : "the book has no '" + args.lang + "' edition");

    Books out;
    out.config = layout.config;
    auto& books = out.books;
    size_t outside_total = 0;
    for (const auto& edition : editions) {
        progress.stage("reading essays" + (edition.lang.empty() ? "" : " (" + edition.lang + ")"));
        book::Config config = layout.config;
        // One slug for every edition (the site's title), so files differ only by language.
        if (config.slug.empty()) config.slug = util::slugify(config.title);
        if (!edition.lang.empty()) {
            config.language = edition.lang;
            config.language_line = config.language_col = 0;
        }
        if (!edition.title.empty()) config.title = edition.title;
        if (!edition.description.empty()) config.description = edition.description;
        config.site = edition.site;
        config.site.drafts = args.drafts;
        config.site.future = args.future;
        config.site.expired = args.expired;
        std::vector<book::Essay> essays;
        if (target.single_file) {
            essays.push_back(book::read_essay(*target.single_file, root));
            single_file_config(essays.back(), config);
        } else {
            book::ScanOptions scan;
            scan.site = config.site;
            size_t outside = 0;
            scan.outside = &outside;
            if (memo) scan.front_matter = &memo->front_matter();
            essays = book::scan_content(edition.content, root, diags, scan);
            outside_total += outside;
            // A language whose translation has not started is no reason to fail the others.
            if (essays.empty() && editions.size() > 1) {
                diags.warning({util::display_path(edition.content, root)},
                              "language '" + edition.lang + "' has no chapters in " +
                                  util::display_path(edition.content, root) + ": not built");
                continue;
            }
        }
        if (books.empty() && !target.single_file) warn_if_untitled(config, diags);
        progress.stage("assembling " + std::to_string(essays.size()) + " essays");
        books.push_back(
            doc::assemble_book(config, std::move(essays), diags, memo ? &memo->essays() : nullptr));
        if (target.single_file && !books.back().chapters.empty())
            books.back().meta.title = books.back().chapters.front().title;
        if (layout.per_language_names) books.back().meta.slug += "-" + edition.lang;
        if (!args.release_version.empty()) books.back().meta.version = args.release_version;
    }
    if (books.empty()) throw util::BuildError({root.string()}, "no edition has any chapters");
    if (outside_total > 0)
        diags.note({root.string()}, std::to_string(outside_total) +
                                        " page(s) outside the book section left out (the "
                                        "landing page, posts/, ...)");
    return out;
}

// check's way of failing: the error after the warnings, nothing printed.
int report_error(BuildReport& check, const util::Diagnostics& diags, util::SourcePos pos,
                 std::string message) {
    check.diagnostics = diags.all();
    util::Diagnostic d;
    d.severity = util::Severity::Error;
    d.pos = std::move(pos);
    d.message = std::move(message);
    check.diagnostics.push_back(std::move(d));
    return 1;
}

// A renderer started on a thread of its own while the one before it writes its file.
class Overlapped {
public:
    template <class F> void start(F run) {
        thread_ = std::thread([this, run = std::move(run)]() mutable {
            try {
                run();
            } catch (...) {
                error_ = std::current_exception();
            }
        });
    }
    bool started() const { return thread_.joinable(); }
    // Waits for it; rethrows what it threw.
    void finish() {
        if (!thread_.joinable()) return;
        thread_.join();
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }
    ~Overlapped() { // an earlier renderer failed: its error is the one reported
        if (thread_.joinable()) thread_.join();
    }

private:
    std::thread thread_;
    std::exception_ptr error_;
};

// Every book through every renderer, in the registry's order. Every output goes to a temporary
// file of `folder`; all are renamed into place only when the whole build succeeded, so a
// failure never leaves a mix of old and new files. Returns what the manifest records.
//
// Under watch (a memo), a renderer that has handed off all it gives later ones (the PDF, its
// page map) and is only writing its file lets the next one start on another thread: a rebuild
// then writes the EPUB while libharu writes the PDF. A single build keeps them one after the
// other, so that its peak memory is one renderer's.
std::vector<ManifestEntry> render_books(std::vector<doc::Book>& books,
                                        const std::vector<bool>& large,
                                        const std::vector<render::Renderer*>& renderers,
                                        const book::Config& config, util::OutputFolder& folder,
                                        const image::Cache& cache, render::Memo* memo,
                                        util::Diagnostics& diags, Progress& progress) {
    for (auto* r : renderers)
        r->configure(config);
    std::vector<ManifestEntry> written;
    std::vector<std::pair<std::string, fs::path>> staged_files;
    for (size_t b = 0; b < books.size(); ++b) {
        doc::Book& book = books[b];
        std::string chapters = std::to_string(book.chapters.size()) + " chapters";
        render::Handoff handoff; // per book: a page map belongs to one edition
        // Stages renderers[k]'s file and records it, on this thread and in registry order.
        auto stage = [&](size_t k) -> util::PendingFile& {
            render::Renderer* r = renderers[k];
            progress.stage(r->activity() + ": " + chapters);
            std::string file = r->file_name(output_stem(book.meta.slug, book.meta.version));
            util::PendingFile& staged = folder.stage(file);
            written.push_back({r->name() + ":" + book.meta.language, file});
            staged_files.emplace_back(file, staged.temp_path());
            return staged;
        };
        auto render = [&](size_t k, util::PendingFile& staged, std::function<void()> ahead) {
            std::function<void(size_t, int)> done;
            // A large book's blocks are freed once the last renderer has read them (100,000
            // notes: about 85 MB before the PDF writer's peak). Others keep them: freeing takes
            // time.
            if (large[b] && k + 1 == renderers.size())
                done = [&book](size_t c, int n) { doc::release_blocks(book, c, n); };
            render::Output out{staged.temp_path(), staged.target(), diags, &cache, handoff, memo,
                               std::move(ahead),   std::move(done)};
            renderers[k]->render(book, out);
            staged.written(); // its fsync overlaps the next renderer
        };
        for (size_t k = 0; k < renderers.size(); ++k) {
            util::PendingFile& staged = stage(k);
            Overlapped next; // joined before an error of renderers[k] leaves this scope
            std::function<void()> ahead;
            if (memo && k + 1 < renderers.size())
                ahead = [&, k] {
                    util::PendingFile* after = &stage(k + 1);
                    next.start([&render, k, after] { render(k + 1, *after, nullptr); });
                };
            render(k, staged, std::move(ahead));
            if (next.started()) {
                next.finish();
                ++k;
            }
        }
    }
    // A release (a version) gets its checksums, committed with the files they describe.
    if (!books.empty() && !books.front().meta.version.empty() && !staged_files.empty()) {
        std::string sums = checksums(staged_files);
        std::ofstream(folder.stage(kChecksumsName).temp_path(), std::ios::binary) << sums;
        written.push_back({"sums", kChecksumsName});
    }
    return written;
}

} // namespace

render::Registry builtin_renderers() {
    render::Registry registry;
    // The PDF first: the EPUB takes its page-list from the PDF's pages when both are built.
    registry.add(pdf::make_renderer());
    registry.add(epub::make_renderer());
    registry.add(pdf::make_cover_renderer(), /*by_default=*/false); // after the PDF: its pages
    return registry;
}

int build(const BuildArgs& args, BuildReport* check) {
    return build(args, builtin_renderers(), check);
}

int build(const BuildArgs& args, const render::Registry& registry, BuildReport* check,
          render::Memo* memo) {
    std::vector<render::Renderer*> renderers = selected_renderers(args, registry);
    util::Diagnostics diags;
    auto started = std::chrono::steady_clock::now();
    Progress progress(!args.quiet && !(check && check->quiet_progress) &&
                      Progress::stderr_is_terminal());
    std::optional<TempDir> scratch;
    try {
        BookTarget target = find_book(args.book, args.book_given);
        const fs::path& root = target.root;
        if (args.verbose)
            std::printf("book: %s%s\n", root.string().c_str(),
                        target.found_above ? " (found above the current folder)" : "");
        if (memo) {
            util::run_idle_work(); // what an earlier build left, if no one ran it (watch does)
            memo->begin_build();
        }
        auto [books, config] = read_books(args, target, diags, progress, memo, renderers);
        // Parsing on worker threads leaves freed memory in their malloc arenas, more than the
        // book itself (100,000 notes: 99 MB of book, 240 MB resident); hand it back before the
        // renderers take theirs.
        util::release_free_memory();
        // Large books (never under watch, which keeps its memory): blocks freed as they are read.
        std::vector<bool> large;
        for (auto& book : books) {
            large.push_back(!memo && doc::node_count(book) > kLargeBookNodes);
            if (large.back()) {
                util::return_memory_promptly();
                // Its blocks lie scattered among the parser's freed nodes: copied together,
                // the pages they held go back (100,000 notes: PDF peak about 40 MB lower).
                doc::compact_blocks(book);
                util::release_free_memory();
            }
        }
        check_strict(args, diags);

        fs::path out_dir = args.out ? *args.out : root / "dist";
        if (check) {
            // check runs every stage build runs, into a scratch folder it then removes.
            scratch.emplace();
            out_dir = scratch->path();
        }
        util::OutputFolder folder(out_dir);
        // Temporary files a killed (SIGKILL) build of ours left behind.
        util::remove_stale_temp_files(out_dir);

        fs::path cache_dir;
        if (!args.no_cache) {
            fs::path dir = args.cache_dir ? *args.cache_dir : default_cache_dir();
            if (!dir.empty()) cache_dir = dir / "images";
        }
        image::Cache cache(cache_dir); // in memory only with --no-cache
        if (memo) cache.keep(&memo->images());
        // Images are made on threads of their own while the chapters are rendered.
        Joined images{image::prepare_ahead(image_requests(books, renderers, config.pdf), cache)};

        std::vector<ManifestEntry> written =
            render_books(books, large, renderers, config, folder, cache, memo, diags, progress);
        if (memo) memo->end_build();
        progress.finish();
        check_strict(args, diags);
        if (check) {
            check->diagnostics = diags.all();
            return diags.warning_count() > 0 && args.strict ? 1 : 0;
        }
        folder.commit();
        auto stale = update_manifest(out_dir, written);

        diags.flush(stderr, !args.verbose);
        if (!args.quiet)
            print_results(args, books, folder.targets(), stale, out_dir, started,
                          diags.warning_count());
        // The process ends next, and the system takes its memory back at once; destroying a
        // big book node by node took longer than writing its EPUB's zip (8 ms for 200 essays).
        // So the books stay reachable until exit, as compilers leave their trees (-disable-free).
        static auto* kept = new std::vector<doc::Book>();
        std::vector<doc::Book> earlier = std::exchange(*kept, std::move(books));
        // Watch: the last rebuild's (10 ms for 200 essays) once this one is over; nothing refers
        // to them, the memo keeps copies.
        if (memo)
            util::when_idle(
                [done = std::make_shared<std::vector<doc::Book>>(std::move(earlier))] {});
        return 0;
    } catch (const util::BuildError& e) {
        progress.finish();
        if (check) {
            return report_error(*check, diags, e.pos(), e.what());
        }
        diags.flush(stderr, !args.verbose);
        std::fprintf(stderr, "%s\n", e.formatted().c_str());
    } catch (const std::bad_alloc&) {
        progress.finish();
        diags.flush(stderr, !args.verbose);
        std::fprintf(stderr, "imprenta: error: out of memory\n");
    } catch (const std::exception& e) {
        progress.finish();
        if (check) {
            return report_error(*check, diags, util::SourcePos(), e.what());
        }
        diags.flush(stderr, !args.verbose);
        std::fprintf(stderr, "imprenta: error: %s\n", e.what());
    }
    int w = diags.warning_count();
    std::fprintf(stderr, "build failed (%d warning%s)\n", w, w == 1 ? "" : "s");
    return 1;
}

int run(int argc, char** argv) {
    return run(std::vector<std::string>(argv + 1, argv + argc), builtin_renderers());
}

int run(const std::vector<std::string>& args, const render::Registry& renderers) {
    try {
        if (args.empty()) {
            print_short_usage(stdout);
            return 0;
        }
        const std::string& cmd = args[0];
        std::vector<std::string> rest(args.begin() + 1, args.end());
        if (cmd == "-h" || cmd == "--help") return print_help(stdout), 0;
        if (cmd == "help") return show_manual(rest);
        if (cmd == "-V" || cmd == "--version") {
            std::printf("imprenta %s\n", IMPRENTA_VERSION);
            return 0;
        }
        for (const auto& a : rest)
            if (a == "-h" || a == "--help") return print_help(stdout), 0;
        if (cmd == "build") return build(parse_build_args(rest), renderers);
        if (cmd == "check") return run_check(rest);
        if (cmd == "clean") return run_clean(rest);
        if (cmd == "init") return run_init(rest);
        if (cmd == "watch") return run_watch(rest);
        throw UsageError{unknown_command_message(cmd)};
    } catch (const UsageError& e) {
        std::fprintf(stderr, "imprenta: %s\nTry 'imprenta --help'.\n", e.message.c_str());
        return 2;
    }
}

} // namespace imprenta::cli

#include "cli/app.h"

#include "book/layout.h"
#include "book/scan.h"
#include "doc/assemble.h"
#include "epub/epub.h"
#include "image/prepare.h"
#include "pdf/pdf.h"
#include "render/render.h"
#include "util/diag.h"
#include "util/output_folder.h"
#include "util/utf8.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace imprenta::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    R"(imprenta )" IMPRENTA_VERSION
    R"( - builds an EPUB 3 and a print-ready PDF from a folder of Markdown essays

Usage:
  imprenta build [BOOK] [-o OUT] [--format epub,pdf] [--lang LANG] [--strict] [-q]
  imprenta --help | --version

BOOK is a book folder (content/, optional assets/, templates/, book.toml), a Hugo
site (hugo.toml, with an optional book.toml beside it) or a bare folder of essays;
it defaults to the current folder. A book with several languages (content/<lang>/
or Hugo languages) gives one EPUB and one PDF per language.

Options:
  -o, --output OUT     where to write the files (default BOOK/dist); files are named
                       from the book's slug: <slug>.epub, <slug>.pdf
  -f, --format LIST    epub, pdf or epub,pdf (default epub,pdf)
  -l, --lang LANG      build only the edition in language LANG
      --strict         treat every warning as an error (nothing is written)
  -q, --quiet          print only warnings and errors
      --cache-dir DIR  where transcoded images are cached (default ~/.cache/imprenta)
      --no-cache       do not cache transcoded images
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 built, 1 not built (see the messages), 2 bad usage.
)";

struct UsageError {
    std::string message;
};

struct BuildArgs {
    fs::path book = ".";
    std::optional<fs::path> out;
    std::vector<std::string> formats; // renderer names; empty: the registry's defaults
    bool strict = false;
    bool quiet = false;
    std::optional<fs::path> cache_dir;
    bool no_cache = false;
    std::string lang;
};

BuildArgs parse_build_args(const std::vector<std::string>& args) {
    BuildArgs b;
    bool have_book = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= args.size()) throw UsageError{std::string(name) + " needs a value"};
            return args[++i];
        };
        if (a == "-o" || a == "--output") {
            b.out = value(a.c_str());
        } else if (a.starts_with("--output=")) {
            b.out = a.substr(9);
        } else if (a == "-f" || a == "--format" || a.starts_with("--format=")) {
            std::string list = a.starts_with("--format=") ? a.substr(9) : value(a.c_str());
            b.formats.clear();
            size_t start = 0;
            while (start <= list.size()) {
                size_t comma = list.find(',', start);
                b.formats.push_back(list.substr(start, comma - start));
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (a == "-l" || a == "--lang") {
            b.lang = value(a.c_str());
        } else if (a == "--strict") {
            b.strict = true;
        } else if (a == "-q" || a == "--quiet") {
            b.quiet = true;
        } else if (a == "--cache-dir") {
            b.cache_dir = value("--cache-dir");
        } else if (a == "--no-cache") {
            b.no_cache = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            throw UsageError{"unknown option '" + a + "'"};
        } else if (!have_book) {
            b.book = a;
            have_book = true;
        } else {
            throw UsageError{"more than one book folder given ('" + a + "')"};
        }
    }
    return b;
}

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

// Fails the build (before any output is renamed into place) when --strict and warnings exist.
void check_strict(const BuildArgs& args, const util::Diagnostics& diags) {
    if (args.strict && diags.warning_count() > 0)
        throw util::BuildError({}, std::to_string(diags.warning_count()) +
                                       " warning(s) and --strict: nothing written");
}

int build(const BuildArgs& args, const std::vector<render::Renderer*>& renderers) {
    util::Diagnostics diags;
    auto started = std::chrono::steady_clock::now();
    try {
        std::error_code ec;
        if (!fs::is_directory(args.book, ec))
            throw util::BuildError({args.book.string()}, "book folder does not exist");
        fs::path root = fs::canonical(args.book, ec);
        if (ec)
            throw util::BuildError({args.book.string()},
                                   "cannot open book folder: " + ec.message());

        book::Layout layout = book::detect_layout(root, diags);
        std::vector<book::Edition> editions;
        for (const auto& e : layout.editions)
            if (args.lang.empty() || e.lang == args.lang) editions.push_back(e);
        if (editions.empty())
            throw util::BuildError(
                {root.string()}, args.lang.empty() ? "no content folder found"
                                                   : "the book has no '" + args.lang + "' edition");

        // Everything is read and checked before any output is written.
        std::vector<doc::Book> books;
        for (const auto& edition : editions) {
            book::Config config = layout.config;
            // One slug for every edition (the site's title), so files differ only by language.
            if (config.slug.empty()) config.slug = util::slugify(config.title);
            if (!edition.lang.empty()) config.language = edition.lang;
            if (!edition.title.empty()) config.title = edition.title;
            auto essays = book::scan_content(edition.content, root, diags);
            books.push_back(doc::assemble_book(config, std::move(essays), diags));
            if (layout.per_language_names) books.back().meta.slug += "-" + edition.lang;
        }
        check_strict(args, diags);

        util::OutputFolder folder(args.out ? *args.out : root / "dist");

        std::optional<image::Cache> cache;
        if (!args.no_cache) {
            fs::path dir = args.cache_dir ? *args.cache_dir : default_cache_dir();
            if (!dir.empty()) cache.emplace(dir / "images");
        }
        const image::Cache* cache_ptr = cache ? &*cache : nullptr;

        for (auto* r : renderers)
            r->configure(layout.config);
        // Every output goes to a temporary file first; all are renamed into place only when the
        // whole build succeeded, so a failure never leaves a mix of old and new files.
        for (const auto& book : books) {
            render::Handoff handoff; // per book: a page map belongs to one edition
            for (auto* r : renderers) {
                const util::PendingFile& file = folder.stage(book.meta.slug + "." + r->extension());
                render::Output out{file.temp_path(), file.target(), diags, cache_ptr, handoff};
                r->render(book, out);
            }
        }
        check_strict(args, diags);
        folder.commit();

        diags.flush(stderr);
        if (!args.quiet) {
            for (const auto& target : folder.targets())
                std::printf("wrote %s (%s)\n", target.string().c_str(),
                            human_size(fs::file_size(target, ec)).c_str());
            double secs =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            int w = diags.warning_count();
            size_t chapters = 0;
            for (const auto& b : books)
                chapters += b.chapters.size();
            std::printf("%zu chapters, %d warning%s, %.2f s\n", chapters, w, w == 1 ? "" : "s",
                        secs);
        }
        // The process ends next, and the system takes its memory back at once; destroying a
        // big book node by node took longer than writing its EPUB's zip (8 ms for 200 essays).
        // So the books stay reachable until exit, as compilers leave their trees (-disable-free).
        static auto* kept = new std::vector<doc::Book>();
        *kept = std::move(books);
        return 0;
    } catch (const util::BuildError& e) {
        diags.flush(stderr);
        std::fprintf(stderr, "%s\n", e.formatted().c_str());
    } catch (const std::bad_alloc&) {
        diags.flush(stderr);
        std::fprintf(stderr, "imprenta: error: out of memory\n");
    } catch (const std::exception& e) {
        diags.flush(stderr);
        std::fprintf(stderr, "imprenta: error: %s\n", e.what());
    }
    int w = diags.warning_count();
    std::fprintf(stderr, "build failed (%d warning%s)\n", w, w == 1 ? "" : "s");
    return 1;
}

} // namespace

render::Registry builtin_renderers() {
    render::Registry registry;
    registry.add(epub::make_renderer());
    registry.add(pdf::make_renderer());
    return registry;
}

int run(int argc, char** argv) {
    return run(std::vector<std::string>(argv + 1, argv + argc), builtin_renderers());
}

int run(const std::vector<std::string>& args, const render::Registry& renderers) {
    try {
        if (args.empty()) throw UsageError{"no command given"};
        const std::string& cmd = args[0];
        if (cmd == "-h" || cmd == "--help" || cmd == "help") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (cmd == "-V" || cmd == "--version") {
            std::printf("imprenta %s\n", IMPRENTA_VERSION);
            return 0;
        }
        if (cmd == "build") {
            std::vector<std::string> rest(args.begin() + 1, args.end());
            for (const auto& a : rest)
                if (a == "-h" || a == "--help") {
                    std::fputs(kUsage, stdout);
                    return 0;
                }
            BuildArgs build_args = parse_build_args(rest);
            return build(build_args, selected_renderers(build_args, renderers));
        }
        throw UsageError{"unknown command '" + cmd + "'"};
    } catch (const UsageError& e) {
        std::fprintf(stderr, "imprenta: %s\nTry 'imprenta --help'.\n", e.message.c_str());
        return 2;
    }
}

} // namespace imprenta::cli

#include "cli/app.h"

#include "book/layout.h"
#include "book/scan.h"
#include "doc/assemble.h"
#include "epub/epub.h"
#include "image/prepare.h"
#include "pdf/pdf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"

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
  imprenta build [BOOK] [-o OUT] [--format epub,pdf] [--lang LANG] [-D] [-F] [-E]
                 [--strict] [-q]
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
  -D, --drafts         include drafts (as hugo -D)
  -F, --future         include pages whose publishDate/date is in the future (hugo -F)
  -E, --expired        include pages whose expiryDate has passed (hugo -E)
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
    bool epub = true;
    bool pdf = true;
    bool strict = false;
    bool quiet = false;
    std::optional<fs::path> cache_dir;
    bool no_cache = false;
    std::string lang;
    bool drafts = false, future = false, expired = false; // as hugo -D, -F, -E
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
            b.epub = b.pdf = false;
            size_t start = 0;
            while (start <= list.size()) {
                size_t comma = list.find(',', start);
                std::string f = list.substr(start, comma - start);
                if (f == "epub")
                    b.epub = true;
                else if (f == "pdf")
                    b.pdf = true;
                else
                    throw UsageError{"unknown format '" + f + "' (use epub, pdf or epub,pdf)"};
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (a == "-l" || a == "--lang") {
            b.lang = value(a.c_str());
        } else if (a == "-D" || a == "--buildDrafts" || a == "--drafts") {
            b.drafts = true;
        } else if (a == "-F" || a == "--buildFuture" || a == "--future") {
            b.future = true;
        } else if (a == "-E" || a == "--buildExpired" || a == "--expired") {
            b.expired = true;
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

// Fails the build (before any output is renamed into place) when --strict and warnings exist.
void check_strict(const BuildArgs& args, const util::Diagnostics& diags) {
    if (args.strict && diags.warning_count() > 0)
        throw util::BuildError({}, std::to_string(diags.warning_count()) +
                                       " warning(s) and --strict: nothing written");
}

int build(const BuildArgs& args) {
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
        size_t outside_total = 0;
        for (const auto& edition : editions) {
            book::Config config = layout.config;
            // One slug for every edition (the site's title), so files differ only by language.
            if (config.slug.empty()) config.slug = util::slugify(config.title);
            if (!edition.lang.empty()) config.language = edition.lang;
            if (!edition.title.empty()) config.title = edition.title;
            if (!edition.description.empty()) config.description = edition.description;
            config.site = edition.site;
            config.site.drafts = args.drafts;
            config.site.future = args.future;
            config.site.expired = args.expired;
            book::ScanOptions scan;
            scan.site = config.site;
            size_t outside = 0;
            scan.outside = &outside;
            auto essays = book::scan_content(edition.content, root, diags, scan);
            outside_total += outside;
            // A language whose translation has not started is no reason to fail the others.
            if (essays.empty() && editions.size() > 1) {
                diags.warning({util::display_path(edition.content, root)},
                              "language '" + edition.lang + "' has no chapters in " +
                                  util::display_path(edition.content, root) + ": not built");
                continue;
            }
            books.push_back(doc::assemble_book(config, std::move(essays), diags));
            if (layout.per_language_names) books.back().meta.slug += "-" + edition.lang;
        }
        if (books.empty()) throw util::BuildError({root.string()}, "no edition has any chapters");
        if (outside_total > 0 && !args.quiet)
            std::printf("%zu page%s outside the book section left out (landing page, posts, ...)\n",
                        outside_total, outside_total == 1 ? "" : "s");
        check_strict(args, diags);

        fs::path out_dir = args.out ? *args.out : root / "dist";
        fs::create_directories(out_dir, ec);
        if (ec || !fs::is_directory(out_dir))
            throw util::BuildError({out_dir.string()},
                                   "cannot create output folder" + (ec ? ": " + ec.message() : ""));

        std::optional<image::Cache> cache;
        if (!args.no_cache) {
            fs::path dir = args.cache_dir ? *args.cache_dir : default_cache_dir();
            if (!dir.empty()) cache.emplace(dir / "images");
        }
        const image::Cache* cache_ptr = cache ? &*cache : nullptr;

        // Every output goes to a temporary file first; all are renamed into place only when the
        // whole build succeeded, so a failure never leaves a mix of old and new files.
        std::vector<std::unique_ptr<util::PendingFile>> outputs;
        for (const auto& book : books) {
            if (args.epub) {
                auto& p = outputs.emplace_back(
                    std::make_unique<util::PendingFile>(out_dir / (book.meta.slug + ".epub")));
                epub::Options opts;
                opts.cache = cache_ptr;
                epub::write_epub(book, p->temp_path(), opts, diags);
            }
            if (args.pdf) {
                auto& p = outputs.emplace_back(
                    std::make_unique<util::PendingFile>(out_dir / (book.meta.slug + ".pdf")));
                pdf::Options opts;
                opts.config = layout.config.pdf;
                opts.cache = cache_ptr;
                pdf::write_pdf(book, p->temp_path(), opts, diags);
            }
        }
        check_strict(args, diags);
        // Renames cannot be made atomic as a group: check first what would make one fail.
        for (auto& p : outputs)
            if (fs::is_directory(p->target(), ec))
                throw util::BuildError({p->target().string()},
                                       "cannot write output file: a folder is in the way");
        for (auto& p : outputs)
            p->commit();

        diags.flush(stderr);
        if (!args.quiet) {
            for (auto& p : outputs)
                std::printf("wrote %s (%s)\n", p->target().string().c_str(),
                            human_size(fs::file_size(p->target(), ec)).c_str());
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

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
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
            return build(parse_build_args(rest));
        }
        throw UsageError{"unknown command '" + cmd + "'"};
    } catch (const UsageError& e) {
        std::fprintf(stderr, "imprenta: %s\nTry 'imprenta --help'.\n", e.message.c_str());
        return 2;
    }
}

} // namespace imprenta::cli

#include "cli/args.h"

namespace imprenta::cli {

std::optional<std::string> option_value(const std::vector<std::string>& args, size_t& i,
                                        const std::string& short_name,
                                        const std::string& long_name) {
    const std::string& a = args[i];
    if (a.starts_with(long_name + "=")) return a.substr(long_name.size() + 1);
    if (a != long_name && (short_name.empty() || a != short_name)) return std::nullopt;
    if (i + 1 >= args.size()) throw UsageError{a + " needs a value"};
    return args[++i];
}

namespace {

void parse_formats(const std::string& list, BuildArgs& b) {
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
}

} // namespace

BuildArgs parse_build_args(const std::vector<std::string>& args) {
    BuildArgs b;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (auto v = option_value(args, i, "-o", "--output")) {
            b.out = *v;
        } else if (auto v = option_value(args, i, "-f", "--format")) {
            parse_formats(*v, b);
        } else if (auto v = option_value(args, i, "-l", "--lang")) {
            b.lang = *v;
        } else if (auto v = option_value(args, i, "", "--cache-dir")) {
            b.cache_dir = *v;
        } else if (a == "-D" || a == "--drafts" || a == "--buildDrafts") {
            b.drafts = true;
        } else if (a == "-F" || a == "--future" || a == "--buildFuture") {
            b.future = true;
        } else if (a == "-E" || a == "--expired" || a == "--buildExpired") {
            b.expired = true;
        } else if (a == "--strict") {
            b.strict = true;
        } else if (a == "-q" || a == "--quiet") {
            b.quiet = true;
        } else if (a == "-v" || a == "--verbose") {
            b.verbose = true;
        } else if (a == "--no-cache") {
            b.no_cache = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            throw UsageError{"unknown option '" + a + "'"};
        } else if (!b.book_given) {
            b.book = a;
            b.book_given = true;
        } else {
            throw UsageError{"more than one book folder given ('" + a + "')"};
        }
    }
    if (b.quiet && b.verbose) throw UsageError{"-q and -v cannot be used together"};
    return b;
}

} // namespace imprenta::cli

// The options of the commands that read a book (build, check, clean), parsed from argv.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace imprenta::cli {

// Bad usage: printed with a hint to --help, exit status 2.
struct UsageError {
    std::string message;
};

struct BuildArgs {
    std::filesystem::path book = ".";
    bool book_given = false; // false: the book is found by walking up from the current folder
    std::optional<std::filesystem::path> out;
    bool epub = true;
    bool pdf = true;
    bool strict = false;
    bool quiet = false;
    bool verbose = false;
    std::optional<std::filesystem::path> cache_dir;
    bool no_cache = false;
    std::string lang;
    bool drafts = false, future = false, expired = false; // as hugo -D, -F, -E
};

// The options of `build` (and of `clean`, which reads the same book and output folder).
BuildArgs parse_build_args(const std::vector<std::string>& args);

// The option at args[i] that takes a value ("-o OUT", "--output=OUT"): its value, advancing i.
// std::nullopt if args[i] is not that option.
std::optional<std::string> option_value(const std::vector<std::string>& args, size_t& i,
                                        const std::string& short_name,
                                        const std::string& long_name);

} // namespace imprenta::cli

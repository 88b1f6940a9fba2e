// Front matter: the YAML (---) or TOML (+++) header of an essay, in the Hugo / hugo-book style.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imprenta::book {

struct FrontMatter {
    std::optional<std::string> title;
    int64_t weight = 0; // 0 = unweighted (ordered after weighted pages, as Hugo does)
    int weight_line = 0;
    std::string image; // banner, as written
    std::string image_alt;
    int image_line = 0;
    bool draft = false;
    std::string description;
    std::string lang;
    bool book_hidden = false;       // hugo-book: in the reading order, not in the toc
    bool book_flat_section = false; // hugo-book menu styling; changes nothing in a book
};

// An essay's text split into its front matter and its Markdown body.
struct SplitEssay {
    FrontMatter front;
    std::string body;  // LF line endings, no BOM
    int body_line = 1; // 1-based line of the source file where `body` starts
};

// Parses `text` (the whole file): tolerates a UTF-8 BOM, CRLF line ends and blank lines before
// the front matter; unknown keys are ignored. Throws util::BuildError with `file` and the line of
// the problem for malformed front matter or a non-integer weight.
SplitEssay split_front_matter(std::string_view text, const std::string& file);

// LF line endings and no BOM: the form every later stage sees.
std::string normalize_newlines(std::string_view text);

} // namespace imprenta::book

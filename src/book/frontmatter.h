// Front matter: the YAML (---) or TOML (+++) header of an essay, in the Hugo / hugo-book style.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace imprenta::book {

struct FrontMatter {
    std::optional<std::string> title;
    int64_t weight = 0; // 0 = unweighted (ordered after weighted pages, as Hugo does)
    int weight_line = 0;
    std::string image; // banner, as written
    std::string image_alt;
    int image_line = 0, image_col = 0; // where the value starts (1-based)
    bool draft = false;
    std::string description;
    std::string lang;
    int lang_line = 0, lang_col = 0; // where the value starts (1-based)
    bool book_hidden = false;        // hugo-book: in the reading order, not in the toc
    bool book_flat_section = false;  // hugo-book menu styling; changes nothing in a book
    // Hugo's own keys (matched without regard to case, as Hugo does).
    std::string slug;          // last part of the page's URL
    std::string url;           // the page's whole URL path
    std::string date;          // ISO 8601 as written: "2024-03-01", "2024-03-01T10:00:00Z"
    std::string publish_date;  // not shown before this date (unless --future)
    std::string expiry_date;   // not shown after this date (unless --expired)
    bool headless = false;     // a bundle that is never a page of its own
    bool list_never = false;   // build.list = "never" (or _build.list = false)
    bool render_never = false; // build.render = "never"
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
// Parsed front matter kept between builds of one book (`imprenta watch`, in render::Memo) under
// its text, fence, first line and file: YAML parsing was a tenth of a rebuild's reading of 200
// essays. A build keeps only what it asked for. Thread-safe.
class FrontMatterMemo {
public:
    bool find(const std::string& key, FrontMatter& out);
    void put(const std::string& key, const FrontMatter& front);
    // Starts a build: what the last one parsed becomes what this one may find.
    void begin_build();
    void clear();

private:
    std::mutex mutex_;
    std::unordered_map<std::string, FrontMatter> last_, now_;
};

SplitEssay split_front_matter(std::string_view text, const std::string& file,
                              FrontMatterMemo* memo = nullptr);

// LF line endings and no BOM: the form every later stage sees.
std::string normalize_newlines(std::string_view text);

} // namespace imprenta::book

// Hugo shortcodes ({{< name args >}} ... {{< /name >}}, and the {{% %}} form) rewritten before
// Markdown parsing: links and images become Markdown, block shortcodes become container markers
// that the Markdown lowering turns into IR containers. No shortcode syntax reaches the book.
#pragma once
#include "book/config.h"
#include "util/diag.h"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::doc {

struct Shortcode {
    std::string name;
    std::map<std::string, std::string> named;
    std::vector<std::string> positional;
    int line = 0; // source line of the opening tag

    // A named argument, else the positional one at `index`, else "".
    std::string arg(const std::string& key, size_t index = size_t(-1)) const;
};

struct ShortcodeExpansion {
    std::string markdown;              // the body with every shortcode rewritten
    std::vector<int> line_map;         // source line of each line of `markdown` (0-based index)
    std::vector<Shortcode> containers; // referenced by the markers, by index
};

// The markers a container leaves in the Markdown, each alone in an HTML block.
std::string container_open_marker(size_t index);
std::string container_close_marker(size_t index);
// Index of the container a marker names, or -1 if `html` is not a marker.
int parse_open_marker(std::string_view html);
int parse_close_marker(std::string_view html);

// Warnings given once per book, not once per use (one per unknown shortcode name).
class WarnOnce {
public:
    WarnOnce() = default;
    // One essay's view of the book's state: asks `book`, and remembers that it was asked (an
    // essay whose warnings depend on the other essays cannot be kept parsed between builds).
    explicit WarnOnce(WarnOnce* book) : book_(book) {}
    bool first(const std::string& key) {
        std::lock_guard lock(mu_);
        asked_ = true;
        return book_ ? book_->first(key) : seen_.insert(key).second;
    }
    bool asked() const {
        std::lock_guard lock(mu_);
        return asked_;
    }

private:
    mutable std::mutex mu_;
    std::set<std::string> seen_;
    WarnOnce* book_ = nullptr;
    bool asked_ = false;
};

// What a book adds to the built-in shortcodes.
struct ShortcodeOptions {
    const std::map<std::string, book::ShortcodeMapping>* mappings = nullptr; // [shortcodes.x]
    // The text of a file of the site named by an include mapping (relative to the page's folder
    // or the site), or nullopt (with a warning at `pos`) when missing or outside the book.
    std::function<std::optional<std::string>(const std::string& path, const util::SourcePos& pos)>
        read_file;
    WarnOnce* once = nullptr; // null: every unknown shortcode warns
};

// GitHub alerts (`> [!NOTE]` ... `> [!CAUTION]`, as hugo-book renders them) rewritten as hint
// shortcodes, line for line, outside fenced code.
std::string rewrite_alerts(std::string_view body);

class Literals;

// `literals`: where escaped shortcodes are held so that cmark prints them as written.
ShortcodeExpansion expand_shortcodes(std::string_view body, int first_line,
                                     const std::string& source, util::Diagnostics* diags,
                                     const ShortcodeOptions* options = nullptr,
                                     Literals* literals = nullptr);

} // namespace imprenta::doc

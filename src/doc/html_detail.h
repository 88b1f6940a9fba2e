// Internals of the HTML reader (doc/html.h), shared by its files: the sanitising rules
// (html_sanitize.cpp), parsing with gumbo (html_parse.cpp) and the lowering into the IR
// (html_lower_blocks.cpp, html_lower_inlines.cpp). Not for use outside doc/html*.
#pragma once
#include "doc/html.h"

#include <gumbo.h>

#include <cstddef>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::doc::html_detail {

// ---------------------------------------------------------------------------------------------
// Text and attribute helpers (html_sanitize.cpp)

bool is_space(char c);
char ascii_lower(char c);
// Runs of HTML white space -> one space, as CSS `white-space: normal` renders them.
std::string collapse_space(std::string_view s);
std::string trim_space(std::string s);
// A URL as a browser would read it: leading/trailing white space and every control character
// gone (browsers strip tabs and newlines inside URLs; the others cannot go into XML).
std::string clean_url(std::string_view raw);
// Lower-case scheme of a cleaned URL ("" for relative URLs).
std::string url_scheme(std::string_view url);
bool unsafe_scheme(const std::string& scheme);
const char* attr(const GumboNode* n, const char* name);
// An id that is a valid XML name in every reader: ASCII letters, digits, '-', '_', '.'.
std::string valid_id(const GumboNode* n);
// The class attribute reduced to [A-Za-z0-9_ -] (it may end up as a CSS class); `fallback` if none.
std::string style_of(const GumboNode* n, const char* fallback);
bool has_class_token(const GumboNode* n, std::string_view token);
// "language-go" / "lang-go" in a class attribute, or data-lang (Hugo's highlighter) -> "go".
std::string code_language(const GumboNode* n);
Align align_of(const GumboNode* cell);
int int_attr(const GumboNode* n, const char* name, int fallback, int lo, int hi);
Inline make_inline(InlineKind kind, std::string text = {});
bool is_mark(const Inline& x);

// A LineBreak that marks a block boundary inside inline content; resolved in finish_inlines.
inline const std::string kBlockMark = "\x01";

// ---------------------------------------------------------------------------------------------
// Element roles

enum class Role {
    Drop,        // removed with its content, warned
    Silent,      // removed with its content, no warning (metadata, form options, wbr)
    Foreign,     // svg / math: the IR cannot carry them
    Transparent, // its children take its place
    Phrase,      // an inline of `kind` with children
    Quote,       // q: children in quotation marks
    Code,        // code/kbd/samp/tt: Code inline with the text
    Link,
    Image,
    Break,
    // Block elements
    Paragraph,
    Heading,
    Division,
    Splice, // article, main, header...: its blocks take its place
    List,
    ListItem,
    BlockQuote,
    Pre,
    Rule,
    Table,
    Figure,
    Caption, // figcaption, legend, summary outside their parent: a paragraph
    Details,
    Aside,
    DefList,
    Term,
    Definition,
};

struct TagInfo {
    Role role = Role::Transparent;
    InlineKind kind = InlineKind::Text;
};

bool is_block_role(Role r);
TagInfo classify(const GumboNode* n);
bool is_tag(const GumboNode* n, GumboTag tag);
const GumboVector& children_of(const GumboNode* n);

// ---------------------------------------------------------------------------------------------
// Parsing

// gumbo's allocator hooks, tracking every live block so the whole tree is freed in one loop:
// gumbo_destroy_output recurses once per nesting level and overflows the stack on deep input.
class GumboArena {
public:
    GumboArena() = default;
    GumboArena(const GumboArena&) = delete;
    GumboArena& operator=(const GumboArena&) = delete;
    ~GumboArena() {
        for (Header* h = head_.next; h;) {
            Header* next = h->next;
            std::free(h);
            h = next;
        }
    }
    static void* allocate(void* self, size_t size) {
        auto* arena = static_cast<GumboArena*>(self);
        auto* h = static_cast<Header*>(std::malloc(sizeof(Header) + size));
        if (!h) std::abort(); // gumbo does not check for failure; crash here, not in gumbo
        h->prev = &arena->head_;
        h->next = arena->head_.next;
        if (h->next) h->next->prev = h;
        arena->head_.next = h;
        return h + 1;
    }
    static void deallocate(void*, void* ptr) {
        if (!ptr) return;
        Header* h = static_cast<Header*>(ptr) - 1;
        h->prev->next = h->next;
        if (h->next) h->next->prev = h->prev;
        std::free(h);
    }

private:
    struct alignas(alignof(std::max_align_t)) Header {
        Header* prev = nullptr;
        Header* next = nullptr;
    };
    Header head_;
};

class Fragment {
public:
    explicit Fragment(std::string html) : html_(std::move(html)) {
        GumboOptions options = kGumboDefaultOptions;
        options.allocator = &GumboArena::allocate;
        options.deallocator = &GumboArena::deallocate;
        options.userdata = &arena_;
        options.max_errors = 0;
        options.fragment_context = GUMBO_TAG_BODY;
        options.fragment_namespace = GUMBO_NAMESPACE_HTML;
        output_ = gumbo_parse_with_options(&options, html_.data(), html_.size());
    }
    // The <html> element whose children are the fragment's nodes.
    const GumboNode* root() const { return output_->root; }

private:
    std::string html_; // gumbo's tree points into it
    GumboArena arena_;
    GumboOutput* output_ = nullptr; // owned by arena_
};

// Takes out the start tags that would nest deeper than the parser should see (html_parse.cpp).
std::string cap_nesting(std::string_view in, bool& capped);
// The input without the control characters that must vanish (html_parse.cpp).
std::string strip_controls(std::string_view in);

// ---------------------------------------------------------------------------------------------
// Lowering

struct BlockSink {
    std::vector<Block>* out;
    std::vector<Inline> pending; // inline content seen at block level, waiting for a paragraph
    int pending_line = 0;
};

class Lowerer {
public:
    explicit Lowerer(const HtmlContext& ctx) : ctx_(ctx) {}

    void note_capped();

    std::vector<Block> blocks(const GumboNode* root) { return child_blocks(root); }

    std::vector<Inline> inlines(const GumboNode* root);

private:
    util::SourcePos pos_of(const GumboNode* n) const;
    int line_of(const GumboNode* n) const { return pos_of(n).line; }

    void warn(const util::SourcePos& pos, const std::string& msg);
    void warn_once(const std::string& key, const util::SourcePos& pos, const std::string& msg);
    static std::string tag_name(const GumboNode* n);
    bool dropped(const GumboNode* n, const TagInfo& info);
    void check_attributes(const GumboNode* n);
    bool too_deep(const GumboNode* n, std::vector<Inline>& out);

    struct Deeper {
        int& d;
        explicit Deeper(int& depth) : d(++depth) {}
        ~Deeper() { --d; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
    };
    std::string collect_text(const GumboNode* root, bool verbatim);
    void append_text(std::vector<Inline>& out, const char* text);
    std::vector<Block> child_blocks(const GumboNode* n, const GumboNode* skip = nullptr);
    static bool only_breaks(const std::vector<Inline>& v);
    void flush(BlockSink& s);
    void block_child(const GumboNode* n, BlockSink& s);
    std::vector<Inline> inline_content(const GumboNode* n);
    Block make_block(BlockKind kind, const GumboNode* n);
    void block_element(const GumboNode* n, const TagInfo& info, std::vector<Block>& out);
    static const GumboNode* task_checkbox(const GumboNode* li);
    std::vector<Block> item_blocks(const GumboNode* li, const GumboNode* checkbox);
    void list(const GumboNode* n, std::vector<Block>& out);

    // Rows of a table section (or of the table itself), with each cell's header flag and align.
    struct RawCell {
        TableCell cell;
        bool header = false;
        Align align = Align::None;
    };
    using RawRow = std::vector<RawCell>;

    // Largest row * column count a table is padded to (a hostile colspan must not allocate much).
    static constexpr size_t kMaxPaddedCells = 1000000;
    static constexpr int kMaxColspan = 1000;
    void table_rows(const GumboNode* section, std::vector<RawRow>& rows);
    void table(const GumboNode* n, std::vector<Block>& out);
    void inline_children(const GumboNode* n, std::vector<Inline>& out);
    void inline_node(const GumboNode* n, std::vector<Inline>& out);
    void table_inline(const GumboNode* n, std::vector<Inline>& out);
    void inline_element(const GumboNode* n, const TagInfo& info, std::vector<Inline>& out);
    void image(const GumboNode* n, std::vector<Inline>& out);

    // ---- white space ----
    struct SpaceState {
        bool prev_space = true; // at a line start, or after a space: a space here is dropped
        bool has_content = false;
        Inline* last_text = nullptr;    // the latest Text/Code, to trim before a break
        Inline* pending_mark = nullptr; // a block mark that becomes a break if content follows
    };
    static void trim_last(SpaceState& st);
    static void content_arrives(SpaceState& st);
    static void space_pass(std::vector<Inline>& v, SpaceState& st);
    static void prune(std::vector<Inline>& v);
    static void finish_inlines(std::vector<Inline>& v);

    const HtmlContext& ctx_;
    std::set<std::string> warned_;
    int depth_ = 0;
    int in_link_ = 0; // inside a Link being built
};

} // namespace imprenta::doc::html_detail

// The document model both backends read: a book of chapters made of blocks and inlines, with
// footnotes scoped to their chapter and images resolved to entries of the book's asset table.
// Readers (Markdown, HTML) produce it; the EPUB and PDF writers only read it.
#pragma once
#include "book/asset.h"
#include "util/diag.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imprenta::doc {

enum class InlineKind {
    Text,          // text
    Emphasis,      // children
    Strong,        // children
    Strikethrough, // children
    Superscript,   // children
    Subscript,     // children
    Code,          // text
    Link,          // children; target
    Image,         // text = alt text; asset = index into Book::assets
    LineBreak,     // hard break
    SoftBreak,     // a source line end inside a paragraph: a space when rendered
    NoteRef,       // note = index into Chapter::notes; text = the number shown ("1")
};

// Where a link goes. Internal links are resolved to a chapter (and optionally an anchor in it).
struct LinkTarget {
    std::string url;    // external URL (http:, https:, mailto:), empty for internal links
    int chapter = -1;   // index into Book::chapters for internal links
    std::string anchor; // element id inside that chapter; empty = the chapter's start
    bool internal() const { return chapter >= 0; }
};

struct Inline {
    InlineKind kind = InlineKind::Text;
    std::string text;
    std::vector<Inline> children;
    LinkTarget target; // Link
    std::string title; // Link/Image title attribute, if any
    int asset = -1;    // Image
    int note = -1;     // NoteRef
    int line = 0;      // Link/Image: where it is written in the chapter's source (0 = unknown)
    int col = 0;
};

enum class BlockKind {
    Paragraph,     // inlines
    Heading,       // level 1..6, inlines, id
    BlockQuote,    // children
    List,          // children are ListItem; ordered, start, tight
    ListItem,      // children; task: -1 none, 0 open, 1 done
    CodeBlock,     // text (verbatim, ends without newline), info = language
    ThematicBreak, //
    Table,         // rows; aligns; header_rows
    Figure,        // inlines = caption (may be empty); children = content (usually one image para)
    Aside,         // a boxed note (hint shortcode): style = its kind ("info", "warning", ...,
                   // ""), then " media" for a video or post shown as a link (a QR code in print),
                   // inlines = optional title; children
    Details,       // a titled block (details shortcode): inlines = summary; children
    Division,      // a neutral group (columns, tabs): children; style names its origin
};

enum class Align { None, Left, Center, Right };

struct Block;

struct TableCell {
    std::vector<Inline> inlines;
};

struct TableRow {
    std::vector<TableCell> cells;
};

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    int line = 0;   // 1-based line in the chapter's source file (0 = unknown)
    std::string id; // anchor id, unique within its chapter (headings always have one)
    std::vector<Inline> inlines;
    std::vector<Block> children;

    int level = 0; // Heading

    bool ordered = false; // List
    int start = 1;
    bool tight = true;
    int task = -1; // ListItem

    std::string text; // CodeBlock
    std::string info;

    std::vector<Align> aligns; // Table
    std::vector<TableRow> rows;
    int header_rows = 0;

    std::string style; // Aside, Division
};

// A footnote: its blocks, rendered at the foot of the page (PDF) or as a pop-up aside (EPUB).
struct Note {
    std::string label;  // the label written in the source ("1", "nota")
    std::string id;     // anchor id of the note itself, unique within the chapter ("fn-1")
    std::string ref_id; // anchor id of the first reference to it ("fnref-1"), for the way back
    std::vector<Block> blocks;
};

enum class ChapterKind {
    Chapter, // an essay
    Part,    // a section (_index.md): title and intro; the chapters after it with depth+1 are in it
};

struct Chapter {
    ChapterKind kind = ChapterKind::Chapter;
    std::string source; // path relative to the book folder, for diagnostics ("content/a.md")
    std::string slug;   // unique file-name stem ("c03-la-ballena"), used for output names
    std::string title;  // plain text
    std::vector<Inline> title_inlines; // the title with its markup (from an H1), else one Text
    std::string lang;                  // BCP 47 ("es", "en-US")
    util::SourcePos lang_pos; // where the front matter sets it, for diagnostics (empty: inherited)
    bool rtl = false; // written right to left: its language, the site's, or its first letter
    std::string description;
    int depth = 0;          // 0 = top level; chapters inside a part have depth 1, and so on
    bool in_toc = true;     // false for bookHidden pages: in the reading order, not in any toc
    int banner = -1;        // index into Book::assets, or -1
    std::string banner_alt; // alt text for the banner
    std::vector<Block> blocks;
    std::vector<Note> notes;
};

// The asset table is the book stage's (it resolves the files); the IR refers to it by index.
using Asset = book::Asset;

struct Metadata {
    std::string title;
    std::string subtitle;
    std::vector<std::string> authors;
    std::string language = "en";  // BCP 47
    util::SourcePos language_pos; // where book.toml sets it, for diagnostics (may be empty)
    bool rtl = false;             // the book's language is written right to left
    std::string identifier;       // "urn:uuid:..." or as given
    std::string publisher;
    std::string description;
    std::string rights;
    std::string date;     // publication date as given (YYYY or YYYY-MM-DD), may be empty
    int64_t modified = 0; // seconds since the epoch (SOURCE_DATE_EPOCH or newest input)
    std::string slug;     // output file stem
    int cover = -1;       // index into Book::assets, or -1
    std::string version;  // release version, may be empty
    int toc_depth = 2;    // heading levels in the contents (chapters are level 1)
};

inline void set_pos(Inline& in, const util::SourcePos& pos) {
    in.line = pos.line;
    in.col = pos.col;
}

// The text of inlines without markup ("La *prensa*" -> "La prensa"); images and note
// references add nothing.
std::string plain_text(const std::vector<Inline>& inlines);

struct Book {
    Metadata meta;
    std::filesystem::path root;    // the book folder (absolute), for template overrides
    std::vector<Chapter> chapters; // reading order (parts and chapters interleaved)
    std::vector<Asset> assets;
};

// How many blocks, inlines and notes a book holds: a measure of its document's memory.
size_t node_count(const Book& book);

// Copies every block of the book anew, one block or note at a time, and frees the old copy:
// the copy is packed together where parsing left it among freed memory.
void compact_blocks(Book& book);

// Frees a chapter's own blocks (note -1) or one of its notes' blocks, for a build whose
// renderers have read them all (render::Output::done_with_blocks); the rest of the book stays.
void release_blocks(Book& book, size_t chapter, int note);

} // namespace imprenta::doc

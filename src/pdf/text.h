// Paragraph typesetting: IR inlines -> Knuth–Plass boxes, glue and penalties (with hyphenation
// and font fallback) -> broken, justified lines with their drawing operations and links.
#pragma once
#include "doc/ir.h"
#include "pdf/fonts.h"
#include "pdf/hyphenate.h"
#include "pdf/linebreak.h"
#include "pdf/page.h"

#include <set>
#include <string>
#include <vector>

namespace imprenta::pdf {

// Pixel size of each usable image asset (0 x 0 when it failed to decode), for inline images.
struct ImageSizes {
    std::vector<int> width, height;
    bool usable(int asset) const {
        return asset >= 0 && size_t(asset) < width.size() && width[asset] > 0 && height[asset] > 0;
    }
};

// How inline content is set: the base style it inherits and the services it needs.
struct InlineStyle {
    const FontSet* fonts = nullptr;
    const Hyphenator* hyphenator = nullptr; // null: never hyphenate
    // The book's line-breaking rules (null: BreakParams' own); emergency_stretch in ems here.
    const BreakParams* breaking = nullptr;
    const ImageSizes* images = nullptr;
    std::set<char32_t>* missing = nullptr; // code points no font has (reported once, later)
    const doc::Chapter* chapter = nullptr; // notes (for their anchor ids)
    int chapter_index = -1;
    std::string lang;       // BCP 47 language of the text (shaping, line breaks, fallback fonts)
    int direction = -1;     // paragraph direction: 0 LTR, 1 RTL, -1 from its first strong character
    double size = 10.5;     // font size
    double leading = 13.65; // baseline distance
    bool bold = false, italic = false, mono = false;
    Color color;
    Color link_color{0.05f, 0.17f, 0.45f};
};

enum class TextAlign { Justify, Left, Center, Right };

struct ParagraphSpec {
    double width = 300; // line width
    double indent = 0;  // first-line indent
    TextAlign align = TextAlign::Justify;
    bool hyphenate = true;
    int looseness = 0;  // TeX's \looseness (justified paragraphs)
    bool mirror = true; // a right-to-left paragraph swaps Left and Right (start/end alignment)
};

struct TypesetLine {
    double height = 0;       // the line's slot (baseline distance, more for tall content)
    double baseline = 0;     // from the slot's top
    double width = 0;        // natural width of the content
    bool hyphenated = false; // ends with an inserted hyphen
    // Where the first word starting on the line is in the inlines' text (doc/position.h
    // offsets); kNoWord when none does (only the end of a word broken on the line before).
    int word = kNoWord;
    Paint paint;            // relative to the slot's top-left
    std::vector<int> notes; // notes called on this line
};

// Typesets `inlines`. Never fails: words wider than the line are broken between letters.
std::vector<TypesetLine> typeset(const std::vector<doc::Inline>& inlines, const InlineStyle& style,
                                 const ParagraphSpec& spec);

// A single line of plain text in one face (headings' running heads, folios, markers).
TypesetLine typeset_plain(const std::string& text, const InlineStyle& style);

struct InlineWidths {
    double min = 0; // widest unbreakable piece
    double max = 0; // the whole content on one line (widest forced line)
};
InlineWidths measure(const std::vector<doc::Inline>& inlines, const InlineStyle& style);

// The text of inlines with image alt text included (outline titles, comparisons); unlike
// doc::plain_text, an image in a heading still names it.
std::string plain_text_with_alt(const std::vector<doc::Inline>& inlines);

// Face for a combination of style flags.
Face face_for(bool bold, bool italic, bool mono);

} // namespace imprenta::pdf

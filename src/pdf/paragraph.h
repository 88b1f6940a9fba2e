// The paragraph builder's parts (internal to pdf/text*.cpp): inline IR flattened into styled
// pieces, what each Knuth–Plass item draws, and placing and painting a broken line.
#pragma once
#include "doc/ir.h"
#include "pdf/linebreak.h"
#include "pdf/shape.h"
#include "pdf/text.h"

#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf::para {

constexpr double kMonoScale = 0.88;   // DejaVu Sans Mono looks large beside a serif
constexpr double kScriptScale = 0.7;  // super/subscripts and note calls
constexpr double kHyphenPenalty = 50; // TeX's \hyphenpenalty and \exhyphenpenalty
constexpr double kUrlPenalty = 100;
constexpr double kEmergencyPenalty = 2000;

struct Style {
    bool bold = false, italic = false, mono = false, strike = false;
    bool url = false; // link text that is an address: never hyphenated
    int script = 0;   // 1 superscript, -1 subscript
    int link = -1;    // index into the paragraph's link table
};

struct Piece {
    enum class Kind { Text, Space, Break, Note, Image } kind = Kind::Text;
    std::string text;
    Style st;
    int note = -1;
    int asset = -1;
    uint8_t level = 0; // bidi embedding level
    int at = -1;       // Text: where it starts in the inlines' text (doc/position.h offsets)
};

struct LinkDest {
    std::string url;
    int chapter = -1;
    std::string anchor;
};

// Inline IR -> pieces: words, spaces, breaks, note calls and images, each with its style.
class Flattener {
public:
    std::vector<Piece> pieces;
    std::vector<LinkDest> links;

    void walk(const std::vector<doc::Inline>& v, Style st) {
        for (const auto& in : v)
            one(in, st);
    }

private:
    size_t at_ = 0; // bytes of Text and Code inlines walked so far
    void text(const std::string& s, const Style& st);
    void one(const doc::Inline& in, Style st);
};

// What a Knuth–Plass item draws.
struct Info {
    ShapedText text; // Box: its text; Penalty: the hyphen shown if the line breaks here
    Style st;
    double size = 0;
    double rise = 0; // baseline shift upwards
    int note = -1;
    int asset = -1;
    double img_w = 0, img_h = 0;
    uint8_t level = 0; // bidi embedding level (odd: right to left)
    int word = -1;     // Box: a word starts here, at this offset in the inlines' text
};

bool is_letter(char32_t c);
bool is_combining(char32_t c);
enum class BreakKind { Hyphen, ExHyphen, Url, Emergency, Line };

// What a piece stands for in the paragraph's text, for the bidi algorithm.
std::string_view bidi_text(const Piece& p);

// First-fit breaking for ragged text (headings, table cells, captions): TeX's \raggedright
// spacing stays even, so the optimum-fit search buys nothing there.
std::vector<Line> greedy_lines(const std::vector<Item>& items, double width);

struct Placed {
    size_t item;
    double x;
};

// The boxes of a line (and its hyphen) with their x, left to right. Glue is set by `ratio`;
// with right-to-left text the pieces are reordered by their bidi levels (UAX #9, L2), trailing
// spaces left out.
std::vector<Placed> place_line(const std::vector<Item>& items, const std::vector<Info>& infos,
                               size_t start, size_t end, bool hyphen, double ratio, double x,
                               bool rtl, bool& reordered);

// Draws the placed boxes of a line: text, images, strike-through, note calls and links.
void paint_line(TypesetLine& tl, const std::vector<Placed>& placed, const std::vector<Item>& items,
                const std::vector<Info>& infos, const std::vector<LinkDest>& links,
                const InlineStyle& style);

} // namespace imprenta::pdf::para

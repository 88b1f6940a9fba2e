// The libharu side: draws finished pages (text, rules, fills, images), adds link annotations,
// the outline, page labels and document info, and saves the file. Only this unit sees libharu.
#pragma once
#include "doc/ir.h"
#include "doc/position.h"
#include "image/image.h"
#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/page.h"
#include "pdf/tagging.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace imprenta::pdf {

class PrintColor;

// A page's operators, deflated, and the fonts and images they name.
struct EncodedPage {
    std::string content;
    PageUse use;
};

// A finished page; its paint is in page coordinates (top-left origin, y down).
struct OutPage {
    Paint paint;
    std::string label;  // printed page number ("iii", "12")
    int chapter = -1;   // chapter whose content starts the page (-1: front matter)
    int block = 0;      // top-level block of that chapter
    doc::TextPos start; // its first word there (render::PageStart::start)
    bool blank = false;
    // Set: the page's content stream as an earlier build (watch) made it, drawn as it is (the
    // paint then holds only links, anchors and outlines). The writer sets it for the others.
    std::shared_ptr<const EncodedPage> encoded;
};

struct Document {
    std::vector<OutPage> pages;
    size_t front_pages = 0; // numbered in lower-case roman; the rest in arabic from 1
    Geometry geo;
    StructTree front;               // the front matter's structure (OutPage::chapter -1)
    std::vector<StructTree> trees;  // by chapter (OutPage::chapter): the tagged structure
    std::vector<std::string> langs; // by chapter: its language
    bool pdfa = false; // [pdf] standard = "pdf/a-2u": PDF/A-2u identification, sRGB intent
    const PrintColor* color = nullptr; // PDF/X: CMYK colours and an output intent (pdfx.h)
    bool keep_encoded = false;         // the writer leaves each page's `encoded` set (for a memo)
};

// Writes `d` to `path` (a temporary file; the caller commits it over `target`, the name used in
// messages). `images` holds the decoded images by asset index; they are released as they are
// handed to libharu, and so is each page's drawing (only anchors, outlines and labels remain),
// since libharu keeps its own copy until it saves. Throws BuildError.
void write_document(Document& d, const doc::Book& book, const FontSet& fonts,
                    std::map<int, image::PdfImage>& images, const std::filesystem::path& path,
                    const std::filesystem::path& target);

} // namespace imprenta::pdf

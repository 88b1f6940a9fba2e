// The ISBN barcode of a print cover's back: EAN-13 ("Bookland", 978/979) with an optional EAN-5
// price add-on, encoded by libzint and drawn as vector bars.
#pragma once
#include "pdf/page.h"

#include <string>
#include <vector>

namespace imprenta::pdf {

struct Barcode {
    struct Bar {
        double x = 0, y = 0, w = 0, h = 0; // modules, from the symbol's top-left
    };
    struct Digits {
        double x = 0, y = 0; // modules: on the baseline, at the text's centre, start or end
        double size = 0;     // font size in modules
        std::string text;
        int align = 0; // libzint's halign: 0 centre, 1 left, 2 right
    };
    std::vector<Bar> bars;
    std::vector<Digits> digits;
    double width = 0, height = 0; // modules, quiet zones included
};

// ISBN-13 digits for an ISBN of 10 or 13 digits (already check-digit valid); "" if neither.
std::string isbn13_of(const std::string& isbn);

// The EAN-13 of `isbn13`, with the EAN-5 `price` add-on when it is not empty. Throws BuildError
// when libzint refuses the data.
Barcode isbn_barcode(const std::string& isbn13, const std::string& price);

// Draws `b` with the given module width (0.33 mm at 100 %) so that its bottom-right corner is at
// (right, bottom): a white ground with the quiet zones, the bars, the human-readable digits, and
// "ISBN ..." above. Returns the height used.
double draw_barcode(Paint& p, const Barcode& b, const std::string& isbn13, const FontSet& fonts,
                    const std::string& lang, double module, double right, double bottom);

} // namespace imprenta::pdf

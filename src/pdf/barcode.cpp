#include "pdf/barcode.h"

#include "pdf/text.h"
#include "util/diag.h"

#include <zint.h>

#include <algorithm>
#include <memory>

namespace imprenta::pdf {

std::string isbn13_of(const std::string& isbn) {
    std::string d = isbn;
    if (d.size() == 10) d = "978" + d.substr(0, 9) + "0"; // the check digit is worked out below
    if (d.size() != 13 ||
        !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {};
    int sum = 0;
    for (int i = 0; i < 12; ++i)
        sum += (d[size_t(i)] - '0') * (i % 2 ? 3 : 1);
    d[12] = char('0' + (10 - sum % 10) % 10);
    return d;
}

Barcode isbn_barcode(const std::string& isbn13, const std::string& price) {
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> sym(ZBarcode_Create(), ZBarcode_Delete);
    if (!sym) throw util::BuildError({}, "cannot make the ISBN barcode (out of memory)");
    sym->symbology = BARCODE_ISBNX;
    sym->scale = 0.5f; // vector units of one module
    std::string data = isbn13 + (price.empty() ? "" : "+" + price);
    int rc = ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(data.data()),
                             int(data.size()));
    if (rc < ZINT_ERROR) rc = ZBarcode_Buffer_Vector(sym.get(), 0);
    if (rc >= ZINT_ERROR)
        throw util::BuildError({}, "cannot make the ISBN barcode of " + data + ": " +
                                       std::string(sym->errtxt));
    Barcode b;
    const zint_vector* v = sym->vector;
    b.width = v->width;
    b.height = v->height;
    for (const zint_vector_rect* r = v->rectangles; r; r = r->next)
        b.bars.push_back({r->x, r->y, r->width, r->height});
    for (const zint_vector_string* s = v->strings; s; s = s->next)
        b.digits.push_back({s->x, s->y, s->fsize,
                            std::string(reinterpret_cast<const char*>(s->text), size_t(s->length)),
                            s->halign});
    return b;
}

double draw_barcode(Paint& p, const Barcode& b, const std::string& isbn13, const FontSet& fonts,
                    const std::string& lang, double module, double right, double bottom) {
    InlineStyle s;
    s.fonts = &fonts;
    s.lang = lang;
    s.size = 8 * module; // digits about the standard's 2.75 mm high at 0.33 mm modules
    s.leading = s.size * 1.2;
    s.mono = true;
    double head = s.size * 1.4; // the "ISBN ..." line above the bars
    double w = b.width * module, h = b.height * module + head;
    double x0 = right - w, y0 = bottom - h;
    p.rects.push_back({x0, y0, w, h, {1, 1, 1}});
    for (const auto& bar : b.bars)
        p.rects.push_back(
            {x0 + bar.x * module, y0 + head + bar.y * module, bar.w * module, bar.h * module, {}});
    auto put = [&](const std::string& text, double x, double baseline, int align) {
        TypesetLine line = typeset_plain(text, s);
        double at = align == 0 ? x - line.width / 2 : align == 2 ? x - line.width : x;
        p.take(std::move(line.paint), at, baseline - line.baseline);
    };
    for (const auto& d : b.digits)
        put(d.text, x0 + d.x * module, y0 + head + d.y * module, d.align);
    // ISBN 978-... is printed above the bars; without the publisher's range table the
    // hyphens cannot be placed, so the digits are grouped only after the prefix.
    put("ISBN " + isbn13.substr(0, 3) + "-" + isbn13.substr(3), x0 + w / 2, y0 + s.size * 1.1, 0);
    return h;
}

} // namespace imprenta::pdf

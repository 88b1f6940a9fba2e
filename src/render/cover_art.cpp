// The cover drawn for a book that names none: title, subtitle and authors set on the cover.svg
// template, rendered to a 1600x2560 PNG (the size stores ask for). The EPUB's cover image and,
// when asked for, the PDF's first page.
#include "render/cover_art.h"

#include "image/cover.h"
#include "util/templates.h"
#include "util/utf8.h"

#include <string>
#include <vector>

namespace imprenta::render {

using util::escape_xml;

namespace {

size_t code_points(std::string_view s) {
    size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Greedy word wrap by character count: SVG text does not wrap, and a cover has few words.
std::vector<std::string> wrap(std::string_view text, size_t width) {
    std::vector<std::string> lines;
    std::string line;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty()) continue;
        if (!line.empty() && code_points(line) + 1 + code_points(word) > width) {
            lines.push_back(std::move(line));
            line.clear();
        }
        if (!line.empty()) line += ' ';
        line.append(word);
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

// <text> lines centred on x=800, the first baseline at `y`.
std::string text_lines(const std::vector<std::string>& lines, int y, int step) {
    std::string out;
    for (const auto& l : lines) {
        out += "<text x=\"800\" y=\"" + std::to_string(y) + "\">" + escape_xml(l) + "</text>";
        y += step;
    }
    return out;
}

std::string base64(std::string_view bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? abc[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? abc[n & 63] : '=';
    }
    return out;
}

// The banner filling the cover (cropped, not stretched) under a veil of the template's ground
// colour, so that the title keeps its contrast on any picture. The veil is a translucent fill,
// not an `opacity` (which librsvg draws into a 16 MB group surface and composites again): 45 M
// instructions and 4,000 page faults less, pixels within one level of green of the group's.
std::string ground_image(const CoverGround* ground) {
    if (!ground || ground->bytes.empty()) return "";
    return "<image x=\"0\" y=\"0\" width=\"1600\" height=\"2560\" "
           "preserveAspectRatio=\"xMidYMid slice\" href=\"data:" +
           ground->media_type + ";base64," + base64(ground->bytes) +
           "\"/><rect width=\"1600\" height=\"2560\" fill=\"#23303f\" fill-opacity=\"0.72\"/>";
}

void fill(std::string& svg, std::string_view key, const std::string& value) {
    size_t at = svg.find(key);
    if (at != std::string::npos) svg.replace(at, key.size(), value);
}

} // namespace

std::string cover_svg(const doc::Metadata& meta, std::string_view title, std::string tmpl,
                      const CoverGround* ground) {
    auto title_lines = wrap(title, 14);
    if (title_lines.size() > 6) title_lines.resize(6);
    // The title block sits above the rule at y=1380, its last baseline 200 above it.
    int title_y = 1180 - static_cast<int>(title_lines.size() - 1) * 180;
    auto subtitle_lines = wrap(meta.subtitle, 30);
    if (subtitle_lines.size() > 4) subtitle_lines.resize(4);
    std::string authors;
    for (const auto& a : meta.authors)
        if (!a.empty()) {
            if (!authors.empty()) authors += ", ";
            authors += a;
        }
    auto author_lines = wrap(authors, 26);
    if (author_lines.size() > 3) author_lines.resize(3);
    int author_y = 2300 - static_cast<int>(author_lines.size() ? author_lines.size() - 1 : 0) * 110;

    fill(tmpl, "{{banner}}", ground_image(ground));
    fill(tmpl, "{{title}}", text_lines(title_lines, title_y, 180));
    fill(tmpl, "{{subtitle}}", text_lines(subtitle_lines, 1540, 100));
    fill(tmpl, "{{author}}", text_lines(author_lines, author_y, 110));
    return tmpl;
}

std::string cover_png(const doc::Book& book, std::string_view title, const CoverGround* ground,
                      const image::Cache* cache, util::Diagnostics* diags, Memo* memo) {
    return cover_png_from(book, title, util::load_template(book.root, "epub/cover.svg", diags),
                          ground, cache, memo);
}

std::string cover_png_from(const doc::Book& book, std::string_view title, std::string tmpl,
                           const CoverGround* ground, const image::Cache* cache, Memo* memo) {
    std::string svg = cover_svg(book.meta, title, std::move(tmpl), ground);
    Key key = KeyBuilder()
                  .add(std::string_view("epub-cover-1"))
                  .add(svg)
                  .add(int64_t(kCoverWidth))
                  .add(int64_t(kCoverHeight))
                  .finish();
    if (auto png = memo ? memo->find<std::string>(key) : nullptr) return *png;
    std::string png = image::svg_to_png(svg, kCoverWidth, kCoverHeight, cache);
    if (memo) memo->put(key, png);
    return png;
}

} // namespace imprenta::render

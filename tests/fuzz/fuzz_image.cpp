// Image probing, decoding and re-encoding: any bytes are either rejected with ImageError or give a
// bitmap of the probed size within the pixel budget, which scales and re-encodes losslessly.
#include "fuzz_common.h"
#include "image/codec.h"
#include "image/image.h"

#include <cctype>
#include <cstdint>
#include <set>
#include <string>

namespace {

// `<?xml version="1.0" [encoding="..."] [standalone="yes|no"]?>` if the text starts with `<?xml `.
bool well_formed_declaration(std::string_view s) {
    if (!s.starts_with("<?xml") ||
        (s.size() > 5 && s[5] != ' ' && s[5] != '\t' && s[5] != '\n' && s[5] != '\r'))
        return true;
    size_t end = s.find("?>");
    if (end == std::string_view::npos) return false;
    std::string_view rest = s.substr(5, end - 5);
    const char* names[] = {"version", "encoding", "standalone"};
    size_t next = 0;
    bool first = true;
    while (true) {
        size_t i = rest.find_first_not_of(" \t\r\n");
        if (i == std::string_view::npos) return !first;
        if (i == 0) return false; // pseudo-attributes are separated by white space
        rest.remove_prefix(i);
        size_t eq = rest.find('=');
        if (eq == std::string_view::npos) return false;
        std::string_view name = rest.substr(0, eq);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.remove_suffix(1);
        size_t k = next;
        while (k < 3 && name != names[k])
            ++k;
        if (k == 3 || (first && k != 0)) return false;
        next = k + 1;
        first = false;
        rest.remove_prefix(eq + 1);
        size_t q = rest.find_first_not_of(" \t\r\n");
        if (q == std::string_view::npos || (rest[q] != '"' && rest[q] != '\'')) return false;
        size_t close = rest.find(rest[q], q + 1);
        if (close == std::string_view::npos) return false;
        std::string_view value = rest.substr(q + 1, close - q - 1);
        // EPUB takes XML 1.0 only (epubcheck: RSC-016 for "1.#0", HTM-001 for "1.1").
        if (k == 0 && value != "1.0") return false;
        if (k == 2 && value != "yes" && value != "no") return false;
        for (char c : value)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
                return false;
        rest.remove_prefix(close + 1);
    }
}

// No raw '<' inside a quoted attribute value (tinyxml2 takes it; XML does not).
bool no_lt_in_attribute_values(std::string_view s) {
    size_t i = 0;
    auto skip_past = [&](std::string_view end) {
        size_t e = s.find(end, i);
        i = e == std::string_view::npos ? s.size() : e + end.size();
    };
    while ((i = s.find('<', i)) != std::string_view::npos) {
        std::string_view rest = s.substr(i);
        if (rest.starts_with("<!--")) {
            skip_past("-->");
        } else if (rest.starts_with("<![CDATA[")) {
            skip_past("]]>");
        } else if (rest.starts_with("<?")) {
            skip_past("?>");
        } else if (rest.starts_with("<!")) {
            skip_past(">");
        } else {
            char quote = 0;
            for (++i; i < s.size(); ++i) {
                char c = s[i];
                if (quote) {
                    if (c == quote)
                        quote = 0;
                    else if (c == '<')
                        return false;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    break;
                }
            }
        }
    }
    return true;
}

// A <script> element whatever its prefix or case (a prefix named "scriptx" is no script).
bool has_script(const tinyxml2::XMLElement* e) {
    std::string name = e->Name();
    std::string local = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
    for (char& c : local)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (local == "script") return true;
    for (const auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        if (has_script(c)) return true;
    return false;
}

// Namespace well-formedness: every name a QName, every prefix bound by an xmlns:...
// on it or an ancestor (xml, xmlns and xlink, which the sanitiser binds, excepted).
bool prefixes_bound(const tinyxml2::XMLElement* e, std::set<std::string> bound) {
    for (const auto* a = e->FirstAttribute(); a; a = a->Next()) {
        std::string n = a->Name();
        if (n.rfind("xmlns:", 0) == 0) bound.insert(n.substr(6));
    }
    auto ok = [&](const std::string& qname) {
        size_t colon = qname.find(':');
        if (colon == std::string::npos) return true;
        if (colon == 0 || colon + 1 == qname.size() || qname.find(':', colon + 1) != qname.npos)
            return false; // not a QName
        std::string p = qname.substr(0, colon);
        return p == "xml" || p == "xmlns" || p == "xlink" || bound.count(p) > 0;
    };
    if (!ok(e->Name())) return false;
    for (const auto* a = e->FirstAttribute(); a; a = a->Next())
        if (!ok(a->Name())) return false;
    for (const auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        if (!prefixes_bound(c, bound)) return false;
    return true;
}

bool no_double_hyphen_in_comments(std::string_view s) {
    for (size_t p = s.find("<!--"); p != std::string_view::npos; p = s.find("<!--", p)) {
        size_t end = s.find("-->", p + 4);
        if (end == std::string_view::npos) return false;
        std::string_view body = s.substr(p + 4, end - p - 4);
        if (body.find("--") != std::string_view::npos || body.ends_with("-")) return false;
        p = end + 3;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 256 * 1024) return 0;
    using namespace imprenta::image;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);

    Info info;
    try {
        info = probe(bytes);
    } catch (const ImageError&) {
        return 0;
    }
    fuzz::check(info.format != Format::Unknown, "probe accepted an unknown format");
    fuzz::check(info.width >= 0 && info.height >= 0, "negative size from probe");
    if (info.format == Format::Svg) {
        try {
            std::string svg = detail::sanitize_svg(bytes);
            tinyxml2::XMLDocument d;
            fuzz::check(d.Parse(svg.data(), svg.size()) == tinyxml2::XML_SUCCESS,
                        "sanitize_svg returned malformed XML", svg);
            // tinyxml2 is no validator: check by hand what it lets through and XML forbids.
            fuzz::check(well_formed_declaration(svg), "malformed XML declaration in an SVG", svg);
            fuzz::check(no_double_hyphen_in_comments(svg), "'--' inside an SVG comment", svg);
            fuzz::check(no_lt_in_attribute_values(svg), "'<' inside an SVG attribute value", svg);
            fuzz::check(!has_script(d.RootElement()), "script in a sanitised SVG", svg);
            fuzz::check(prefixes_bound(d.RootElement(), {}), "unbound prefix in an SVG", svg);
        } catch (const ImageError&) {
        }
        return 0;
    }
    fuzz::check(info.width > 0 && info.height > 0, "raster image of size 0 accepted by probe");

    if (info.format == Format::Jpeg) {
        try {
            auto d = detail::jpeg_details(bytes);
            fuzz::check(d.orientation >= 1 && d.orientation <= 8, "EXIF orientation out of range");
        } catch (const ImageError&) {
        }
    }
    detail::Bitmap bm;
    try {
        bm = detail::decode(bytes, info.format);
    } catch (const ImageError&) {
        return 0;
    }
    fuzz::check(bm.width > 0 && bm.height > 0, "decoded an empty bitmap");
    fuzz::check(int64_t(bm.width) * bm.height <= detail::kMaxPixels, "bitmap over the budget");
    fuzz::check(bm.rgba.size() == size_t(bm.width) * size_t(bm.height) * 4,
                "bitmap buffer does not match its size");
    fuzz::check(bm.width == info.width && bm.height == info.height,
                "decoded " + std::to_string(bm.width) + "x" + std::to_string(bm.height) +
                    " but probe said " + std::to_string(info.width) + "x" +
                    std::to_string(info.height));

    if (int64_t(bm.width) * bm.height <= 512 * 512) {
        auto sz = detail::fit_within(bm.width, bm.height, std::max(1, bm.width / 2),
                                     std::max(1, bm.height / 2));
        auto small = detail::scale_down(bm, sz.width, sz.height);
        fuzz::check(small.rgba.size() == size_t(small.width) * size_t(small.height) * 4,
                    "scaled bitmap buffer does not match its size");
        std::string png = detail::encode_png(small);
        auto back = detail::decode_png(png);
        fuzz::check(back.width == small.width && back.height == small.height,
                    "PNG round trip changed the size");
        fuzz::check(back.rgba == small.rgba, "PNG round trip changed the pixels");
        auto rotated = detail::apply_orientation(small, int(size % 8) + 1);
        fuzz::check(rotated.rgba.size() == small.rgba.size(), "rotation lost pixels");
    }
    return 0;
}

// Shared by the libFuzzer targets: a scratch book folder with one real image, and the checks every
// rendered XHTML page must pass (well-formed, unique ids, links that land, no active content).
#pragma once
#include "doc/ir.h"
#include "epub/plan.h"
#include "epub/xml.h"
#include "util/diag.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tinyxml2.h>
#include <unistd.h>
#include <vector>

namespace fuzz {

namespace fs = std::filesystem;

// A finding: print what is wrong and abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(const std::string& what, std::string_view context = {}) {
    std::fprintf(stderr, "FUZZ CHECK FAILED: %s\n", what.c_str());
    if (!context.empty())
        std::fprintf(stderr, "---- context (first 4000 bytes) ----\n%.*s\n----\n",
                     int(std::min<size_t>(context.size(), 4000)), context.data());
    std::abort();
}

inline void check(bool ok, const std::string& what, std::string_view context = {}) {
    if (!ok) fail(what, context);
}

// One worker thread: per-input thread pools only cost time and hide nothing.
inline void serial() {
    ::setenv("IMPRENTA_THREADS", "1", 0);
}

// A book folder under /tmp that lives as long as the process: content/ holds a.png (4x3) so that
// inputs naming it exercise real image references.
inline const fs::path& scratch_book() {
    static const fs::path root = [] {
        fs::path dir = fs::temp_directory_path() / ("imprenta-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir / "content");
        // A complete 4x3 greyscale PNG.
        static const unsigned char png[] = {
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00,
            0x00, 0x91, 0x9f, 0xf1, 0x1a, 0x00, 0x00, 0x00, 0x17, 0x49, 0x44, 0x41, 0x54, 0x78,
            0xda, 0x63, 0x60, 0xe0, 0x12, 0x91, 0x63, 0xd0, 0x30, 0xb2, 0x71, 0x63, 0x08, 0x88,
            0x4a, 0xc9, 0x03, 0x00, 0x0c, 0x8f, 0x02, 0x95, 0xdf, 0xa2, 0x6f, 0xe8, 0x00, 0x00,
            0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
        std::ofstream(dir / "content" / "a.png", std::ios::binary)
            .write(reinterpret_cast<const char*>(png), sizeof png);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(
                fs::temp_directory_path() / ("imprenta-fuzz-" + std::to_string(::getpid())), ec);
        });
        return dir;
    }();
    return root;
}

// Strict about tinyxml2's element depth limit (100) only when asked: deeply nested input is a
// known, reported problem, and failing on it at once would stop the fuzzer finding anything else.
inline bool strict_depth() {
    const char* v = std::getenv("FUZZ_STRICT_DEPTH");
    return v && *v == '1';
}

struct ParsedPage {
    std::set<std::string> ids;
    std::vector<std::string> hrefs;
};

// Parses one XHTML page and checks what every page must satisfy; returns its ids and hrefs.
inline ParsedPage check_xhtml(const std::string& name, const std::string& xhtml) {
    ParsedPage page;
    tinyxml2::XMLDocument doc;
    auto err = doc.Parse(xhtml.data(), xhtml.size());
    if (err == tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED && !strict_depth()) return page;
    check(err == tinyxml2::XML_SUCCESS,
          name + " is not well-formed XML: " + (doc.ErrorStr() ? doc.ErrorStr() : ""), xhtml);
    static const std::set<std::string> banned{"script", "iframe", "object", "embed",  "form",
                                              "input",  "style",  "base",   "frame",  "applet",
                                              "button", "audio",  "video",  "canvas", "textarea"};
    std::function<void(const tinyxml2::XMLElement*, bool)> walk = [&](const tinyxml2::XMLElement* e,
                                                                      bool in_head) {
        std::string tag = e->Name();
        if (!in_head) check(!banned.count(tag), name + ": <" + tag + "> in the body", xhtml);
        for (auto* a = e->FirstAttribute(); a; a = a->Next()) {
            std::string attr = a->Name(), value = a->Value();
            check(!(attr.size() > 2 && attr[0] == 'o' && attr[1] == 'n'),
                  name + ": event handler attribute " + attr, xhtml);
            if (attr == "id")
                check(page.ids.insert(value).second, name + ": duplicate id '" + value + "'",
                      xhtml);
            if (attr == "href" || attr == "src" || attr == "xlink:href") {
                std::string v;
                for (char c : value)
                    if (static_cast<unsigned char>(c) > 0x20)
                        v += char(std::tolower(static_cast<unsigned char>(c)));
                for (const char* scheme : {"javascript:", "vbscript:", "data:"})
                    check(v.rfind(scheme, 0) != 0, name + ": " + attr + "=\"" + value + "\"",
                          xhtml);
                if (attr == "href" && !in_head) page.hrefs.push_back(value);
            }
        }
        for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
            walk(c, in_head || tag == "head");
    };
    if (doc.RootElement()) walk(doc.RootElement(), false);
    return page;
}

// Renders every chapter of `book` (and the nav, NCX and OPF) the way epub::write_epub does, minus
// image transcoding: asset i is shown as images/asset-i.png. Checks every page, and that every
// link into a page of the book names an id that page has.
inline void render_and_check(const imprenta::doc::Book& book) {
    using namespace imprenta;
    static const epub::PageTemplate page = epub::PageTemplate::load(scratch_book());
    epub::Plan plan;
    plan.book = &book;
    plan.lang = "en";
    plan.title = "Fuzz";
    plan.identifier = "urn:uuid:00000000-0000-4000-8000-000000000000";
    epub::IdAllocator names;
    names.take("title");
    names.take("cover");
    for (size_t i = 0; i < book.chapters.size(); ++i) {
        plan.files.push_back(names.take("c" + std::to_string(i)) + ".xhtml");
        const auto& lang = book.chapters[i].lang;
        plan.langs.push_back(!lang.empty() && epub::valid_language_tag(lang) ? lang : "en");
        plan.ids.push_back(epub::collect_ids(book.chapters[i]));
    }
    std::vector<bool> used(book.assets.size(), false);
    for (const auto& ch : book.chapters)
        epub::collect_images(ch, used, plan.all_alt);
    plan.images.resize(book.assets.size());
    for (size_t i = 0; i < book.assets.size(); ++i) {
        auto& r = plan.images[i];
        r.ok = used[i];
        r.path = "images/asset-" + std::to_string(i) + ".png";
        r.id = "image-" + std::to_string(i + 1);
        r.media_type = "image/png";
    }

    std::map<std::string, ParsedPage> pages;
    std::map<std::string, std::string> texts;
    for (size_t i = 0; i < book.chapters.size(); ++i) {
        auto rendered = epub::render_chapter(plan, page, i);
        pages["text/" + plan.files[i]] = check_xhtml(plan.files[i], rendered.xhtml);
        texts["text/" + plan.files[i]] = std::move(rendered.xhtml);
    }
    std::vector<epub::Warning> warnings;
    std::string opf = epub::package_opf(plan, warnings);
    tinyxml2::XMLDocument d;
    check(d.Parse(opf.data(), opf.size()) == tinyxml2::XML_SUCCESS, "content.opf is not XML", opf);
    std::string ncx = epub::toc_ncx(plan);
    check(d.Parse(ncx.data(), ncx.size()) == tinyxml2::XML_SUCCESS, "toc.ncx is not XML", ncx);
    check_xhtml("nav.xhtml", epub::nav_xhtml(plan, page));

    // Links between pages (RSC-012): "c1.xhtml#x" needs id x in text/c1.xhtml.
    for (const auto& [file, parsed] : pages) {
        for (const auto& href : parsed.hrefs) {
            if (href.find(':') != std::string::npos) continue; // external
            auto hash = href.find('#');
            std::string target = href.substr(0, hash);
            std::string frag = hash == std::string::npos ? "" : href.substr(hash + 1);
            std::string target_file = target.empty() ? file : "text/" + target;
            auto it = pages.find(target_file);
            check(it != pages.end(), file + ": link to a missing page '" + href + "'", texts[file]);
            if (!frag.empty() && !it->second.ids.empty())
                check(it->second.ids.count(frag) > 0,
                      file + ": link to a missing id '" + href + "'", texts[file]);
        }
    }
}

} // namespace fuzz

// Hugo shortcodes: any body expands without a crash or hang; no shortcode opening survives outside
// an escape or code; the line map covers every output line with lines of the input; container
// markers name containers that exist, each opened once and closed once.
#include "doc/shortcodes.h"
#include "fuzz_common.h"
#include "util/diag.h"

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    using namespace imprenta;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    util::Diagnostics diags;
    const int first = 5;
    int lines = 1 + int(std::count(body.begin(), body.end(), '\n'));
    try {
        auto x = doc::expand_shortcodes(body, first, "content/fuzz.md", &diags);
        int out_lines = 1 + int(std::count(x.markdown.begin(), x.markdown.end(), '\n'));
        fuzz::check(x.line_map.size() + 1 >= size_t(out_lines), "line map shorter than the output",
                    x.markdown);
        for (int l : x.line_map)
            fuzz::check(l == 0 || (l >= first && l < first + lines + 1),
                        "line map points outside the input: " + std::to_string(l), x.markdown);
        std::vector<int> opened(x.containers.size()), closed(x.containers.size());
        size_t pos = 0;
        while ((pos = x.markdown.find("<!--", pos)) != std::string::npos) {
            size_t end = x.markdown.find("-->", pos);
            std::string_view html(x.markdown.data() + pos,
                                  (end == std::string::npos ? x.markdown.size() : end + 3) - pos);
            int o = doc::parse_open_marker(html), c = doc::parse_close_marker(html);
            fuzz::check(o < int(x.containers.size()) && c < int(x.containers.size()),
                        "a marker names a container that does not exist", x.markdown);
            if (o >= 0) ++opened[o];
            if (c >= 0) ++closed[c];
            pos += 4;
        }
        for (size_t i = 0; i < x.containers.size(); ++i)
            fuzz::check(opened[i] <= 1 && closed[i] <= 1, "a container marker repeats", x.markdown);
        for (const auto& sc : x.containers)
            fuzz::check(sc.line == 0 || (sc.line >= first && sc.line < first + lines + 1),
                        "container line outside the input", x.markdown);
    } catch (const util::BuildError& e) {
        fuzz::check(e.pos().file == "content/fuzz.md", "error names another file");
        fuzz::check(e.pos().line == 0 || (e.pos().line >= first && e.pos().line <= first + lines),
                    "error line outside the input: " + std::string(e.what()));
    }
    for (const auto& d : diags.all())
        fuzz::check(d.pos.line == 0 || (d.pos.line >= first && d.pos.line <= first + lines),
                    "diagnostic line outside the input: " + d.message);
    return 0;
}

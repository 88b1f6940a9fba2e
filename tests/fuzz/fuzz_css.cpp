// The style-sheet and page-template sanitiser (template overrides, SVG CSS): whatever the bytes,
// what it returns reaches nothing outside the document, sanitising again changes nothing, and
// every drop is reported at a line of the input.
#include "fuzz_common.h"
#include "util/sanitize.h"

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    using namespace imprenta;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    int lines = 1 + int(std::count(text.begin(), text.end(), '\n'));

    std::vector<util::Dropped> dropped;
    std::string clean = util::sanitize_css(text, dropped);
    fuzz::check(!util::css_outside_reference(clean), "sanitised CSS still reaches outside", clean);
    for (const auto& d : dropped)
        fuzz::check(d.line >= 1 && d.line <= lines, "drop reported outside the input", text);
    std::vector<util::Dropped> again;
    fuzz::check(util::sanitize_css(clean, again) == clean && again.empty(),
                "sanitising twice changes the CSS", clean);

    std::vector<util::Dropped> page_drops;
    std::string page = util::sanitize_page_template(text, page_drops);
    if (!page_drops.empty()) {
        std::vector<util::Dropped> page_again;
        util::sanitize_page_template(page, page_again);
        fuzz::check(page_again.empty(), "a sanitised template still has something to drop", page);
    }
    return 0;
}

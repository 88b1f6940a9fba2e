// Thousands of random-ish HTML strings (fixed seed) through the HTML reader: no crash, and every
// result keeps the IR's promises (clean UTF-8 text, no unsafe URL, bounded depth).
#include "doc/html.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

using namespace imprenta;
using namespace imprenta::doc;

namespace {

const char* const kPieces[] = {
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<span>",
    "</span>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<em>",
    "<a href=\"x.md\">",
    "<a href=\"javascript:alert(1)\">",
    "<a href=\"  JAVA\tscript:x\">",
    "</a>",
    "<table>",
    "<tr>",
    "<td colspan=\"7\">",
    "<th align=right>",
    "</table>",
    "<thead>",
    "<caption>",
    "<ul>",
    "<ol start=\"-5\">",
    "<li>",
    "<input type=checkbox checked>",
    "<pre>",
    "</pre>",
    "<code>",
    "</code>",
    "<br>",
    "<hr>",
    "<img src=\"img/a.png\" alt=\"A\">",
    "<img src=\"//cdn/x.png\">",
    "<img src=\"data:image/png;base64,AA\">",
    "<svg>",
    "</svg>",
    "<math>",
    "<foreignObject>",
    "<script>",
    "</script>",
    "<style>",
    "<iframe>",
    "<textarea>",
    "<title>",
    "<plaintext>",
    "<xmp>",
    "<template>",
    "</template>",
    "<select>",
    "<option>",
    "<form>",
    "<button onclick=\"x()\">",
    "<figure>",
    "<figcaption>",
    "<details>",
    "<summary>",
    "<aside class=\"info\">",
    "<h2 id=\"a\">",
    "</h2>",
    "<blockquote>",
    "<dl>",
    "<dt>",
    "<dd>",
    "<q>",
    "<sup>",
    "<sub>",
    "<del>",
    "<!--",
    "-->",
    "--!>",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE x>",
    "<?x ?>",
    "&amp;",
    "&nbsp;",
    "&eacute;",
    "&#x1F600;",
    "&#0;",
    "&#xD800;",
    "&",
    "&#",
    "<",
    ">",
    "</",
    "/>",
    "\"",
    "'",
    "=",
    " ",
    "\n",
    "\t",
    "\r\n",
    "text",
    "palabra ",
    "caf\xC3\xA9",
    "\xE2\x80\x94",
    "\xF0\x9F\x98\x80",
    "\xFF",
    "\xC3",
    "\xED\xA0\x80",
    "\xEF\xBF\xBF",
    "\0",
    "\x01",
    "\x0B",
    "<div class=\"a b\" id=\"x y\">",
    "<p onmouseover=x>",
    "<video><source src=x></video>",
    "<object>",
    "<embed>",
};

constexpr size_t kPieceCount = sizeof(kPieces) / sizeof(kPieces[0]);

// The NUL piece above is a one-byte string; every other piece is NUL-terminated text.
std::string_view piece(size_t i) {
    if (kPieces[i][0] == '\0') return std::string_view("\0", 1);
    return kPieces[i];
}

std::string random_html(std::mt19937_64& rng) {
    std::string s;
    size_t n = rng() % 120;
    for (size_t k = 0; k < n; ++k) {
        uint64_t r = rng();
        switch (r % 10) {
        case 0: // a raw random byte
            s += char(rng() & 0xFF);
            break;
        case 1: { // a run of one piece: deep nesting
            std::string_view p = piece(rng() % kPieceCount);
            size_t times = 1 + rng() % 300;
            for (size_t t = 0; t < times; ++t)
                s += p;
            break;
        }
        default:
            s += piece(rng() % kPieceCount);
        }
    }
    return s;
}

int max_depth = 0;

void check(const std::string& s) {
    EXPECT_FALSE(util::find_invalid_utf8(s).has_value());
    for (unsigned char c : s)
        ASSERT_TRUE(c >= 0x20 || c == '\t' || c == '\n') << int(c);
}

void check(const std::vector<Inline>& v, int depth) {
    max_depth = std::max(max_depth, depth);
    for (const auto& x : v) {
        check(x.text);
        check(x.title);
        check(x.target.url);
        if (x.kind == InlineKind::Link) {
            EXPECT_FALSE(unsafe_url(x.target.url)) << x.target.url;
        }
        if (x.kind == InlineKind::Image) {
            EXPECT_EQ(x.asset, 3);
        }
        check(x.children, depth + 1);
    }
}

void check(const std::vector<Block>& v, int depth) {
    max_depth = std::max(max_depth, depth);
    for (const auto& b : v) {
        check(b.inlines, depth + 1);
        check(b.text);
        check(b.info);
        check(b.style);
        check(b.children, depth + 1);
        EXPECT_LE(b.header_rows, int(b.rows.size()));
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                check(c.inlines, depth + 1);
    }
}

} // namespace

TEST(HtmlFuzzLike, RandomFragmentsNeverBreakTheIr) {
    std::mt19937_64 rng(20240611);
    util::Diagnostics diags;
    HtmlContext ctx;
    ctx.pos = {"fuzz.md", 1, 1};
    ctx.diags = &diags;
    ctx.resolve_image = [](const std::string& src, const util::SourcePos&) {
        return src.starts_with("img/") ? 3 : -1;
    };
    for (int i = 0; i < 2000; ++i) {
        std::string html = random_html(rng);
        SCOPED_TRACE("case " + std::to_string(i));
        check(html_to_blocks(html, ctx), 0);
        check(html_to_inlines(html, ctx), 0);
        if (HasFailure()) break;
    }
    // Element depth is bounded; a few IR levels have no element of their own (table in figure).
    EXPECT_LE(max_depth, kHtmlMaxDepth + 10);
    EXPECT_GT(diags.warning_count(), 0);
}

TEST(HtmlFuzzLike, RandomBytes) {
    std::mt19937_64 rng(7);
    HtmlContext ctx;
    for (int i = 0; i < 2000; ++i) {
        std::string html(rng() % 300, '\0');
        for (char& c : html)
            c = char(rng() & 0xFF);
        if (i % 2) // bias towards markup characters
            for (char& c : html)
                if ((unsigned char)c % 5 == 0) c = "<>/=\"&!-"[(unsigned char)c % 8];
        check(html_to_blocks(html, ctx), 0);
        check(html_to_inlines(html, ctx), 0);
        if (HasFailure()) break;
    }
}

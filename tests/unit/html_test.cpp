// Raw HTML -> IR: the mapping of every element, white space, and the sanitising rules.
#include "doc/html.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

using namespace imprenta;
using namespace imprenta::doc;

namespace {

// A compact rendering of the IR, so a test can state a whole tree in one line.
std::string dump(const std::vector<Inline>& v);

std::string dump(const Inline& x) {
    switch (x.kind) {
    case InlineKind::Text:
        return "'" + x.text + "'";
    case InlineKind::Emphasis:
        return "em(" + dump(x.children) + ")";
    case InlineKind::Strong:
        return "strong(" + dump(x.children) + ")";
    case InlineKind::Strikethrough:
        return "del(" + dump(x.children) + ")";
    case InlineKind::Superscript:
        return "sup(" + dump(x.children) + ")";
    case InlineKind::Subscript:
        return "sub(" + dump(x.children) + ")";
    case InlineKind::Code:
        return "code'" + x.text + "'";
    case InlineKind::Link:
        return "a<" + x.target.url + (x.title.empty() ? "" : "|" + x.title) + ">(" +
               dump(x.children) + ")";
    case InlineKind::Image:
        return "img#" + std::to_string(x.asset) + "'" + x.text + "'" +
               (x.title.empty() ? "" : "|" + x.title);
    case InlineKind::LineBreak:
        return "br";
    case InlineKind::SoftBreak:
        return "sb";
    case InlineKind::NoteRef:
        return "note";
    }
    return "?";
}

std::string dump(const std::vector<Inline>& v) {
    std::string s;
    for (const auto& x : v) {
        s += s.empty() ? "" : " "; // two appends: GCC 12 -O3 warns falsely on "a" + string
        s += dump(x);
    }
    return s;
}

std::string dump(const std::vector<Block>& v);

std::string dump(const Block& b) {
    std::string id = b.id.empty() ? "" : "#" + b.id;
    switch (b.kind) {
    case BlockKind::Paragraph:
        return "p" + id + "(" + dump(b.inlines) + ")";
    case BlockKind::Heading:
        return "h" + std::to_string(b.level) + id + "(" + dump(b.inlines) + ")";
    case BlockKind::BlockQuote:
        return "quote{" + dump(b.children) + "}";
    case BlockKind::List:
        return std::string(b.ordered ? "ol" + std::to_string(b.start) : "ul") +
               (b.tight ? "" : "-loose") + "{" + dump(b.children) + "}";
    case BlockKind::ListItem:
        return std::string("li") +
               (b.task == 1   ? "[x]"
                : b.task == 0 ? "[ ]"
                              : "") +
               "{" + dump(b.children) + "}";
    case BlockKind::CodeBlock:
        return "pre:" + b.info + "'" + b.text + "'";
    case BlockKind::ThematicBreak:
        return "hr";
    case BlockKind::Table: {
        std::string s = "table(h" + std::to_string(b.header_rows) + ",";
        for (Align a : b.aligns)
            s += a == Align::Left ? "L" : a == Align::Center ? "C" : a == Align::Right ? "R" : "-";
        s += "){";
        for (size_t r = 0; r < b.rows.size(); ++r) {
            s += r ? " [" : "[";
            for (size_t c = 0; c < b.rows[r].cells.size(); ++c) {
                s += c ? "|" : "";
                s += dump(b.rows[r].cells[c].inlines);
            }
            s += "]";
        }
        return s + "}";
    }
    case BlockKind::Figure:
        return "figure(" + dump(b.inlines) + "){" + dump(b.children) + "}";
    case BlockKind::Aside:
        return "aside:" + b.style + "{" + dump(b.children) + "}";
    case BlockKind::Details:
        return "details(" + dump(b.inlines) + "){" + dump(b.children) + "}";
    case BlockKind::Division:
        return "div:" + b.style + id + "{" + dump(b.children) + "}";
    }
    return "?";
}

std::string dump(const std::vector<Block>& v) {
    std::string s;
    for (const auto& b : v) {
        s += s.empty() ? "" : " ";
        s += dump(b);
    }
    return s;
}

// Runs the reader with a recording image resolver: "img/*.png" resolve to asset 7.
struct Harness {
    util::Diagnostics diags;
    std::vector<std::string> resolved;
    HtmlContext ctx;

    Harness() {
        ctx.pos = {"content/essay.md", 10, 1};
        ctx.diags = &diags;
        ctx.resolve_image = [this](const std::string& src, const util::SourcePos&) {
            resolved.push_back(src);
            return src.starts_with("img/") ? 7 : -1;
        };
    }
    std::string blocks(std::string_view html) { return dump(html_to_blocks(html, ctx)); }
    std::string inlines(std::string_view html) { return dump(html_to_inlines(html, ctx)); }
    std::vector<std::string> warnings() const {
        std::vector<std::string> out;
        for (const auto& d : diags.all())
            out.push_back(d.message);
        return out;
    }
    bool warned(std::string_view part) const {
        for (const auto& d : diags.all())
            if (d.message.find(part) != std::string::npos) return true;
        return false;
    }
};

// Every string in the tree (text, urls, titles) is valid XML character data.
void expect_clean(const std::vector<Inline>& v);
void expect_clean(const std::string& s) {
    EXPECT_FALSE(util::find_invalid_utf8(s).has_value()) << s;
    for (unsigned char c : s)
        EXPECT_TRUE(c >= 0x20 || c == '\t' || c == '\n') << int(c);
    EXPECT_EQ(s.find("\xEF\xBF\xBE"), std::string::npos);
    EXPECT_EQ(s.find("\xEF\xBF\xBF"), std::string::npos);
}
void expect_clean(const std::vector<Inline>& v) {
    for (const auto& x : v) {
        expect_clean(x.text);
        expect_clean(x.target.url);
        expect_clean(x.title);
        expect_clean(x.children);
    }
}
void expect_clean(const std::vector<Block>& v) {
    for (const auto& b : v) {
        expect_clean(b.inlines);
        expect_clean(b.text);
        expect_clean(b.children);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                expect_clean(c.inlines);
    }
}

int block_depth(const std::vector<Block>& v) {
    int d = 0;
    for (const auto& b : v)
        d = std::max(d, 1 + block_depth(b.children));
    return d;
}

int inline_depth(const std::vector<Inline>& v) {
    int d = 0;
    for (const auto& x : v)
        d = std::max(d, 1 + inline_depth(x.children));
    return d;
}

std::string all_text(const std::vector<Inline>& v) {
    std::string s;
    for (const auto& x : v)
        s += x.text + all_text(x.children);
    return s;
}

std::string all_text(const std::vector<Block>& v) {
    std::string s;
    for (const auto& b : v) {
        s += all_text(b.inlines) + b.text + all_text(b.children);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                s += all_text(c.inlines) + " ";
    }
    return s;
}

} // namespace

// ---- mapping ----

TEST(Html, ParagraphsAndPhrases) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>Hello <em>big</em> <strong>world</strong></p>"),
              "p('Hello ' em('big') ' ' strong('world'))");
    EXPECT_EQ(h.blocks("<p><i>i</i><cite>c</cite><dfn>d</dfn><var>v</var></p>"),
              "p(em('i') em('c') em('d') em('v'))");
    EXPECT_EQ(h.blocks("<p><b>b</b><del>d</del><s>s</s><strike>k</strike></p>"),
              "p(strong('b') del('d') del('s') del('k'))");
    EXPECT_EQ(h.blocks("<p>H<sub>2</sub>O x<sup>2</sup></p>"), "p('H' sub('2') 'O x' sup('2'))");
    EXPECT_EQ(h.blocks("<p><code>a  b</code><kbd>K</kbd><samp>S</samp><tt>T</tt></p>"),
              "p(code'a b' code'K' code'S' code'T')");
    EXPECT_EQ(h.blocks("<p><code>x<b>y</b></code></p>"), "p(code'xy')");
    EXPECT_TRUE(h.warnings().empty());
}

TEST(Html, WrappersKeepTheirChildren) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><span class=x>a</span><font color=red>b</font><small>c</small>"
                       "<mark>d</mark><u>e</u><abbr title=t>f</abbr><time>g</time>"
                       "<label>h</label><my-widget>i</my-widget><ins>j</ins></p>"),
              "p('abcdefghij')");
}

TEST(Html, LineBreakAndQuote) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>one<br>two<br/>three</p>"), "p('one' br 'two' br 'three')");
    EXPECT_EQ(h.blocks("<p>one <br> two</p>"), "p('one' br 'two')");
    EXPECT_EQ(h.blocks("<p>a</p><br><p><br></p><p>b</p>"), "p('a') p('b')");
    EXPECT_EQ(h.blocks("<p>he said <q>hi</q></p>"), "p('he said \u201Chi\u201D')");
}

TEST(Html, Headings) {
    Harness h;
    EXPECT_EQ(
        h.blocks("<h1>A</h1><h2 id=\"sec-2\">B</h2><h3 id=\"3bad\">C</h3><h4 id=\"a b\">D</h4>"
                 "<h5 id=\"x&quot;y\">E</h5><h6>F <em>G</em></h6>"),
        "h1('A') h2#sec-2('B') h3('C') h4('D') h5('E') h6('F ' em('G'))");
    EXPECT_EQ(h.blocks("<h2></h2>"), "");
}

TEST(Html, Lists) {
    Harness h;
    EXPECT_EQ(h.blocks("<ul>\n  <li>a</li>\n  <li>b <em>c</em></li>\n</ul>"),
              "ul{li{p('a')} li{p('b ' em('c'))}}");
    EXPECT_EQ(h.blocks("<ol start=\"3\"><li>x<li>y</ol>"), "ol3{li{p('x')} li{p('y')}}");
    EXPECT_EQ(h.blocks("<ol start=\"zz\"><li>x</ol>"), "ol1{li{p('x')}}");
    EXPECT_EQ(h.blocks("<ul><li><p>a</p><p>b</p></li></ul>"), "ul-loose{li{p('a') p('b')}}");
    EXPECT_EQ(h.blocks("<ul><li>a<ul><li>b</li></ul></li></ul>"), "ul{li{p('a') ul{li{p('b')}}}}");
    // goldmark's task lists: the checkbox is the item's state, not a dropped form control.
    EXPECT_EQ(h.blocks("<ul><li><input type=\"checkbox\" checked disabled> done</li>"
                       "<li><input disabled type=\"checkbox\"> todo</li></ul>"),
              "ul{li[x]{p('done')} li[ ]{p('todo')}}");
    EXPECT_EQ(h.blocks("<ul><li><p><input type=checkbox checked> done</p></li></ul>"),
              "ul-loose{li[x]{p('done')}}");
    EXPECT_TRUE(h.warnings().empty());
    // Content outside any <li> joins the previous item.
    EXPECT_EQ(h.blocks("<ul><li>a</li><b>stray</b></ul>"), "ul{li{p('a') p(strong('stray'))}}");
    EXPECT_EQ(h.blocks("<ul></ul>"), "");
}

TEST(Html, BlockQuoteRuleAndDefinitions) {
    Harness h;
    EXPECT_EQ(h.blocks("<blockquote><p>q</p>tail</blockquote><hr>"), "quote{p('q') p('tail')} hr");
    EXPECT_EQ(h.blocks("<dl><dt>term</dt><dd>def</dd></dl>"),
              "div:dl{p(strong('term')) div:dd{p('def')}}");
}

TEST(Html, PreIsVerbatim) {
    Harness h;
    EXPECT_EQ(h.blocks("<pre><code class=\"language-go\">func  main() {\n\treturn &lt;-c\n}\n"
                       "</code></pre>"),
              "pre:go'func  main() {\n\treturn <-c\n}'");
    // Hugo's highlighter: spans per line, data-lang, a wrapping div.
    EXPECT_EQ(h.blocks("<div class=\"highlight\"><pre tabindex=\"0\" class=\"chroma\"><code "
                       "class=\"language-py\" data-lang=\"py\"><span class=\"line\"><span "
                       "class=\"cl\">x = 1\n</span></span><span class=\"line\">y<br>z</span>"
                       "</code></pre></div>"),
              "div:highlight{pre:py'x = 1\ny\nz'}");
    EXPECT_EQ(h.blocks("<pre class=\"lang-c\">\nint x;</pre>"), "pre:c'int x;'");
}

TEST(Html, TableWithTheadAndAlignment) {
    Harness h;
    EXPECT_EQ(h.blocks("<table>\n<thead><tr><th align=\"left\">A</th><th style=\"text-align: "
                       "right\">B</th><th>C</th></tr></thead>\n<tbody><tr><td>1</td><td>"
                       "<em>2</em></td><td style=\"TEXT-ALIGN:center\">3</td></tr>\n<tr><td>4"
                       "</td></tr></tbody></table>"),
              "table(h1,LRC){['A'|'B'|'C'] ['1'|em('2')|'3'] ['4'||]}");
}

TEST(Html, TableHeaderFromThRowAndSpans) {
    Harness h;
    EXPECT_EQ(h.blocks("<table><tr><th>A</th><th>B</th></tr><tr><td colspan=2>wide</td></tr>"
                       "<tr><td>x</td><td>y<div>z</div></td></tr></table>"),
              "table(h1,--){['A'|'B'] ['wide'|] ['x'|'y' br 'z']}");
    EXPECT_EQ(h.blocks("<table><tr><th>A</th><td>B</td></tr></table>"), "table(h0,--){['A'|'B']}");
    EXPECT_EQ(h.blocks("<table><caption>Cap</caption><tr><td>x</td></tr></table>"),
              "figure('Cap'){table(h0,-){['x']}}");
    EXPECT_EQ(h.blocks("<table></table>"), "");
    // A hostile colspan is bounded.
    auto blocks = html_to_blocks("<table><tr><td colspan=99999999>x</td></tr></table>", h.ctx);
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_LE(blocks[0].rows[0].cells.size(), 1000u);
}

TEST(Html, FigureAndImages) {
    Harness h;
    EXPECT_EQ(h.blocks("<figure><img src=\"img/a.png\" alt=\"An A\" title=\"T\">"
                       "<figcaption>The <em>A</em></figcaption></figure>"),
              "figure('The ' em('A')){p(img#7'An A'|T)}");
    EXPECT_EQ(h.resolved, std::vector<std::string>{"img/a.png"});
    // Unresolved: the callback warned; the alt text stays.
    EXPECT_EQ(h.blocks("<p>see <img src=\"missing.png\" alt=\"chart\"></p>"), "p('see chart')");
    EXPECT_EQ(h.blocks("<img src=\"img/b.png\">"), "p(img#7'')");
    EXPECT_TRUE(h.warnings().empty());
}

TEST(Html, RemoteImagesAreNeverFetched) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><img src=\"https://example.com/x.png\" alt=\"X\"></p>"),
              "p(a<https://example.com/x.png>('X'))");
    EXPECT_EQ(h.blocks("<img src=\"//cdn.example.com/y.png\">"),
              "p(a<https://cdn.example.com/y.png>('https://cdn.example.com/y.png'))");
    EXPECT_EQ(h.blocks("<img src=\"HTTP://example.com/z.png\" alt=\"Z\">"),
              "p(a<HTTP://example.com/z.png>('Z'))");
    EXPECT_TRUE(h.resolved.empty());
    auto w = h.warnings();
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0], "remote image not fetched: https://example.com/x.png");
}

TEST(Html, LinksKeepTheirHrefAsWritten) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><a href=\"other.md#x\" title=\"t\">go <b>there</b></a> "
                       "<a href=\"https://e.org/?a=1&amp;b=2\">e</a> <a name=\"anchor\">here</a>"
                       " <a href=\"mailto:a@b.c\">mail</a></p>"),
              "p(a<other.md#x|t>('go ' strong('there')) ' ' a<https://e.org/?a=1&b=2>('e') ' here "
              "' a<mailto:a@b.c>('mail'))");
    EXPECT_EQ(h.blocks("<p><a href=\"x\"></a>y<a href=\"\">z</a></p>"), "p('yz')");
    // An image link inside a link would nest links: its text only.
    EXPECT_EQ(h.blocks("<a href=\"a.md\"><img src=\"https://e.com/i.png\" alt=\"i\"></a>"),
              "p(a<a.md>('i'))");
    EXPECT_EQ(h.blocks("<a href=\"a.md\"><img src=\"img/i.png\" alt=\"i\"></a>"),
              "p(a<a.md>(img#7'i'))");
}

TEST(Html, DivisionsAndSectioning) {
    Harness h;
    EXPECT_EQ(h.blocks("<div class=\"columns  two\" id=\"c1\"><p>a</p></div><section>s</section>"
                       "<div></div><div class=\"x\"> </div>"),
              "div:columns two#c1{p('a')} div:section{p('s')}");
    EXPECT_EQ(h.blocks("<article><header><h2>T</h2></header><main><p>m</p></main><nav>n</nav>"
                       "<footer>f</footer></article>"),
              "h2('T') p('m') p('n') p('f')");
    EXPECT_EQ(h.blocks("<div class=\"a<b>c\" >x</div>"), "div:abc{p('x')}");
}

TEST(Html, DetailsAndAside) {
    Harness h;
    EXPECT_EQ(h.blocks("<details><summary>More <em>info</em></summary><p>hidden</p></details>"),
              "details('More ' em('info')){p('hidden')}");
    EXPECT_EQ(h.blocks("<details>only</details>"), "details(){p('only')}");
    EXPECT_EQ(h.blocks("<aside class=\"hint warning\"><p>careful</p></aside><aside>n</aside>"),
              "aside:warning{p('careful')} aside:{p('n')}");
}

TEST(Html, InlineContentAtBlockLevelIsWrapped) {
    Harness h;
    EXPECT_EQ(h.blocks("Hello <b>x</b><div>y</div>tail <img src=img/t.png alt=t>"),
              "p('Hello ' strong('x')) div:div{p('y')} p('tail ' img#7't')");
    EXPECT_EQ(h.blocks("  \n  "), "");
    EXPECT_EQ(h.blocks(""), "");
    EXPECT_EQ(h.blocks("<span><p>in span</p></span>"), "p('in span')");
}

TEST(Html, InlinesFlattenBlocks) {
    Harness h;
    EXPECT_EQ(h.inlines("a<div>b</div>c"), "'a' br 'b' br 'c'");
    EXPECT_EQ(h.inlines("<p>one</p><p>two</p>"), "'one' br 'two'");
    // The break after a block may land inside the inline around it: it renders the same.
    EXPECT_EQ(h.inlines("<em>a<div>b</div></em>c"), "em('a' br 'b' br) 'c'");
    EXPECT_EQ(h.inlines("x<ul><li>1</li><li>2</li></ul>"), "'x' br '1' br '2'");
    EXPECT_EQ(h.inlines("<pre>a\n  b</pre>"), "code'a' br code'b'");
    EXPECT_EQ(h.inlines("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>"),
              "'1 2' br '3'");
    EXPECT_EQ(h.inlines("  Hello <span class=\"x\">*world*</span>  "), "'Hello *world*'");
    EXPECT_EQ(h.inlines("<br>x<br>"), "br 'x' br");
}

TEST(Html, WhitespaceCollapsesAsInABrowser) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>  a \n\t b   <em> c </em> d </p>"), "p('a b ' em('c ') 'd')");
    EXPECT_EQ(h.blocks("<p>a<em> </em>b</p>"), "p('a' em(' ') 'b')");
    EXPECT_EQ(h.blocks("<p>a <em> </em>b</p>"), "p('a b')");
    EXPECT_EQ(h.blocks("<p>x <code> y </code> z</p>"), "p('x ' code'y ' 'z')");
    EXPECT_EQ(h.inlines("a\nb\r\nc"), "'a b c'");
}

TEST(Html, EntitiesAreDecoded) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>&amp; &lt;&gt; a&nbsp;b &eacute;t&eacute; &#x263A; &#233; &copy</p>"),
              "p('& <> a\u00A0b \u00E9t\u00E9 \u263A \u00E9 \u00A9')");
    EXPECT_EQ(h.inlines("&nbsp;x&nbsp;"), "'\u00A0x\u00A0'");
}

// ---- sanitising ----

TEST(Html, ScriptsAndEmbedsAreDroppedWithTheirContent) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>a<script>alert('x')</script>b</p><script src=x.js></script>"
                       "<style>p{color:red}</style><iframe src=\"https://e.com\">fallback</iframe>"
                       "<object data=x><p>alt</p></object><embed src=x><noscript>ns</noscript>"),
              "p('ab')");
    auto w = h.warnings();
    std::vector<std::string> expected = {"dropped <script> element", "dropped <style> element",
                                         "dropped <iframe> element", "dropped <object> element",
                                         "dropped <embed> element",  "dropped <noscript> element"};
    EXPECT_EQ(w, expected); // one warning per element kind
    for (const auto& d : h.diags.all())
        EXPECT_EQ(d.pos.file, "content/essay.md");
}

TEST(Html, FormsAndMediaAreDropped) {
    Harness h;
    std::string out = h.blocks(
        "<form action=\"/x\"><input name=q><button>Go</button><select><option>1</option></select>"
        "<textarea>t</textarea></form><button onclick=\"copy()\">Copy</button><p>kept</p>"
        "<video src=v.mp4><source src=v.webm><track src=t.vtt>no video</video>"
        "<audio src=a.mp3>no audio</audio><canvas>c</canvas><template><p>t</p></template>"
        "<link rel=stylesheet href=x.css><meta charset=utf-8><base href=\"https://evil/\">"
        "<applet>ap</applet>");
    EXPECT_EQ(out, "p('kept')");
    for (const char* tag : {"form", "button", "video", "audio", "canvas", "template", "link",
                            "meta", "base", "applet"})
        EXPECT_TRUE(h.warned(std::string("dropped <") + tag + "> element")) << tag;
}

TEST(Html, EventHandlersAreDropped) {
    Harness h;
    EXPECT_EQ(h.blocks("<p onclick=\"evil()\" onmouseover=\"x()\">hi <b ONCLICK=y>b</b></p>"),
              "p('hi ' strong('b'))");
    EXPECT_TRUE(h.warned("dropped event handler attribute onclick"));
    EXPECT_TRUE(h.warned("dropped event handler attribute onmouseover"));
    EXPECT_EQ(h.warnings().size(), 2u);
}

TEST(Html, UnsafeLinksBecomeText) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><a href=\"javascript:alert(1)\">click</a></p>"), "p('click')");
    EXPECT_TRUE(h.warned("dropped javascript: link"));
    // Obfuscations a browser would still run.
    EXPECT_EQ(h.inlines("<a href=\" JaVa\tScRiPt:x\">a</a><a href=\"&#106;avascript:x\">b</a>"
                        "<a href=\"java&#x0A;script:x\">c</a><a href=\"vbscript:x\">d</a>"
                        "<a href=\"data:text/html,<script>x</script>\">e</a>"
                        "<a href=\"\x01javascript:x\">f</a>"),
              "'abcdef'");
    EXPECT_TRUE(unsafe_url("JAVASCRIPT:x"));
    EXPECT_TRUE(unsafe_url(" \tjava\nscript:x"));
    EXPECT_TRUE(unsafe_url("data:image/png;base64,AAAA"));
    EXPECT_FALSE(unsafe_url("https://example.com/javascript:x"));
    EXPECT_FALSE(unsafe_url("notes/data:1.md"));
    EXPECT_FALSE(unsafe_url("#javascript"));
}

TEST(Html, DataImagesAreNotEmbedded) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\"></p>"),
              "p('dot')");
    EXPECT_TRUE(h.warned("dropped image with a data: URL"));
    EXPECT_TRUE(h.resolved.empty());
}

TEST(Html, SvgAndMathAreLeftOut) {
    Harness h;
    EXPECT_EQ(h.blocks("<p>a<svg viewBox=\"0 0 1 1\"><circle r=1 /><text>t</text></svg>b</p>"
                       "<math><mi>x</mi></math>"),
              "p('ab')");
    EXPECT_TRUE(h.warned("inline <svg> left out"));
    EXPECT_TRUE(h.warned("inline <math> left out"));
}

TEST(Html, CommentsGoSilentlyAndUnknownElementsKeepChildren) {
    Harness h;
    EXPECT_EQ(h.blocks("<!-- note --><p>a<!-- x -->b</p><custom-box><p>c</p></custom-box>"
                       "<!DOCTYPE html><?php echo 1 ?>"),
              "p('ab') p('c')");
    EXPECT_TRUE(h.warnings().empty());
}

TEST(Html, RawTextElementsLoseTheirContent) {
    Harness h;
    EXPECT_EQ(h.blocks("<title>T</title><textarea><p>x</p></textarea><xmp><b>raw</b></xmp>"),
              "pre:'<b>raw</b>'");
}

TEST(Html, BrokenMarkupIsRepaired) {
    Harness h;
    EXPECT_EQ(h.blocks("<p><b><i>x</b>y</p>"), "p(strong(em('x')) em('y'))");
    EXPECT_EQ(h.blocks("<p>a<p>b"), "p('a') p('b')");
    EXPECT_EQ(h.blocks("<ul><li>a<li>b"), "ul{li{p('a')} li{p('b')}}");
    EXPECT_EQ(h.blocks("</div></p>x</b>"), "p('x')");
    EXPECT_EQ(h.blocks("<p>unclosed <em>emph"), "p('unclosed ' em('emph'))");
    EXPECT_EQ(h.inlines("<a href=a>one<a href=b>two</a>"), "a<a>('one') a<b>('two')");
}

TEST(Html, ControlCharactersAndBadBytes) {
    Harness h;
    const char raw[] = "<p>a\0b\x01\x0B"
                       "c\xEF\xBF\xBF"
                       "d\xEF\xBF\xBE</p>";
    std::string nul(raw, sizeof raw - 1);
    auto blocks = html_to_blocks(nul, h.ctx);
    expect_clean(blocks);
    EXPECT_EQ(dump(blocks), "p('abcd')");
    auto bad = html_to_blocks("<p>caf\xE9 \xC3\x28 ok \xF0\x9F\x98</p>", h.ctx);
    expect_clean(bad);
    std::string text = all_text(bad);
    EXPECT_NE(text.find("caf\uFFFD"), std::string::npos) << text;
    EXPECT_NE(text.find(" ok "), std::string::npos);
    EXPECT_EQ(h.inlines("x&#1;&#0;&#xFFFF;&#x0B;y"), "'x\uFFFDy'"); // NUL is U+FFFD
    auto attrs = html_to_inlines("<a href=\"x\x01y\xFF\" title=\"\x02t\">l</a>", h.ctx);
    expect_clean(attrs);
}

TEST(Html, WarningsCarryTheLine) {
    Harness h;
    auto blocks = html_to_blocks("<div>\n<p>a</p>\n\n<script>x</script>\n<p>b</p></div>", h.ctx);
    ASSERT_EQ(h.diags.all().size(), 1u);
    EXPECT_EQ(h.diags.all()[0].pos.line, 13);
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].line, 10);
    ASSERT_EQ(blocks[0].children.size(), 2u);
    EXPECT_EQ(blocks[0].children[1].line, 14);
}

// ---- hostile sizes ----

TEST(Html, TenThousandNestedDivsStayBounded) {
    Harness h;
    std::string html;
    for (int i = 0; i < 10000; ++i)
        html += "<div>";
    html += "deep <b>text</b>";
    for (int i = 0; i < 10000; ++i)
        html += "</div>";
    html += "<p>after</p>";
    auto blocks = html_to_blocks(html, h.ctx);
    EXPECT_LE(block_depth(blocks), kHtmlMaxDepth + 1);
    std::string text = all_text(blocks);
    EXPECT_NE(text.find("deep text"), std::string::npos);
    EXPECT_NE(text.find("after"), std::string::npos);
    EXPECT_TRUE(h.warned("nested"));
}

TEST(Html, DeepNestingIsFastAndKeepsSanitising) {
    Harness h;
    std::string html;
    for (int i = 0; i < 60000; ++i)
        html += i % 2 ? "<div>" : "<span>";
    html += "<script>alert(1)</script><svg><text>s</text></svg><iframe>f</iframe>x";
    auto start = std::chrono::steady_clock::now();
    auto blocks = html_to_blocks(html, h.ctx);
    auto inl = html_to_inlines(html, h.ctx);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(secs, 5.0); // unbounded, gumbo takes minutes here
    std::string text = all_text(blocks) + all_text(inl);
    EXPECT_EQ(text.find("alert"), std::string::npos) << text;
    EXPECT_EQ(text.find("f"), std::string::npos);
    EXPECT_NE(text.find("x"), std::string::npos);
    EXPECT_LE(inline_depth(inl), kHtmlMaxDepth + 1);
}

TEST(Html, DeepInlineNesting) {
    Harness h;
    std::string html;
    for (int i = 0; i < 10000; ++i)
        html += "<b>";
    html += "x";
    auto inl = html_to_inlines(html, h.ctx);
    EXPECT_LE(inline_depth(inl), kHtmlMaxDepth + 1);
    EXPECT_EQ(all_text(inl), "x");
    std::string tables;
    for (int i = 0; i < 3000; ++i)
        tables += "<table><tr><td>";
    tables += "cell";
    auto blocks = html_to_blocks(tables, h.ctx);
    EXPECT_NE(all_text(blocks).find("cell"), std::string::npos);
}

TEST(Html, MegabyteTextNode) {
    Harness h;
    std::string big(1 << 20, 'x');
    auto blocks = html_to_blocks("<p>" + big + "</p>", h.ctx);
    ASSERT_EQ(blocks.size(), 1u);
    ASSERT_EQ(blocks[0].inlines.size(), 1u);
    EXPECT_EQ(blocks[0].inlines[0].text.size(), big.size());
    std::string spaced;
    for (int i = 0; i < 200000; ++i)
        spaced += "word \n ";
    auto inl = html_to_inlines(spaced, h.ctx);
    ASSERT_EQ(inl.size(), 1u);
    EXPECT_EQ(inl[0].text.size(), 200000u * 5 - 1);
}

// End-to-end tests of the PDF backend: a book built in code is written to a PDF and checked with
// qpdf, pdffonts, pdftotext, pdftoppm and qpdf --json (outline, links, page labels).
#include "doc/position.h"
#include "pdf/pdf.h"

#include "support/support.h"
#include "util/diag.h"

#include <gtest/gtest.h>
#include <png.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <variant>

namespace pdf_test {

namespace fs = std::filesystem;
using namespace imprenta;

inline doc::Inline txt(const std::string& s) {
    doc::Inline i;
    i.text = s;
    return i;
}
inline doc::Inline wrap(doc::InlineKind k, std::vector<doc::Inline> children) {
    doc::Inline i;
    i.kind = k;
    i.children = std::move(children);
    return i;
}
inline doc::Inline code(const std::string& s) {
    doc::Inline i;
    i.kind = doc::InlineKind::Code;
    i.text = s;
    return i;
}
inline doc::Inline url_link(const std::string& url, std::vector<doc::Inline> children) {
    doc::Inline i = wrap(doc::InlineKind::Link, std::move(children));
    i.target.url = url;
    return i;
}
inline doc::Inline chapter_link(int chapter, const std::string& anchor,
                                std::vector<doc::Inline> children) {
    doc::Inline i = wrap(doc::InlineKind::Link, std::move(children));
    i.target.chapter = chapter;
    i.target.anchor = anchor;
    return i;
}
inline doc::Inline note_ref(int note, const std::string& number) {
    doc::Inline i;
    i.kind = doc::InlineKind::NoteRef;
    i.note = note;
    i.text = number;
    return i;
}
inline doc::Inline image(int asset, const std::string& alt) {
    doc::Inline i;
    i.kind = doc::InlineKind::Image;
    i.asset = asset;
    i.text = alt;
    return i;
}
inline doc::Block para(std::vector<doc::Inline> inlines) {
    doc::Block b;
    b.kind = doc::BlockKind::Paragraph;
    b.inlines = std::move(inlines);
    return b;
}
inline doc::Block para(const std::string& s) {
    return para(std::vector<doc::Inline>{txt(s)});
}
inline doc::Block heading(int level, const std::string& s, const std::string& id) {
    doc::Block b;
    b.kind = doc::BlockKind::Heading;
    b.level = level;
    b.inlines = {txt(s)};
    b.id = id;
    return b;
}
inline doc::Block item(std::vector<doc::Block> children, int task = -1) {
    doc::Block b;
    b.kind = doc::BlockKind::ListItem;
    b.children = std::move(children);
    b.task = task;
    return b;
}
inline doc::Block list(std::vector<doc::Block> items, bool ordered = false) {
    doc::Block b;
    b.kind = doc::BlockKind::List;
    b.ordered = ordered;
    b.children = std::move(items);
    return b;
}

inline doc::Chapter chapter(const std::string& title, const std::string& lang,
                            std::vector<doc::Block> blocks) {
    doc::Chapter c;
    c.title = title;
    c.title_inlines = {txt(title)};
    c.lang = lang;
    c.slug = title;
    c.source = "content/" + title + ".md";
    c.blocks = std::move(blocks);
    return c;
}

// The Spanish paragraphs, in order, as plain text (what pdftotext must give back).
inline std::vector<std::string> spanish_paragraphs() {
    return {
        "La imprenta no fue solamente una máquina: fue una manera nueva de ordenar el "
        "pensamiento. Antes de Gutenberg, cada copia de un libro era un acontecimiento "
        "irrepetible, fruto de meses de trabajo paciente en un escritorio silencioso; después, la "
        "página impresa se volvió reproducible, comparable y, sobre todo, discutible. «¿Qué "
        "significa leer cuando todos los lectores tienen delante exactamente el mismo texto?», se "
        "preguntaba un historiador contemporáneo. La respuesta, todavía hoy, sigue abierta.",
        "Los tipógrafos del siglo dieciséis descubrieron pronto que la composición justificada "
        "exigía decisiones minuciosas. Una línea demasiado apretada resultaba ilegible; una línea "
        "demasiado holgada dejaba ríos blancos que atravesaban la página de arriba abajo. Por eso "
        "dividían las palabras al final del renglón —con guiones discretos— y ajustaban los "
        "espacios entre ellas con una paciencia casi artesanal. ¡Cuánta sabiduría acumulada en "
        "gestos tan pequeños!",
        "En los talleres de Venecia, Amberes y Salamanca se imprimían gramáticas, devocionarios, "
        "tratados de anatomía y relaciones de viajes a las Indias. El papel llegaba en resmas "
        "desde molinos lejanos, la tinta se preparaba con hollín y aceite de linaza, y los "
        "componedores trabajaban de pie durante jornadas interminables. Cada pliego pasaba por "
        "las manos del corrector, que anotaba en los márgenes las erratas con signos que todavía "
        "reconocemos.",
        "“La lectura silenciosa”, escribió alguien, “es una conversación con los muertos”. Quizá "
        "exageraba, pero no del todo: cuando abrimos un libro antiguo oímos voces que ya no "
        "existen, y esas voces nos llegan ordenadas por la disciplina invisible de la "
        "tipografía. La anchura de la columna, el interlineado, los márgenes generosos del lado "
        "del lomo: todo contribuye a que el ojo avance sin fatiga por la página.",
        "El algoritmo de Knuth y Plass considera el párrafo entero antes de decidir dónde termina "
        "cada línea. En lugar de llenar los renglones uno a uno, como hace un procesador de "
        "textos corriente, evalúa miles de combinaciones posibles y elige la que minimiza una "
        "medida global de fealdad. El resultado es una textura uniforme, sin huecos llamativos, "
        "que el lector percibe sin saber explicar por qué.",
    };
}

inline const char* kNoteParagraphStart =
    "La llegada de la composición mecánica, primero con la linotipia y después con la "
    "fotocomposición, transformó el oficio por completo.";
inline const char* kNoteParagraphEnd =
    " Las decisiones que antes tomaba un artesano pasaron a depender de algoritmos cada vez más "
    "sofisticados, hasta que Donald Knuth, insatisfecho con la calidad de las pruebas de su "
    "propia obra, decidió escribir un programa capaz de componer páginas tan bellas como las de "
    "los mejores impresores.";
inline const char* kNoteText =
    "Sobre la linotipia y su influencia en la prensa diaria existe una bibliografía abundante; "
    "baste recordar que una sola máquina podía sustituir el trabajo de cinco o seis cajistas.";

inline const char* kLongCodeLine =
    "let resultado = componer_pagina(parrafos, ancho_de_linea, tolerancia, diccionario_de_"
    "guiones, margen_interior, margen_exterior); // una línea muy larga";

// Chapters: 0 part, 1 and 2 Spanish (depth 1), 3 English. Asset 0 is a PNG in `dir`.
const char* kEnglish1 =
    "Typography is the craft of endowing human language with a durable visual form. A well-set "
    "page invites the reader in; a badly set one pushes the reader away before a single sentence "
    "has been understood. The difference often lies in details that nobody notices consciously: "
    "the evenness of the spacing, the rhythm of the lines, the way a paragraph ends.";
const char* kEnglish2 =
    "This chapter exercises the rest of the machinery: lists, a table, a block of code with a "
    "very long line, a quotation, images, a footnote, and links back to the first chapter. None "
    "of it should ever run past the margin, and all of it should survive a page break.";

doc::Book sample_book(const fs::path& dir) {
    doc::Book book;
    book.root = dir;
    book.meta.title = "Tipografía y lectura";
    book.meta.subtitle = "Ensayos sobre la página impresa";
    book.meta.authors = {"Ana Pérez", "Luis Núñez"};
    book.meta.language = "es";
    book.meta.description = "Ensayos de prueba sobre la composición de libros";
    book.meta.rights = "© 2024 Ana Pérez";
    book.meta.publisher = "Ediciones de Prueba";
    book.meta.modified = 1700000000;

    auto add_asset = [&](const std::string& name, const std::string& bytes, int w, int h) {
        testing_support::write(dir / name, bytes);
        doc::Asset a;
        a.source = dir / name;
        a.source_display = name;
        a.name = "img/" + name;
        a.width = w;
        a.height = h;
        a.format = "png";
        book.assets.push_back(a);
    };
    add_asset("azul.png", testing_support::make_png(600, 300, 0x336699), 600, 300);
    add_asset("alfa.png", testing_support::make_png(200, 200, 0xcc3300, true), 200, 200);
    add_asset("roto.png", "not a png at all", 10, 10);

    auto sp = spanish_paragraphs();
    doc::Chapter part =
        chapter("Primera parte", "es", {para("Una parte con una breve introducción.")});
    part.kind = doc::ChapterKind::Part;

    std::vector<doc::Block> b1;
    b1.push_back(heading(1, "La página impresa", "la-pagina-impresa"));
    b1.push_back(para(sp[0]));
    b1.push_back(para(sp[1]));
    b1.push_back(heading(2, "Talleres y correctores", "talleres"));
    b1.push_back(para(sp[2]));
    b1.push_back(para(sp[3]));
    b1.push_back(para({txt(kNoteParagraphStart), note_ref(0, "1"), txt(kNoteParagraphEnd)}));
    b1.push_back(para(sp[4]));
    doc::Chapter ch1 = chapter("La página impresa", "es", b1);
    ch1.depth = 1;
    doc::Note note;
    note.label = "1";
    note.id = "fn-1";
    note.ref_id = "fnref-1";
    note.blocks = {para(kNoteText)};
    ch1.notes.push_back(note);

    std::vector<doc::Block> b2;
    for (int round = 0; round < 3; ++round) {
        b2.push_back(
            heading(2, "Sección " + std::to_string(round + 1), "s" + std::to_string(round)));
        for (const auto& p : sp)
            b2.push_back(para(p));
    }
    doc::Chapter ch2 = chapter("El oficio del cajista", "es", b2);
    ch2.depth = 1;
    ch2.banner = 0;

    std::vector<doc::Block> b3;
    b3.push_back(para({txt("Typography is the craft of endowing human language with a "),
                       wrap(doc::InlineKind::Emphasis, {txt("durable")}), txt(" visual form. A "),
                       wrap(doc::InlineKind::Strong, {txt("well-set")}),
                       txt(" page invites the reader in; a badly set one pushes the reader away "
                           "before a single sentence has been understood. The difference often "
                           "lies in details that nobody notices consciously: the evenness of the "
                           "spacing, the rhythm of the lines, the way a paragraph ends.")}));
    b3.push_back(para({txt("Code such as "), code("break_lines()"), txt(" lives at "),
                       url_link("https://example.org/typesetting/knuth-plass?lang=en",
                                {txt("https://example.org/typesetting/knuth-plass?lang=en")}),
                       txt("; water is H"), wrap(doc::InlineKind::Subscript, {txt("2")}),
                       txt("O, the area is m"), wrap(doc::InlineKind::Superscript, {txt("2")}),
                       txt(", and "), wrap(doc::InlineKind::Strikethrough, {txt("wrong")}),
                       txt(" right. See "), chapter_link(1, "talleres", {txt("the workshops")}),
                       txt(" in the first chapter."), note_ref(0, "1")}));
    {
        doc::Block nested = list({item({para("Nested one")}), item({para("Nested two")})});
        b3.push_back(list({item({para("First bullet"), nested}), item({para("Second bullet")})}));
        b3.push_back(list({item({para("Step one")}), item({para("Step two")})}, true));
        b3.push_back(list({item({para("Done task")}, 1), item({para("Open task")}, 0)}));
    }
    {
        doc::Block t;
        t.kind = doc::BlockKind::Table;
        t.header_rows = 1;
        t.aligns = {doc::Align::Left, doc::Align::Center, doc::Align::Right};
        auto row = [](std::vector<std::string> cells) {
            doc::TableRow r;
            for (auto& c : cells)
                r.cells.push_back({{txt(c)}});
            return r;
        };
        t.rows = {row({"Typeface", "Year", "Designer"}),
                  row({"Garamond", "1530", "Claude Garamond"}),
                  row({"Baskerville", "1757", "John Baskerville"}),
                  row({"Times New Roman", "1932", "Stanley Morison and Victor Lardent"})};
        b3.push_back(t);
    }
    {
        doc::Block c;
        c.kind = doc::BlockKind::CodeBlock;
        c.text = std::string("fn main() {\n\tprintln!(\"hola\");\n    ") + kLongCodeLine + "\n}";
        b3.push_back(c);
    }
    {
        doc::Block q;
        q.kind = doc::BlockKind::BlockQuote;
        q.children = {para("A quotation is set apart from the text around it, indented on both "
                           "sides, so the reader hears another voice.")};
        b3.push_back(q);
    }
    b3.push_back(para({image(0, "A blue rectangle")}));
    {
        doc::Block f;
        f.kind = doc::BlockKind::Figure;
        f.inlines = {txt("A translucent square with a caption")};
        f.children = {para({image(1, "square")})};
        b3.push_back(f);
    }
    b3.push_back(para({image(2, "broken")}));
    {
        doc::Block hr;
        hr.kind = doc::BlockKind::ThematicBreak;
        b3.push_back(hr);
    }
    {
        doc::Block a;
        a.kind = doc::BlockKind::Aside;
        a.style = "warning";
        a.inlines = {txt("Mind the margins")};
        a.children = {para("Nothing may stick out of the text block, not even a long address.")};
        b3.push_back(a);
        doc::Block d;
        d.kind = doc::BlockKind::Details;
        d.inlines = {txt("More details")};
        d.children = {para("Details are set as a bold title followed by their content.")};
        b3.push_back(d);
    }
    b3.push_back(para(kEnglish2));
    doc::Chapter ch3 = chapter("On Typography", "en", b3);
    doc::Note n3;
    n3.label = "1";
    n3.id = "fn-1";
    n3.ref_id = "fnref-1";
    n3.blocks = {para("An English footnote.")};
    ch3.notes.push_back(n3);

    book.chapters = {part, ch1, ch2, ch3};
    return book;
}

} // namespace pdf_test

using namespace pdf_test;
namespace ts = testing_support;

namespace {

// ---- a minimal JSON reader for qpdf --json ----
struct Json {
    enum class T { Null, Bool, Num, Str, Arr, Obj } t = T::Null;
    bool b = false;
    double num = 0;
    std::string str;
    std::vector<Json> arr;
    std::map<std::string, Json> obj;
    const Json& operator[](const std::string& k) const {
        static const Json null;
        auto it = obj.find(k);
        return it == obj.end() ? null : it->second;
    }
};

class JsonReader {
public:
    explicit JsonReader(const std::string& s) : s_(s) {}
    Json parse() {
        Json j = value();
        ws();
        return j;
    }

private:
    const std::string& s_;
    size_t i_ = 0;
    void ws() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
            ++i_;
    }
    static void put(std::string& out, unsigned cp) {
        if (cp < 0x80)
            out += char(cp);
        else if (cp < 0x800)
            out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
        else if (cp < 0x10000)
            out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)),
                out += char(0x80 | (cp & 0x3F));
        else
            out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F)),
                out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
    }
    std::string string() {
        std::string out;
        ++i_; // "
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            char e = s_[i_++];
            switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
                i_ += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
                    unsigned lo = std::stoul(s_.substr(i_ + 2, 4), nullptr, 16);
                    i_ += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                put(out, cp);
                break;
            }
            default:
                out += e;
            }
        }
        ++i_;
        return out;
    }
    Json value() {
        ws();
        Json j;
        char c = s_[i_];
        if (c == '{') {
            j.t = Json::T::Obj;
            ++i_;
            ws();
            while (s_[i_] != '}') {
                std::string k = string();
                ws();
                ++i_; // :
                j.obj[k] = value();
                ws();
                if (s_[i_] == ',') ++i_, ws();
            }
            ++i_;
        } else if (c == '[') {
            j.t = Json::T::Arr;
            ++i_;
            ws();
            while (s_[i_] != ']') {
                j.arr.push_back(value());
                ws();
                if (s_[i_] == ',') ++i_, ws();
            }
            ++i_;
        } else if (c == '"') {
            j.t = Json::T::Str;
            j.str = string();
        } else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 5, "false") == 0) {
            j.t = Json::T::Bool;
            j.b = c == 't';
            i_ += j.b ? 4 : 5;
        } else if (s_.compare(i_, 4, "null") == 0) {
            i_ += 4;
        } else {
            j.t = Json::T::Num;
            size_t used = 0;
            j.num = std::stod(s_.substr(i_, 40), &used);
            i_ += used;
        }
        return j;
    }
};

Json qpdf_json(const fs::path& pdf, const std::string& keys) {
    auto r = ts::run("qpdf --json=2 " + keys + " " + ts::quote(pdf.string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return JsonReader(r.out).parse();
}

// ---- word boxes from pdftotext -bbox-layout ----
struct TextLine {
    double x_min, y_min, x_max, y_max;
    std::vector<std::string> words;
};
struct TextPage {
    double width = 0, height = 0;
    std::vector<TextLine> lines;
};

std::string unescape_xml(std::string s) {
    const std::pair<const char*, const char*> ents[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                        {"&quot;", "\""}, {"&apos;", "'"},
                                                        {"&#39;", "'"},   {"&amp;", "&"}};
    for (const auto& [from, to] : ents) {
        size_t p = 0;
        while ((p = s.find(from, p)) != std::string::npos) {
            s.replace(p, std::strlen(from), to);
            p += std::strlen(to);
        }
    }
    return s;
}

std::vector<TextPage> text_boxes(const fs::path& pdf) {
    std::string xml = ts::pdftotext(pdf, "-bbox-layout");
    std::vector<TextPage> pages;
    std::regex page_re(R"re(<page width="([\d.]+)" height="([\d.]+)">)re");
    std::regex line_re(
        R"re(<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">)re");
    std::regex word_re(R"re(<word [^>]*>([^<]*)</word>)re");
    std::istringstream in(xml);
    std::string l;
    std::smatch m;
    while (std::getline(in, l)) {
        if (std::regex_search(l, m, page_re)) {
            pages.push_back({std::stod(m[1]), std::stod(m[2]), {}});
        } else if (std::regex_search(l, m, line_re) && !pages.empty()) {
            pages.back().lines.push_back(
                {std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), {}});
        } else if (std::regex_search(l, m, word_re) && !pages.empty() &&
                   !pages.back().lines.empty()) {
            pages.back().lines.back().words.push_back(unescape_xml(m[1]));
        }
    }
    return pages;
}

// Whitespace collapsed, hyphenated line ends rejoined.
std::string normalise(const std::string& text) {
    std::string joined;
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) {
        // Running heads and folios sit between the halves of a word hyphenated across a page.
        std::string bare = line;
        while (!bare.empty() && (bare.back() == ' ' || bare.back() == '\f'))
            bare.pop_back();
        while (!bare.empty() && bare.front() == '\f')
            bare.erase(0, 1);
        if (bare.empty() || bare == "El oficio del cajista" || bare == "Tipografía y lectura" ||
            bare == "La página impresa" ||
            bare.find_first_not_of("0123456789ivxlc") == std::string::npos)
            continue;
        lines.push_back(line);
    }
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string l = lines[i];
        while (!l.empty() && (l.back() == ' ' || l.back() == '\f'))
            l.pop_back();
        bool hyphen = l.size() >= 2 && l.back() == '-' &&
                      std::isalpha(static_cast<unsigned char>(l[l.size() - 2]));
        bool hyphen_utf8 = l.size() >= 3 && l.back() == '-' &&
                           (static_cast<unsigned char>(l[l.size() - 2]) & 0x80);
        if (hyphen || hyphen_utf8) {
            l.pop_back();
            joined += l;
        } else {
            joined += l + " ";
        }
    }
    std::string out;
    for (char c : joined) {
        if (c == '\f' || c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += c;
    }
    return out;
}

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> w;
    std::istringstream in(s);
    std::string t;
    while (in >> t)
        w.push_back(t);
    return w;
}

// Finds `para`'s words in `doc` from `from` on, in order, allowing a few interruptions (running
// heads, folios, footnotes at a page foot). Returns the index after the match or npos.
size_t find_words(const std::vector<std::string>& doc, const std::vector<std::string>& para,
                  size_t from) {
    for (size_t start = from; start < doc.size(); ++start) {
        if (doc[start] != para[0]) continue;
        size_t d = start + 1, gaps = 0;
        size_t k = 1;
        for (; k < para.size() && d < doc.size(); ++k) {
            size_t skipped = 0;
            while (d < doc.size() && doc[d] != para[k] && skipped < 80)
                ++d, ++skipped;
            if (d >= doc.size() || doc[d] != para[k]) break;
            if (skipped > 0 && ++gaps > 3) break;
            ++d;
        }
        if (k == para.size()) return d;
    }
    return std::string::npos;
}

size_t non_white_pixels(const fs::path& png_path) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, png_path.c_str())) return 0;
    img.format = PNG_FORMAT_GRAY;
    std::vector<unsigned char> buf(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, nullptr, buf.data(), 0, nullptr)) return 0;
    return size_t(std::count_if(buf.begin(), buf.end(), [](unsigned char v) { return v < 200; }));
}

struct Built {
    fs::path dir, pdf;
    std::vector<imprenta::pdf::PageStart> map;
    std::vector<imprenta::util::Diagnostic> diags;
};

// The sample book is written once and shared by the checks that only read it.
const Built& sample() {
    static Built b = [] {
        Built r;
        r.dir = ts::fresh_dir("pdf-sample-shared");
        r.pdf = r.dir / "book.pdf";
        doc::Book book = sample_book(r.dir);
        imprenta::util::Diagnostics diags;
        r.map = imprenta::pdf::write_pdf(book, r.pdf, {}, diags);
        r.diags = diags.all();
        return r;
    }();
    return b;
}

int chapter_start_page(const std::vector<imprenta::pdf::PageStart>& map, int chapter) {
    for (const auto& p : map)
        if (p.chapter == chapter && !p.blank) return p.page;
    return -1;
}

} // namespace

TEST(PdfBook, QpdfFindsNoErrors) {
    const Built& b = sample();
    auto r = ts::qpdf_check(b.pdf);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("No syntax or stream encoding errors"), std::string::npos) << r.out;
    // poppler reads every font's ToUnicode map without complaint.
    auto text = ts::run("pdftotext " + ts::quote(b.pdf.string()) + " /dev/null");
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_EQ(text.err, "");
}

TEST(PdfBook, EveryFontIsEmbedded) {
    auto fonts = ts::pdffonts(sample().pdf);
    ASSERT_GE(fonts.size(), 3u); // regular, bold, italic at least
    for (const auto& [name, embedded] : fonts)
        EXPECT_TRUE(embedded) << name;
    // Each a subset with a ToUnicode map: pdffonts' emb, sub and uni columns all say yes.
    auto listing = ts::run("pdffonts " + ts::quote(sample().pdf.string()));
    std::istringstream lines(listing.out);
    std::string line;
    int rows = 0;
    while (std::getline(lines, line))
        if (line.find("CID TrueType") != std::string::npos ||
            line.find("CID Type 0C") != std::string::npos) {
            ++rows;
            EXPECT_NE(line.find("Identity-H       yes yes yes"), std::string::npos) << line;
        }
    EXPECT_EQ(rows, int(fonts.size()));
}

TEST(PdfBook, TextComesBackInOrderWithItsCharacters) {
    const Built& b = sample();
    auto doc = words_of(normalise(ts::pdftotext(b.pdf)));
    size_t at = 0;
    std::vector<std::string> expected = spanish_paragraphs();
    // Chapter 1: paragraphs 0, 1, 2, 3, the one with the footnote call, 4.
    std::vector<std::string> ch1 = {expected[0],
                                    expected[1],
                                    expected[2],
                                    expected[3],
                                    std::string(kNoteParagraphStart) + "1" + kNoteParagraphEnd,
                                    expected[4]};
    for (const auto& p : ch1) {
        size_t next = find_words(doc, words_of(p), at);
        ASSERT_NE(next, std::string::npos) << "paragraph missing or out of order: " << p;
        at = next;
    }
    // Chapter 2 repeats them three times under headings.
    for (int round = 0; round < 3; ++round)
        for (const auto& p : expected) {
            size_t next = find_words(doc, words_of(p), at);
            ASSERT_NE(next, std::string::npos) << "round " << round << ": " << p;
            at = next;
        }
    EXPECT_NE(find_words(doc, words_of(kEnglish2), at), std::string::npos);
    std::string all = normalise(ts::pdftotext(b.pdf));
    for (const char* s : {"«¿Qué", "texto?»", "“La lectura silenciosa”", "¡Cuánta", "—con",
                          "discretos—", "Núñez", "Índice", kNoteText})
        EXPECT_NE(all.find(s), std::string::npos) << s;
}

TEST(PdfBook, JustifiedLinesEndFlushRight) {
    const Built& b = sample();
    auto pages = text_boxes(b.pdf);
    int full = 0, flush = 0;
    for (size_t i = 0; i < pages.size(); ++i) {
        const auto& p = b.map[i];
        if (p.chapter != 1 && p.chapter != 2) continue; // the Spanish chapters: running text
        double right = 0;
        for (const auto& l : pages[i].lines)
            right = std::max(right, l.x_max);
        // The text block's edge: where most full lines end (those ending in a letter). Lines
        // ending in a hyphen or punctuation hang past it by protrusion, at most 0.7 of a
        // period or half a hyphen (under 2 pt at this size).
        std::vector<double> ends;
        for (const auto& l : pages[i].lines)
            if (l.x_max - l.x_min >= 0.6 * (right - 60) && l.words.size() >= 4)
                ends.push_back(l.x_max);
        if (ends.empty()) continue;
        std::nth_element(ends.begin(), ends.begin() + ends.size() / 2, ends.end());
        double edge = ends[ends.size() / 2];
        for (double x : ends) {
            ++full;
            if (x > edge - 0.6) ++flush;
            EXPECT_LE(x, edge + 2.0);
        }
    }
    ASSERT_GT(full, 50);
    EXPECT_GE(flush * 100, full * 60) << flush << " of " << full;
}

TEST(PdfBook, SpanishLinesAreHyphenated) {
    const Built& b = sample();
    auto pages = text_boxes(b.pdf);
    int hyphenated = 0;
    for (size_t i = 0; i < pages.size(); ++i) {
        if (b.map[i].chapter != 1 && b.map[i].chapter != 2) continue;
        for (const auto& l : pages[i].lines) {
            if (l.words.empty()) continue;
            const std::string& w = l.words.back();
            if (w.size() > 2 && w.back() == '-') ++hyphenated;
        }
    }
    EXPECT_GE(hyphenated, 3);
}

TEST(PdfBook, OutlineNestsChaptersAndSections) {
    const Built& b = sample();
    Json j = qpdf_json(b.pdf, "--json-key=outlines");
    const auto& top = j["outlines"].arr;
    std::vector<std::string> titles;
    for (const auto& o : top)
        titles.push_back(o["title"].str);
    EXPECT_EQ(titles, (std::vector<std::string>{"Índice", "Primera parte", "On Typography"}));
    ASSERT_EQ(top.size(), 3u);
    const Json& part = top[1];
    ASSERT_EQ(part["kids"].arr.size(), 2u);
    EXPECT_EQ(part["kids"].arr[0]["title"].str, "La página impresa");
    EXPECT_EQ(part["kids"].arr[1]["title"].str, "El oficio del cajista");
    ASSERT_EQ(part["kids"].arr[0]["kids"].arr.size(), 1u);
    EXPECT_EQ(part["kids"].arr[0]["kids"].arr[0]["title"].str, "Talleres y correctores");
    EXPECT_EQ(part["kids"].arr[1]["kids"].arr.size(), 3u);
    // Each entry goes to the page its chapter starts on.
    EXPECT_EQ(int(part["destpageposfrom1"].num), chapter_start_page(b.map, 0));
    EXPECT_EQ(int(part["kids"].arr[0]["destpageposfrom1"].num), chapter_start_page(b.map, 1));
    EXPECT_EQ(int(part["kids"].arr[1]["destpageposfrom1"].num), chapter_start_page(b.map, 2));
    EXPECT_EQ(int(top[2]["destpageposfrom1"].num), chapter_start_page(b.map, 3));
}

TEST(PdfBook, ContentsLinksAndNumbersMatchChapterPages) {
    const Built& b = sample();
    Json j = qpdf_json(b.pdf, "--json-key=pages --json-key=qpdf");
    std::map<std::string, int> page_of; // object id -> 1-based page
    for (const auto& p : j["pages"].arr)
        page_of[p["object"].str] = int(p["pageposfrom1"].num);
    const Json& objects = j["qpdf"].arr.at(1);
    auto deref = [&](const Json& v) -> const Json& {
        if (v.t == Json::T::Str && v.str.size() > 2 && v.str.substr(v.str.size() - 2) == " R")
            return objects["obj:" + v.str]["value"];
        return v;
    };
    // The contents are on page 3 (after the title page and its verso).
    const Json& toc = objects["obj:" + j["pages"].arr.at(2)["object"].str]["value"];
    std::vector<int> targets;
    for (const auto& a : deref(toc["/Annots"]).arr) {
        const Json& annot = deref(a);
        EXPECT_EQ(annot["/Subtype"].str, "/Link");
        const Json& border = deref(annot["/Border"]);
        ASSERT_EQ(border.arr.size(), 3u);
        EXPECT_EQ(border.arr[2].num, 0); // no visible border
        const Json& dest = deref(annot["/Dest"]);
        ASSERT_GE(dest.arr.size(), 2u);
        targets.push_back(page_of[dest.arr[0].str]);
    }
    std::vector<int> starts;
    for (int c = 0; c < 4; ++c)
        starts.push_back(chapter_start_page(b.map, c));
    EXPECT_EQ(targets, starts);

    // The numbers printed in the contents are the labels of those pages.
    std::string toc_text = ts::pdftotext(b.pdf, "-f 3 -l 3 -layout");
    const char* titles[] = {"Primera parte", "La página impresa", "El oficio del cajista",
                            "On Typography"};
    for (int c = 0; c < 4; ++c) {
        std::regex re(std::string(titles[c]) + R"([ .]*\s(\w+)\s*\n)");
        std::smatch m;
        ASSERT_TRUE(std::regex_search(toc_text, m, re)) << titles[c] << "\n" << toc_text;
        EXPECT_EQ(m[1].str(), b.map[starts[c] - 1].label) << titles[c];
    }
    // Chapters open on rectos: odd physical pages.
    for (int s : starts)
        EXPECT_EQ(s % 2, 1);
}

TEST(PdfBook, PageLabelsAreRomanThenArabic) {
    const Built& b = sample();
    Json j = qpdf_json(b.pdf, "--json-key=pages");
    const auto& pages = j["pages"].arr;
    ASSERT_EQ(pages.size(), b.map.size());
    size_t front = 0;
    while (front < b.map.size() && b.map[front].chapter == -1)
        ++front;
    ASSERT_GE(front, 4u);
    EXPECT_EQ(front % 2, 0u);
    EXPECT_EQ(pages[0]["label"]["/S"].str, "/r");
    EXPECT_EQ(pages[front]["label"]["/S"].str, "/D");
    EXPECT_EQ(pages[front]["label"]["/St"].num, 1);
    EXPECT_EQ(b.map[2].label, "iii");
    EXPECT_EQ(b.map[front].label, "1");
    EXPECT_EQ(b.map.back().label, std::to_string(b.map.size() - front));
}

TEST(PdfBook, FootnoteSitsOnThePageOfItsCall) {
    const Built& b = sample();
    auto pages = text_boxes(b.pdf);
    int call = -1, note = -1;
    for (size_t i = 0; i < pages.size(); ++i)
        for (const auto& l : pages[i].lines)
            for (size_t k = 0; k < l.words.size(); ++k) {
                const std::string& w = l.words[k];
                bool next_is_1 = k + 1 < l.words.size() && l.words[k + 1] == "1";
                if (w == "completo.1" || (w == "completo." && next_is_1)) call = int(i);
                if (w == "Sobre" && k <= 1 && note < 0 && b.map[i].chapter == 1) note = int(i);
            }
    ASSERT_GE(call, 0);
    EXPECT_EQ(call, note);
}

TEST(PdfBook, CrossReferenceFootnoteAndUrlLinksResolve) {
    const Built& b = sample();
    Json j = qpdf_json(b.pdf, "--json-key=pages --json-key=qpdf --json-key=outlines");
    std::map<std::string, int> page_of;
    for (const auto& p : j["pages"].arr)
        page_of[p["object"].str] = int(p["pageposfrom1"].num);
    const Json& objects = j["qpdf"].arr.at(1);
    auto deref = [&](const Json& v) -> const Json& {
        if (v.t == Json::T::Str && v.str.size() > 2 && v.str.substr(v.str.size() - 2) == " R")
            return objects["obj:" + v.str]["value"];
        return v;
    };
    // Where the "Talleres y correctores" section is, from the outline.
    int talleres = -1;
    for (const auto& part : j["outlines"].arr)
        for (const auto& ch : part["kids"].arr)
            for (const auto& sec : ch["kids"].arr)
                if (sec["title"].str == "Talleres y correctores")
                    talleres = int(sec["destpageposfrom1"].num);
    ASSERT_GT(talleres, 0);
    int english = chapter_start_page(b.map, 3);
    const Json& page = objects["obj:" + j["pages"].arr.at(english - 1)["object"].str]["value"];
    std::vector<int> internal;
    std::vector<std::string> uris;
    for (const auto& a : deref(page["/Annots"]).arr) {
        const Json& annot = deref(a);
        if (annot["/Dest"].t != Json::T::Null)
            internal.push_back(page_of[deref(annot["/Dest"]).arr.at(0).str]);
        else
            uris.push_back(deref(annot["/A"])["/URI"].str);
    }
    // The cross-reference, the note call and the note's way back.
    EXPECT_NE(std::find(internal.begin(), internal.end(), talleres), internal.end());
    EXPECT_GE(std::count(internal.begin(), internal.end(), english), 2);
    ASSERT_FALSE(uris.empty());
    for (const auto& u : uris)
        EXPECT_EQ(u, "u:https://example.org/typesetting/knuth-plass?lang=en");
}

// The page map names, for each page that does not open a chapter, the IR place of the first
// word on its first line (doc::TextPos): that word is where pdftotext finds that page's text
// starting (a list number or the end of a word hyphenated on the page before may come first).
TEST(PdfBook, PageMapNamesEachPagesFirstWord) {
    const Built& b = sample();
    doc::Book book = sample_book(b.dir);
    int compared = 0;
    std::set<int> seen;
    for (const auto& p : b.map) {
        if (p.chapter < 0 || p.blank || seen.insert(p.chapter).second) continue; // openings
        ASSERT_FALSE(p.start.empty()) << "page " << p.page;
        std::string from = ts::normalize_words(
            imprenta::doc::text_from(book.chapters[size_t(p.chapter)], p.start));
        std::string word = from.substr(0, from.find(' '));
        if (p.start.offset < 0 || word.empty()) continue; // a figure or a rule starts the page
        std::string n = std::to_string(p.page);
        std::istringstream lines(ts::pdftotext(b.pdf, "-f " + n + " -l " + n));
        std::string first;
        const std::string title = ts::normalize_words(book.meta.title),
                          head = ts::normalize_words(book.chapters[size_t(p.chapter)].title);
        for (std::string line; std::getline(lines, line);) {
            std::string w = ts::normalize_words(line);
            if (w.empty() || w == title || w == head ||
                w.find_first_not_of("0123456789") == std::string::npos)
                continue;
            first = w;
            break;
        }
        std::istringstream ws(first);
        std::vector<std::string> words{std::istream_iterator<std::string>(ws), {}};
        bool found =
            std::find(words.begin(), words.begin() + long(std::min<size_t>(2, words.size())),
                      word) != words.end();
        EXPECT_TRUE(found) << "page " << p.page << " starts '" << first << "', its map says '"
                           << from.substr(0, 40) << "'";
        ++compared;
    }
    EXPECT_GT(compared, 0);
}

TEST(PdfBook, RenderedPagesAreNotBlank) {
    const Built& b = sample();
    int first = chapter_start_page(b.map, 1);
    int image_page = -1;
    Json j = qpdf_json(b.pdf, "--json-key=pages");
    for (const auto& p : j["pages"].arr)
        if (!p["images"].arr.empty() && image_page < 0) image_page = int(p["pageposfrom1"].num);
    ASSERT_GT(image_page, 0);
    for (int page : {first, image_page}) {
        fs::path stem = b.dir / ("render-" + std::to_string(page));
        auto r = ts::run("pdftoppm -r 40 -f " + std::to_string(page) + " -l " +
                         std::to_string(page) + " -png -singlefile " + ts::quote(b.pdf.string()) +
                         " " + ts::quote(stem.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_GT(non_white_pixels(stem.string() + ".png"), 800u) << "page " << page;
    }
}

TEST(PdfBook, RebuildIsByteIdentical) {
    const Built& b = sample();
    fs::path again = b.dir / "again.pdf";
    doc::Book book = sample_book(b.dir);
    imprenta::util::Diagnostics diags;
    imprenta::pdf::write_pdf(book, again, {}, diags);
    EXPECT_EQ(ts::slurp(b.pdf), ts::slurp(again));
}

TEST(PdfBook, DocumentInfoAndDates) {
    const Built& b = sample();
    auto r = ts::run("pdfinfo -isodates " + ts::quote(b.pdf.string()));
    EXPECT_NE(r.out.find("Title:           Tipografía y lectura"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Author:          Ana Pérez, Luis Núñez"), std::string::npos);
    EXPECT_NE(r.out.find("Creator:         imprenta "), std::string::npos);
    EXPECT_NE(r.out.find("2023-11-14T22:13:20"), std::string::npos); // book.meta.modified
    // PDF/UA wants a file identifier: one, derived from the book (reruns are byte-identical).
    std::string bytes = ts::slurp(b.pdf);
    size_t id = bytes.find("/ID [");
    ASSERT_NE(id, std::string::npos);
    EXPECT_EQ(bytes.find("/ID [", id + 1), std::string::npos);
}

TEST(PdfBook, BadImageIsLeftOutWithAWarning) {
    const Built& b = sample();
    int warnings = 0;
    for (const auto& d : b.diags)
        if (d.pos.file == "roto.png") ++warnings;
    EXPECT_EQ(warnings, 1);
}

TEST(PdfBook, CodeAndTablesStayInsideTheTextBlock) {
    const Built& b = sample();
    auto pages = text_boxes(b.pdf);
    bool saw_marker = false;
    for (size_t i = 0; i < pages.size(); ++i) {
        if (b.map[i].chapter != 3) continue;
        bool recto = (i + 1) % 2 == 1;
        double left = recto ? 20 * 72 / 25.4 : 15 * 72 / 25.4;
        double right = left + 113 * 72 / 25.4;
        // Justified running text may hang into the margins by protrusion (under 2 pt); code
        // and tables must not pass it by more.
        for (const auto& l : pages[i].lines) {
            EXPECT_LE(l.x_max, right + 2.0) << "page " << i + 1;
            EXPECT_GE(l.x_min, left - 2.0) << "page " << i + 1;
            for (const auto& w : l.words)
                if (w == "↪") saw_marker = true;
        }
    }
    EXPECT_TRUE(saw_marker);
}

namespace {

// Odd corners: a hidden chapter, a long table, glyphs no font has, a language without a
// dictionary, an empty chapter, hard line breaks, deep nesting.
doc::Book edge_book(const fs::path& dir) {
    doc::Book book;
    book.root = dir;
    book.meta.title = "Edge cases";
    book.meta.language = "en";
    book.meta.modified = 1600000000;

    doc::Block table;
    table.kind = doc::BlockKind::Table;
    table.header_rows = 1;
    auto row = [](const std::string& a, const std::string& b) {
        doc::TableRow r;
        r.cells.push_back({{txt(a)}});
        r.cells.push_back({{txt(b)}});
        return r;
    };
    table.rows.push_back(row("Heading one", "Heading two"));
    for (int i = 0; i < 90; ++i)
        table.rows.push_back(
            row("Row " + std::to_string(i),
                "A cell with enough words to wrap onto a second line " + std::to_string(i)));

    doc::Block quote;
    quote.kind = doc::BlockKind::BlockQuote;
    quote.children = {para("Innermost quotation text that must still fit.")};
    for (int i = 0; i < 12; ++i) {
        doc::Block outer;
        outer.kind = doc::BlockKind::BlockQuote;
        outer.children = {quote};
        quote = outer;
    }
    doc::Inline br;
    br.kind = doc::InlineKind::LineBreak;

    doc::Chapter a = chapter(
        "Glyphs", "en",
        {
            para("Han character 漢 and again 漢, an emoji 😀, a snowman ☃, a private-use "
                 "\U000F0001 and again \U000F0001."),
            para({txt("First line"), br, txt("second line after a hard break")}),
            quote,
            heading(2, "Averyveryveryveryveryveryveryveryveryveryveryveryveryverylongheadingword",
                    "long"),
            table,
        });
    doc::Chapter hidden =
        chapter("Hidden page", "en", {para("Text of a page kept out of the contents.")});
    hidden.in_toc = false;
    doc::Chapter empty = chapter("Empty", "xx", {});
    book.chapters = {a, hidden, empty};
    return book;
}

struct EdgeBuilt {
    fs::path dir, pdf;
    std::vector<imprenta::pdf::PageStart> map;
    std::vector<imprenta::util::Diagnostic> diags;
};

const EdgeBuilt& edge() {
    static EdgeBuilt b = [] {
        EdgeBuilt r;
        r.dir = ts::fresh_dir("pdf-edge-shared");
        r.pdf = r.dir / "edge.pdf";
        imprenta::util::Diagnostics diags;
        r.map = imprenta::pdf::write_pdf(edge_book(r.dir), r.pdf, {}, diags);
        r.diags = diags.all();
        return r;
    }();
    return b;
}

} // namespace

TEST(PdfEdge, IsValidWithEmbeddedFonts) {
    const EdgeBuilt& b = edge();
    auto r = ts::qpdf_check(b.pdf);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    for (const auto& [name, embedded] : ts::pdffonts(b.pdf))
        EXPECT_TRUE(embedded) << name;
}

TEST(PdfEdge, MissingGlyphsWarnOncePerCharacter) {
    const EdgeBuilt& b = edge();
    int han = 0, emoji = 0, snowman = 0, pua = 0;
    for (const auto& d : b.diags) {
        if (d.message.find("U+6F22") != std::string::npos) ++han;
        if (d.message.find("U+1F600") != std::string::npos) ++emoji;
        if (d.message.find("U+2603") != std::string::npos) ++snowman; // DejaVu Sans has it
        if (d.message.find("U+F0001") != std::string::npos) ++pua;
    }
    // Han and emoji come from fallback fonts (Noto CJK, Noto Color Emoji); only a private-use
    // character no installed font has is reported, once, and drawn as '?'.
    EXPECT_EQ(han, 0);
    EXPECT_EQ(emoji, 0);
    EXPECT_EQ(snowman, 0);
    EXPECT_EQ(pua, 1);
    std::string text = ts::pdftotext(b.pdf);
    EXPECT_NE(text.find("Han character 漢 and again 漢"), std::string::npos) << text;
    EXPECT_NE(text.find("😀"), std::string::npos);
    EXPECT_NE(text.find("☃"), std::string::npos);
}

TEST(PdfEdge, LanguageWithoutDictionaryWarns) {
    int n = 0;
    for (const auto& d : edge().diags)
        if (d.message.find("'xx'") != std::string::npos) ++n;
    EXPECT_EQ(n, 1);
}

TEST(PdfEdge, HiddenChapterIsPrintedButNotListed) {
    const EdgeBuilt& b = edge();
    Json j = qpdf_json(b.pdf, "--json-key=outlines");
    for (const auto& o : j["outlines"].arr)
        EXPECT_NE(o["title"].str, "Hidden page");
    std::string toc = ts::pdftotext(b.pdf, "-f 3 -l 3");
    EXPECT_NE(toc.find("Glyphs"), std::string::npos);
    EXPECT_EQ(toc.find("Hidden page"), std::string::npos);
    EXPECT_NE(ts::pdftotext(b.pdf).find("Text of a page kept out of the contents."),
              std::string::npos);
}

TEST(PdfEdge, LongTableRepeatsItsHeaderOnEveryPage) {
    const EdgeBuilt& b = edge();
    std::string text = ts::pdftotext(b.pdf);
    int table_pages = 0;
    for (size_t i = 0; i < b.map.size(); ++i) {
        std::string page =
            ts::pdftotext(b.pdf, "-f " + std::to_string(i + 1) + " -l " + std::to_string(i + 1));
        if (page.find("Row ") == std::string::npos) continue;
        ++table_pages;
        EXPECT_NE(page.find("Heading one"), std::string::npos) << "page " << i + 1;
    }
    EXPECT_GE(table_pages, 2);
    EXPECT_NE(text.find("Row 89"), std::string::npos);
}

TEST(PdfEdge, NothingRunsPastTheMargins) {
    const EdgeBuilt& b = edge();
    auto pages = text_boxes(b.pdf);
    for (size_t i = 4; i < pages.size(); ++i) {
        bool recto = (i + 1) % 2 == 1;
        double left = recto ? 20 * 72 / 25.4 : 15 * 72 / 25.4;
        double right = left + 113 * 72 / 25.4;
        for (const auto& l : pages[i].lines) {
            EXPECT_LE(l.x_max, right + 0.5) << "page " << i + 1 << ": " << l.words.front();
            EXPECT_GE(l.x_min, left - 0.5) << "page " << i + 1;
        }
    }
    std::string text = ts::pdftotext(b.pdf);
    EXPECT_NE(text.find("Innermost quotation text"), std::string::npos);
    EXPECT_NE(text.find("First line\nsecond line"), std::string::npos);
}

TEST(PdfEdge, PageMapFollowsTheBlocks) {
    const EdgeBuilt& b = edge();
    int last_block = -1, last_chapter = -1;
    for (const auto& p : b.map) {
        if (p.chapter < 0 || p.blank) continue;
        if (p.chapter != last_chapter) last_block = -1;
        EXPECT_GE(p.chapter, last_chapter);
        EXPECT_GE(p.block, last_block);
        last_chapter = p.chapter;
        last_block = p.block;
    }
    EXPECT_EQ(last_chapter, 2);
    // The table is block 4 of chapter 0: several pages start inside it.
    int in_table = 0;
    for (const auto& p : b.map)
        if (p.chapter == 0 && p.block == 4) ++in_table;
    EXPECT_GE(in_table, 2);
}

TEST(PdfWrite, FailureLeavesThePreviousFileUntouched) {
    fs::path dir = ts::fresh_dir("fail");
    fs::path out = dir / "book.pdf";
    ts::write(out, "previous contents");
    doc::Book book = sample_book(dir);
    imprenta::util::Diagnostics diags;
    imprenta::pdf::Options bad_paper;
    bad_paper.config.paper = "b7";
    EXPECT_THROW(imprenta::pdf::write_pdf(book, out, bad_paper, diags), imprenta::util::BuildError);
    imprenta::pdf::Options bad_font;
    bad_font.config.font_regular = "fonts/missing.ttf";
    EXPECT_THROW(imprenta::pdf::write_pdf(book, out, bad_font, diags), imprenta::util::BuildError);
    ts::write(dir / "fonts/fake.ttf", "OTTO not really a font");
    imprenta::pdf::Options fake_font;
    fake_font.config.font_bold = "fonts/fake.ttf";
    EXPECT_THROW(imprenta::pdf::write_pdf(book, out, fake_font, diags), imprenta::util::BuildError);
    EXPECT_EQ(ts::slurp(out), "previous contents");
    try { // a directory that does not exist: an error naming the file, not a crash
        imprenta::pdf::write_pdf(book, dir / "no/such/dir/book.pdf", {}, diags);
        ADD_FAILURE() << "no error";
    } catch (const imprenta::util::BuildError& e) {
        EXPECT_NE(std::string(e.formatted()).find("no/such/dir/book.pdf"), std::string::npos)
            << e.formatted();
        EXPECT_NE(std::string(e.what()).find("cannot write the file"), std::string::npos)
            << e.what();
    }
    try { // a full disk (/dev/full refuses every write): an error, not a cut-off PDF
        imprenta::pdf::write_pdf(book, "/dev/full", {}, diags);
        ADD_FAILURE() << "no error";
    } catch (const imprenta::util::BuildError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot write the file"), std::string::npos)
            << e.what();
    }
    for (const auto& e : fs::directory_iterator(dir))
        EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST(PdfWrite, PaperAndFontSettingsApply) {
    fs::path dir = ts::fresh_dir("settings");
    doc::Book book = sample_book(dir);
    imprenta::util::Diagnostics diags;
    imprenta::pdf::Options o;
    o.config.paper = "a4";
    o.config.font_size = 12;
    // A configured font, relative to the book folder.
    fs::create_directories(dir / "fonts");
    fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", dir / "fonts/serif.ttf");
    o.config.font_regular = "fonts/serif.ttf";
    imprenta::pdf::write_pdf(book, dir / "a4.pdf", o, diags);
    auto info = ts::run("pdfinfo " + ts::quote((dir / "a4.pdf").string()));
    EXPECT_NE(info.out.find("595.276 x 841.89 pts (A4)"), std::string::npos) << info.out;
    bool serif = false;
    for (const auto& [name, embedded] : ts::pdffonts(dir / "a4.pdf"))
        if (name.find("DejaVuSerif") != std::string::npos) serif = embedded;
    EXPECT_TRUE(serif);
}

TEST(PdfWrite, BookWithoutChaptersStillMakesAValidPdf) {
    fs::path dir = ts::fresh_dir("empty");
    doc::Book book;
    book.root = dir;
    book.meta.title = "Nada";
    imprenta::util::Diagnostics diags;
    auto map = imprenta::pdf::write_pdf(book, dir / "empty.pdf", {}, diags);
    EXPECT_EQ(map.size(), 2u); // title page and its verso
    EXPECT_EQ(ts::qpdf_check(dir / "empty.pdf").exit_code, 0);
    EXPECT_NE(ts::pdftotext(dir / "empty.pdf").find("Nada"), std::string::npos);
}

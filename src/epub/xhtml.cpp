// IR chapter -> XHTML content document, built as a tinyxml2 DOM and printed compactly.
#include "epub/plan.h"
#include "epub/xml.h"
#include "util/utf8.h"

#include <algorithm>
#include <cctype>
#include <tinyxml2.h>

namespace imprenta::epub {

using doc::Block;
using doc::BlockKind;
using doc::Inline;
using doc::InlineKind;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;

namespace {

bool is_blocked_scheme(std::string_view scheme) {
    std::string s(scheme);
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s == "javascript" || s == "vbscript" || s == "file" || s == "data";
}

// The scheme of an absolute URL ("https"), or empty for a relative reference.
std::string_view url_scheme(std::string_view url) {
    if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return {};
    for (size_t i = 1; i < url.size(); ++i) {
        char c = url[i];
        if (c == ':') return url.substr(0, i);
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return {};
    }
    return {};
}

// Spaces and controls are not allowed in a URL; everything else the reader passes through.
std::string encode_url(std::string_view url) {
    std::string clean = util::xml_safe_text(url), out;
    out.reserve(clean.size());
    static const char* hex = "0123456789ABCDEF";
    for (char c : clean) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

class ChapterRenderer {
public:
    ChapterRenderer(const Plan& plan, size_t index)
        : plan_(plan), index_(index), ch_(plan.book->chapters[index]), ids_(plan.ids[index]),
          alloc_(ids_.alloc), note_refs_(ids_.note_refs), refs_seen_(ch_.notes.size(), 0),
          labels_(ch_.notes.size()) {}

    RenderedPage run(const PageTemplate& page) {
        bool part = ch_.kind == doc::ChapterKind::Part;
        XMLElement* section = doc_.NewElement("section");
        doc_.InsertEndChild(section);
        section->SetAttribute("epub:type", part ? "part" : "chapter");
        section->SetAttribute("role", part ? "doc-part" : "doc-chapter");
        section->SetAttribute("class", part ? "part" : "chapter");
        if (ch_.rtl) section->SetAttribute("dir", "rtl");

        page_breaks_upto(section, -1);
        banner(section);
        const Block* tb = title_block(ch_);
        XMLElement* h1 = doc_.NewElement("h1");
        h1->SetAttribute("class", part ? "part-title" : "chapter-title");
        if (tb) {
            set_block_id(h1, *tb);
            line_ = tb->line;
            inlines(h1, tb->inlines);
        } else if (!ch_.title_inlines.empty()) {
            inlines(h1, ch_.title_inlines);
        } else {
            text(h1, ch_.title);
        }
        if (!h1->NoChildren() || h1->Attribute("id")) {
            section->InsertEndChild(h1);
            heading_level_ = 1;
        } else {
            doc_.DeleteNode(h1);
        }

        for (size_t i = 0; i < ch_.blocks.size(); ++i) {
            page_breaks_upto(section, int(i));
            if (&ch_.blocks[i] != tb) block(section, ch_.blocks[i]);
        }
        page_breaks_upto(section, int(ch_.blocks.size()));
        footnotes(section);
        open_empty_elements(section);

        std::string title = ch_.title.empty() ? plan_.title : ch_.title;
        return {page.render(plan_.langs[index_], title, "../style.css", print_compact(*section)),
                std::move(warnings_)};
    }

private:
    const Plan& plan_;
    size_t index_;
    const doc::Chapter& ch_;
    const ChapterIds& ids_;
    IdAllocator alloc_;
    std::vector<std::string> note_refs_;
    std::vector<int> refs_seen_;
    std::vector<std::string> labels_; // the number shown at each note's first reference
    tinyxml2::XMLDocument doc_;
    std::vector<Warning> warnings_;
    int link_depth_ = 0;
    int line_ = 0;
    int heading_level_ = 0; // of the last heading written: the next goes at most one deeper
    size_t next_break_ = 0; // the next of plan_.page_breaks[index_] to write

    // The print edition's page-break markers that stand before top-level block `block`.
    void page_breaks_upto(XMLElement* section, int block) {
        if (plan_.page_breaks.size() <= index_) return;
        const auto& breaks = plan_.page_breaks[index_];
        for (; next_break_ < breaks.size() && breaks[next_break_].block <= block; ++next_break_) {
            const PageBreak& pb = breaks[next_break_];
            XMLElement* span = add(section, "span");
            span->SetAttribute("epub:type", "pagebreak");
            span->SetAttribute("role", "doc-pagebreak");
            span->SetAttribute("id", pb.id.c_str());
            span->SetAttribute("aria-label", util::xml_safe_text(pb.label).c_str());
        }
    }

    void warn(std::string message) {
        warnings_.push_back({util::SourcePos{ch_.source, line_, 0}, std::move(message)});
    }

    XMLElement* add(XMLNode* parent, const char* name) {
        XMLElement* el = doc_.NewElement(name);
        parent->InsertEndChild(el);
        return el;
    }

    void text(XMLNode* parent, std::string_view s) {
        if (!s.empty()) parent->InsertEndChild(doc_.NewText(util::xml_safe_text(s).c_str()));
    }

    void set_block_id(XMLElement* el, const Block& b) {
        if (b.id.empty()) return;
        auto it = ids_.blocks.find(&b);
        if (it != ids_.blocks.end()) el->SetAttribute("id", it->second.c_str());
    }

    const ImageResource* image_resource(int asset) const {
        if (asset < 0 || asset >= static_cast<int>(plan_.images.size())) return nullptr;
        const auto& r = plan_.images[asset];
        return r.ok ? &r : nullptr;
    }

    void banner(XMLElement* section) {
        const ImageResource* r = image_resource(ch_.banner);
        if (!r) return; // a failed banner was reported when the image was prepared
        XMLElement* div = add(section, "div");
        div->SetAttribute("class", "banner");
        XMLElement* img = add(div, "img");
        img->SetAttribute("src", ("../" + r->path).c_str());
        // An alt text that repeats the heading below it is read twice: such a banner is decoration.
        if (ch_.banner_alt.empty() || ch_.banner_alt == ch_.title) {
            img->SetAttribute("alt", "");
            img->SetAttribute("role", "presentation");
        } else {
            img->SetAttribute("alt", util::xml_safe_text(ch_.banner_alt).c_str());
        }
    }

    // ---- blocks

    void blocks(XMLNode* parent, const std::vector<Block>& bs) {
        for (const auto& b : bs)
            block(parent, b);
    }

    void block(XMLNode* parent, const Block& b) {
        if (b.line > 0) line_ = b.line;
        XMLElement* el = nullptr;
        switch (b.kind) {
        case BlockKind::Paragraph:
            el = add(parent, "p");
            inlines(el, b.inlines);
            break;
        case BlockKind::Heading: {
            int level = std::clamp(b.level, 1, std::min(6, heading_level_ + 1));
            heading_level_ = level;
            const char name[] = {'h', char('0' + level), '\0'};
            el = add(parent, name);
            inlines(el, b.inlines);
            break;
        }
        case BlockKind::BlockQuote:
            el = add(parent, "blockquote");
            blocks(el, b.children);
            break;
        case BlockKind::List:
            el = list(parent, b);
            break;
        case BlockKind::ListItem: // outside a list: keep its content
            el = add(parent, "div");
            el->SetAttribute("class", "list-item");
            list_item(el, b, false);
            break;
        case BlockKind::CodeBlock: {
            el = add(parent, "pre");
            XMLElement* code = add(el, "code");
            std::string lang = b.info.substr(0, b.info.find_first_of(" \t\n{,"));
            if (!lang.empty())
                code->SetAttribute("class", util::xml_safe_text("language-" + lang).c_str());
            text(code, b.text);
            break;
        }
        case BlockKind::ThematicBreak:
            el = add(parent, "hr");
            break;
        case BlockKind::Table:
            el = table(parent, b);
            break;
        case BlockKind::Figure:
            el = add(parent, "figure");
            blocks(el, b.children);
            if (!b.inlines.empty()) inlines(add(el, "figcaption"), b.inlines);
            break;
        case BlockKind::Aside: {
            el = add(parent, "aside");
            std::string style = class_tokens(b.style);
            el->SetAttribute("class", style.empty() ? "hint" : ("hint " + style).c_str());
            // A note, not a complementary landmark: several unlabelled ones on a page are what
            // Ace's landmark-unique reports.
            el->SetAttribute("role", "note");
            if (!b.inlines.empty()) {
                XMLElement* title = add(el, "p");
                title->SetAttribute("class", "hint-title");
                inlines(title, b.inlines);
            }
            blocks(el, b.children);
            break;
        }
        case BlockKind::Details: {
            el = add(parent, "div");
            el->SetAttribute("class", "details");
            if (!b.inlines.empty()) {
                XMLElement* title = add(el, "p");
                title->SetAttribute("class", "details-title");
                inlines(title, b.inlines);
            }
            blocks(el, b.children);
            break;
        }
        case BlockKind::Division: {
            el = add(parent, "div");
            std::string style = class_tokens(b.style);
            el->SetAttribute("class", style.empty() ? "division" : ("division " + style).c_str());
            blocks(el, b.children);
            break;
        }
        }
        if (el) set_block_id(el, b);
    }

    XMLElement* list(XMLNode* parent, const Block& b) {
        XMLElement* el = add(parent, b.ordered ? "ol" : "ul");
        if (b.ordered && b.start != 1) el->SetAttribute("start", b.start);
        bool tasks = false;
        for (const auto& item : b.children)
            tasks = tasks || item.task >= 0;
        if (tasks) el->SetAttribute("class", "tasks");
        for (const auto& item : b.children) {
            XMLElement* li = add(el, "li");
            if (item.kind == BlockKind::ListItem) {
                if (item.line > 0) line_ = item.line;
                list_item(li, item, b.tight);
                set_block_id(li, item);
            } else {
                block(li, item);
            }
        }
        return el;
    }

    void list_item(XMLElement* li, const Block& item, bool tight) {
        bool after_inline_run = false;
        for (const auto& c : item.children) {
            // Tight lists show their paragraphs bare, as cmark does; one with an id keeps its <p>.
            if (tight && c.kind == BlockKind::Paragraph && c.id.empty()) {
                if (after_inline_run) add(li, "br");
                inlines(li, c.inlines);
                after_inline_run = true;
            } else {
                block(li, c);
                after_inline_run = false;
            }
        }
        if (item.task >= 0) {
            li->SetAttribute("class", item.task ? "task done" : "task");
            XMLElement* box = doc_.NewElement("span");
            box->SetAttribute("class", "task-box");
            box->InsertEndChild(doc_.NewText(item.task ? "\u2611" : "\u2610"));
            XMLElement* first = li->FirstChildElement();
            XMLNode* host = li;
            if (first && first == li->FirstChild() && std::string_view(first->Name()) == "p")
                host = first;
            XMLNode* space = doc_.NewText(" ");
            host->InsertFirstChild(space);
            host->InsertFirstChild(box);
        }
    }

    XMLElement* table(XMLNode* parent, const Block& b) {
        XMLElement* el = add(parent, "table");
        size_t head = std::min(static_cast<size_t>(std::max(b.header_rows, 0)), b.rows.size());
        XMLElement* section = nullptr;
        for (size_t r = 0; r < b.rows.size(); ++r) {
            bool is_head = r < head;
            if (r == 0 || r == head) section = add(el, is_head ? "thead" : "tbody");
            XMLElement* tr = add(section, "tr");
            const auto& cells = b.rows[r].cells;
            for (size_t c = 0; c < cells.size(); ++c) {
                XMLElement* cell = add(tr, is_head ? "th" : "td");
                if (is_head) cell->SetAttribute("scope", "col");
                doc::Align a = c < b.aligns.size() ? b.aligns[c] : doc::Align::None;
                if (a == doc::Align::Left) cell->SetAttribute("class", "align-left");
                if (a == doc::Align::Center) cell->SetAttribute("class", "align-center");
                if (a == doc::Align::Right) cell->SetAttribute("class", "align-right");
                inlines(cell, cells[c].inlines);
            }
        }
        return el;
    }

    // ---- inlines

    void inlines(XMLNode* parent, const std::vector<Inline>& ins) {
        for (const auto& in : ins)
            inline_(parent, in);
    }

    void inline_(XMLNode* parent, const Inline& in) {
        switch (in.kind) {
        case InlineKind::Text:
            text(parent, in.text);
            break;
        case InlineKind::Emphasis:
            inlines(add(parent, "em"), in.children);
            break;
        case InlineKind::Strong:
            inlines(add(parent, "strong"), in.children);
            break;
        case InlineKind::Strikethrough:
            inlines(add(parent, "del"), in.children);
            break;
        case InlineKind::Superscript:
            inlines(add(parent, "sup"), in.children);
            break;
        case InlineKind::Subscript:
            inlines(add(parent, "sub"), in.children);
            break;
        case InlineKind::Code:
            text(add(parent, "code"), in.text);
            break;
        case InlineKind::Link:
            link(parent, in);
            break;
        case InlineKind::Image:
            image(parent, in);
            break;
        case InlineKind::LineBreak:
            add(parent, "br");
            break;
        case InlineKind::SoftBreak:
            text(parent, " ");
            break;
        case InlineKind::NoteRef:
            note_ref(parent, in);
            break;
        }
    }

    // The href for a link, or "" when it leads nowhere (then only its text is shown).
    std::string href(const doc::LinkTarget& t) {
        if (!t.internal()) {
            if (t.url.empty()) return {};
            if (t.url[0] == '#') return internal_href(static_cast<int>(index_), t.url.substr(1));
            std::string_view scheme = url_scheme(t.url);
            if (scheme.empty()) {
                warn("link to '" + t.url +
                     "' does not lead to a chapter of the book; only its text is kept");
                return {};
            }
            if (is_blocked_scheme(scheme)) {
                warn("link with a " + std::string(scheme) + ": URL dropped; only its text is kept");
                return {};
            }
            return encode_url(t.url);
        }
        if (t.chapter >= static_cast<int>(plan_.files.size())) {
            warn("internal link to a chapter that does not exist; only its text is kept");
            return {};
        }
        return internal_href(t.chapter, t.anchor);
    }

    std::string internal_href(int chapter, const std::string& anchor) {
        bool same = chapter == static_cast<int>(index_);
        const std::string& file = plan_.files[chapter];
        if (anchor.empty()) return file;
        const auto& anchors = plan_.ids[chapter].anchors;
        auto it = anchors.find(anchor);
        if (it == anchors.end()) {
            warn("link to '#" + anchor + "' in " + plan_.book->chapters[chapter].source +
                 ": no element has that id; the link goes to the start of the chapter");
            return file;
        }
        return same ? "#" + it->second : file + "#" + it->second;
    }

    void link(XMLNode* parent, const Inline& in) {
        std::string target = link_depth_ > 0 ? std::string() : href(in.target);
        XMLNode* host = parent;
        if (!target.empty()) {
            XMLElement* a = add(parent, "a");
            a->SetAttribute("href", target.c_str());
            if (!in.title.empty()) a->SetAttribute("title", util::xml_safe_text(in.title).c_str());
            host = a;
        }
        ++link_depth_;
        if (!in.children.empty())
            inlines(host, in.children);
        else if (!in.target.internal())
            text(host, in.target.url);
        else if (in.target.chapter < static_cast<int>(plan_.files.size()))
            text(host, plan_.book->chapters[in.target.chapter].title);
        --link_depth_;
    }

    void image(XMLNode* parent, const Inline& in) {
        const ImageResource* r = image_resource(in.asset);
        if (!r) {
            if (in.asset < 0 || in.asset >= static_cast<int>(plan_.images.size()))
                warn("image without a file; its alt text is shown instead");
            if (!in.text.empty()) {
                XMLElement* span = add(parent, "span");
                span->SetAttribute("class", "image-alt");
                text(span, in.text);
            }
            return;
        }
        XMLElement* img = add(parent, "img");
        img->SetAttribute("src", ("../" + r->path).c_str());
        img->SetAttribute("alt", util::xml_safe_text(in.text).c_str());
        if (!in.title.empty()) img->SetAttribute("title", util::xml_safe_text(in.title).c_str());
    }

    void note_ref(XMLNode* parent, const Inline& in) {
        int n = in.note;
        std::string shown = in.text;
        if (n < 0 || n >= static_cast<int>(ch_.notes.size())) {
            warn("reference to a footnote that does not exist");
            text(add(parent, "sup"), shown);
            return;
        }
        if (shown.empty()) shown = std::to_string(n + 1);
        XMLElement* sup = add(parent, "sup");
        if (link_depth_ > 0) { // an <a> cannot nest in another
            text(sup, shown);
            return;
        }
        std::string id;
        if (refs_seen_[n]++ == 0) {
            if (note_refs_[n].empty())
                note_refs_[n] = alloc_.take(xml_id(note_ref_base(ch_.notes[n], n)));
            id = note_refs_[n];
            labels_[n] = shown;
        } else {
            id = alloc_.take(note_refs_[n]);
        }
        XMLElement* a = add(sup, "a");
        a->SetAttribute("epub:type", "noteref");
        a->SetAttribute("role", "doc-noteref");
        a->SetAttribute("class", "noteref");
        a->SetAttribute("href", ("#" + ids_.notes[n]).c_str());
        a->SetAttribute("id", id.c_str());
        text(a, shown);
    }

    void footnotes(XMLElement* section) {
        if (ch_.notes.empty()) return;
        XMLElement* fns = add(section, "section");
        fns->SetAttribute("epub:type", "footnotes");
        fns->SetAttribute("role", "doc-endnotes");
        fns->SetAttribute("class", "footnotes");
        std::vector<XMLElement*> asides;
        for (size_t i = 0; i < ch_.notes.size(); ++i) {
            XMLElement* aside = add(fns, "aside");
            aside->SetAttribute("epub:type", "footnote");
            aside->SetAttribute("role", "doc-footnote");
            aside->SetAttribute("class", "footnote");
            aside->SetAttribute("id", ids_.notes[i].c_str());
            blocks(aside, ch_.notes[i].blocks);
            asides.push_back(aside);
        }
        // Notes can reference each other, so the way back is known only after all are rendered.
        for (size_t i = 0; i < asides.size(); ++i) {
            XMLElement* aside = asides[i];
            XMLElement* first = aside->FirstChildElement();
            bool first_is_p = first && std::string_view(first->Name()) == "p";
            XMLElement* host = first_is_p ? first : doc_.NewElement("p");
            if (!first_is_p) aside->InsertFirstChild(host);
            XMLElement* label = doc_.NewElement("span");
            label->SetAttribute("class", "footnote-label");
            label->InsertEndChild(doc_.NewText(
                util::xml_safe_text((labels_[i].empty() ? std::to_string(i + 1) : labels_[i]) + ".")
                    .c_str()));
            host->InsertFirstChild(doc_.NewText(" "));
            host->InsertFirstChild(label);
            if (refs_seen_[i] == 0) continue;
            XMLElement* last = aside->LastChildElement();
            if (!last || std::string_view(last->Name()) != "p") last = add(aside, "p");
            text(last, " ");
            XMLElement* back = add(last, "a");
            back->SetAttribute("href", ("#" + note_refs_[i]).c_str());
            back->SetAttribute("role", "doc-backlink");
            back->SetAttribute("class", "footnote-back");
            back->InsertEndChild(doc_.NewText("\u21A9\uFE0E"));
        }
    }
};

} // namespace

RenderedPage render_chapter(const Plan& plan, const PageTemplate& page, size_t chapter) {
    return ChapterRenderer(plan, chapter).run(page);
}

} // namespace imprenta::epub

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

std::string IdAllocator::take(const std::string& base) {
    if (used_.insert(base).second) return base;
    int& next = next_[base];
    if (next < 2) next = 2;
    for (;; ++next) {
        std::string candidate = base + "-" + std::to_string(next);
        if (used_.insert(candidate).second) return candidate;
    }
}

namespace {

// The renderer and collect_ids must agree on what gets rendered; these say it once.
bool renders_inlines(BlockKind k) {
    return k == BlockKind::Paragraph || k == BlockKind::Heading || k == BlockKind::Figure ||
           k == BlockKind::Aside || k == BlockKind::Details;
}

bool renders_children(BlockKind k) {
    return k == BlockKind::BlockQuote || k == BlockKind::List || k == BlockKind::ListItem ||
           k == BlockKind::Figure || k == BlockKind::Aside || k == BlockKind::Details ||
           k == BlockKind::Division;
}

bool renders_inline_children(InlineKind k) {
    return k == InlineKind::Emphasis || k == InlineKind::Strong || k == InlineKind::Strikethrough ||
           k == InlineKind::Superscript || k == InlineKind::Subscript || k == InlineKind::Link;
}

// A leading H1 that repeats the chapter title becomes the chapter heading, so the title shows once.
const Block* title_block(const doc::Chapter& ch) {
    if (ch.blocks.empty()) return nullptr;
    const Block& b = ch.blocks.front();
    if (b.kind != BlockKind::Heading || b.level != 1) return nullptr;
    if (!ch.title.empty() && doc::plain_text(b.inlines) != ch.title) return nullptr;
    return &b;
}

void collect_block_ids(const Block& b, ChapterIds& ids) {
    if (!b.id.empty()) {
        std::string id = ids.alloc.take(xml_id(b.id));
        ids.blocks.emplace(&b, id);
        ids.anchors.emplace(b.id, id);
    }
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            collect_block_ids(c, ids);
}

void count_refs(const std::vector<Inline>& inlines, bool in_link, std::vector<int>& counts) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::NoteRef && !in_link && in.note >= 0 &&
            in.note < static_cast<int>(counts.size()))
            ++counts[in.note];
        if (renders_inline_children(in.kind))
            count_refs(in.children, in_link || in.kind == InlineKind::Link, counts);
    }
}

void count_refs(const Block& b, std::vector<int>& counts) {
    if (renders_inlines(b.kind)) count_refs(b.inlines, false, counts);
    if (b.kind == BlockKind::Table)
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                count_refs(cell.inlines, false, counts);
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            count_refs(c, counts);
}

void collect_images(const std::vector<Inline>& inlines, std::vector<bool>& used, bool& all_alt) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::Image && in.asset >= 0 &&
            in.asset < static_cast<int>(used.size())) {
            used[in.asset] = true;
            all_alt = all_alt && in.text.find_first_not_of(" \t\n") != std::string::npos;
        }
        if (renders_inline_children(in.kind)) collect_images(in.children, used, all_alt);
    }
}

void collect_images(const Block& b, std::vector<bool>& used, bool& all_alt) {
    if (renders_inlines(b.kind)) collect_images(b.inlines, used, all_alt);
    if (b.kind == BlockKind::Table)
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                collect_images(cell.inlines, used, all_alt);
    if (renders_children(b.kind))
        for (const auto& c : b.children)
            collect_images(c, used, all_alt);
}

std::string note_id_base(const doc::Note& note, size_t i) {
    return note.id.empty() ? "fn-" + std::to_string(i + 1) : note.id;
}

std::string note_ref_base(const doc::Note& note, size_t i) {
    return note.ref_id.empty() ? "fnref-" + std::to_string(i + 1) : note.ref_id;
}

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
        if (!h1->NoChildren() || h1->Attribute("id"))
            section->InsertEndChild(h1);
        else
            doc_.DeleteNode(h1);

        for (const auto& b : ch_.blocks)
            if (&b != tb) block(section, b);
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
        img->SetAttribute(
            "alt",
            util::xml_safe_text(ch_.banner_alt.empty() ? ch_.title : ch_.banner_alt).c_str());
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
            int level = std::clamp(b.level, 1, 6);
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

ChapterIds collect_ids(const doc::Chapter& ch) {
    ChapterIds ids;
    for (const auto& b : ch.blocks)
        collect_block_ids(b, ids);
    ids.notes.resize(ch.notes.size());
    for (size_t i = 0; i < ch.notes.size(); ++i) {
        const auto& note = ch.notes[i];
        ids.notes[i] = ids.alloc.take(xml_id(note_id_base(note, i)));
        if (!note.id.empty()) ids.anchors.emplace(note.id, ids.notes[i]);
        for (const auto& b : note.blocks)
            collect_block_ids(b, ids);
    }
    std::vector<int> counts(ch.notes.size(), 0);
    const Block* tb = title_block(ch);
    if (!tb) count_refs(ch.title_inlines, false, counts);
    for (const auto& b : ch.blocks)
        count_refs(b, counts);
    for (const auto& note : ch.notes)
        for (const auto& b : note.blocks)
            count_refs(b, counts);
    ids.note_refs.resize(ch.notes.size());
    for (size_t i = 0; i < ch.notes.size(); ++i) {
        if (counts[i] == 0) continue;
        const auto& note = ch.notes[i];
        ids.note_refs[i] = ids.alloc.take(xml_id(note_ref_base(note, i)));
        if (!note.ref_id.empty()) ids.anchors.emplace(note.ref_id, ids.note_refs[i]);
    }
    return ids;
}

void collect_images(const doc::Chapter& ch, std::vector<bool>& used, bool& all_alt) {
    if (ch.banner >= 0 && ch.banner < static_cast<int>(used.size())) {
        used[ch.banner] = true;
        all_alt = all_alt && !(ch.banner_alt.empty() && ch.title.empty());
    }
    if (!title_block(ch)) collect_images(ch.title_inlines, used, all_alt);
    for (const auto& b : ch.blocks)
        collect_images(b, used, all_alt);
    for (const auto& note : ch.notes)
        for (const auto& b : note.blocks)
            collect_images(b, used, all_alt);
}

RenderedPage render_chapter(const Plan& plan, const PageTemplate& page, size_t chapter) {
    return ChapterRenderer(plan, chapter).run(page);
}

} // namespace imprenta::epub

// IR chapter -> XHTML content document, written element by element (XmlWriter) straight into the
// page: a chapter of 100,000 notes never exists as a DOM.
#include "epub/page_marks.h"
#include "epub/url.h"
#include "epub/xml.h"
#include "util/utf8.h"

#include <algorithm>
#include <cctype>

namespace imprenta::epub {

using doc::Block;
using doc::BlockKind;
using doc::Inline;
using doc::InlineKind;

namespace {

// `xml` is the content of an element that starts with a <p> element.
bool starts_with_p(std::string_view xml) {
    return xml.size() > 2 && xml.compare(0, 2, "<p") == 0 && (xml[2] == '>' || xml[2] == ' ');
}

// Where the content of the leading <p> starts (after its start tag; values escape '>').
size_t after_start_tag(std::string_view xml) {
    return xml.find('>') + 1;
}

class ChapterRenderer {
public:
    ChapterRenderer(const Plan& plan, size_t index)
        : plan_(plan), index_(index), ch_(plan.book->chapters[index]), ids_(plan.ids[index]),
          alloc_(&ids_.alloc), note_refs_(ids_.note_refs), refs_seen_(ch_.notes.size(), 0),
          labels_(ch_.notes.size()), marks_(plan, index) {}

    RenderedPage run(const PageTemplate& page) {
        std::string title = ch_.title.empty() ? plan_.title : ch_.title;
        const std::string& lang = plan_.langs[index_];
        std::string out, after;
        bool streamed = page.split(lang, title, "../style.css", out, after);
        if (!streamed) out.clear();
        XmlWriter writer(out);
        w_ = &writer;
        section();
        if (streamed) {
            out += after;
        } else {
            out = page.render(lang, title, "../style.css", out);
        }
        return {std::move(out), std::move(warnings_)};
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
    XmlWriter* w_ = nullptr;
    std::vector<Warning> warnings_;
    int link_depth_ = 0;
    int line_ = 0;
    int heading_level_ = 0;      // of the last heading written: the next goes at most one deeper
    const Inline* at_ = nullptr; // the link or image being written, for warnings
    PageMarks marks_;            // the print edition's page breaks
    std::vector<int> path_;      // the chapter block being written (doc::TextPos::path)
    bool in_notes_ = false;      // writing footnotes: no page breaks there

    // Writes `ins`, the inlines of the block at path_ (with the page breaks in them).
    void body_inlines(const std::vector<Inline>& ins, int part = doc::kInlines) {
        if (!in_notes_) marks_.open_text(path_, part);
        inlines(ins);
        marks_.close_text();
    }
    // Inline or code text, counted where page breaks are (doc/position.h offsets).
    void body_text(std::string_view s) {
        if (marks_.counting())
            marks_.text(*w_, s);
        else
            text(s);
    }

    void section() {
        bool part = ch_.kind == doc::ChapterKind::Part;
        w_->open("section");
        w_->attr("epub:type", part ? "part" : "chapter");
        w_->attr("role", part ? "doc-part" : "doc-chapter");
        w_->attr("class", part ? "part" : "chapter");
        if (ch_.rtl) w_->attr("dir", "rtl");

        marks_.start(*w_);
        banner();
        const Block* tb = title_block(ch_);
        XmlWriter::Mark before_h1 = w_->mark();
        w_->open("h1");
        w_->attr("class", part ? "part-title" : "chapter-title");
        bool has_id = false;
        if (tb) {
            has_id = set_block_id(*tb);
            line_ = tb->line;
            inlines(tb->inlines);
        } else if (!ch_.title_inlines.empty()) {
            inlines(ch_.title_inlines);
        } else {
            text(ch_.title);
        }
        if (w_->has_content() || has_id) {
            w_->close();
            heading_level_ = 1;
        } else {
            w_->rollback(before_h1);
        }

        for (size_t i = 0; i < ch_.blocks.size(); ++i) {
            path_.assign(1, int(i));
            if (&ch_.blocks[i] != tb) block(ch_.blocks[i]);
        }
        path_.clear();
        marks_.end(*w_);
        footnotes();
        w_->close();
    }

    // At the link or image being written when its position is known, else at its block's line.
    void warn(std::string message) {
        util::SourcePos pos{ch_.source, line_, 0};
        if (at_ && at_->line > 0) {
            pos.line = at_->line;
            pos.col = at_->col;
        }
        warnings_.push_back({std::move(pos), std::move(message)});
    }

    void text(std::string_view s) {
        if (!s.empty()) w_->text(util::xml_safe_text(s));
    }

    void text_in(const char* name, std::string_view s) {
        w_->open(name);
        text(s);
        w_->close();
    }

    bool set_block_id(const Block& b) {
        if (b.id.empty()) return false;
        auto it = ids_.blocks.find(&b);
        if (it == ids_.blocks.end()) return false;
        w_->attr("id", it->second);
        return true;
    }

    // What `fill` writes, as a string of its own (to be completed before it joins the page).
    template <typename Fill> std::string apart(Fill fill) {
        std::string xml;
        XmlWriter sub(xml);
        XmlWriter* outer = w_;
        w_ = &sub;
        fill();
        w_ = outer;
        return xml;
    }

    const ImageResource* image_resource(int asset) const {
        if (asset < 0 || asset >= static_cast<int>(plan_.images.size())) return nullptr;
        const auto& r = plan_.images[asset];
        return r.ok ? &r : nullptr;
    }

    void banner() {
        const ImageResource* r = image_resource(ch_.banner);
        if (!r) return; // a failed banner was reported when the image was prepared
        w_->open("div");
        w_->attr("class", "banner");
        w_->open("img");
        w_->attr("src", "../" + r->path);
        // An alt text that repeats the heading below it is read twice: such a banner is decoration.
        if (ch_.banner_alt.empty() || ch_.banner_alt == ch_.title) {
            w_->attr("alt", "");
            w_->attr("role", "presentation");
        } else {
            w_->attr("alt", util::xml_safe_text(ch_.banner_alt));
        }
        w_->close();
        w_->close();
    }

    // ---- blocks

    void blocks(const std::vector<Block>& bs) {
        for (size_t i = 0; i < bs.size(); ++i) {
            path_.push_back(int(i));
            block(bs[i]);
            path_.pop_back();
        }
    }

    // Opens `name` with its class (if any) and the block's id, in that order.
    void open_block(const char* name, const Block& b, std::string_view cls = {}) {
        w_->open(name);
        if (!cls.empty()) w_->attr("class", cls);
        set_block_id(b);
    }

    void block(const Block& b) {
        if (b.line > 0) line_ = b.line;
        if (!in_notes_) marks_.before(*w_, path_);
        switch (b.kind) {
        case BlockKind::Paragraph:
            open_block("p", b);
            body_inlines(b.inlines);
            break;
        case BlockKind::Heading: {
            int level = std::clamp(b.level, 1, std::min(6, heading_level_ + 1));
            heading_level_ = level;
            static const char* const names[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
            open_block(names[level - 1], b);
            body_inlines(b.inlines);
            break;
        }
        case BlockKind::BlockQuote:
            open_block("blockquote", b);
            blocks(b.children);
            break;
        case BlockKind::List:
            list(b);
            break;
        case BlockKind::ListItem: // outside a list: keep its content
            list_item("div", b, false, "list-item");
            return; // closed there
        case BlockKind::CodeBlock: {
            open_block("pre", b);
            w_->open("code");
            std::string lang = b.info.substr(0, b.info.find_first_of(" \t\n{,"));
            if (!lang.empty()) w_->attr("class", util::xml_safe_text("language-" + lang));
            if (!in_notes_) marks_.open_text(path_);
            body_text(b.text);
            marks_.close_text();
            w_->close();
            break;
        }
        case BlockKind::ThematicBreak:
            open_block("hr", b);
            break;
        case BlockKind::Table:
            table(b);
            break;
        case BlockKind::Figure:
            open_block("figure", b);
            blocks(b.children);
            if (!b.inlines.empty()) {
                w_->open("figcaption");
                body_inlines(b.inlines, doc::kCaption);
                w_->close();
            }
            break;
        case BlockKind::Aside: {
            std::string style = class_tokens(b.style);
            open_block("aside", b, style.empty() ? "hint" : "hint " + style);
            // A note, not a complementary landmark: several unlabelled ones on a page are what
            // Ace's landmark-unique reports.
            w_->attr("role", "note");
            titled_children(b, "hint-title");
            break;
        }
        case BlockKind::Details:
            open_block("div", b, "details");
            titled_children(b, "details-title");
            break;
        case BlockKind::Division: {
            std::string style = class_tokens(b.style);
            open_block("div", b, style.empty() ? "division" : "division " + style);
            blocks(b.children);
            break;
        }
        }
        w_->close();
    }

    void titled_children(const Block& b, const char* title_class) {
        if (!b.inlines.empty()) {
            w_->open("p");
            w_->attr("class", title_class);
            body_inlines(b.inlines);
            w_->close();
        }
        blocks(b.children);
    }

    void list(const Block& b) {
        w_->open(b.ordered ? "ol" : "ul");
        if (b.ordered && b.start != 1) w_->attr("start", std::to_string(b.start));
        bool tasks = false;
        for (const auto& item : b.children)
            tasks = tasks || item.task >= 0;
        if (tasks) w_->attr("class", "tasks");
        set_block_id(b);
        for (size_t i = 0; i < b.children.size(); ++i) {
            const Block& item = b.children[i];
            path_.push_back(int(i));
            if (item.kind == BlockKind::ListItem) {
                if (item.line > 0) line_ = item.line;
                list_item("li", item, b.tight, "");
            } else {
                w_->open("li");
                block(item);
                w_->close();
            }
            path_.pop_back();
        }
    }

    // A list item as `name` (li, or a div with class `cls` outside a list); a task's box goes
    // first in its leading paragraph, or first in the item.
    void list_item(const char* name, const Block& item, bool tight, std::string_view cls) {
        w_->open(name);
        if (item.task >= 0) cls = item.task ? "task done" : "task";
        if (!cls.empty()) w_->attr("class", cls);
        set_block_id(item);
        std::string content = apart([&] {
            if (!in_notes_) marks_.before(*w_, path_);
            bool after_inline_run = false;
            for (size_t i = 0; i < item.children.size(); ++i) {
                const Block& c = item.children[i];
                path_.push_back(int(i));
                // Tight lists show their paragraphs bare, as cmark does; one with an id keeps its
                // <p>.
                if (tight && c.kind == BlockKind::Paragraph && c.id.empty()) {
                    if (after_inline_run) {
                        w_->open("br");
                        w_->close();
                    }
                    body_inlines(c.inlines);
                    after_inline_run = true;
                } else {
                    block(c);
                    after_inline_run = false;
                }
                path_.pop_back();
            }
        });
        if (item.task >= 0) {
            std::string box = apart([&] {
                w_->open("span");
                w_->attr("class", "task-box");
                w_->text(item.task ? "\u2611" : "\u2610");
                w_->close();
                w_->text(" ");
            });
            content.insert(starts_with_p(content) ? after_start_tag(content) : 0, box);
        }
        w_->raw(content);
        w_->close();
    }

    void table(const Block& b) {
        open_block("table", b);
        size_t head = std::min(static_cast<size_t>(std::max(b.header_rows, 0)), b.rows.size());
        for (size_t r = 0; r < b.rows.size(); ++r) {
            bool is_head = r < head;
            if (r == head && r > 0) w_->close(); // thead
            if (r == 0 || r == head) w_->open(is_head ? "thead" : "tbody");
            w_->open("tr");
            const auto& cells = b.rows[r].cells;
            for (size_t c = 0; c < cells.size(); ++c) {
                w_->open(is_head ? "th" : "td");
                if (is_head) w_->attr("scope", "col");
                doc::Align a = c < b.aligns.size() ? b.aligns[c] : doc::Align::None;
                if (a == doc::Align::Left) w_->attr("class", "align-left");
                if (a == doc::Align::Center) w_->attr("class", "align-center");
                if (a == doc::Align::Right) w_->attr("class", "align-right");
                path_.insert(path_.end(), {int(r), int(c)});
                body_inlines(cells[c].inlines);
                path_.resize(path_.size() - 2);
                w_->close();
            }
            w_->close(); // tr
        }
        if (!b.rows.empty()) w_->close(); // thead or tbody
    }

    // ---- inlines

    void inlines(const std::vector<Inline>& ins) {
        for (const auto& in : ins)
            inline_(in);
    }

    void wrapped(const char* name, const std::vector<Inline>& children) {
        w_->open(name);
        inlines(children);
        w_->close();
    }

    void inline_(const Inline& in) {
        switch (in.kind) {
        case InlineKind::Text:
            body_text(in.text);
            break;
        case InlineKind::Emphasis:
            wrapped("em", in.children);
            break;
        case InlineKind::Strong:
            wrapped("strong", in.children);
            break;
        case InlineKind::Strikethrough:
            wrapped("del", in.children);
            break;
        case InlineKind::Superscript:
            wrapped("sup", in.children);
            break;
        case InlineKind::Subscript:
            wrapped("sub", in.children);
            break;
        case InlineKind::Code:
            w_->open("code");
            body_text(in.text);
            w_->close();
            break;
        case InlineKind::Link:
            link(in);
            break;
        case InlineKind::Image:
            image(in);
            break;
        case InlineKind::LineBreak:
            w_->open("br");
            w_->close();
            break;
        case InlineKind::SoftBreak:
            text(" ");
            break;
        case InlineKind::NoteRef:
            note_ref(in);
            break;
        }
    }

    void link(const Inline& in) {
        std::string target, problem;
        if (link_depth_ == 0) target = link_href(plan_, index_, in.target, problem);
        at_ = &in;
        if (!problem.empty()) warn(std::move(problem));
        at_ = nullptr;
        if (!target.empty()) {
            w_->open("a");
            w_->attr("href", target);
            if (!in.title.empty()) w_->attr("title", util::xml_safe_text(in.title));
        }
        ++link_depth_;
        if (!in.children.empty())
            inlines(in.children);
        else if (!in.target.internal())
            text(in.target.url);
        else if (in.target.chapter < static_cast<int>(plan_.files.size()))
            text(plan_.book->chapters[in.target.chapter].title);
        --link_depth_;
        if (!target.empty()) w_->close();
    }

    void image(const Inline& in) {
        const ImageResource* r = image_resource(in.asset);
        if (!r) {
            at_ = &in;
            if (in.asset < 0 || in.asset >= static_cast<int>(plan_.images.size()))
                warn("image without a file; its alt text is shown instead");
            at_ = nullptr;
            if (!in.text.empty()) {
                w_->open("span");
                w_->attr("class", "image-alt");
                text(in.text);
                w_->close();
            }
            return;
        }
        w_->open("img");
        w_->attr("src", "../" + r->path);
        w_->attr("alt", util::xml_safe_text(in.text));
        if (!in.title.empty()) w_->attr("title", util::xml_safe_text(in.title));
        w_->close();
    }

    void note_ref(const Inline& in) {
        int n = in.note;
        std::string shown = in.text;
        if (n < 0 || n >= static_cast<int>(ch_.notes.size())) {
            warn("reference to a footnote that does not exist");
            text_in("sup", shown);
            return;
        }
        if (shown.empty()) shown = std::to_string(n + 1);
        if (link_depth_ > 0) { // an <a> cannot nest in another
            text_in("sup", shown);
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
        w_->open("sup");
        w_->open("a");
        w_->attr("epub:type", "noteref");
        w_->attr("role", "doc-noteref");
        w_->attr("class", "noteref");
        w_->attr("href", "#" + ids_.notes[n]);
        w_->attr("id", id);
        text(shown);
        w_->close();
        w_->close();
    }

    void footnotes() {
        if (ch_.notes.empty()) return;
        // Notes can reference each other, so the way back is known only after all are written:
        // each note's content waits as text of its own until then.
        std::vector<std::string> bodies(ch_.notes.size());
        in_notes_ = true;
        for (size_t i = 0; i < ch_.notes.size(); ++i)
            bodies[i] = apart([&] { blocks(ch_.notes[i].blocks); });
        w_->open("section");
        w_->attr("epub:type", "footnotes");
        w_->attr("role", "doc-endnotes");
        w_->attr("class", "footnotes");
        for (size_t i = 0; i < ch_.notes.size(); ++i) {
            w_->open("aside");
            w_->attr("epub:type", "footnote");
            w_->attr("role", "doc-footnote");
            w_->attr("class", "footnote");
            w_->attr("id", ids_.notes[i]);
            w_->raw(finish_note(i, std::move(bodies[i])));
            std::string().swap(bodies[i]);
            w_->close();
        }
        w_->close();
    }

    // The note's number first in its leading paragraph (or one of its own), and the link back
    // last in its closing paragraph (or one of its own).
    std::string finish_note(size_t i, std::string xml) {
        std::string label = apart([&] {
            w_->open("span");
            w_->attr("class", "footnote-label");
            text((labels_[i].empty() ? std::to_string(i + 1) : labels_[i]) + ".");
            w_->close();
            w_->text(" ");
        });
        if (starts_with_p(xml))
            xml.insert(after_start_tag(xml), label);
        else
            xml.insert(0, "<p>" + label + "</p>");
        if (refs_seen_[i] == 0) return xml;
        std::string back = apart([&] {
            w_->text(" ");
            w_->open("a");
            w_->attr("href", "#" + note_refs_[i]);
            w_->attr("role", "doc-backlink");
            w_->attr("class", "footnote-back");
            w_->text("\u21A9\uFE0E");
            w_->close();
        });
        constexpr std::string_view kEnd = "</p>";
        if (xml.ends_with(kEnd))
            xml.insert(xml.size() - kEnd.size(), back);
        else
            xml += "<p>" + back + "</p>";
        return xml;
    }
};

} // namespace

RenderedPage render_chapter(const Plan& plan, const PageTemplate& page, size_t chapter) {
    return ChapterRenderer(plan, chapter).run(page);
}

} // namespace imprenta::epub

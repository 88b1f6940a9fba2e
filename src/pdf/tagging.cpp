#include "pdf/tagging.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <string_view>

namespace imprenta::pdf {

using namespace std::string_view_literals; // appended with their length known

const char* role_name(Role r) {
    switch (r) {
    case Role::Sect:
        return "Sect";
    case Role::Part:
        return "Part";
    case Role::H1:
        return "H1";
    case Role::H2:
        return "H2";
    case Role::H3:
        return "H3";
    case Role::H4:
        return "H4";
    case Role::H5:
        return "H5";
    case Role::H6:
        return "H6";
    case Role::P:
        return "P";
    case Role::L:
        return "L";
    case Role::LI:
        return "LI";
    case Role::Lbl:
        return "Lbl";
    case Role::LBody:
        return "LBody";
    case Role::Table:
        return "Table";
    case Role::TR:
        return "TR";
    case Role::TH:
        return "TH";
    case Role::TD:
        return "TD";
    case Role::Figure:
        return "Figure";
    case Role::Caption:
        return "Caption";
    case Role::Note:
        return "Note";
    case Role::BlockQuote:
        return "BlockQuote";
    case Role::Code:
        return "Code";
    case Role::Div:
        return "Div";
    case Role::TOC:
        return "TOC";
    case Role::TOCI:
        return "TOCI";
    }
    return "Span";
}

Role heading_role(int level) {
    static const Role h[] = {Role::H1, Role::H2, Role::H3, Role::H4, Role::H5, Role::H6};
    return h[std::clamp(level, 1, 6) - 1];
}

std::vector<const char*> StructTree::role_names() const {
    std::vector<const char*> out;
    out.reserve(nodes.size());
    for (const auto& n : nodes)
        out.push_back(role_name(n.role));
    return out;
}

namespace {

// One structure element while the tree is written: its kids (its own marked content, then its
// children, in reading order) as lists threaded through indexes, a few bytes per element.
struct Elem {
    haru::Obj obj;
    const char* role = "";
    int parent = -1; // index in elems_; -1: the StructTreeRoot
    int first_child = -1, last_child = -1, next_sibling = -1;
    int first_mcr = -1, last_mcr = -1;
    bool entries = false;  // a text dictionary with libharu entries (/Alt, /Lang); else deferred
    bool link = false;     // a link's element: its body is written when it is made
    bool th_scope = false; // a header cell: says it heads its column (PDF/UA)
};

struct Mcr { // a piece of marked content: (page, MCID)
    haru::Obj page;
    int mcid = 0;
    int next = -1;
};

class StructureWriter {
public:
    StructureWriter(haru::Objects& o) : o_(o) {}

    void run(const std::vector<StructTree*>& trees, const std::vector<std::string>& langs,
             std::vector<TaggedPage>& pages) {
        // Sized once: a book of notes has 500,000 elements, and a doubling vector would hold
        // one and a half copies of them while it grows.
        size_t n_elems = 1, n_mcrs = 0;
        for (const StructTree* t : trees)
            n_elems += t->nodes.size();
        for (const auto& pg : pages) {
            n_elems += pg.links.size();
            n_mcrs += pg.marks.size();
        }
        elems_.reserve(n_elems);
        mcrs_.reserve(n_mcrs);
        root_ = o_.dict();
        o_.name(root_, "Type", "StructTreeRoot");
        doc_ = element("Document", -1);
        o_.put(root_, "K", elems_[size_t(doc_)].obj);
        for (size_t t = 0; t < trees.size(); ++t) {
            add_tree(*trees[t], langs[t]);
            std::vector<StructNode>().swap(trees[t]->nodes); // its elements hold what is needed
            std::vector<std::string>().swap(trees[t]->alts);
        }

        // The parent tree's /Nums, as text written as libharu writes arrays: an entry per
        // page and per link (hundreds of thousands in a book of notes).
        std::string nums = "/Nums [ ";
        int key = 0;
        for (auto& pg : pages) {
            o_.number(pg.page, "StructParents", key);
            o_.name(pg.page, "Tabs", "S");
            append_int(nums, key++);
            nums += " [ "sv;
            for (size_t mcid = 0; mcid < pg.marks.size(); ++mcid) {
                int e = elem(pg.tree, pg.marks[mcid]);
                haru::Objects::append_ref(nums, elems_[size_t(e)].obj);
                nums += ' ';
                add_mcr(e, pg.page, int(mcid));
            }
            nums += "] "sv;
        }
        // One per link, and a book of notes has hundreds of thousands: deferred text. The
        // annotation carries its /StructParent (this key) already.
        for (auto& pg : pages)
            for (const auto& l : pg.links) {
                int parent = l.node >= 0 && pg.tree ? elem(pg.tree, l.node) : doc_;
                int link = element("Link", parent);
                elems_[size_t(link)].link = true;
                body_.clear();
                head(body_, elems_[size_t(link)]);
                body_ += "/K [ << /Type /OBJR /Obj "sv;
                haru::Objects::append_ref(body_, l.annotation);
                body_ += " /Pg "sv;
                haru::Objects::append_ref(body_, pg.page);
                body_ += " >> ]\012"sv;
                o_.set_body(elems_[size_t(link)].obj, body_);
                append_int(nums, key++);
                nums += ' ';
                haru::Objects::append_ref(nums, elems_[size_t(link)].obj);
                nums += ' ';
            }
        for (size_t e = 0; e < elems_.size(); ++e)
            if (!elems_[e].link) write(elems_[e]);
        nums += "]\012"sv;
        o_.put(root_, "ParentTree", o_.text_dict(nums, false));
        o_.number(root_, "ParentTreeNextKey", key);
        haru::Obj catalog = o_.catalog();
        o_.put(catalog, "StructTreeRoot", root_);
        haru::Obj mark = o_.direct_dict();
        o_.put(mark, "Marked", o_.boolean(true));
        o_.put(catalog, "MarkInfo", mark);
    }

private:
    haru::Objects& o_;
    haru::Obj root_;
    int doc_ = -1;
    std::vector<Elem> elems_;
    std::vector<Mcr> mcrs_;
    std::map<const StructTree*, std::vector<int>> tree_elems_; // node -> elems_ index
    std::string body_, kids_;                                  // reused for each element's text

    static void append_int(std::string& out, int v) {
        char buf[16];
        out.append(buf, size_t(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    }

    // Numbered now, written once its kids are known; as a text dictionary when it takes /Alt
    // or /Lang entries (figures, a chapter's root: few).
    int element(const char* role, int parent, bool entries = false, bool th_scope = false) {
        Elem e;
        e.role = role;
        e.th_scope = th_scope;
        e.parent = parent;
        e.entries = entries;
        if (entries) {
            body_.clear();
            head(body_, e);
            e.obj = o_.text_dict(body_, true);
        } else {
            e.obj = o_.deferred();
        }
        elems_.push_back(e);
        int index = int(elems_.size()) - 1;
        if (parent >= 0) {
            Elem& p = elems_[size_t(parent)];
            append(p.first_child, p.last_child, index,
                   [&](int i) -> int& { return elems_[size_t(i)].next_sibling; });
        }
        return index;
    }

    // Appends `index` to a list threaded through indexes (first, last, and each item's next).
    template <class Next> static void append(int& first, int& last, int index, Next next) {
        if (last >= 0)
            next(last) = index;
        else
            first = index;
        last = index;
    }

    void head(std::string& out, const Elem& e) const {
        out += "/Type /StructElem\012/S /"sv;
        out += e.role;
        out += "\012/P "sv;
        haru::Objects::append_ref(out, e.parent >= 0 ? elems_[size_t(e.parent)].obj : root_);
        out += '\012';
        if (e.th_scope) out += "/A << /O /Table /Scope /Column >>\012"sv;
    }

    void add_mcr(int e, haru::Obj page, int mcid) {
        mcrs_.push_back({page, mcid, -1});
        int index = int(mcrs_.size()) - 1;
        Elem& el = elems_[size_t(e)];
        append(el.first_mcr, el.last_mcr, index,
               [&](int i) -> int& { return mcrs_[size_t(i)].next; });
    }

    int elem(const StructTree* tree, int node) {
        if (!tree) return doc_;
        const auto& v = tree_elems_[tree];
        return node >= 0 && size_t(node) < v.size() ? v[size_t(node)] : doc_;
    }

    void add_tree(const StructTree& tree, const std::string& lang) {
        auto& v = tree_elems_[&tree];
        v.reserve(tree.nodes.size());
        for (size_t i = 0; i < tree.nodes.size(); ++i) {
            const StructNode& n = tree.nodes[i];
            const std::string& alt = tree.alt(n);
            bool l = i == 0 && !lang.empty(); // a chapter's root says its language
            // Header rows head their columns (PDF/UA asks a TH to say what it heads).
            int e = element(role_name(n.role), n.parent >= 0 ? v[size_t(n.parent)] : doc_,
                            !alt.empty() || l, n.role == Role::TH);
            if (!alt.empty()) o_.text(elems_[size_t(e)].obj, "Alt", alt);
            if (l) o_.text(elems_[size_t(e)].obj, "Lang", lang);
            v.push_back(e);
        }
    }

    static void mcr_body(std::string& out, const Mcr& m) {
        out += "/Type /MCR /Pg "sv;
        haru::Objects::append_ref(out, m.page);
        out += " /MCID "sv;
        append_int(out, m.mcid);
        out += ' ';
    }

    // /K [ MCRs... children... ]: an entry of a text dictionary, or the start of a deferred
    // element's body, written as libharu writes the entry (the same bytes either way).
    void write(const Elem& e) {
        bool kids = e.first_mcr >= 0 || e.first_child >= 0;
        if (e.entries) {
            if (!kids) return;
            haru::Obj arr = o_.array();
            for (int m = e.first_mcr; m >= 0; m = mcrs_[size_t(m)].next) {
                kids_.clear();
                mcr_body(kids_, mcrs_[size_t(m)]);
                o_.push(arr, o_.text_dict(kids_, false));
            }
            for (int c = e.first_child; c >= 0; c = elems_[size_t(c)].next_sibling)
                o_.push(arr, elems_[size_t(c)].obj);
            o_.put(e.obj, "K", arr);
            return;
        }
        body_.clear();
        if (kids) {
            body_ = "/K [ ";
            for (int m = e.first_mcr; m >= 0; m = mcrs_[size_t(m)].next) {
                body_ += "<<\012"sv;
                mcr_body(body_, mcrs_[size_t(m)]);
                body_ += ">> "sv;
            }
            for (int c = e.first_child; c >= 0; c = elems_[size_t(c)].next_sibling) {
                haru::Objects::append_ref(body_, elems_[size_t(c)].obj);
                body_ += ' ';
            }
            body_ += "]\012"sv;
        }
        head(body_, e);
        o_.set_body(e.obj, body_);
    }
};

} // namespace

void write_structure(haru::Objects& objects, const std::vector<StructTree*>& trees,
                     const std::vector<std::string>& langs, std::vector<TaggedPage>& pages) {
    StructureWriter(objects).run(trees, langs, pages);
}

} // namespace imprenta::pdf

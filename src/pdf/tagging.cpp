#include "pdf/tagging.h"

#include <algorithm>
#include <map>

namespace imprenta::pdf {

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

// A structure element's kids in reading order: its own marked content, then its children.
struct Kids {
    std::vector<std::pair<haru::Obj, int>> content; // (page, MCID)
    std::vector<haru::Obj> children;
};

class StructureWriter {
public:
    StructureWriter(haru::Objects& o) : o_(o) {}

    void run(const std::vector<const StructTree*>& trees, const std::vector<std::string>& langs,
             std::vector<TaggedPage>& pages) {
        haru::Obj root = o_.dict();
        o_.name(root, "Type", "StructTreeRoot");
        doc_ = element("Document", root);
        o_.put(root, "K", doc_);
        for (size_t t = 0; t < trees.size(); ++t)
            add_tree(*trees[t], langs[t]);

        haru::Obj nums = o_.array();
        int key = 0;
        for (auto& pg : pages) {
            o_.number(pg.page, "StructParents", key);
            o_.name(pg.page, "Tabs", "S");
            haru::Obj parents = o_.array();
            for (size_t mcid = 0; mcid < pg.marks.size(); ++mcid) {
                haru::Obj e = elem(pg.tree, pg.marks[mcid]);
                o_.push(parents, e);
                kids(e).content.emplace_back(pg.page, int(mcid));
            }
            o_.push_number(nums, key++);
            o_.push(nums, parents);
        }
        for (auto& pg : pages)
            for (const auto& l : pg.links) {
                haru::Obj parent = l.node >= 0 && pg.tree ? elem(pg.tree, l.node) : doc_;
                // One per link, and a book of notes has hundreds of thousands: written as
                // text, not as libharu entries.
                haru::Obj link =
                    element("Link", parent,
                            "/K [ << /Type /OBJR /Obj " + haru::Objects::ref(l.annotation) +
                                " /Pg " + haru::Objects::ref(pg.page) + " >> ]\012");
                kids(parent).children.push_back(link);
                o_.append_body(l.annotation, "/StructParent " + std::to_string(key) + "\012");
                o_.push_number(nums, key++);
                o_.push(nums, link);
            }
        for (auto& [e, k] : kids_)
            write_kids(e, k);
        haru::Obj tree = o_.direct_dict();
        o_.put(tree, "Nums", nums);
        o_.put(root, "ParentTree", tree);
        o_.number(root, "ParentTreeNextKey", key);
        haru::Obj catalog = o_.catalog();
        o_.put(catalog, "StructTreeRoot", root);
        haru::Obj mark = o_.direct_dict();
        o_.put(mark, "Marked", o_.boolean(true));
        o_.put(catalog, "MarkInfo", mark);
    }

private:
    haru::Objects& o_;
    haru::Obj doc_;
    std::map<const StructTree*, std::vector<haru::Obj>> elems_;
    std::vector<std::pair<haru::Obj, Kids>> kids_; // in creation order (stable output)
    std::map<void*, size_t> kid_index_;

    // Written as text (a book of notes has hundreds of thousands of elements); /K, /Alt and
    // /Lang are added as entries later.
    haru::Obj element(const char* role, haru::Obj parent, std::string_view more = {}) {
        std::string body = "/Type /StructElem\012/S /";
        body += role;
        body += "\012/P ";
        body += haru::Objects::ref(parent);
        body += "\012";
        body += more;
        return o_.text_dict(body, true);
    }

    Kids& kids(haru::Obj e) {
        auto [it, fresh] = kid_index_.emplace(e.p, kids_.size());
        if (fresh) kids_.push_back({e, {}});
        return kids_[it->second].second;
    }

    haru::Obj elem(const StructTree* tree, int node) {
        if (!tree) return doc_;
        const auto& v = elems_[tree];
        return node >= 0 && size_t(node) < v.size() ? v[size_t(node)] : doc_;
    }

    void add_tree(const StructTree& tree, const std::string& lang) {
        auto& v = elems_[&tree];
        for (size_t i = 0; i < tree.nodes.size(); ++i) {
            const StructNode& n = tree.nodes[i];
            haru::Obj parent = n.parent >= 0 ? v[size_t(n.parent)] : doc_;
            // Header rows head their columns (PDF/UA asks a TH to say what it heads).
            haru::Obj e =
                element(role_name(n.role), parent,
                        n.role == Role::TH ? "/A << /O /Table /Scope /Column >>\012" : "");
            kids(parent).children.push_back(e);
            if (!n.alt.empty()) o_.text(e, "Alt", n.alt);
            const std::string& l = i == 0 ? lang : n.lang;
            if (!l.empty()) o_.text(e, "Lang", l);
            v.push_back(e);
        }
    }

    void write_kids(haru::Obj e, const Kids& k) {
        if (k.content.empty() && k.children.empty()) return;
        haru::Obj arr = o_.array();
        for (const auto& [page, mcid] : k.content) // as text: one per piece of content
            o_.push(arr, o_.text_dict("/Type /MCR /Pg " + haru::Objects::ref(page) + " /MCID " +
                                          std::to_string(mcid) + " ",
                                      false));
        for (haru::Obj c : k.children)
            o_.push(arr, c);
        o_.put(e, "K", arr);
    }
};

} // namespace

void write_structure(haru::Objects& objects, const std::vector<const StructTree*>& trees,
                     const std::vector<std::string>& langs, std::vector<TaggedPage>& pages) {
    StructureWriter(objects).run(trees, langs, pages);
}

} // namespace imprenta::pdf

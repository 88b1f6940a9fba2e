// The tagged PDF's logical structure (PDF 1.7 section 14.7, PDF/UA-1): each chapter's layout
// grows a tree of structure nodes while it sets its blocks; drawing operations name their node
// (TextOp::tag ...). The writer numbers the marked content of each page (content.cpp) and then
// writes the tree, the parent tree and the links' object references (write_structure).
#pragma once
#include "pdf/haru_objects.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imprenta::pdf {

enum class Role : uint8_t {
    Sect, // a chapter (node 0 of its tree)
    Part, // a part's opening (node 0)
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    TH,
    TD,
    Figure,
    Caption,
    Note,
    BlockQuote,
    Code,
    Div,
    TOC,
    TOCI,
};

// The standard structure type's name ("H2", "LBody").
const char* role_name(Role r);
Role heading_role(int level); // H1..H6, deeper levels as H6

// 12 bytes: a book of notes has 300,000, held from its layout until the PDF is written.
struct StructNode {
    Role role = Role::P;
    int parent = -1; // index in the same tree; -1 for the root
    int alt = -1;    // its /Alt (figures): index in StructTree::alts; -1: none
};

// One chapter's structure, in reading order (a parent comes before its children).
struct StructTree {
    std::vector<StructNode> nodes;
    std::vector<std::string> alts;
    int add(Role role, int parent, std::string alt = {}) {
        int a = -1;
        if (!alt.empty()) {
            a = int(alts.size());
            alts.push_back(std::move(alt));
        }
        nodes.push_back({role, parent, a});
        return int(nodes.size()) - 1;
    }
    const std::string& alt(const StructNode& n) const {
        static const std::string none;
        return n.alt >= 0 ? alts[size_t(n.alt)] : none;
    }
    // The role names by node, for the marked-content tags of the page streams.
    std::vector<const char*> role_names() const;
};

// What the writer knows once the pages are in libharu's document.
struct TaggedPage {
    haru::Obj page;
    const StructTree* tree = nullptr; // its chapter's or the front matter's; null: artifacts
    std::vector<int> marks;           // MCID k belongs to node marks[k]
    struct Link {
        haru::Obj annotation;
        int node = -1;
    };
    std::vector<Link> links;
};

// Writes /StructTreeRoot (Document > Sect/Part per chapter > ...), the /ParentTree, each page's
// /StructParents and /Tabs /S, each link annotation's /StructParent, /MarkInfo. `langs` gives each
// tree's /Lang (the chapter's language), parallel to `trees`. Each tree's nodes are released
// once its elements are made (a book of notes has 300,000); pages still name their tree.
void write_structure(haru::Objects& objects, const std::vector<StructTree*>& trees,
                     const std::vector<std::string>& langs, std::vector<TaggedPage>& pages);

} // namespace imprenta::pdf

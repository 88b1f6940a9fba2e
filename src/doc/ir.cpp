#include "doc/ir.h"

namespace imprenta::doc {

std::string plain_text(const std::vector<Inline>& inlines) {
    std::string s;
    for (const auto& in : inlines) {
        switch (in.kind) {
        case InlineKind::Text:
        case InlineKind::Code:
            s += in.text;
            break;
        case InlineKind::SoftBreak:
        case InlineKind::LineBreak:
            s += ' ';
            break;
        case InlineKind::Image:
        case InlineKind::NoteRef:
            break;
        default:
            s += plain_text(in.children);
        }
    }
    return s;
}

} // namespace imprenta::doc

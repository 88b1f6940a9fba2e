#include "doc/literals.h"

#include <algorithm>

namespace imprenta::doc {

namespace {

// U+E000 index U+E001: private-use characters no page has reason to hold.
constexpr std::string_view kOpen = "\xEE\x80\x80";
constexpr std::string_view kClose = "\xEE\x80\x81";

// The literal held at `pos` (which starts a placeholder): its index and the placeholder's end.
bool placeholder_at(std::string_view s, size_t pos, size_t count, size_t& index, size_t& end) {
    if (s.substr(pos, kOpen.size()) != kOpen) return false;
    size_t i = pos + kOpen.size();
    size_t n = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 9) {
        n = n * 10 + size_t(s[i] - '0');
        ++i, ++digits;
    }
    if (digits == 0 || s.substr(i, kClose.size()) != kClose || n >= count) return false;
    index = n;
    end = i + kClose.size();
    return true;
}

Inline inline_of(InlineKind kind, std::string text) {
    Inline in;
    in.kind = kind;
    in.text = std::move(text);
    return in;
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\n") == std::string_view::npos;
}

} // namespace

std::string Literals::hold(Literal l) {
    items_.push_back(std::move(l));
    return std::string(kOpen) + std::to_string(items_.size() - 1) + std::string(kClose);
}

std::string Literals::replace_in(std::string_view s, bool in_code) const {
    std::string out;
    for (size_t pos = 0; pos < s.size();) {
        size_t index, end;
        if (placeholder_at(s, pos, items_.size(), index, end)) {
            const Literal& l = items_[index];
            out += in_code && l.kind != LiteralKind::Verbatim ? l.source : l.shown;
            pos = end;
        } else {
            out += s[pos++];
        }
    }
    return out;
}

// A Text inline split where it holds math: text, a code span of the TeX, text.
void Literals::restore_text(std::vector<Inline>& inlines, size_t i,
                            std::vector<Inline>& out) const {
    const std::string& s = inlines[i].text;
    std::string text;
    for (size_t pos = 0; pos < s.size();) {
        size_t index, end;
        if (!placeholder_at(s, pos, items_.size(), index, end)) {
            text += s[pos++];
            continue;
        }
        const Literal& l = items_[index];
        pos = end;
        if (l.kind == LiteralKind::Verbatim) {
            text += l.shown;
            continue;
        }
        if (!text.empty()) out.push_back(inline_of(InlineKind::Text, std::move(text)));
        text.clear();
        out.push_back(inline_of(InlineKind::Code, l.shown));
    }
    if (!text.empty()) out.push_back(inline_of(InlineKind::Text, std::move(text)));
}

void Literals::restore(std::vector<Inline>& inlines) const {
    std::vector<Inline> out;
    for (size_t i = 0; i < inlines.size(); ++i) {
        Inline& in = inlines[i];
        if (in.kind == InlineKind::Text && in.text.find(kOpen) != std::string::npos) {
            restore_text(inlines, i, out);
            continue;
        }
        if (in.kind == InlineKind::Code || in.kind == InlineKind::Image)
            in.text = replace_in(in.text, in.kind == InlineKind::Code);
        restore(in.children);
        out.push_back(std::move(in));
    }
    inlines = std::move(out);
}

void Literals::restore(std::vector<Block>& blocks) const {
    if (items_.empty()) return;
    for (auto& b : blocks) {
        // Display math alone in its paragraph is a math block.
        if (b.kind == BlockKind::Paragraph && b.inlines.size() == 1 &&
            b.inlines[0].kind == InlineKind::Text) {
            std::string_view t = b.inlines[0].text;
            size_t start = t.find(kOpen), index, end;
            if (start != std::string_view::npos && blank(t.substr(0, start)) &&
                placeholder_at(t, start, items_.size(), index, end) && blank(t.substr(end)) &&
                items_[index].kind == LiteralKind::DisplayMath) {
                b.kind = BlockKind::CodeBlock;
                b.info = "math";
                b.text = items_[index].shown;
                b.inlines.clear();
                continue;
            }
        }
        if (b.kind == BlockKind::CodeBlock) b.text = replace_in(b.text, true);
        b.info = replace_in(b.info, true);
        restore(b.inlines);
        for (auto& r : b.rows)
            for (auto& c : r.cells)
                restore(c.inlines);
        restore(b.children);
    }
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A fence line (``` or ~~~ after up to three spaces): its character and length, else 0.
size_t fence_of(std::string_view line, char& ch) {
    size_t i = 0;
    while (i < 3 && i < line.size() && line[i] == ' ')
        ++i;
    if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
    ch = line[i];
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == ch)
        ++n;
    return n >= 3 ? n : 0;
}

std::string trim_tex(std::string_view s) {
    return std::string(trim(s));
}

// One line outside code blocks: math pairs held, code spans and shortcode tags passed over.
std::string hold_in_line(std::string_view line, const book::MathDelimiters& inline_delims,
                         const book::MathDelimiters& block_delims, Literals& literals) {
    std::string out;
    for (size_t i = 0; i < line.size();) {
        char c = line[i];
        if (c == '`') {
            size_t n = line.find_first_not_of('`', i);
            if (n == std::string_view::npos) n = line.size();
            std::string run(n - i, '`');
            size_t close = line.find(run, n);
            while (close != std::string_view::npos && close + run.size() < line.size() &&
                   line[close + run.size()] == '`')
                close = line.find(run, line.find_first_not_of('`', close));
            size_t end = close == std::string_view::npos ? n : close + run.size();
            out += line.substr(i, end - i);
            i = end;
            continue;
        }
        if (line.substr(i, 3) == "{{<" || line.substr(i, 3) == "{{%") {
            size_t close = line.find(line[i + 2] == '<' ? ">}}" : "%}}", i + 3);
            size_t end = close == std::string_view::npos ? line.size() : close + 3;
            out += line.substr(i, end - i);
            i = end;
            continue;
        }
        if (c == '\\' && i + 1 < line.size() && line[i + 1] == '$') {
            out += line.substr(i, 2); // an escaped dollar is a dollar
            i += 2;
            continue;
        }
        bool held = false;
        // Block delimiters first: "$$" before "$".
        for (auto [delims, kind] : {std::pair{&block_delims, LiteralKind::DisplayMath},
                                    {&inline_delims, LiteralKind::InlineMath}}) {
            for (const auto& [open, close] : *delims) {
                if (line.substr(i, open.size()) != open) continue;
                size_t end = line.find(close, i + open.size());
                if (end == std::string_view::npos || end == i + open.size()) continue;
                std::string_view tex = line.substr(i + open.size(), end - i - open.size());
                std::string_view source = line.substr(i, end + close.size() - i);
                out += literals.hold({kind, trim_tex(tex), std::string(source)});
                i = end + close.size();
                held = true;
                break;
            }
            if (held) break;
        }
        if (!held) out += line[i++];
    }
    return out;
}

} // namespace

std::string hold_math(std::string_view body, const book::MathDelimiters& inline_delims,
                      const book::MathDelimiters& block_delims, Literals& literals) {
    if (inline_delims.empty() && block_delims.empty()) return std::string(body);
    std::string out;
    char fence_char = 0;
    size_t fence_len = 0;   // an open code fence
    std::string math_close; // an open math block's closing delimiter
    for (size_t pos = 0; pos <= body.size();) {
        size_t nl = body.find('\n', pos);
        if (nl == std::string_view::npos) nl = body.size();
        std::string_view line = body.substr(pos, nl - pos);
        char ch = 0;
        size_t n = fence_of(line, ch);
        if (!math_close.empty()) {
            if (trim(line) == math_close) {
                out += std::string(line.substr(0, line.find_first_not_of(" \t"))) + "```";
                math_close.clear();
            } else {
                out += line;
            }
        } else if (fence_len) {
            out += line;
            if (n >= fence_len && ch == fence_char && blank(line.substr(line.find(ch) + n)))
                fence_len = 0;
        } else if (n) {
            fence_char = ch;
            fence_len = n;
            out += line;
        } else {
            bool opened = false;
            for (const auto& [open, close] : block_delims)
                if (trim(line) == open) {
                    out += std::string(line.substr(0, line.find_first_not_of(" \t"))) + "```math";
                    math_close = close;
                    opened = true;
                    break;
                }
            if (!opened) out += hold_in_line(line, inline_delims, block_delims, literals);
        }
        if (nl == body.size()) break;
        out += '\n';
        pos = nl + 1;
    }
    if (!math_close.empty()) out += "\n```"; // never closed: the rest is the block, as goldmark
    return out;
}

} // namespace imprenta::doc

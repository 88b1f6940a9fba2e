#include "doc/translated_anchors.h"

#include "book/site_paths.h"
#include "doc/links.h"
#include "util/fs.h"
#include "util/utf8.h"

#include <algorithm>

namespace imprenta::doc {

namespace fs = std::filesystem;

std::vector<HeadingRef> markdown_headings(std::string_view text) {
    std::vector<HeadingRef> out;
    size_t pos = 0;
    auto next_line = [&](std::string_view& line) {
        if (pos > text.size()) return false;
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = nl + 1;
        return true;
    };
    std::string_view line;
    // Front matter: YAML comments start with '#' too.
    if (text.starts_with("---") || text.starts_with("+++")) {
        std::string_view fence = text.substr(0, 3);
        next_line(line);
        while (next_line(line) && line.substr(0, 3) != fence) {
        }
    }
    char fence_char = 0;
    size_t fence_len = 0;
    while (next_line(line)) {
        size_t i = line.find_first_not_of(' ');
        if (i == std::string_view::npos || i > 3) continue;
        char c = line[i];
        if (c == '`' || c == '~') {
            size_t n = line.find_first_not_of(c, i);
            n = (n == std::string_view::npos ? line.size() : n) - i;
            if (n >= 3) {
                if (!fence_len)
                    fence_char = c, fence_len = n;
                else if (c == fence_char && n >= fence_len)
                    fence_len = 0;
            }
            continue;
        }
        if (fence_len || c != '#') continue;
        size_t level = line.find_first_not_of('#', i) - i;
        if (level > 6 || (i + level < line.size() && line[i + level] != ' ')) continue;
        std::string_view title = line.substr(std::min(line.size(), i + level));
        while (!title.empty() && (title.back() == '#' || title.back() == ' '))
            title.remove_suffix(1);
        HeadingRef h;
        h.level = int(level);
        if (auto open = title.rfind("{#"); open != std::string_view::npos && title.ends_with("}"))
            h.id = std::string(title.substr(open + 2, title.size() - open - 3));
        else
            h.id = hugo_heading_id(title);
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<int> align_headings(const std::vector<HeadingRef>& source,
                                const std::vector<HeadingRef>& translated) {
    // A weighted longest common subsequence: a pair at the same level scores 1, or 3 when the
    // heading kept its id (an untranslated "RTP"), so those anchor the alignment.
    size_t n = source.size(), m = translated.size();
    std::vector<int> score((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> int& { return score[i * (m + 1) + j]; };
    auto pair_score = [&](size_t i, size_t j) {
        if (source[i].level != translated[j].level) return 0;
        return source[i].id == translated[j].id ? 3 : 1;
    };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;) {
            int best = std::max(at(i + 1, j), at(i, j + 1));
            if (int s = pair_score(i, j)) best = std::max(best, s + at(i + 1, j + 1));
            at(i, j) = best;
        }
    std::vector<int> map(n, -1);
    for (size_t i = 0, j = 0; i < n && j < m;) {
        int s = pair_score(i, j);
        if (s && at(i, j) == s + at(i + 1, j + 1)) {
            map[i] = int(j);
            ++i, ++j;
        } else if (at(i, j) == at(i + 1, j)) {
            ++i;
        } else {
            ++j;
        }
    }
    return map;
}

namespace {

void collect_headings(const std::vector<Block>& blocks, std::vector<HeadingRef>& refs,
                      std::vector<std::string>& ids) {
    for (const auto& b : blocks) {
        if (b.kind == BlockKind::Heading) {
            refs.push_back({b.level, hugo_heading_id(plain_text(b.inlines))});
            ids.push_back(b.id);
        }
        collect_headings(b.children, refs, ids);
    }
}

} // namespace

// The default language's file of the same page: the same path below its content folder, with
// its language suffix or none ("content.ru/docs/x.md", "docs/x.pl.md" -> "docs/x.en.md").
fs::path TranslatedAnchors::source_file(const fs::path& translated) const {
    const book::SiteLanguage* def = nullptr;
    for (const auto& l : site_.all_languages)
        if (l.code == site_.default_lang) def = &l;
    if (!def || site_.lang.empty() || site_.lang == site_.default_lang) return {};
    fs::path rel = translated.lexically_relative(site_.content_dir);
    if (rel.empty() || *rel.begin() == "..") return {};
    std::string stem = rel.stem().string(), ext = rel.extension().string();
    if (auto dot = stem.rfind('.'); dot != std::string::npos && stem.substr(dot + 1) == site_.lang)
        stem = stem.substr(0, dot);
    fs::path dir = def->content_dir / rel.parent_path();
    std::error_code ec;
    for (const auto& name : {stem + "." + def->code + ext, stem + ext}) {
        if (name == stem + ext && !def->owns_content_dir && def->content_dir == site_.content_dir)
            continue; // a shared folder: a suffix-less file is the default language's anyway
        if (fs::is_regular_file(dir / name, ec)) return dir / name;
    }
    return {};
}

const TranslatedAnchors::Page& TranslatedAnchors::page(int chapter) {
    if (auto it = pages_.find(chapter); it != pages_.end()) return it->second;
    Page& p = pages_[chapter];
    fs::path file = source_file(essays_[size_t(chapter)].path);
    if (file.empty()) return p;
    try {
        p.source = markdown_headings(util::read_book_file(book_.root, file, 16 << 20));
    } catch (const std::exception&) {
        return p; // unreadable or outside the book: no mapping, the link keeps its warning
    }
    std::vector<HeadingRef> refs;
    collect_headings(book_.chapters[size_t(chapter)].blocks, refs, p.translated);
    p.map = align_headings(p.source, refs);
    return p;
}

std::string TranslatedAnchors::find(int chapter, const std::string& frag) {
    std::lock_guard lock(mu_);
    const Page& p = page(chapter);
    std::string decoded = book::percent_decode(frag);
    for (size_t i = 0; i < p.source.size(); ++i)
        if (p.source[i].id == frag || p.source[i].id == decoded ||
            p.source[i].id == util::to_lower(decoded))
            return p.map[i] < 0 ? std::string() : p.translated[size_t(p.map[i])];
    return {};
}

} // namespace imprenta::doc

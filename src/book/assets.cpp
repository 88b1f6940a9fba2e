#include "book/assets.h"

#include "book/site_paths.h"
#include "image/image.h"
#include "util/fs.h"

#include <sys/stat.h>

namespace imprenta::book {

namespace fs = std::filesystem;

AssetResolver::AssetResolver(const Config& config) : config_(config) {
    std::error_code ec;
    root_resolved_ = fs::weakly_canonical(config.root, ec);
    if (ec) root_resolved_.clear(); // then nothing is within it
}

int AssetResolver::resolve(const std::string& written, const fs::path& essay_dir,
                           const util::SourcePos& pos, util::Diagnostics& diags,
                           const std::string& page_url) {
    std::string ref = written.substr(0, written.find_first_of("?#"));
    ref = percent_decode(ref);
    if (ref.empty()) {
        diags.warning(pos, "image with an empty path left out");
        return -1;
    }
    if (ref.starts_with("http://") || ref.starts_with("https://") || ref.starts_with("//")) {
        diags.warning(pos, "remote image not fetched: " + written);
        return -1;
    }
    if (ref.starts_with("data:")) {
        diags.warning(pos, "inline data: image left out");
        return -1;
    }
    for (const auto& [prefix, replacement] : config_.path_aliases) {
        if (ref.starts_with(prefix) && (ref.size() == prefix.size() || ref[prefix.size()] == '/'))
            ref = replacement + ref.substr(prefix.size());
    }
    const fs::path& root = config_.root;
    // "/img/x.png" is a site-absolute URL (Hugo), not a file-system path.
    bool site_absolute = ref[0] == '/';
    fs::path rel = fs::path(site_absolute ? ref.substr(ref.find_first_not_of('/')) : ref);
    std::vector<fs::path> candidates;
    if (!site_absolute) candidates.push_back(essay_dir / rel);
    const SiteConfig& site = config_.site;
    if (site.hugo && !site.content_dir.empty()) {
        // As the browser finds it: the URL resolved against the page's URL, served from the
        // content folder (page resources) or static/.
        std::string url = page_url.empty() ? "/" + rel.string() : resolve_url(page_url, ref);
        fs::path site_rel = fs::path(url.substr(1));
        candidates.push_back(site.content_dir / site_rel);
        candidates.push_back(root / "static" / site_rel);
        if (!site.url_prefix.empty() && url.starts_with(site.url_prefix + "/")) {
            site_rel = fs::path(url.substr(site.url_prefix.size() + 1));
            candidates.push_back(site.content_dir / site_rel);
            candidates.push_back(root / "static" / site_rel);
        }
        // A path that climbs one level too many (a translation copied from a page one level
        // deeper): the same tail beside the page or in a folder above it, within the content.
        std::string tail = ref;
        while (tail.starts_with("../"))
            tail = tail.substr(3);
        if (tail != ref && !site_absolute) {
            auto inside = [&](const fs::path& d) {
                auto r = d.lexically_relative(site.content_dir);
                return !r.empty() && *r.begin() != "..";
            };
            for (fs::path d = essay_dir; inside(d) && d != d.parent_path(); d = d.parent_path())
                candidates.push_back(d / tail);
        }
    }
    candidates.push_back(root / "assets" / rel);
    candidates.push_back(root / rel);
    candidates.push_back(root / "static" / rel);

    bool outside = false;
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!fs::is_regular_file(c, ec)) continue;
        // Resolved once: the book folder's own resolution is kept from the start.
        fs::path canonical = fs::weakly_canonical(c, ec);
        if (ec || root_resolved_.empty() || !util::is_within_resolved(root_resolved_, canonical)) {
            outside = true;
            continue;
        }
        {
            std::lock_guard lock(mu_);
            if (auto it = by_path_.find(canonical); it != by_path_.end())
                return seen_again(it->second, pos);
        }
        Asset a;
        a.source = canonical;
        a.source_display = util::display_path(canonical, root_resolved_);
        try {
            std::string bytes = util::read_file(canonical, size_t(64) << 20);
            auto info = image::probe(bytes);
            a.width = info.width;
            a.height = info.height;
            a.format = image::format_name(info.format);
            if (info.animated)
                diags.warning(pos, "image " + written +
                                       " is an animated WebP: only its first frame is shown");
        } catch (const image::ImageError& e) {
            diags.warning(pos, "image " + written + " left out: " + e.what());
            return -1;
        } catch (const util::BuildError& e) {
            diags.warning(pos, "image " + written + " left out: " + e.what());
            return -1;
        }
        struct stat st;
        int64_t mtime = ::stat(canonical.c_str(), &st) == 0 ? int64_t(st.st_mtime) : 0;
        a.used_at = pos;
        std::lock_guard lock(mu_);
        if (auto it = by_path_.find(canonical); it != by_path_.end())
            return seen_again(it->second, pos);
        newest_ = std::max(newest_, mtime);
        int index = int(assets_.size());
        assets_.push_back(std::move(a));
        by_path_[canonical] = index;
        return index;
    }
    if (outside)
        diags.warning(pos, "image " + written + " left out: it is outside the book folder");
    else
        diags.warning(pos,
                      "image not found: " + written +
                          " (looked beside the essay, in assets/, the book folder and static/)");
    return -1;
}

int AssetResolver::seen_again(int index, const util::SourcePos& pos) {
    util::SourcePos& at = assets_[size_t(index)].used_at;
    if (at.file.empty() || (!pos.file.empty() && refers_earlier(pos, at))) at = pos;
    return index;
}

int64_t AssetResolver::newest_mtime() const {
    std::lock_guard lock(mu_);
    return newest_;
}

std::vector<Asset> AssetResolver::take() {
    std::lock_guard lock(mu_);
    by_path_.clear();
    return std::move(assets_);
}

} // namespace imprenta::book

// `imprenta watch [BOOK] [build options]`: builds, then rebuilds whenever a file of the book is
// saved (inotify), printing one line per rebuild with its time. Rebuilds run in this process and
// keep a render::Memo: every essay is read and parsed again (cheap), but the EPUB pages and PDF
// chapter layouts whose inputs did not change are reused (content-addressed, so the outputs are
// a full build's, byte for byte). A change to anything but a Markdown file (book.toml, a
// template, a font, an image) clears the memo: the next rebuild is a full one. Ctrl-C or SIGTERM
// ends it through main()'s handler (exit 130 or 143), which removes a running build's temporary
// files; outputs are only ever renamed into place whole.
#include "cli/app.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/find_book.h"
#include "render/memo.h"
#include "util/diag.h"
#include "util/idle.h"
#include "util/memory.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace imprenta::cli {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                             IN_DELETE_SELF | IN_ATTRIB;
constexpr int kSettleMs = 60; // an editor's save is several events: wait for the burst to end

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// Editors' temporary and backup files, and hidden files, do not change the book.
bool ignored_name(const std::string& name) {
    return name.empty() || name[0] == '.' || name.back() == '~' || name == "4913" ||
           name.ends_with(".swp") || name.ends_with(".swx") || name.ends_with(".tmp");
}

bool inside(const fs::path& p, const fs::path& dir) {
    auto [a, b] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
    return a == dir.end();
}

class Watcher {
public:
    Watcher(fs::path root, std::vector<fs::path> skip) : root_(root), skip_(std::move(skip)) {
        fd_.fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd_.fd < 0)
            throw util::BuildError({root.string()}, std::string("cannot watch for changes: ") +
                                                        std::strerror(errno));
        add_tree(root);
    }
    int fd() const { return fd_.fd; }

    // Reads the pending events; returns the first changed path that matters ("" if none), and
    // sets `other` when a changed path is not a Markdown file.
    std::string drain(bool& other) {
        std::string changed;
        alignas(inotify_event) char buf[16384];
        for (;;) {
            ssize_t n = ::read(fd_.fd, buf, sizeof buf);
            if (n <= 0) break;
            for (char* p = buf; p < buf + n;) {
                auto* ev = reinterpret_cast<inotify_event*>(p);
                p += sizeof(inotify_event) + ev->len;
                auto dir = dirs_.find(ev->wd);
                if (dir == dirs_.end()) continue;
                std::string name = ev->len ? std::string(ev->name) : std::string();
                fs::path path = ev->len ? dir->second / name : dir->second;
                if (skipped(path) || (ev->len && ignored_name(name))) continue;
                if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) add_tree(path);
                if (changed.empty()) changed = path.lexically_relative(root_).string();
                std::string ext = path.extension().string();
                if ((ev->mask & IN_ISDIR) || (ext != ".md" && ext != ".markdown")) other = true;
            }
        }
        return changed;
    }

private:
    bool skipped(const fs::path& p) const {
        for (const auto& s : skip_)
            if (inside(p, s)) return true;
        return false;
    }

    void add_tree(const fs::path& dir) {
        add(dir);
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(dir, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (!it->is_directory(ec)) continue;
            std::string name = it->path().filename().string();
            if (ignored_name(name) || skipped(it->path())) {
                it.disable_recursion_pending();
                continue;
            }
            add(it->path());
        }
    }

    void add(const fs::path& dir) {
        if (skipped(dir)) return;
        int wd = ::inotify_add_watch(fd_.fd, dir.c_str(), kEvents | IN_ONLYDIR);
        if (wd >= 0) dirs_[wd] = dir;
    }

    fs::path root_;
    std::vector<fs::path> skip_;
    Fd fd_;
    std::map<int, fs::path> dirs_;
};

// Builds in this process with the memo of earlier rebuilds; returns the exit status and the time.
int rebuild(const std::vector<std::string>& args, render::Memo& memo, double& seconds) {
    auto started = std::chrono::steady_clock::now();
    std::vector<std::string> quiet = args;
    quiet.push_back("-q");
    int status = build(parse_build_args(quiet), builtin_renderers(), nullptr, &memo);
    std::fflush(stderr);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return status;
}

void report(int status, double seconds, const std::string& changed, const render::Memo& memo) {
    size_t looked = memo.last_hits() + memo.last_misses();
    const doc::EssayCache& essays = memo.essays();
    size_t parsed = essays.last_hits() + essays.last_misses();
    std::string reused = changed.empty() || status != 0
                             ? std::string()
                             : " (" + std::to_string(essays.last_hits()) + " of " +
                                   std::to_string(parsed) + " essays and " +
                                   std::to_string(memo.last_hits()) + " of " +
                                   std::to_string(looked) + " chapter renderings reused)";
    if (status == 0)
        std::printf("%s in %.3f s%s%s%s\n", changed.empty() ? "built" : "rebuilt", seconds,
                    changed.empty() ? "" : " after a change to ", changed.c_str(), reused.c_str());
    else
        std::printf("build failed in %.2f s%s%s (see above); the previous outputs are kept\n",
                    seconds, changed.empty() ? "" : " after a change to ", changed.c_str());
    std::fflush(stdout);
}

} // namespace

int run_watch(const std::vector<std::string>& args) {
    BuildArgs b = parse_build_args(args); // throws UsageError like build would
    try {
        BookTarget target = find_book(b.book, b.book_given);
        if (target.single_file)
            throw util::BuildError({b.book.string()}, "watch needs a book folder, not one essay");
        std::vector<std::string> build_args = args;
        if (!b.book_given) build_args.push_back(target.root.string());
        std::error_code ec;
        fs::path out = b.out ? fs::absolute(*b.out, ec) : target.root / "dist";
        std::vector<fs::path> skip{out.lexically_normal()};
        if (b.cache_dir) skip.push_back(fs::absolute(*b.cache_dir, ec).lexically_normal());

        Watcher watcher(target.root, skip);
        util::keep_free_memory(); // the next rebuild reuses it
        render::Memo memo;
        double seconds = 0;
        int status = rebuild(build_args, memo, seconds);
        report(status, seconds, "", memo);
        util::run_idle_work(); // what the build left to free, now that its time is reported
        std::printf("watching %s for changes (Ctrl-C to stop)\n", target.root.string().c_str());
        std::fflush(stdout);
        for (;;) {
            pollfd fds[1] = {{watcher.fd(), POLLIN, 0}};
            if (::poll(fds, 1, -1) < 0) {
                if (errno == EINTR) continue;
                break;
            }
            bool other = false;
            std::string changed = watcher.drain(other);
            // Let the burst of events of one save settle, then build once for all of them.
            while (::poll(fds, 1, kSettleMs) > 0) {
                std::string more = watcher.drain(other);
                if (changed.empty()) changed = more;
            }
            if (changed.empty()) continue;
            if (other) memo.clear(); // the keys cover the essays, not the configuration
            status = rebuild(build_args, memo, seconds);
            report(status, seconds, changed, memo);
            util::run_idle_work();
        }
        return 0;
    } catch (const util::BuildError& e) {
        std::fprintf(stderr, "%s\n", e.formatted().c_str());
        return 1;
    }
}

} // namespace imprenta::cli

#include "cli/progress.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace imprenta::cli {

using namespace std::chrono_literals;

Progress::Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {
    if (enabled_) thread_ = std::thread([this] { loop(); });
}

Progress::~Progress() {
    finish();
}

bool Progress::stderr_is_terminal() {
    const char* term = std::getenv("TERM");
    return isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

void Progress::stage(std::string text) {
    if (!enabled_) return;
    bool first;
    {
        std::lock_guard lock(mu_);
        first = text_.empty();
        text_ = std::move(text);
    }
    // The loop waits for the first stage: a build shorter than its 100 ms step drew nothing.
    if (first) cv_.notify_all();
}

void Progress::finish() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (drawn_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
}

void Progress::loop() {
    std::unique_lock lock(mu_);
    // Short builds print nothing: the first second passes in silence. The tests shorten it.
    auto delay = std::chrono::milliseconds(1000);
    if (const char* ms = std::getenv("IMPRENTA_PROGRESS_AFTER_MS"); ms && *ms)
        delay = std::chrono::milliseconds(std::atoi(ms));
    if (cv_.wait_until(lock, start_ + delay, [this] { return stop_; })) return;
    while (!stop_) {
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::string line = text_;
        if (line.empty()) { // nothing to say yet
            cv_.wait(lock, [this] { return stop_ || !text_.empty(); });
            continue;
        }
        // Long lines would wrap and leave a trail of lines behind the carriage return.
        if (line.size() > 68) {
            size_t cut = 65;
            while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
                --cut;
            line = line.substr(0, cut) + "...";
        }
        std::fprintf(stderr, "\r\033[K%s (%.1f s)", line.c_str(), secs);
        std::fflush(stderr);
        drawn_ = true;
        cv_.wait_for(lock, 100ms, [this] { return stop_; });
    }
}

} // namespace imprenta::cli

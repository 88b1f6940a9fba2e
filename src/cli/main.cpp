#include "cli/app.h"
#include "util/fs.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <thread>

namespace {

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which runs in
// an ordinary context (not a signal handler): it removes the temporary output files, says so in
// one line and exits 130 / 143. Earlier outputs are untouched, since nothing was renamed yet.
void stop_cleanly_on_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
    std::thread([set] {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) return;
        imprenta::util::remove_pending_temp_files();
        std::fprintf(stderr,
                     "imprenta: interrupted (%s): stopped, temporary files removed, "
                     "earlier outputs left as they were\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        std::fflush(stderr);
        std::_Exit(128 + sig);
    }).detach();
}

} // namespace

// Sanitizer builds end normally: LeakSanitizer checks at exit.
#if defined(__SANITIZE_ADDRESS__)
#define IMPRENTA_NORMAL_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define IMPRENTA_NORMAL_EXIT 1
#endif
#endif

int main(int argc, char** argv) {
    stop_cleanly_on_signals();
    int status = imprenta::cli::run(argc, argv);
#ifndef IMPRENTA_NORMAL_EXIT
    // Every output is committed and closed by now. Static destructors (the worker pool's joins,
    // mimalloc unmapping its segments one by one) took ~1.5 ms after each build, serially; the
    // system takes the whole address space back at once anyway.
    std::fflush(nullptr);
    std::_Exit(status);
#else
    return status;
#endif
}

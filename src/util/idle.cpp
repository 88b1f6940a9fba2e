#include "util/idle.h"

#include <mutex>
#include <utility>
#include <vector>

namespace imprenta::util {

namespace {
std::mutex mutex;
std::vector<std::function<void()>>& pending() {
    static auto* work = new std::vector<std::function<void()>>(); // never destroyed at exit
    return *work;
}
} // namespace

void when_idle(std::function<void()> work) {
    std::lock_guard lock(mutex);
    pending().push_back(std::move(work));
}

void run_idle_work() {
    std::vector<std::function<void()>> work;
    {
        std::lock_guard lock(mutex);
        work.swap(pending());
    }
    for (auto& w : work)
        w();
}

} // namespace imprenta::util

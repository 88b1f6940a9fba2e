#include "util/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

namespace imprenta::util {

size_t worker_count() {
    if (const char* s = std::getenv("IMPRENTA_THREADS")) {
        long v = std::strtol(s, nullptr, 10);
        if (v > 0) return static_cast<size_t>(std::min(v, 256L));
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallel_for(size_t n, const std::function<void(size_t)>& fn) {
    std::vector<std::exception_ptr> errors(n);
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next++) < n;) {
            try {
                fn(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    size_t threads = std::min(worker_count(), n);
    if (threads <= 1) {
        work();
    } else {
        std::vector<std::thread> pool;
        for (size_t t = 0; t + 1 < threads; ++t)
            pool.emplace_back(work);
        work();
        for (auto& th : pool)
            th.join();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace imprenta::util

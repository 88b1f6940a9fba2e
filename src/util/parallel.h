// A fixed pool of worker threads for per-chapter work, started on first use and kept until exit;
// results are indexed, so output order never depends on scheduling. IMPRENTA_THREADS sets the
// thread count (1 = serial).
#pragma once
#include <cstddef>
#include <functional>

namespace imprenta::util {

// Threads a parallel_for may use, the calling thread included: IMPRENTA_THREADS, else the cores.
size_t worker_count();

// Calls fn(i) for every i in [0, n) on up to worker_count() threads: the calling thread and the
// pool's workers. If any call throws, the exception of the lowest i is rethrown after all calls
// finished. A parallel_for inside fn runs serially on its thread (no deadlock, no
// oversubscription); calls from two unrelated threads take turns.
void parallel_for(size_t n, const std::function<void(size_t)>& fn);

} // namespace imprenta::util

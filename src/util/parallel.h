// A fixed pool of worker threads for per-chapter work; results are indexed, so output order never
// depends on scheduling. IMPRENTA_THREADS overrides the thread count (1 = serial).
#pragma once
#include <cstddef>
#include <functional>

namespace imprenta::util {

size_t worker_count();

// Calls fn(i) for every i in [0, n) on up to worker_count() threads. If any call throws, the
// exception of the lowest i is rethrown after all calls finished.
void parallel_for(size_t n, const std::function<void(size_t)>& fn);

} // namespace imprenta::util

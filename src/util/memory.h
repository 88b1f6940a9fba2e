// Handing freed memory back to the system between a build's stages, whichever allocator the
// binary runs on.
#pragma once
#include <malloc.h>

// mimalloc's, when the binary is linked with it (CMake IMPRENTA_MIMALLOC); null otherwise (the
// test binaries, the sanitizer and fuzzing builds), where glibc's malloc_trim does the work.
extern "C" void mi_collect(bool force) __attribute__((weak));

namespace imprenta::util {

// For a process that builds again and again (`imprenta watch`): freed memory stays with the
// process, and release_free_memory() does nothing. Otherwise every rebuild faults its pages in
// afresh: 200 essays in both formats, about 16,000 page faults and a quarter of a rebuild's CPU.
void keep_free_memory();
bool keeping_free_memory();

// For a book whose document alone takes tens of megabytes (100,000 notes): freed pages go back
// to the system at once instead of some milliseconds later, when the next stage has already
// taken new ones (100,000 notes: PDF peak about 60 MB lower). Normal books keep the delay,
// which saves them page faults. Does nothing without mimalloc.
void return_memory_promptly();
bool returning_memory_promptly();

// Takes back what other threads freed of this thread's allocations: mimalloc hands such blocks
// to the heap they came from, which collects them only when its thread allocates or collects.
inline void collect_thread_memory() {
    if (mi_collect) mi_collect(false);
}

// Worker threads' freed blocks are kept by the allocator for reuse; before a stage whose memory
// peaks, give them back (100,000 notes under mimalloc: PDF peak 586 -> 490 MB, EPUB 316 -> 269 MB).
inline void release_free_memory() {
    if (keeping_free_memory()) return;
    if (mi_collect) mi_collect(true);
    malloc_trim(0);
}

} // namespace imprenta::util

// Not through util/memory.h: its weak mi_collect and mimalloc.h's cannot be declared in one file.
#if __has_include(<mimalloc.h>)
#include <mimalloc.h>
// Null unless the binary is linked with mimalloc (as mi_collect in memory.h).
#pragma weak mi_option_disable
#pragma weak mi_option_set
#define IMPRENTA_HAVE_MIMALLOC_H 1
#endif

#include <atomic>

namespace imprenta::util {

namespace {
std::atomic<bool> keeping{false};
std::atomic<bool> prompt{false};
} // namespace

// Declared in util/memory.h.
void keep_free_memory() {
    keeping = true;
#ifdef IMPRENTA_HAVE_MIMALLOC_H
    // mimalloc hands freed pages back to the system a few milliseconds after they are freed.
    if (&mi_option_disable) mi_option_disable(mi_option_allow_decommit);
#endif
}

void return_memory_promptly() {
    if (keeping) return;
    prompt = true;
#ifdef IMPRENTA_HAVE_MIMALLOC_H
    // mimalloc 2.0 reads the option whenever it frees a page (MIMALLOC_DECOMMIT_DELAY, 25 ms).
    if (&mi_option_set) mi_option_set(mi_option_decommit_delay, 0);
#endif
}

bool returning_memory_promptly() {
    return prompt;
}

bool keeping_free_memory() {
    return keeping;
}

} // namespace imprenta::util

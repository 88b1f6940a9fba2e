// Work left for when a watch rebuild is over: freeing what it made and no longer needs. mimalloc
// hands a block freed on another thread back to the thread that allocated it, which pays for it
// at its next allocation; so a long book's objects freed on a helper thread still cost the main
// thread ~9 ms in the middle of the next step of the build. Run here, after the rebuild's time
// is taken and reported, they cost it nothing (a save that comes meanwhile waits for them).
#pragma once
#include <functional>

namespace imprenta::util {

// Keeps `work` (and what it captures) until run_idle_work(): watch calls it after reporting a
// rebuild, and a build with a memo before it starts, so work never piles up across builds.
void when_idle(std::function<void()> work);

// Runs the work given so far, in order, then destroys it (with its captures) on this thread.
void run_idle_work();

} // namespace imprenta::util

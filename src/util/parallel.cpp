#include "util/parallel.h"

#include "util/memory.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace imprenta::util {

namespace {

// Set on pool workers, and on a caller while it runs a job: a parallel_for there runs serially.
thread_local bool t_in_parallel = false;

// Waits until pred(). For a large book (util::return_memory_promptly) a waiting thread wakes
// every 20 ms to take back what others freed of its allocations: the 100,000-note book's
// document, parsed on one thread, is freed on another as it is laid out.
template <class Pred>
void idle_wait(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Pred pred) {
    using namespace std::chrono_literals;
    while (!pred()) {
        if (!returning_memory_promptly()) return cv.wait(lock, pred);
        if (cv.wait_for(lock, 20ms, pred)) return;
        lock.unlock();
        collect_thread_memory();
        lock.lock();
    }
}

struct Job {
    const std::function<void(size_t)>* fn = nullptr;
    size_t n = 0;
    std::atomic<size_t> next{0};
    std::vector<std::exception_ptr>* errors = nullptr;

    void drain() {
        for (size_t i; (i = next++) < n;) {
            try {
                (*fn)(i);
            } catch (...) {
                (*errors)[i] = std::current_exception();
            }
        }
    }
};

class ThreadPool {
public:
    explicit ThreadPool(size_t workers) {
        for (size_t t = 0; t < workers; ++t)
            threads_.emplace_back([this] { work(); });
    }
    ~ThreadPool() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_)
            t.join();
    }
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    size_t size() const { return threads_.size(); }

    // Runs the job on the calling thread and on up to `helpers` workers; returns when every
    // index has been done.
    void run(Job& job, size_t helpers) {
        std::lock_guard turn(submit_); // one job at a time
        {
            std::lock_guard lock(mu_);
            job_ = &job;
            seats_ = helpers;
            ++generation_;
        }
        wake_.notify_all();
        job.drain();
        std::unique_lock lock(mu_);
        idle_wait(done_, lock, [&] { return active_ == 0; });
        job_ = nullptr; // a worker waking late finds nothing to do
        seats_ = 0;
    }

private:
    void work() {
        t_in_parallel = true;
        uint64_t seen = 0;
        std::unique_lock lock(mu_);
        while (true) {
            idle_wait(wake_, lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            if (!job_ || seats_ == 0) continue;
            --seats_;
            ++active_;
            Job* job = job_;
            lock.unlock();
            job->drain();
            lock.lock();
            if (--active_ == 0) done_.notify_all();
        }
    }

    std::mutex submit_;
    std::mutex mu_; // guards everything below
    std::condition_variable wake_, done_;
    Job* job_ = nullptr;
    size_t seats_ = 0;  // workers that may still join the current job
    size_t active_ = 0; // workers inside the current job
    uint64_t generation_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

// Created on the first parallel call with the thread count of that moment; joined at exit.
ThreadPool& pool() {
    static ThreadPool p(worker_count() - 1);
    return p;
}

} // namespace

size_t worker_count() {
    if (const char* s = std::getenv("IMPRENTA_THREADS")) {
        long v = std::strtol(s, nullptr, 10);
        if (v > 0) return static_cast<size_t>(std::min(v, 256L));
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallel_for(size_t n, const std::function<void(size_t)>& fn) {
    std::vector<std::exception_ptr> errors(n);
    Job job;
    job.fn = &fn;
    job.n = n;
    job.errors = &errors;
    size_t threads = std::min(worker_count(), n);
    if (threads <= 1 || t_in_parallel) {
        job.drain();
    } else {
        ThreadPool& p = pool();
        struct InParallel {
            InParallel() { t_in_parallel = true; }
            ~InParallel() { t_in_parallel = false; }
        } mark;
        p.run(job, std::min(threads - 1, p.size()));
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace imprenta::util

// Steps that must run one at a time and in index order (writing objects whose numbers follow that
// order), each as soon as its input and every earlier one is ready: run on whichever thread of a
// parallel_for made the next one ready, so the ordered work overlaps the parallel work without a
// thread of its own.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace imprenta::util {

class InOrder {
public:
    InOrder(size_t n, std::function<void(size_t)> step)
        : step_(std::move(step)), ready_(n, false), n_(n) {}

    // Item k is ready: runs the steps now due, unless another thread is running steps (it then
    // runs these too). A step's exception stops the sequence and is rethrown here.
    void ready(size_t k) {
        {
            std::lock_guard lock(mu_);
            ready_[k] = true;
            if (running_ || failed_) return;
            running_ = true;
        }
        for (;;) {
            size_t next;
            {
                std::lock_guard lock(mu_);
                if (failed_ || next_ == n_ || !ready_[next_]) {
                    running_ = false;
                    done_.notify_all();
                    return;
                }
                next = next_++;
            }
            try {
                step_(next);
            } catch (...) {
                fail();
                throw;
            }
        }
    }

    // An item will never be ready (its work threw): wait() returns false from now on.
    void fail() {
        std::lock_guard lock(mu_);
        failed_ = true;
        running_ = false;
        done_.notify_all();
    }

    // Until every step has run (true) or the sequence failed (false).
    bool wait() {
        std::unique_lock lock(mu_);
        done_.wait(lock, [&] { return failed_ || (next_ == n_ && !running_); });
        return !failed_;
    }

private:
    std::function<void(size_t)> step_;
    std::mutex mu_;
    std::condition_variable done_;
    std::vector<bool> ready_;
    size_t n_, next_ = 0;
    bool running_ = false, failed_ = false;
};

} // namespace imprenta::util

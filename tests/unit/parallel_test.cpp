// util::parallel_for: a fixed pool, results by index, errors by lowest index, nesting and
// concurrent callers.
#include "util/in_order.h"
#include "util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace imprenta;

namespace {

struct ThreadsEnv {
    explicit ThreadsEnv(const char* v) { ::setenv("IMPRENTA_THREADS", v, 1); }
    ~ThreadsEnv() { ::unsetenv("IMPRENTA_THREADS"); }
};

std::atomic<int> g_threads_seen{0};
thread_local bool t_seen = false;

void note_thread() {
    if (!t_seen) {
        t_seen = true;
        ++g_threads_seen;
    }
}

} // namespace

TEST(Parallel, ResultsAreIndexed) {
    ThreadsEnv env("4");
    std::vector<long> out(5000, -1);
    util::parallel_for(out.size(), [&](size_t i) { out[i] = long(i) * long(i); });
    for (size_t i = 0; i < out.size(); ++i)
        ASSERT_EQ(out[i], long(i) * long(i)) << i;
    util::parallel_for(0, [&](size_t) { FAIL() << "called for an empty range"; });
}

// The pool is made once: fifty calls do not start fifty sets of threads.
TEST(Parallel, ThreadsAreStartedOnce) {
    ThreadsEnv env("4");
    int before = g_threads_seen.load();
    for (int call = 0; call < 50; ++call)
        util::parallel_for(8, [](size_t) {
            note_thread();
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        });
    int fresh = g_threads_seen.load() - before;
    EXPECT_GE(fresh, 1);
    // At most the caller and a pool sized by IMPRENTA_THREADS or the cores when it was made (some
    // test of this binary may have made it with 7 threads); a thread per call would give ~150.
    EXPECT_LE(fresh, 8);
}

TEST(Parallel, LowestIndexErrorIsRethrownAfterAllCalls) {
    ThreadsEnv env("4");
    std::atomic<int> calls{0};
    try {
        util::parallel_for(100, [&](size_t i) {
            ++calls;
            if (i == 70 || i == 30) throw std::runtime_error("failed at " + std::to_string(i));
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "failed at 30");
    }
    EXPECT_EQ(calls.load(), 100);
}

TEST(Parallel, NestedCallsRunSeriallyInsideTheOuterOne) {
    ThreadsEnv env("4");
    std::vector<std::vector<int>> out(16, std::vector<int>(16, 0));
    util::parallel_for(out.size(), [&](size_t i) {
        util::parallel_for(out[i].size(), [&](size_t j) { out[i][j] = int(i * 100 + j); });
    });
    for (size_t i = 0; i < out.size(); ++i)
        for (size_t j = 0; j < out[i].size(); ++j)
            ASSERT_EQ(out[i][j], int(i * 100 + j));
}

TEST(Parallel, UnrelatedCallersTakeTurns) {
    ThreadsEnv env("4");
    std::vector<std::vector<size_t>> out(4, std::vector<size_t>(2000, 0));
    std::vector<std::thread> callers;
    for (size_t c = 0; c < out.size(); ++c)
        callers.emplace_back([&, c] {
            for (int round = 0; round < 20; ++round)
                util::parallel_for(out[c].size(), [&](size_t i) { out[c][i] += i + c; });
        });
    for (auto& t : callers)
        t.join();
    for (size_t c = 0; c < out.size(); ++c)
        for (size_t i = 0; i < out[c].size(); ++i)
            ASSERT_EQ(out[c][i], 20 * (i + c));
}

TEST(Parallel, OneThreadIsSerialOnTheCaller) {
    ThreadsEnv env("1");
    std::thread::id caller = std::this_thread::get_id();
    util::parallel_for(50, [&](size_t) { EXPECT_EQ(std::this_thread::get_id(), caller); });
}

// util::InOrder: the steps run one at a time and in index order, however the items become
// ready on the pool's threads; tasks that wait for the sequence see it finished.
TEST(InOrder, StepsRunInIndexOrderWhateverTheThreads) {
    ThreadsEnv env("4");
    for (int round = 0; round < 20; ++round) {
        std::vector<size_t> order;
        std::atomic<int> inside{0};
        bool overlapped = false;
        const size_t n = 200;
        util::InOrder steps(n, [&](size_t k) {
            overlapped = overlapped || ++inside > 1;
            order.push_back(k);
            --inside;
        });
        std::atomic<size_t> seen_after_wait{0};
        // Items become ready out of order (later ones sooner), then two waiting tasks.
        util::parallel_for(n + 2, [&](size_t k) {
            if (k < n) {
                std::this_thread::sleep_for(std::chrono::microseconds((n - k) % 7 * 20));
                steps.ready(k);
            } else if (steps.wait()) {
                seen_after_wait = order.size();
            }
        });
        ASSERT_FALSE(overlapped);
        ASSERT_EQ(order.size(), n);
        for (size_t k = 0; k < n; ++k)
            ASSERT_EQ(order[k], k);
        EXPECT_EQ(seen_after_wait.load(), n);
    }
}

// A failed item (its work threw) or a throwing step ends the sequence: waiting tasks return
// instead of hanging, and the error reaches the parallel_for's caller.
TEST(InOrder, AFailureEndsTheWaits) {
    ThreadsEnv env("3");
    {
        util::InOrder steps(10, [](size_t) {});
        std::atomic<int> waited_false{0};
        EXPECT_THROW(util::parallel_for(12,
                                        [&](size_t k) {
                                            if (k == 4) {
                                                steps.fail();
                                                throw std::runtime_error("item 4");
                                            }
                                            if (k < 10) return steps.ready(k);
                                            if (!steps.wait()) ++waited_false;
                                        }),
                     std::runtime_error);
        EXPECT_EQ(waited_false.load(), 2);
    }
    {
        std::vector<size_t> ran;
        util::InOrder steps(10, [&](size_t k) {
            if (k == 6) throw std::runtime_error("step 6");
            ran.push_back(k);
        });
        EXPECT_THROW(util::parallel_for(11,
                                        [&](size_t k) {
                                            if (k < 10) return steps.ready(k);
                                            EXPECT_FALSE(steps.wait());
                                        }),
                     std::runtime_error);
        EXPECT_EQ(ran, (std::vector<size_t>{0, 1, 2, 3, 4, 5}));
    }
}

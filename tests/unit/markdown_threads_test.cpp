// Essays are read in parallel: the Markdown reader must give the same IR on any thread.
#include "doc/markdown.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace imprenta;
using namespace imprenta::doc;

namespace {

int count_kind(const std::vector<Inline>& ins, InlineKind kind) {
    int n = 0;
    for (const auto& i : ins)
        n += (i.kind == kind) + count_kind(i.children, kind);
    return n;
}

int count_kind(const std::vector<Block>& blocks, InlineKind kind) {
    int n = 0;
    for (const auto& b : blocks)
        n += count_kind(b.inlines, kind) + count_kind(b.children, kind);
    return n;
}

} // namespace

// cmark-gfm switches the extensions' special characters ('~' for strikethrough) on in a global
// table when a parse starts and off when it ends: a parse ending on one thread used to turn '~'
// off for a parse still running on another, and "~~tachado~~" came out literally, at random.
TEST(MarkdownThreads, StrikethroughSurvivesParallelParses) {
    std::string body;
    for (int i = 0; i < 60; ++i)
        body += "El cajista corrige la prueba y marca ~~una errata~~ en el margen, línea " +
                std::to_string(i) + ", con *tinta* roja.\n\n";
    constexpr int kThreads = 4, kRounds = 25;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int r = 0; r < kRounds; ++r) {
                MarkdownInput in;
                in.body = body;
                in.source = "prueba.md";
                MarkdownResult res = read_markdown(in);
                if (count_kind(res.blocks, InlineKind::Strikethrough) != 60) ++wrong;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(wrong.load(), 0) << "parses that lost their strikethrough";
}

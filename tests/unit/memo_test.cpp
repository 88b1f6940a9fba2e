// render::Memo (what `imprenta watch` keeps between builds) and the IR keys it is addressed by.
#include "render/memo.h"

#include <gtest/gtest.h>

#include <string>

using namespace imprenta;

namespace {

doc::Book two_chapter_book() {
    doc::Book book;
    for (const char* title : {"La prensa de hierro", "El taller de la calle del Pez"}) {
        doc::Chapter ch;
        ch.title = title;
        doc::Block p;
        p.inlines.push_back({doc::InlineKind::Text,
                             "Los cajistas llegaban antes de las siete.",
                             {},
                             {},
                             {},
                             -1,
                             -1});
        ch.blocks.push_back(p);
        book.chapters.push_back(ch);
    }
    return book;
}

} // namespace

TEST(Memo, FindsWhatWasPutByTypeAndKeyAndForgetsWhatABuildDidNotUse) {
    render::Memo memo;
    render::Key a = render::KeyBuilder().add(std::string_view("a")).finish();
    render::Key b = render::KeyBuilder().add(std::string_view("b")).finish();
    memo.begin_build();
    memo.put(a, std::string("página a"));
    memo.put(b, std::string("página b"));
    EXPECT_EQ(memo.find<int>(a), nullptr) << "another type under the same key";
    memo.end_build();
    EXPECT_EQ(memo.last_misses(), 1u);

    memo.begin_build();
    auto found = memo.find<std::string>(a);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, "página a");
    memo.end_build(); // b was not asked for: dropped
    EXPECT_EQ(memo.last_hits(), 1u);
    EXPECT_EQ(memo.size(), 1u);
    memo.begin_build();
    EXPECT_EQ(memo.find<std::string>(b), nullptr);
    memo.clear();
    EXPECT_EQ(memo.find<std::string>(a), nullptr);
}

TEST(Memo, KeysAreFramedAndFollowEveryFieldOfAChapter) {
    using KB = render::KeyBuilder;
    EXPECT_NE(KB().add(std::string_view("ab")).add(std::string_view("c")).finish(),
              KB().add(std::string_view("a")).add(std::string_view("bc")).finish());

    render::Memo memo;
    doc::Book book = two_chapter_book();
    memo.begin_build();
    std::vector<render::Key> before = memo.chapter_keys(book);
    ASSERT_EQ(before.size(), 2u);
    EXPECT_NE(before[0], before[1]);
    memo.end_build();

    // A change deep in a chapter (a link's anchor inside emphasis) changes that chapter's key only.
    doc::Book edited = two_chapter_book();
    doc::Inline link{doc::InlineKind::Link, "", {}, {}, {}, -1, -1};
    link.target.chapter = 0;
    link.target.anchor = "la-prensa";
    doc::Inline em{doc::InlineKind::Emphasis, "", {link}, {}, {}, -1, -1};
    edited.chapters[1].blocks[0].inlines.push_back(em);
    memo.begin_build();
    std::vector<render::Key> after = memo.chapter_keys(edited);
    EXPECT_EQ(after[0], before[0]);
    EXPECT_NE(after[1], before[1]);
    memo.end_build();
    edited.chapters[1].blocks[0].inlines.back().children[0].target.anchor = "el-taller";
    memo.begin_build();
    EXPECT_NE(memo.chapter_keys(edited)[1], after[1]);
}

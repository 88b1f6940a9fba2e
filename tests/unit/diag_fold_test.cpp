// Diagnostics::flush folding a group of repeated warnings: the first three printed, one note for
// the rest, never a "1 more" note, nothing folded without `fold`, and counts unchanged.
#include "util/diag.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using imprenta::util::Diagnostics;

namespace {

std::string flushed(Diagnostics& d, bool fold) {
    std::FILE* f = std::tmpfile();
    d.flush(f, fold);
    std::rewind(f);
    std::string out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, f))
        out += buf;
    std::fclose(f);
    return out;
}

void add(Diagnostics& d, int n, const std::string& group) {
    for (int i = 1; i <= n; ++i)
        d.warning({"plate-" + std::to_string(i) + ".png"}, "too soft", group);
}

int lines(const std::string& s) {
    int n = 0;
    for (char c : s)
        n += c == '\n';
    return n;
}

} // namespace

TEST(DiagnosticsFold, RepeatedWarningsOfAGroupBecomeOneNote) {
    Diagnostics d;
    add(d, 6, "plates are soft");
    d.warning({"book.toml"}, "no author");
    std::string out = flushed(d, true);
    EXPECT_EQ(lines(out), 5) << out;
    EXPECT_NE(out.find("plate-3.png: warning: too soft"), std::string::npos) << out;
    EXPECT_EQ(out.find("plate-4.png"), std::string::npos) << out;
    EXPECT_NE(out.find("book.toml: warning: no author"), std::string::npos) << out;
    EXPECT_NE(out.find("imprenta: note: 3 more plates are soft"), std::string::npos) << out;
    EXPECT_EQ(d.warning_count(), 7);
    EXPECT_EQ(d.all().size(), 7u);
}

TEST(DiagnosticsFold, NoNoteForOneMoreAndNoneWithoutFold) {
    Diagnostics four;
    add(four, 4, "plates are soft");
    std::string out = flushed(four, true);
    EXPECT_EQ(lines(out), 4) << out;
    EXPECT_EQ(out.find("more"), std::string::npos) << out;

    Diagnostics six;
    add(six, 6, "plates are soft");
    out = flushed(six, false);
    EXPECT_EQ(lines(out), 6) << out;
}

#include "support/support.h"

#include <gtest/gtest.h>

using namespace testing_support;

TEST(Cli, VersionAndHelp) {
    auto v = imprenta("--version");
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.out.find("imprenta " IMPRENTA_VERSION), std::string::npos) << v.out;
    auto h = imprenta("--help");
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("imprenta build"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("--format"), std::string::npos);
}

TEST(Cli, BadUsageExitsTwo) {
    EXPECT_EQ(imprenta("frobnicate").exit_code, 2);
    EXPECT_EQ(imprenta("build --format docx .").exit_code, 2);
    EXPECT_EQ(imprenta("build --no-such-flag").exit_code, 2);
    auto r = imprenta("build -o");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("-o"), std::string::npos) << r.err;
}

TEST(Cli, MissingBookFolderIsAnError) {
    auto dir = fresh_dir("x");
    auto r = imprenta("build " + quote((dir / "nope").string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
}

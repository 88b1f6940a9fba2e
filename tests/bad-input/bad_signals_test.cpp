// Hostile input, round two (issue 13), finding 7: SIGINT, SIGTERM or SIGKILL during a build left
// an 8.8 MB `.*.tmp-PID-0` file in the output folder that no later build removed, and SIGINT or
// SIGTERM printed nothing. Now the signals remove the temporary files and exit 130 / 143 with one
// line; a later build removes what a SIGKILL left.
#include "bad_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace testing_support;
using namespace bad_input;

namespace {

// An essay long enough that the build takes a moment: the staged EPUB waits in its temporary file
// while the PDF is typeset, so the signal reliably lands mid-build.
void make_long(const Book& b) {
    std::string text = "---\ntitle: Long\n---\n\n";
    for (int i = 0; i < 40000; ++i) {
        text += "Paragraph ";
        text += std::to_string(i);
        text += " of a long essay, with a note.[^n";
        text += std::to_string(i);
        text += "]\n\n";
    }
    for (int i = 0; i < 40000; ++i) {
        text += "[^n";
        text += std::to_string(i);
        text += "]: The note.\n";
    }
    write_essay(b, "long.md", text);
}

// Starts a build in the background, waits until a temporary file shows in the output folder
// (or the build ends), sends `signal` and reports: "seen=<files>" then "rc=<exit status>".
RunResult build_and_signal(const Book& b, const std::string& signal) {
    std::string out = quote(b.out.string());
    std::string script = quote(IMPRENTA_BIN) + " build " + quote(b.root.string()) + " -o " + out +
                         " --no-cache -q & pid=$!; "
                         "for i in $(seq 1 6000); do ls -A " +
                         out +
                         " 2>/dev/null | grep -q '[.]tmp-' && break; kill -0 $pid 2>/dev/null "
                         "|| break; sleep 0.005; done; echo seen=$(ls -A " +
                         out + " | tr '\\n' ' '); kill -" + signal + " $pid; wait $pid; echo rc=$?";
    return run("bash -c " + quote(script));
}

std::vector<std::string> temp_files(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& [name, bytes] : snapshot(dir))
        if (name.find(".tmp-") != std::string::npos) found.push_back(name);
    return found;
}

void expect_interrupted(const Book& b, const std::string& signal, int code,
                        const std::map<std::string, std::string>& before) {
    auto r = build_and_signal(b, signal);
    ASSERT_NE(r.out.find("seen="), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find(".tmp-"), std::string::npos)
        << "no temporary file was seen before the signal: " << r.out;
    EXPECT_NE(r.out.find("rc=" + std::to_string(code)), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("imprenta: interrupted (SIG" + signal +
                         "): stopped, temporary files "
                         "removed"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line:\n" << r.err;
    EXPECT_TRUE(temp_files(b.out).empty()) << temp_files(b.out).front();
    EXPECT_EQ(snapshot(b.out), before) << "earlier outputs changed";
}

} // namespace

TEST(BadInputSignals, SigintRemovesTemporaryFilesAndExits130) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    ASSERT_EQ(build(b).exit_code, 0);
    auto before = snapshot(b.out);
    make_long(b);
    expect_interrupted(b, "INT", 130, before);
    expect_contained(b, canary, RunResult{});
}

TEST(BadInputSignals, SigtermRemovesTemporaryFilesAndExits143) {
    auto b = make_book("book");
    ASSERT_EQ(build(b).exit_code, 0);
    auto before = snapshot(b.out);
    make_long(b);
    expect_interrupted(b, "TERM", 143, before);
}

TEST(BadInputSignals, NextBuildRemovesWhatSigkillLeft) {
    auto b = make_book("book");
    make_long(b);
    auto r = build_and_signal(b, "KILL");
    EXPECT_NE(r.out.find("rc=137"), std::string::npos) << r.out;
    ASSERT_FALSE(temp_files(b.out).empty()) << "SIGKILL left nothing to clean: " << r.out;
    // Another program's hidden file that merely looks alike is not ours to remove.
    write(b.out / ".notes.tmp-x", "someone else's");
    write_essay(b, "long.md", "---\ntitle: Short now\n---\n\nShort.\n");
    auto again = build(b);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(temp_files(b.out).size() == 1 && temp_files(b.out)[0] == ".notes.tmp-x")
        << "left: " << (temp_files(b.out).empty() ? "" : temp_files(b.out).front());
}

TEST(BadInputSignals, TemporaryFilesOfALiveBuildAreKept) {
    // A temporary file whose process still runs (here: this test) belongs to a build in progress.
    auto b = make_book("book");
    fs::create_directories(b.out);
    std::string live = ".hostile.pdf.tmp-" + std::to_string(::getpid()) + "-0";
    write(b.out / live, "in progress");
    auto r = build(b);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(b.out / live));
}

namespace {

// Runs `imprenta ARGS` with $TMPDIR = `tmp` in the background, waits until a temporary file of
// ours shows anywhere below `watch` (or the build ends), sends SIGINT and reports
// "seen=<files>" then "rc=<exit status>".
RunResult interrupt_with_tmpdir(const fs::path& tmp, const std::string& args,
                                const fs::path& watch) {
    std::string w = quote(watch.string());
    std::string script = "TMPDIR=" + quote(tmp.string()) + " " + quote(IMPRENTA_BIN) + " " + args +
                         " >/dev/null & pid=$!; for i in $(seq 1 6000); do find " + w +
                         " -name '.*.tmp-*' 2>/dev/null | grep -q . && break; kill -0 $pid "
                         "2>/dev/null || break; sleep 0.005; done; echo seen=$(find " +
                         w +
                         " -name '.*.tmp-*' | tr '\\n' ' '); kill -INT $pid; wait $pid; echo rc=$?";
    return run("bash -c " + quote(script));
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    return names;
}

} // namespace

// `imprenta check ESSAY.md` builds into a private scratch folder under $TMPDIR (mkdtemp). A
// SIGINT used to remove the temporary files inside it but leave the folder itself behind.
TEST(BadInputSignals, SigintDuringACheckOfOneEssayRemovesItsScratchFolder) {
    auto b = make_book("book");
    make_long(b);
    fs::path tmp = b.root.parent_path() / "tmpdir";
    fs::create_directories(tmp);
    auto r =
        interrupt_with_tmpdir(tmp, "check " + quote((b.root / "content/long.md").string()), tmp);
    EXPECT_NE(r.out.find("seen=" + tmp.string() + "/imprenta-"), std::string::npos)
        << "the signal did not land while the scratch folder was in use: " << r.out;
    EXPECT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("imprenta: interrupted (SIGINT)"), std::string::npos) << r.err;
    EXPECT_TRUE(entries(tmp).empty()) << "left in $TMPDIR: " << entries(tmp).front();
}

// The same for a one-essay build: nothing in $TMPDIR, no temporary file in the output folder.
TEST(BadInputSignals, SigintDuringABuildOfOneEssayLeavesNothing) {
    auto b = make_book("book");
    make_long(b);
    fs::path tmp = b.root.parent_path() / "tmpdir";
    fs::create_directories(tmp);
    auto r = interrupt_with_tmpdir(tmp,
                                   "build " + quote((b.root / "content/long.md").string()) +
                                       " -o " + quote(b.out.string()) + " --no-cache -q",
                                   b.out.parent_path());
    EXPECT_NE(r.out.find(".tmp-"), std::string::npos) << "no temporary file seen: " << r.out;
    EXPECT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_TRUE(entries(tmp).empty()) << "left in $TMPDIR: " << entries(tmp).front();
    EXPECT_TRUE(temp_files(b.out).empty()) << temp_files(b.out).front();
}

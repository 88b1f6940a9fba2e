// The command line: argument parsing and the build driver (book -> IR -> EPUB/PDF).
#pragma once
#include "cli/args.h"
#include "render/render.h"
#include "util/diag.h"

#include <vector>

namespace imprenta::cli {

// Runs the command line; returns the process exit code (0 ok, 1 not built, 2 usage).
int run(int argc, char** argv);

// What `imprenta check` gets back from a build that writes nothing.
struct BuildReport {
    std::vector<util::Diagnostic> diagnostics; // warnings, then the error that stopped it if any
    bool quiet_progress = false;               // no progress line (JSON on stdout)
};

// The formats imprenta builds, in the order they run: EPUB, then PDF.
render::Registry builtin_renderers();

// Builds the book `args` names with the renderers --format asks for (built-in ones unless
// `renderers` is given). With `check`, every stage runs into a scratch folder that is removed,
// nothing is printed, and the diagnostics are returned in `check`. Throws UsageError for an
// unknown format.
int build(const BuildArgs& args, BuildReport* check = nullptr);
// With `memo`, chapters an earlier build with the same memo rendered from the same inputs are
// reused (watch); the caller clears it when anything the keys do not cover changed (book.toml,
// templates, fonts, images).
int build(const BuildArgs& args, const render::Registry& renderers, BuildReport* check = nullptr,
          render::Memo* memo = nullptr);

// run() with `renderers` (arguments without the program name): tests add formats this way.
int run(const std::vector<std::string>& args, const render::Registry& renderers);

} // namespace imprenta::cli

// The command line: argument parsing and the build driver (book -> IR -> every renderer asked for).
#pragma once
#include "render/render.h"

#include <string>
#include <vector>

namespace imprenta::cli {

// The formats imprenta builds: EPUB then PDF.
render::Registry builtin_renderers();

// Runs the command line with the built-in renderers; returns the process exit code (0 ok,
// 1 not built, 2 usage).
int run(int argc, char** argv);

// The same with `renderers` (arguments without the program name): tests add formats this way.
int run(const std::vector<std::string>& args, const render::Registry& renderers);

} // namespace imprenta::cli

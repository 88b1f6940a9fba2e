// The command line: argument parsing and the build driver (book -> IR -> EPUB/PDF).
#pragma once

namespace imprenta::cli {

// Runs the command line; returns the process exit code (0 ok, 1 not built, 2 usage).
int run(int argc, char** argv);

} // namespace imprenta::cli

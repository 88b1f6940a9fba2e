// What the command line says about itself: the short usage, --help, the manual (`imprenta help`)
// and the "did you mean" hint for a mistyped command.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::cli {

void print_short_usage(std::FILE* out); // `imprenta` alone
void print_help(std::FILE* out);        // --help

// `imprenta help [COMMAND]`: the man page, through man(1) on a terminal where it is installed,
// else as plain text. Returns the exit status.
int show_manual(const std::vector<std::string>& args);

// The man page (docs/imprenta.1, embedded at build time) as plain text, for terminals without
// man(1) and for pipes.
std::string manual_as_text();

// Edits (insertions, deletions, substitutions, swaps of neighbours) turning a into b.
int edit_distance(std::string_view a, std::string_view b);

// "unknown command 'biuld' (did you mean 'build'?)"
std::string unknown_command_message(const std::string& command);

} // namespace imprenta::cli

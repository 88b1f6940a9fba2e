// The commands besides build, each given the arguments after its name; each returns the exit
// status (0 ok, 1 failed or found errors, 2 bad usage via UsageError).
#pragma once
#include <string>
#include <vector>

namespace imprenta::cli {

int run_check(const std::vector<std::string>& args); // check.cpp
int run_clean(const std::vector<std::string>& args); // clean.cpp
int run_init(const std::vector<std::string>& args);  // init.cpp
int run_watch(const std::vector<std::string>& args); // watch.cpp

} // namespace imprenta::cli

#include "cli/app.h"

#include <cstdio>

namespace imprenta::cli {

int run(int, char**) {
    std::fprintf(stderr, "imprenta: not yet\n");
    return 1;
}

} // namespace imprenta::cli

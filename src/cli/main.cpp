#include "cli/app.h"

int main(int argc, char** argv) {
    return imprenta::cli::run(argc, argv);
}

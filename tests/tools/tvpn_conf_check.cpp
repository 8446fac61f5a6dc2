// tvpn_conf_check FILE...: reads each configuration file with the real
// reader (load_config: ownership, mode, syntax, values) and prints
// "FILE: ok" or its error. Exit 0 when every file is ok, 1 otherwise, 2 for
// bad usage. Used by tests/scripts/config_examples_test.sh.
#include <cstdio>

#include "common/config/config_file.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: tvpn_conf_check FILE...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; ++i) {
        auto r = tvpn::config::load_config(argv[i]);
        if (r) {
            std::printf("%s: ok\n", argv[i]);
        } else {
            std::printf("%s\n", r.error().message.c_str());
            rc = 1;
        }
    }
    return rc;
}

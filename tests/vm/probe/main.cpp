// vndd_probe CASE [IF]: runs one group of checks against /dev/vnddmgr.
#include <cstdio>
#include <string>

#include "tests/vm/probe/probe.h"

int main(int argc, char** argv) {
    using namespace probe;
    std::string c = argc > 1 ? argv[1] : "";
    std::string ifname = argc > 2 ? argv[2] : "";
    if (c == "hold" && !ifname.empty()) return run_hold(ifname);
    if (c == "pump" && !ifname.empty()) return run_pump(ifname);
    if (c == "writebench" && !ifname.empty()) return run_writebench(ifname);
    Report r;
    if (c == "abi") case_abi(r);
    else if (c == "badargs") case_badargs(r);
    else if (c == "race") case_race(r);
    else if (c == "privs") case_privs(r);
    else if (c == "unprivileged") case_unprivileged(r);
    else if (c == "orphan-purge") case_orphan_purge(r);
    else if (c == "rxpath" && !ifname.empty()) case_rxpath(r, ifname);
    else if (c == "io" && !ifname.empty()) case_io(r, ifname);
    else if (c == "offload" && !ifname.empty()) case_offload(r, ifname);
    else if (c == "batch" && !ifname.empty()) case_batch(r, ifname);
    else if (c == "detached-drop" && !ifname.empty()) case_detached_drop(r, ifname);
    else if (c == "remove-attached" && !ifname.empty()) case_remove_attached(r, ifname);
    else {
        std::fprintf(stderr,
                     "usage: vndd_probe abi|badargs|race|privs|unprivileged|orphan-purge\n"
                     "       vndd_probe io|offload|batch|rxpath|detached-drop|remove-attached|hold|pump|writebench IF\n");
        return 2;
    }
    std::printf("%s: %d failed\n", c.c_str(), r.failures);
    return r.failures ? 1 : 0;
}

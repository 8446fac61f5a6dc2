// Running the programs `vnddconfig up` and `down` start: the file's hook
// commands (through /bin/sh) and vnddvpnd. No shell is involved but the
// hook's own: argv goes to posix_spawn as it is.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn {

struct Spawned {
    pid_t pid = 0;
    UniqueFd output;  // the read end of its stderr, when asked for
};

// Starts argv[0] (an absolute path) with argv. With `capture_stderr` its
// stderr is a pipe (Spawned::output) and its stdin /dev/null; otherwise it
// shares ours.
Result<Spawned> spawn(const std::vector<std::string>& argv, bool capture_stderr);

// Waits for `pid` to end; its wait status.
int wait_child(pid_t pid);
// Its wait status if it has ended, without waiting.
std::optional<int> ended_child(pid_t pid);

// "exit status N" or "killed by signal N (NAME)" for a wait status.
std::string exit_text(int status);
bool exited_ok(int status);

}  // namespace tvpn

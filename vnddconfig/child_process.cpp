#include "vnddconfig/child_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace tvpn {
namespace {

// posix_spawn's file actions, destroyed with the object.
class FileActions {
public:
    FileActions() { ok_ = ::posix_spawn_file_actions_init(&fa_) == 0; }
    ~FileActions() {
        if (ok_) ::posix_spawn_file_actions_destroy(&fa_);
    }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    bool ok() const { return ok_; }
    posix_spawn_file_actions_t* get() { return &fa_; }

private:
    posix_spawn_file_actions_t fa_{};
    bool ok_ = false;
};

}  // namespace

Result<Spawned> spawn(const std::vector<std::string>& argv, bool capture_stderr) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    FileActions actions;
    if (!actions.ok()) return Error{"posix_spawn_file_actions_init failed"};
    UniqueFd read_end, write_end;
    if (capture_stderr) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) < 0) return Error{errno_message("pipe", errno)};
        read_end = UniqueFd(fds[0]);
        write_end = UniqueFd(fds[1]);
        // dup2 clears close-on-exec on the copy: only fd 2 reaches the child.
        ::posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDERR_FILENO);
        ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0], actions.get(), nullptr, args.data(), environ);
    if (rc != 0) return Error{errno_message("cannot run " + argv[0], rc)};
    return Spawned{pid, std::move(read_end)};
}

int wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return status;
}

std::optional<int> ended_child(pid_t pid) {
    int status = 0;
    pid_t r;
    while ((r = ::waitpid(pid, &status, WNOHANG)) < 0)
        if (errno != EINTR) return -1;
    if (r == 0) return std::nullopt;
    return status;
}

bool exited_ok(int status) { return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

std::string exit_text(int status) {
    if (status == -1) return "lost (waitpid failed)";
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return "wait status " + std::to_string(status);
}

}  // namespace tvpn

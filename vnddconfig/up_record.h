// The record `vnddconfig up IF` keeps of what it has done (under
// /run/vnddvpnd, runtime_paths.h's up_record_path), so that `vnddconfig down
// IF` undoes exactly that: after a successful up, and also after an up that
// was interrupted (killed, a crash) before it could undo its own steps.
// Each step is written down before it is taken, so a step in the record may
// be half done or not done at all; undoing it must accept that.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn {

struct UpRecord {
    std::string config_path;  // the file up read (down runs its PreDown and PostDown)
    bool no_daemon = false;   // up -no-daemon: the daemon is a service manager's, only down -no-daemon undoes it
    bool pre_up = false;      // PreUp commands started: PostDown runs
    bool interface = false;   // up created the interface: down deletes it
    std::string bridge;       // a bridge up created (not one that existed): down deletes it
    std::string pidfile;      // the daemon up started: down stops it
    bool post_up = false;     // PostUp commands started: PreDown runs
};

// The record's text: one step a line ("config PATH", "no-daemon", "pre-up",
// "interface", "bridge NAME", "daemon PIDFILE", "post-up"). Refuses unknown
// lines and values no up writes (a relative path, a bad bridge name).
Result<UpRecord> parse_up_record(std::string_view text, std::string_view path);

// The command that undoes a record: "vnddconfig down IF", with " -no-daemon"
// for the record of an up -no-daemon.
std::string down_command(const std::string& ifname, bool no_daemon);

// Appends steps to a new record file.
class UpRecordWriter {
public:
    // Fails when the record exists: IF is up, or an earlier up did not finish.
    // `no_daemon`: the record of an up -no-daemon.
    static Result<UpRecordWriter> create(const std::string& path, const std::string& ifname, const std::string& config_path,
                                         bool no_daemon = false);
    Status pre_up() { return add("pre-up"); }
    Status interface() { return add("interface"); }
    Status bridge(const std::string& name) { return add("bridge " + name); }
    Status daemon(const std::string& pidfile) { return add("daemon " + pidfile); }
    Status post_up() { return add("post-up"); }

private:
    UpRecordWriter(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    Status add(const std::string& line);
    std::string path_;
    UniqueFd fd_;
};

// The record at `path`, or an error (no record: IF is not up).
Result<UpRecord> read_up_record(const std::string& path, const std::string& ifname);

}  // namespace tvpn

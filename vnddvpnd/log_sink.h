// Where vnddvpnd logs. In the foreground: to the journal when stderr is the
// journal (JOURNAL_STREAM names it), with sd-daemon priority prefixes when
// stderr is not a terminal (a service manager reads it), plain lines on a
// terminal. With -daemonize: plain lines to the waiting parent during
// start-up, then syslog when /dev/log is a socket, else (a container
// without a syslog daemon) stderr stays open and gets the lines.
#pragma once

#include <sys/types.h>

#include "common/log.h"

namespace tvpn {

struct LogFacts {
    bool daemonize = false;
    bool stderr_is_tty = false;
    bool stderr_is_journal = false;  // JOURNAL_STREAM matches stderr's device and inode
};

Logger::Sink foreground_sink(const LogFacts& facts);
// JOURNAL_STREAM's "DEVICE:INODE" (decimal, systemd.exec(5)) names this file.
bool journal_stream_matches(const char* value, dev_t device, ino_t inode);
// The facts about this process's stderr and environment.
LogFacts log_facts(bool daemonize);
// Whether a syslog daemon listens at /dev/log.
bool syslog_available();

}  // namespace tvpn

// The kernel's trace buffer (tracefs), for the cases that check in which
// context the module hands frames to the stack and counts them, and what
// the skbs it builds look like: tracepoints and kprobes, enabled for the
// lifetime of a Trace, read back as parsed events.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace probe {

struct TraceEvent {
    long pid = 0;       // the task the event happened in (its comm may not be recorded)
    std::string flags;  // irqs-off/BH-off, need-resched, hardirq/softirq, preempt depth, migrate
    std::string name;   // tracepoint or kprobe name
    std::map<std::string, std::string> fields;  // key=value pairs of the event's text
    // BH disabled (and maybe IRQs): 'b', or 'D' with IRQs off too.
    bool bh_off() const { return !flags.empty() && (flags[0] == 'b' || flags[0] == 'D'); }
    // Run from a task (not while serving a hard or soft interrupt).
    bool task_context() const { return flags.size() > 2 && flags[2] == '.'; }
    long number(const std::string& key) const;  // -1 when absent
};

class Trace {
public:
    // Tracepoints as "group/name" (e.g. "net/netif_receive_skb_entry");
    // kprobes as {name, "[MOD:]SYMBOL"}, in the group "tvpn".
    Trace(std::vector<std::string> events, std::vector<std::pair<std::string, std::string>> kprobes);
    ~Trace();
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;
    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }
    // Empties the buffer.
    void clear();
    // Everything recorded since the last clear().
    std::vector<TraceEvent> events() const;

private:
    std::vector<std::string> paths_;  // the enable files written
    std::vector<std::string> kprobes_;
    bool ok_ = true;
    std::string error_;
};

}  // namespace probe

// Where vnddvpnd's lines go and how they look: sd-daemon priority prefixes
// for the journal and a service manager, plain lines on a terminal.
#include "vnddvpnd/log_sink.h"

#include <gtest/gtest.h>

using namespace tvpn;

TEST(LogSink, ForegroundFollowsStderr) {
    EXPECT_EQ(foreground_sink({false, true, false}), Logger::Sink::Stderr);
    EXPECT_EQ(foreground_sink({false, false, false}), Logger::Sink::StderrPrefixed);
    EXPECT_EQ(foreground_sink({false, false, true}), Logger::Sink::Journal);
    EXPECT_EQ(foreground_sink({false, true, true}), Logger::Sink::Journal);
    // With -daemonize the parent shows start-up lines as they are.
    EXPECT_EQ(foreground_sink({true, false, true}), Logger::Sink::Stderr);
    EXPECT_EQ(foreground_sink({true, false, false}), Logger::Sink::Stderr);
}

TEST(LogSink, JournalStreamMustNameStderrExactly) {
    EXPECT_TRUE(journal_stream_matches("8:12345", 8, 12345));
    EXPECT_FALSE(journal_stream_matches(nullptr, 8, 12345));
    EXPECT_FALSE(journal_stream_matches("8:12346", 8, 12345));  // inherited, stderr redirected since
    EXPECT_FALSE(journal_stream_matches("9:12345", 8, 12345));
    for (const char* bad : {"", ":", "8:", ":12345", "8:12345x", "x8:12345", "8;12345", "8:-1", " 8:12345"})
        EXPECT_FALSE(journal_stream_matches(bad, 8, 12345)) << bad;
}

TEST(LoggerFormat, PrefixesCarryTheSyslogPriority) {
    Logger journal("vnddvpnd", Logger::Sink::Journal);
    EXPECT_EQ(journal.format(LogLevel::Error, "x"), "<3>x");
    EXPECT_EQ(journal.format(LogLevel::Warning, "x"), "<4>x");
    EXPECT_EQ(journal.format(LogLevel::Info, "x"), "<6>x");
    EXPECT_EQ(journal.format(LogLevel::Debug, "x"), "<7>x");
    Logger prefixed("vnddvpnd", Logger::Sink::StderrPrefixed);
    EXPECT_EQ(prefixed.format(LogLevel::Warning, "x"), "<4>vnddvpnd: warning: x");
    Logger plain("vnddvpnd", Logger::Sink::Stderr);
    EXPECT_EQ(plain.format(LogLevel::Info, "x"), "vnddvpnd: info: x");
}

// vnddvpnd -config FILE and -pwd-file PATH: a configuration file's peers
// become the same tunnels as the equivalent command line, passwords come from
// files only their owner can read, and every mistake is one line that names
// what is wrong (file, line and key for the file).
#include <gtest/gtest.h>

#include "common/config/tvpn_config.h"
#include "tests/unit/daemon_args.h"
#include "tests/unit/temp_dir.h"
#include "vnddvpnd/config_options.h"
#include "vnddvpnd/password_policy.h"

using namespace tvpn;
using tvpn::test::parse;
using tvpn::test::TempDir;
using tvpn::test::text_of;

namespace {

constexpr std::string_view kStrong = "plaid ferry orbit candle";

// The tunnels of a configuration file TEXT written as DIR/vlan3.conf, read
// by a daemon that stays root (so that no group may read password files,
// whatever users this machine has).
Result<DaemonOptions> from_file(const TempDir& d, std::string_view text, std::vector<std::string> extra = {}) {
    const auto path = d.file("vlan3.conf", text, 0644);
    std::vector<std::string> args = {"-config", path};
    args.insert(args.end(), extra.begin(), extra.end());
    auto opts = parse(args);
    if (!opts) return opts.error();
    opts->run_as = RunAs{"root", 0, 0};
    if (auto st = load_config_tunnels(*opts); !st) return Error{st.message()};
    return opts;
}

std::string error_of(const Result<DaemonOptions>& r) { return r ? "ok" : r.error().message; }

}  // namespace

TEST(DaemonConfig, TwoHostFileIsTheCommandLinesTunnel) {
    TempDir d;
    const auto key = d.file("vlan3.key", std::string(kStrong) + "\n");
    auto file = from_file(d, "[Interface]\nListenAddress = 198.51.100.1\nListenPort = 4000\nKeepalive = 25\nPasswordFile = " +
                                 key + "\nAddress = 192.168.3.1/24\n[Peer]\nName = h2\nEndpoint = 198.51.100.2:4000\n");
    ASSERT_TRUE(file) << file.error().message;
    auto cli = parse({"-tunnel", "vlan3", "198.51.100.1", "4000", "198.51.100.2", "4000", "-pwd-file", key, "-keepalive", "25"});
    ASSERT_TRUE(cli) << cli.error().message;
    ASSERT_EQ(file->tunnels.size(), 1u);
    const TunnelOptions& f = file->tunnels[0];
    const TunnelOptions& c = cli->tunnels[0];
    EXPECT_EQ(f.ifname, c.ifname);
    EXPECT_EQ(f.local_host, c.local_host);
    EXPECT_EQ(f.local_port, c.local_port);
    EXPECT_EQ(f.remote_host, c.remote_host);
    EXPECT_EQ(f.remote_port, c.remote_port);
    EXPECT_EQ(text_of(f.password), text_of(c.password));
    EXPECT_EQ(text_of(f.password), kStrong);
    EXPECT_TRUE(f.has_password && c.has_password);
    EXPECT_EQ(f.cipher, c.cipher);
    EXPECT_EQ(f.name, "vlan3");  // the interface's, as -name's default: the other end has the same
    EXPECT_EQ(f.name, c.name);
    EXPECT_EQ(f.keepalive, c.keepalive);
    EXPECT_EQ(f.password_source, "PasswordFile " + key);
    EXPECT_EQ(c.password_source, "-pwd-file " + key);
    EXPECT_EQ(file->backend, "");
    EXPECT_FALSE(file->pwd_on_command_line);
    EXPECT_FALSE(cli->pwd_on_command_line);
}

TEST(DaemonConfig, HubPeersAtAnyAddressWithPasswordsOfTheirOwn) {
    TempDir d;
    const auto k1 = d.file("s1.key", "first plaid ferry orbit\n");
    const auto k2 = d.file("s2.key", "second candle lamp river\n");
    auto o = from_file(d, "[Interface]\nListenPort = 4000\nBackend = tap\nKeepalive = 30\n"
                          "[Peer]\nName = spoke1\nEndpoint = any\nPasswordFile = " + k1 +
                              "\n[Peer]\nName = spoke2\nEndpoint = any\nPasswordFile = " + k2 + "\nKeepalive = 5\n"
                          "[Peer]\nName = office\nEndpoint = [2001:db8::7]:4001\nPasswordFile = " + k1 + "\nTunnelName = office\n",
                       {"-daemonize", "-v", "-rekey", "60"});
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->tunnels.size(), 3u);
    EXPECT_EQ(o->backend, "tap");
    EXPECT_TRUE(o->daemonize && o->verbose);
    EXPECT_EQ(o->rekey_seconds, 60u);
    const auto& s1 = o->tunnels[0];
    EXPECT_EQ(s1.local_host, "0.0.0.0");
    EXPECT_EQ(s1.local_port, "4000");
    EXPECT_TRUE(s1.remote_any());
    EXPECT_EQ(s1.remote_port, "0");
    EXPECT_EQ(s1.name, "spoke1");
    EXPECT_EQ(s1.keepalive, 30u);  // the interface's
    EXPECT_EQ(text_of(s1.password), "first plaid ferry orbit");
    EXPECT_EQ(o->tunnels[1].keepalive, 5u);  // its own
    EXPECT_EQ(text_of(o->tunnels[1].password), "second candle lamp river");
    const auto& office = o->tunnels[2];
    EXPECT_EQ(office.local_host, "::");  // an IPv6 peer, no ListenAddress: every IPv6 address
    EXPECT_EQ(office.remote_host, "2001:db8::7");
    EXPECT_EQ(office.remote_port, "4001");
    EXPECT_EQ(office.name, "office");
    EXPECT_TRUE(check_passwords(*o));
}

TEST(DaemonConfig, ClearAndDesPeers) {
    TempDir d;
    auto clear = from_file(d, "[Interface]\nListenPort = 4000\n[Peer]\nName = b\nEndpoint = host-b.example:4000\n");
    ASSERT_TRUE(clear) << clear.error().message;
    EXPECT_FALSE(clear->tunnels[0].has_password);
    EXPECT_EQ(clear->tunnels[0].local_host, "0.0.0.0");  // a host name is resolved as IPv4 then
    EXPECT_EQ(clear->tunnels[0].remote_host, "host-b.example");
    const auto key = d.file("des.key", "oldsecret\n");
    auto des = from_file(d, "[Interface]\nListenPort = 4000\nCipher = des\nPasswordFile = " + key +
                                "\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n");
    ASSERT_TRUE(des) << des.error().message;
    EXPECT_EQ(des->tunnels[0].cipher, "des");
    EXPECT_EQ(text_of(des->tunnels[0].password), "oldsecret");
    EXPECT_TRUE(check_passwords(*des));  // a DES password is public anyway: not judged
}

TEST(DaemonConfig, PasswordFileErrorsNameFileLineAndKey) {
    TempDir d;
    const auto conf = d.path() + "/vlan3.conf:";
    auto with_key = [&](const std::string& key_path, bool own) {
        const std::string pw = "PasswordFile = " + key_path + "\n";
        return from_file(d, "[Interface]\nListenPort = 4000\n" + (own ? "" : pw) +
                                "[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n" + (own ? pw : ""));
    };
    for (mode_t mode : {0640, 0604, 0644, 0660}) {
        const auto key = d.file("k", std::string(kStrong), mode);
        char m[8];
        std::snprintf(m, sizeof m, "%04o", mode);
        EXPECT_EQ(error_of(with_key(key, false)), conf + "3: PasswordFile: password file " + key + " has mode " + m +
                                                      ": group or others may read or write it (chmod 600 " + key + ")");
        EXPECT_EQ(error_of(with_key(key, true)), conf + "6: PasswordFile: password file " + key + " has mode " + m +
                                                     ": group or others may read or write it (chmod 600 " + key + ")");
    }
    EXPECT_EQ(error_of(with_key(d.path() + "/missing", true)),
              conf + "6: PasswordFile: password file " + d.path() + "/missing: No such file or directory");
    const auto empty = d.file("empty", "\n");
    EXPECT_EQ(error_of(with_key(empty, true)), conf + "6: PasswordFile: password file " + empty + " is empty");
    const auto two = d.file("two", "one\ntwo\n");
    EXPECT_EQ(error_of(with_key(two, false)),
              conf + "3: PasswordFile: password file " + two + " has more than one line (a password is one line)");
}

TEST(DaemonConfig, TheFileItselfAndItsContentsAreChecked) {
    TempDir d;
    const auto conf = d.path() + "/vlan3.conf";
    auto world_writable = parse({"-config", d.file("vlan3.conf", "[Interface]\n", 0666)});
    ASSERT_TRUE(world_writable);
    auto st = load_config_tunnels(*world_writable);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.message(), "configuration file " + conf + " has mode 0666: group or others may write it (chmod go-w " + conf + ")");
    EXPECT_EQ(error_of(from_file(d, "[Interface]\nListenPort = 4000\nMTU = 70000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n")),
              conf + ":3: MTU: 70000 is not between 68 and 9000");
    auto missing = parse({"-config", d.path() + "/nope.conf"});
    ASSERT_TRUE(missing);
    EXPECT_EQ(load_config_tunnels(*missing).message(), "configuration file " + d.path() + "/nope.conf: No such file or directory");
    // The command line's checks apply to the file's tunnels too.
    EXPECT_EQ(error_of(from_file(d, "[Interface]\nListenPort = 4000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n",
                                 {"-rekey", "30"})),
              "-rekey needs -pwd: without a password no tunnel has keys to renew");
    EXPECT_EQ(error_of(from_file(d, "[Interface]\nListenPort = 4000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n",
                                 {"-weak-pwd-ok"})),
              "-weak-pwd-ok needs -pwd: without a password there is none to judge");
}

TEST(DaemonConfig, AWeakPasswordInAFileIsRefusedByTheSamePolicy) {
    TempDir d;
    const auto key = d.file("weak.key", "correct horse\n");
    const std::string text = "[Interface]\nListenPort = 4000\nPasswordFile = " + key +
                             "\n[Peer]\nName = spoke1\nEndpoint = any\n";
    auto o = from_file(d, text);
    ASSERT_TRUE(o) << o.error().message;
    auto refused = check_passwords(*o);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message.rfind("the password of PasswordFile " + key + " of tunnel vlan3 (peer spoke1) is too weak", 0), 0u)
        << refused.error().message;
    EXPECT_EQ(refused.error().message.find("correct"), std::string::npos);  // never the password
    auto accepted = from_file(d, text, {"-weak-pwd-ok"});
    ASSERT_TRUE(accepted);
    auto warnings = check_passwords(*accepted);
    ASSERT_TRUE(warnings);
    ASSERT_EQ(warnings->size(), 1u);
    EXPECT_EQ((*warnings)[0].rfind("tunnel vlan3 (peer spoke1): the password of PasswordFile " + key + " is weaker than 37 bits", 0), 0u)
        << (*warnings)[0];
}

// The file says what -weak-pwd-ok says, and the refusal names the file's key.
TEST(DaemonConfig, WeakPasswordOkInTheFileIsWeakPwdOk) {
    TempDir d;
    const auto key = d.file("weak.key", "correct horse\n");
    const std::string text = "[Interface]\nListenPort = 4000\nPasswordFile = " + key + "\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n";
    auto refused = from_file(d, text);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_FALSE(refused->weak_pwd_ok);
    auto why = check_passwords(*refused);
    ASSERT_FALSE(why);
    EXPECT_NE(why.error().message.find("add WeakPasswordOk = yes to [Interface] to take the risk"), std::string::npos)
        << why.error().message;
    const std::string with_key = "[Interface]\nListenPort = 4000\nWeakPasswordOk = yes\nPasswordFile = " + key +
                                 "\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n";
    auto ok = from_file(d, with_key);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_TRUE(ok->weak_pwd_ok);
    auto warnings = check_passwords(*ok);
    ASSERT_TRUE(warnings) << warnings.error().message;
    ASSERT_EQ(warnings->size(), 1u);
    EXPECT_NE((*warnings)[0].find("is weaker than 37 bits"), std::string::npos) << (*warnings)[0];
}

TEST(DaemonConfig, ConfigCannotBeMixedWithTunnelOptions) {
    const std::string mixed = ": the file gives the tunnels and their options";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"-config", "/etc/tvpn/vlan3.conf", "-tunnel", "vlan3", "1.1.1.1", "1", "2.2.2.2", "1"}, "-config cannot be mixed with -tunnel" + mixed},
        {{"-tunnel", "vlan3", "1.1.1.1", "1", "2.2.2.2", "1", "-config", "/etc/tvpn/vlan3.conf"}, "-config cannot be mixed with -tunnel" + mixed},
        {{"-pwd", "k", "-config", "/etc/tvpn/vlan3.conf"}, "-config cannot be mixed with -pwd" + mixed},
        {{"-config", "/etc/tvpn/vlan3.conf", "-cipher", "des"}, "-config cannot be mixed with -cipher" + mixed},
        {{"-config", "/etc/tvpn/vlan3.conf", "-keepalive", "5"}, "-config cannot be mixed with -keepalive" + mixed},
        {{"-config", "/etc/tvpn/vlan3.conf", "-backend", "tap"}, "-config cannot be mixed with -backend" + mixed},
        {{"-config", "/etc/tvpn/vlan3.conf", "-config", "/etc/tvpn/vlan4.conf"}, "-config given twice"},
        {{"-config"}, "missing FILE after -config"},
        {{"-config", ""}, "-config needs a FILE"},
    };
    for (const auto& [args, want] : cases) EXPECT_EQ(error_of(parse(args)), want) << args[0];
    auto ok = parse({"-config", "/etc/tvpn/vlan3.conf", "-daemonize", "-pidfile", "/run/x.pid", "-v", "-weak-pwd-ok"});
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->config_file, "/etc/tvpn/vlan3.conf");
    EXPECT_TRUE(ok->tunnels.empty());  // still to be read from the file
}

TEST(DaemonPwdFile, PerGroupAndBeforeAllLikePwd) {
    TempDir d;
    const auto k0 = d.file("k0", "zero plaid ferry orbit\n");
    const auto k1 = d.file("k1", "one plaid ferry orbit\n", 0400);
    auto o = parse({"-pwd-file", k0, "-tunnel", "a", "1.1.1.1", "1", "2.2.2.2", "1", "-tunnel", "b", "1.1.1.1", "2", "3.3.3.3",
                    "2", "-pwd-file", k1, "-tunnel", "c", "1.1.1.1", "3", "4.4.4.4", "3", "-pwd", "typed key"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(text_of(o->tunnels[0].password), "zero plaid ferry orbit");
    EXPECT_EQ(o->tunnels[0].password_source, "-pwd-file " + k0);
    EXPECT_EQ(text_of(o->tunnels[1].password), "one plaid ferry orbit");
    EXPECT_EQ(o->tunnels[1].password_source, "-pwd-file " + k1);
    EXPECT_EQ(text_of(o->tunnels[2].password), "typed key");
    EXPECT_EQ(o->tunnels[2].password_source, "-pwd KEY");
    EXPECT_TRUE(o->pwd_on_command_line);
    auto des = parse({"-tunnel", "a", "1.1.1.1", "1", "2.2.2.2", "1", "-pwd-file", k0, "-cipher", "des"});
    ASSERT_TRUE(des) << des.error().message;
    EXPECT_EQ(des->tunnels[0].cipher, "des");
    EXPECT_FALSE(des->pwd_on_command_line);
}

TEST(DaemonPwdFile, EveryMistakeIsOneLine) {
    TempDir d;
    const auto good = d.file("good", "plaid ferry orbit candle\n");
    const std::vector<std::string> tunnel = {"-tunnel", "a", "1.1.1.1", "1", "2.2.2.2", "1"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = tunnel;
        args.insert(args.end(), extra.begin(), extra.end());
        return error_of(parse(args));
    };
    for (mode_t mode : {0640, 0604, 0644, 0620, 0602}) {
        const auto p = d.file("bad", "plaid ferry orbit candle\n", mode);
        char m[8];
        std::snprintf(m, sizeof m, "%04o", mode);
        EXPECT_EQ(with({"-pwd-file", p}),
                  "-pwd-file: password file " + p + " has mode " + m + ": group or others may read or write it (chmod 600 " + p + ")");
    }
    EXPECT_EQ(with({"-pwd-file", d.path() + "/missing"}), "-pwd-file: password file " + d.path() + "/missing: No such file or directory");
    EXPECT_EQ(with({"-pwd-file", d.path()}), "-pwd-file: password file " + d.path() + " is not a regular file");
    const auto empty = d.file("empty", "");
    EXPECT_EQ(with({"-pwd-file", empty}), "-pwd-file: password file " + empty + " is empty");
    const auto two = d.file("two", "a\nb\n");
    EXPECT_EQ(with({"-pwd-file", two}), "-pwd-file: password file " + two + " has more than one line (a password is one line)");
    EXPECT_EQ(with({"-pwd-file"}), "missing PATH after -pwd-file");
    EXPECT_EQ(with({"-pwd", "k", "-pwd-file", good}), "-pwd-file given after another password for tunnel a");
    EXPECT_EQ(with({"-pwd-file", good, "-pwd", "k"}), "-pwd given after another password for tunnel a");
    EXPECT_EQ(with({"-pwd-file", good, "-pwd-file", good}), "-pwd-file given after another password for tunnel a");
    EXPECT_EQ(error_of(parse({"-pwd-file", good, "-pwd", "k", "-tunnel", "a", "1.1.1.1", "1", "2.2.2.2", "1"})),
              "-pwd given after another password before the first -tunnel");
}

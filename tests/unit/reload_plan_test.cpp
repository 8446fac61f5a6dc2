// What a reload plans: each [Peer] added, removed, changed (every key a peer
// can change, its password's contents too) or left alone, and each
// [Interface] key only a restart changes reported and kept.
#include "vnddvpnd/reload_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace tvpn;

namespace {

constexpr std::string_view kBase = R"([Interface]
Address = 192.168.3.1/24
MTU = 1400
ListenPort = 33000
Keepalive = 10
PasswordFile = /etc/tvpn/vlan3.key

[Peer]
Name = b
Endpoint = 198.51.100.2:33000

[Peer]
Name = c
Endpoint = 198.51.100.3:33000
TunnelName = vlan3-c

[Peer]
Name = d
Endpoint = any
)";

// kBase with `from` replaced by `to` (each must be there).
std::string edited(std::string_view from, std::string_view to, std::string text = std::string(kBase)) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

ConfigSnapshot snapshot_of(std::string_view text) {
    auto c = config::parse_config(text, "/etc/tvpn/vlan3.conf");
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    ConfigSnapshot s;
    if (!c) return s;
    s.interface = c->interface;
    for (auto& p : c->peers) {
        PeerSettings ps{p, {}};
        ps.password.fill(0x11);  // the same password everywhere unless a test says otherwise
        s.peers.push_back(std::move(ps));
    }
    return s;
}

std::vector<std::string> kept_keys(const ReloadPlan& plan) {
    std::vector<std::string> keys;
    for (const auto& k : plan.kept) keys.push_back(k.key);
    return keys;
}

using Keys = std::vector<std::string>;

}  // namespace

TEST(ReloadPlan, TheSameFileChangesNothing) {
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(kBase));
    EXPECT_FALSE(plan.changes_peers());
    EXPECT_TRUE(plan.kept.empty());
    ASSERT_EQ(plan.unchanged.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(plan.unchanged[i], std::make_pair(i, i));
}

TEST(ReloadPlan, PeersAreMatchedByNameWhateverTheirOrder) {
    // d moved to the front: no change, nothing replaced.
    const std::string reordered = "[Interface]\nAddress = 192.168.3.1/24\nMTU = 1400\nListenPort = 33000\n"
                                  "Keepalive = 10\nPasswordFile = /etc/tvpn/vlan3.key\n"
                                  "[Peer]\nName = d\nEndpoint = any\n"
                                  "[Peer]\nName = b\nEndpoint = 198.51.100.2:33000\n"
                                  "[Peer]\nName = c\nEndpoint = 198.51.100.3:33000\nTunnelName = vlan3-c\n";
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(reordered));
    EXPECT_FALSE(plan.changes_peers());
    ASSERT_EQ(plan.unchanged.size(), 3u);
    EXPECT_EQ(plan.unchanged[0], std::make_pair(size_t{2}, size_t{0}));
}

TEST(ReloadPlan, ANewPeerIsAdded) {
    const auto file = snapshot_of(std::string(kBase) + "[Peer]\nName = e\nEndpoint = 198.51.100.5:33000\nTunnelName = e\n");
    const auto plan = plan_reload(snapshot_of(kBase), file);
    EXPECT_EQ(plan.added, std::vector<size_t>{3});
    EXPECT_TRUE(plan.removed.empty());
    EXPECT_TRUE(plan.changed.empty());
    EXPECT_EQ(plan.unchanged.size(), 3u);
}

TEST(ReloadPlan, APeerNoLongerInTheFileIsRemoved) {
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(edited("[Peer]\nName = c\nEndpoint = 198.51.100.3:33000\nTunnelName = vlan3-c\n", "")));
    EXPECT_EQ(plan.removed, std::vector<size_t>{1});
    EXPECT_TRUE(plan.added.empty());
    EXPECT_EQ(plan.unchanged.size(), 2u);
}

TEST(ReloadPlan, ARenamedPeerIsAnotherPeer) {
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(edited("Name = c\n", "Name = c2\n")));
    EXPECT_EQ(plan.removed, std::vector<size_t>{1});
    EXPECT_EQ(plan.added, std::vector<size_t>{1});
}

struct KeyCase {
    const char* what;
    std::string file;
    Keys keys;
    size_t peer;  // the one changed
};

TEST(ReloadPlan, EachKeyAPeerCanChangeReplacesOnlyThatPeer) {
    const KeyCase cases[] = {
        {"Endpoint", edited("198.51.100.2:33000", "198.51.100.20:33001"), {"Endpoint"}, 0},
        {"Endpoint to any", edited("198.51.100.2:33000\n", "any\nTunnelName = b\n"), {"TunnelName", "Endpoint"}, 0},
        {"TunnelName", edited("TunnelName = vlan3-c", "TunnelName = other"), {"TunnelName"}, 1},
        {"its own Keepalive", edited("Name = c\n", "Name = c\nKeepalive = 25\n"), {"Keepalive"}, 1},
        {"its own PasswordFile", edited("Name = c\n", "Name = c\nPasswordFile = /etc/tvpn/c.key\n"), {"PasswordFile"}, 1},
    };
    for (const auto& c : cases) {
        const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(c.file));
        ASSERT_EQ(plan.changed.size(), 1u) << c.what;
        EXPECT_EQ(plan.changed[0].running, c.peer) << c.what;
        EXPECT_EQ(plan.changed[0].file, c.peer) << c.what;
        EXPECT_EQ(plan.changed[0].keys, c.keys) << c.what;
        EXPECT_TRUE(plan.added.empty() && plan.removed.empty()) << c.what;
        EXPECT_EQ(plan.unchanged.size(), 2u) << c.what;
        EXPECT_TRUE(plan.kept.empty()) << c.what;
    }
}

TEST(ReloadPlan, AnInterfaceKeepaliveOrPasswordFileChangesEveryPeerThatTakesIt) {
    auto plan = plan_reload(snapshot_of(kBase), snapshot_of(edited("Keepalive = 10", "Keepalive = 20")));
    EXPECT_EQ(plan.changed.size(), 3u);
    for (const auto& c : plan.changed) EXPECT_EQ(c.keys, Keys{"Keepalive"});
    EXPECT_TRUE(plan.kept.empty());  // not a restart's business: it reaches the peers
    // A peer with its own keepalive is not touched by the interface's.
    const std::string own = edited("Name = c\n", "Name = c\nKeepalive = 10\n");
    plan = plan_reload(snapshot_of(own), snapshot_of(edited("Keepalive = 10", "Keepalive = 20", own)));
    EXPECT_EQ(plan.changed.size(), 2u);
    EXPECT_EQ(plan.unchanged.size(), 1u);
    plan = plan_reload(snapshot_of(kBase), snapshot_of(edited("vlan3.key", "new.key")));
    EXPECT_EQ(plan.changed.size(), 3u);
    for (const auto& c : plan.changed) EXPECT_EQ(c.keys, Keys{"PasswordFile"});
}

TEST(ReloadPlan, ANewPasswordInTheSameFileReplacesThePeer) {
    const auto running = snapshot_of(kBase);
    auto file = snapshot_of(kBase);
    file.peers[2].password[0] ^= 1;
    const auto plan = plan_reload(running, file);
    ASSERT_EQ(plan.changed.size(), 1u);
    EXPECT_EQ(plan.changed[0].running, 2u);
    EXPECT_EQ(plan.changed[0].keys, Keys{"PasswordFile (its password)"});
}

TEST(ReloadPlan, SettingsOnlyARestartChangesAreKeptAndNamed) {
    struct Case {
        std::string file;
        const char* key;
        bool interface_setup;
        const char* running_text;
        const char* file_text;
    };
    const Case cases[] = {
        {edited("[Interface]\n", "[Interface]\nName = vlan9\n"), "Name", false, "vlan3", "vlan9"},
        {edited("[Interface]\n", "[Interface]\nBackend = tap\n"), "Backend", false, "auto", "tap"},
        {edited("[Interface]\n", "[Interface]\nListenAddress = 198.51.100.1\n"), "ListenAddress", false, "any", "198.51.100.1"},
        {edited("ListenPort = 33000", "ListenPort = 33001"), "ListenPort", false, "33000", "33001"},
        {edited("192.168.3.1/24", "192.168.3.9/24"), "Address", true, "192.168.3.1/24", "192.168.3.9/24"},
        {edited("MTU = 1400", "MTU = 1500"), "MTU", true, "1400", "1500"},
        {edited("[Interface]\n", "[Interface]\nMAC = 02:00:5e:10:00:01\n"), "MAC", true, "the kernel's", "02:00:5e:10:00:01"},
        {edited("Address = 192.168.3.1/24\n", "Bridge = br0\n"), "Bridge", true, "", ""},
        {edited("[Interface]\n", "[Interface]\nPreUp = true\n"), "PreUp", true, "none", "true"},
        {edited("[Interface]\n", "[Interface]\nPostUp = true\n"), "PostUp", true, "none", "true"},
        {edited("[Interface]\n", "[Interface]\nPreDown = true\n"), "PreDown", true, "none", "true"},
        {edited("[Interface]\n", "[Interface]\nPostDown = true\n"), "PostDown", true, "none", "true"},
    };
    const auto running = snapshot_of(kBase);
    for (const auto& c : cases) {
        const auto file = snapshot_of(c.file);
        const auto plan = plan_reload(running, file);
        const auto keys = kept_keys(plan);
        ASSERT_TRUE(std::find(keys.begin(), keys.end(), c.key) != keys.end()) << c.key;
        const auto& k = *std::find_if(plan.kept.begin(), plan.kept.end(), [&](const KeptSetting& s) { return s.key == c.key; });
        EXPECT_EQ(k.interface_setup, c.interface_setup) << c.key;
        if (*c.running_text) {
            EXPECT_EQ(describe_kept(k), std::string(c.key) + " stays " + c.running_text + " (the file says " + c.file_text + ")");
        }
        // What runs keeps the running value; everything else is the file's.
        const auto runnable = runnable_interface(running.interface, file.interface);
        EXPECT_TRUE(plan_reload(running, ConfigSnapshot{runnable, running.peers}).kept.empty()) << c.key;
    }
}

TEST(ReloadPlan, AKeptSettingDoesNotStopThePeersFromChanging) {
    const std::string file = edited("ListenPort = 33000", "ListenPort = 4000",
                                    edited("198.51.100.2:33000", "198.51.100.2:33002"));
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(file));
    EXPECT_EQ(kept_keys(plan), Keys{"ListenPort"});
    ASSERT_EQ(plan.changed.size(), 1u);
    EXPECT_EQ(plan.changed[0].keys, Keys{"Endpoint"});
}

TEST(ReloadPlan, AddRemoveAndChangeAtOnce) {
    std::string file = edited("[Peer]\nName = c\nEndpoint = 198.51.100.3:33000\nTunnelName = vlan3-c\n", "");
    file = edited("Name = d\nEndpoint = any\n", "Name = d\nEndpoint = any\nKeepalive = 3\n", file);
    file += "[Peer]\nName = e\nEndpoint = 198.51.100.5:33000\nTunnelName = e\n";
    const auto plan = plan_reload(snapshot_of(kBase), snapshot_of(file));
    EXPECT_EQ(plan.removed, std::vector<size_t>{1});
    EXPECT_EQ(plan.added, std::vector<size_t>{2});
    ASSERT_EQ(plan.changed.size(), 1u);
    EXPECT_EQ(plan.changed[0].running, 2u);
    EXPECT_EQ(plan.changed[0].file, 1u);
    ASSERT_EQ(plan.unchanged.size(), 1u);
    EXPECT_EQ(plan.unchanged[0], std::make_pair(size_t{0}, size_t{0}));
}

TEST(ReloadPlan, ACipherChangeIsKept) {
    constexpr std::string_view kPlain = "[Interface]\nListenPort = 33000\nPasswordFile = /etc/tvpn/vlan3.key\n"
                                        "[Peer]\nName = b\nEndpoint = 198.51.100.2:33000\n";
    const std::string des = edited("[Interface]\n", "[Interface]\nCipher = des\n", std::string(kPlain));
    const auto plan = plan_reload(snapshot_of(kPlain), snapshot_of(des));
    ASSERT_EQ(kept_keys(plan), Keys{"Cipher"});
    EXPECT_EQ(describe_kept(plan.kept[0]), "Cipher stays pwd (the file says des)");
    EXPECT_FALSE(plan.kept[0].interface_setup);
    EXPECT_FALSE(plan.changes_peers());
    EXPECT_EQ(runnable_interface(snapshot_of(kPlain).interface, snapshot_of(des).interface).cipher, "");
}

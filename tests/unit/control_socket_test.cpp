#include "common/control/control_socket.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <thread>

#include "common/control/runtime_paths.h"

using namespace tvpn;

TEST(RuntimePaths, ControlSocketSitsNextToThePidfile) {
    EXPECT_EQ(control_socket_path("/run/vnddvpnd/vlan3.pid"), "/run/vnddvpnd/vlan3.ctl");
    EXPECT_EQ(control_socket_path("/tmp/x"), "/tmp/x.ctl");
    EXPECT_EQ(default_pidfile("vlan3").rfind("/run/vnddvpnd/vlan3", 0), 0u);
}

TEST(ControlSocket, AnswersOneCommandPerConnectionAndRemovesItsPath) {
    const std::string path = "/tmp/tvpn-ctl-test-" + std::to_string(::getpid()) + ".ctl";
    {
        auto server = ControlSocket::listen(path);
        ASSERT_TRUE(server) << server.error().message;
        std::string reply;
        std::thread client([&] {
            auto r = control_request(path, "status");
            reply = r ? *r : "failed: " + r.error().message;
        });
        pollfd p{server->fd(), POLLIN, 0};
        ASSERT_EQ(::poll(&p, 1, 5000), 1);
        std::string seen;
        server->on_readable([&](const std::string& command) {
            seen = command;
            return std::string("ok\n");
        });
        client.join();
        EXPECT_EQ(seen, "status");
        EXPECT_EQ(reply, "ok\n");
    }
    EXPECT_NE(::access(path.c_str(), F_OK), 0) << "socket path left behind";
    EXPECT_FALSE(control_request(path, "status"));
}

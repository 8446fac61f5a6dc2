// The vnddmgr ABI as the tools see it: struct layout (identical on 32 and
// 64 bit, so fixed offsets), argument packing, and reply checking.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "common/device/vndd_ioctl_args.h"

namespace tvpn {
namespace {

// Sizes and offsets spelled out: a change here is an ABI break.
static_assert(sizeof(vndd_version) == VNDD_VERSION_SIZE && VNDD_VERSION_SIZE == 32);
static_assert(sizeof(vndd_add) == VNDD_ADD_SIZE && VNDD_ADD_SIZE == 48);
static_assert(sizeof(vndd_ref) == VNDD_REF_SIZE && VNDD_REF_SIZE == 32);
static_assert(sizeof(vndd_info) == VNDD_INFO_SIZE && VNDD_INFO_SIZE == 48);
static_assert(sizeof(vndd_list) == VNDD_LIST_SIZE && VNDD_LIST_SIZE == 784);
static_assert(offsetof(vndd_add, mac) == 16 && offsetof(vndd_add, flags) == 22 && offsetof(vndd_add, mtu) == 24);
static_assert(offsetof(vndd_ref, flags) == 16);
static_assert(offsetof(vndd_info, mac) == 16 && offsetof(vndd_info, flags) == 22 && offsetof(vndd_info, ifindex) == 24 &&
              offsetof(vndd_info, mtu) == 28 && offsetof(vndd_info, attached_pid) == 32);
static_assert(offsetof(vndd_list, entries) == 16);
// No member needs more than 4-byte alignment, so i386 lays them out the same.
static_assert(alignof(vndd_list) == 4 && alignof(vndd_add) == 4 && alignof(vndd_info) == 4);
// The ioctl numbers encode the sizes; an ioctl size field holds 14 bits.
static_assert(_IOC_SIZE(VNDD_IOC_LIST) == VNDD_LIST_SIZE && VNDD_LIST_SIZE < (1 << 14));
static_assert(_IOC_DIR(VNDD_IOC_GETVER) == _IOC_READ && _IOC_DIR(VNDD_IOC_ADD) == _IOC_WRITE);
// ABI 2: magic 0xDE (0xDD, ABI 1's, is zfcp's in ioctl-number.rst), numbers 0x00-0x05,
// none in the 0x10-0x1f range the header reserves.
static_assert(VNDD_ABI_MAJOR == 2 && VNDD_IOC_MAGIC == 0xDE);
static_assert(_IOC_TYPE(VNDD_IOC_GETVER) == 0xDE && _IOC_TYPE(VNDD_IOC_SETFLAGS) == 0xDE);
static_assert(_IOC_NR(VNDD_IOC_GETVER) == 0 && _IOC_NR(VNDD_IOC_ADD) == 1 && _IOC_NR(VNDD_IOC_REMOVE) == 2 &&
              _IOC_NR(VNDD_IOC_ATTACH) == 3 && _IOC_NR(VNDD_IOC_LIST) == 4 && _IOC_NR(VNDD_IOC_SETFLAGS) == 5);

TEST(VnddAbi, PacksAddWithZeroFilledNameAndFlags) {
    InterfaceSpec spec{"vlan3", 1400, MacAddr{0x02, 0, 0x5e, 0x10, 0, 1}, true};
    vndd_add req = pack_vndd_add(spec);
    EXPECT_STREQ(req.name, "vlan3");
    for (size_t i = 5; i < sizeof req.name; ++i) EXPECT_EQ(req.name[i], 0) << i;
    EXPECT_EQ(req.mtu, 1400u);
    EXPECT_EQ(req.flags, VNDD_ADD_MAC | VNDD_ADD_NOARP);
    EXPECT_EQ(std::memcmp(req.mac, spec.mac->data(), 6), 0);
    for (uint32_t r : req.reserved) EXPECT_EQ(r, 0u);
}

TEST(VnddAbi, PacksAddWithoutMacAsRandom) {
    vndd_add req = pack_vndd_add(InterfaceSpec{"x", 1500, std::nullopt, false});
    EXPECT_EQ(req.flags, 0);
    for (uint8_t b : req.mac) EXPECT_EQ(b, 0);
}

TEST(VnddAbi, PackingNeverOverrunsTheNameField) {
    vndd_ref req = pack_vndd_ref(std::string(40, 'a'), VNDD_REMOVE_FORCE);
    EXPECT_EQ(strnlen(req.name, sizeof req.name), sizeof req.name - 1);
    EXPECT_EQ(req.flags, VNDD_REMOVE_FORCE);
}

TEST(VnddAbi, UnpacksInfo) {
    vndd_info in{};
    std::memcpy(in.name, "vlan3", 5);
    const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};
    std::memcpy(in.mac, mac, 6);
    in.mtu = 1500;
    in.flags = VNDD_INFO_ATTACHED;
    in.attached_pid = 42;
    auto out = unpack_vndd_info(in);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->name, "vlan3");
    EXPECT_EQ(out->backend, "vndd");
    EXPECT_EQ(format_mac(out->mac), "02:01:02:03:04:05");
    EXPECT_TRUE(out->attached);
    EXPECT_EQ(out->attached_pid, 42);
}

TEST(VnddAbi, RejectsUnterminatedOrEmptyName) {
    vndd_info in{};
    EXPECT_FALSE(unpack_vndd_info(in));
    std::memset(in.name, 'a', sizeof in.name);
    EXPECT_FALSE(unpack_vndd_info(in));
}

TEST(VnddAbi, IgnoresPidWhenNotAttached) {
    vndd_info in{};
    in.name[0] = 'v';
    in.attached_pid = 7;
    auto out = unpack_vndd_info(in);
    ASSERT_TRUE(out);
    EXPECT_FALSE(out->attached);
    EXPECT_EQ(out->attached_pid, 0);
}

TEST(VnddAbi, ChecksVersion) {
    vndd_version ok{VNDD_ABI_MAJOR, VNDD_ABI_MINOR + 3, VNDD_FEAT_FRAME_RW, VNDD_MAX_FRAME, {}};
    EXPECT_FALSE(check_vndd_version(ok));
    vndd_version newer = ok;
    newer.major = VNDD_ABI_MAJOR + 1;
    EXPECT_TRUE(check_vndd_version(newer));
    vndd_version no_rw = ok;
    no_rw.features = 0;
    EXPECT_TRUE(check_vndd_version(no_rw));
    vndd_version abi1 = ok;
    abi1.major = 1;
    EXPECT_TRUE(check_vndd_version(abi1));
}

TEST(VnddAbi, NamesAnOlderModuleWhenGetverIsRefused) {
    // An ABI 1 module does not know ABI 2's ioctl numbers: GETVER fails with ENOTTY.
    EXPECT_NE(vndd_error_message(VnddOp::Version, "", ENOTTY).find("older vnddmgr.ko"), std::string::npos);
    EXPECT_NE(vndd_error_message(VnddOp::Add, "vlan3", ENOTTY).find("does not understand"), std::string::npos);
}

TEST(VnddAbi, ExplainsErrors) {
    EXPECT_NE(vndd_error_message(VnddOp::Add, "vlan3", EEXIST).find("already exists"), std::string::npos);
    EXPECT_NE(vndd_error_message(VnddOp::Add, "vlan3", EPERM).find("CAP_NET_ADMIN"), std::string::npos);
    EXPECT_NE(vndd_error_message(VnddOp::Remove, "vlan3", EBUSY).find("stop it first"), std::string::npos);
    EXPECT_NE(vndd_error_message(VnddOp::Attach, "vlan3", EBUSY).find("already attached"), std::string::npos);
    EXPECT_NE(vndd_error_message(VnddOp::Add, "vlan3", EIO).find("vlan3"), std::string::npos);
}

}  // namespace
}  // namespace tvpn

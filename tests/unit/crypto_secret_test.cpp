// crypto::Secret: moves leave nothing behind, and Result carries one by moving.
#include <gtest/gtest.h>

#include <type_traits>

#include "common/crypto/secret.h"
#include "common/result.h"

namespace tvpn::crypto {
namespace {

static_assert(!std::is_copy_constructible_v<Secret> && !std::is_copy_assignable_v<Secret>);
static_assert(std::is_nothrow_move_constructible_v<Secret> && std::is_nothrow_move_assignable_v<Secret>);

Secret of(const char* text) { return Secret::from_string(text); }

TEST(Secret, MovedFromIsEmptyAndTheBufferMoves) {
    Secret a = of("a password");
    const uint8_t* buffer = a.data();
    Secret b(std::move(a));
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): what is left is the point
    EXPECT_EQ(b.data(), buffer);
    Secret c;
    c = std::move(b);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(c.data(), buffer);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(c.data()), c.size()), "a password");
}

TEST(Secret, MoveAssignmentReplacesAndWipesTheOld) {
    Secret a = of("old");
    a = of("new one");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(a.data()), a.size()), "new one");
    a.wipe();
    EXPECT_TRUE(a.empty());
}

TEST(Secret, ResultMovesItIn) {
    Secret s = of("through a Result");
    const uint8_t* buffer = s.data();
    Result<Secret> r(std::move(s));
    ASSERT_TRUE(r);
    EXPECT_TRUE(s.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(r->data(), buffer);
    Result<Secret> moved(std::move(r));
    EXPECT_EQ(moved->data(), buffer);
    EXPECT_TRUE(r->empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace tvpn::crypto

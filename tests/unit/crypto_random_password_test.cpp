// vnddconfig genpsk's passwords: the documented shape, never the same twice,
// and strong enough for the weak-password check with a wide margin.
#include "common/crypto/random_password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vnddvpnd/password_policy.h"

using namespace tvpn;

TEST(RandomPassword, HasTheDocumentedShape) {
    auto p = crypto::random_password();
    ASSERT_TRUE(p);
    const std::string text(p->data(), p->data() + p->size());
    ASSERT_EQ(text.size(), 29u);  // 6 groups of 4, 5 dashes
    for (size_t i = 0; i < text.size(); ++i) {
        if (i % 5 == 4) {
            EXPECT_EQ(text[i], '-') << text;
        } else {
            EXPECT_NE(std::string("abcdefghijkmnpqrstuvwxyz23456789").find(text[i]), std::string::npos) << text;
        }
    }
}

TEST(RandomPassword, NeverRepeatsAndPassesTheStrengthCheck) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto p = crypto::random_password();
        ASSERT_TRUE(p);
        seen.emplace(p->data(), p->data() + p->size());
        const std::string words[] = {"vlan3"};
        EXPECT_GE(password_strength_bits(*p, words), kMinPasswordBits + 20);
    }
    EXPECT_EQ(seen.size(), 50u);
}

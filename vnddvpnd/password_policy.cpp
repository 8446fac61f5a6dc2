#include "vnddvpnd/password_policy.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <zxcvbn.h>

#include <cmath>
#include <cstring>

#include "common/crypto/des_ecb.h"

namespace tvpn {
namespace {

bool uses_handshake(const TunnelOptions& t) { return t.has_password && t.cipher.empty(); }
bool uses_des(const TunnelOptions& t) { return t.has_password && t.cipher == "des"; }

// Whether DES would give `a` away to whoever recovers `b`'s DES key: the key
// is all DES keeps of a password (its first 8 bytes, low bits dropped), so
// the same password, or one starting the same way, counts as the same.
bool same_des_key(const crypto::Secret& a, const crypto::Secret& b) {
    uint8_t ka[crypto::kDesKeySize], kb[crypto::kDesKeySize];
    crypto::des_key_from_password(a.span(), ka);
    crypto::des_key_from_password(b.span(), kb);
    const bool same = CRYPTO_memcmp(ka, kb, sizeof ka) == 0;
    crypto::wipe(ka, sizeof ka);
    crypto::wipe(kb, sizeof kb);
    return same;
}

// "tunnel IF" or "tunnel IF (peer NAME)" for one of several peers.
std::string tunnel_label(const TunnelOptions& t) {
    return "tunnel " + t.ifname + (t.name.empty() || t.name == t.ifname ? "" : " (peer " + t.name + ")");
}

// "the -pwd KEY" or "the password of -pwd-file PATH" (PasswordFile PATH).
std::string password_label(const TunnelOptions& t) {
    return t.password_source == "-pwd KEY" ? "the -pwd KEY" : "the password of " + t.password_source;
}

Status check_des_reuse(const DaemonOptions& opts) {
    for (const auto& des : opts.tunnels) {
        if (!uses_des(des)) continue;
        for (const auto& pwd : opts.tunnels)
            if (uses_handshake(pwd) && same_des_key(pwd.password, des.password))
                return Error{tunnel_label(pwd) + " (-pwd) uses the password of " + tunnel_label(des) +
                             " (-cipher des), or one with the same first 8 characters: DES gives its password "
                             "away to anyone who records its traffic, so treat it as public and give the -pwd "
                             "tunnel another"};
    }
    return {};
}

// How the user takes the risk: a file's peer in its file, else on the command line.
std::string weak_ok_option(const TunnelOptions& t) {
    return t.password_source.rfind("PasswordFile ", 0) == 0 ? "WeakPasswordOk = yes to [Interface]" : "-weak-pwd-ok";
}

std::string weak_message(const TunnelOptions& t, double bits) {
    return password_label(t) + " of " + tunnel_label(t) + " is too weak: about " +
           std::to_string(static_cast<int>(std::floor(bits))) + " bits by zxcvbn's estimate, " +
           std::to_string(kMinPasswordBits) + " needed so that a year of guessing at the most the protocol allows (" +
           std::to_string(kMaxGuessesPerYear) + " guesses) finds it with a chance of at most one in a million; "
           "choose a longer one (e.g. four random words) or add " + weak_ok_option(t) + " to take the risk";
}

// libzxcvbn, loaded for one check and unloaded after it: its dictionaries are
// 1.4 MiB of pages once a password has been matched, which a linked library
// would keep in the daemon's memory for its whole life.
class Zxcvbn {
public:
    Zxcvbn() : handle_(::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL)) {
        if (handle_) match_ = reinterpret_cast<decltype(&ZxcvbnMatch)>(::dlsym(handle_, "ZxcvbnMatch"));
    }
    ~Zxcvbn() {
        if (handle_) ::dlclose(handle_);
    }
    Zxcvbn(const Zxcvbn&) = delete;
    Zxcvbn& operator=(const Zxcvbn&) = delete;

    // log2 of the guesses zxcvbn estimates, or NaN when the library could not be loaded.
    double match(const char* password, const char** words) const {
        return match_ ? match_(password, words, nullptr) : std::nan("");
    }

    static constexpr const char* kLibrary = "libzxcvbn.so.0";

private:
    void* handle_;
    decltype(&ZxcvbnMatch) match_ = nullptr;
};

}  // namespace

double password_strength_bits(const crypto::Secret& password, std::span<const std::string> words) {
    // zxcvbn wants a C string: a terminated copy that is itself a Secret.
    crypto::Secret text(password.size() + 1);
    if (!password.empty()) std::memcpy(text.data(), password.data(), password.size());
    std::vector<const char*> dict;
    for (const auto& w : words) dict.push_back(w.c_str());
    dict.push_back(nullptr);
    return Zxcvbn().match(reinterpret_cast<const char*>(text.data()), dict.data());
}

Result<std::vector<std::string>> check_passwords(const DaemonOptions& opts) {
    if (auto st = check_des_reuse(opts); !st) return Error{st.message()};
    std::vector<std::string> warnings;
    for (const auto& t : opts.tunnels) {
        if (!uses_handshake(t)) continue;
        const std::string words[] = {t.ifname, t.name, "tvpn", "vnddvpnd", "vndd"};
        const double bits = password_strength_bits(t.password, words);
        if (std::isnan(bits))
            return Error{std::string("cannot judge the strength of ") + password_label(t) + " of " + tunnel_label(t) +
                         ": " + Zxcvbn::kLibrary + " (package libzxcvbn0) could not be loaded"};
        if (bits >= kMinPasswordBits) continue;
        if (!opts.weak_pwd_ok) return Error{weak_message(t, bits)};
        warnings.push_back(tunnel_label(t) + ": " + password_label(t) + " is weaker than " + std::to_string(kMinPasswordBits) +
                           " bits (zxcvbn's estimate); started anyway (-weak-pwd-ok or WeakPasswordOk): an attacker who keeps "
                           "guessing online may find it within a year");
    }
    return warnings;
}

}  // namespace tvpn

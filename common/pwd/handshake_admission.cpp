#include "common/pwd/handshake_admission.h"

#include <algorithm>
#include <cstring>

namespace tvpn {

// The first 16 bytes of the share's X coordinate: fresh random per run, so
// an equal key means the same Init again.
HandshakeAdmission::ShareKey HandshakeAdmission::key_of(const wire::InitView& v) {
    ShareKey k;
    std::memcpy(k.data(), v.share.data() + 1, k.size());
    return k;
}

HandshakeAdmission::Verdict HandshakeAdmission::unproven_init(const sockaddr_storage& src, const wire::InitView& v,
                                                              uint64_t now) {
    const bool cookie = !wire::all_zero(v.cookie_mac) && cookies_.verify(src, v.cookie_input, v.cookie_mac, now);
    if (!cookie && !guesses_.full(now)) return Verdict::SendCookie;
    if (!cookie && !limiter_.allow(src, now)) return Verdict::SendCookie;  // over its rate: prove the address
    if (cookie && !cookie_.allow(now)) return Verdict::Limited;
    if (std::find(answered_.begin(), answered_.end(), key_of(v)) != answered_.end()) return Verdict::Replayed;
    return guesses_.take(now) ? Verdict::Go : Verdict::GuessLimited;
}

HandshakeAdmission::Verdict HandshakeAdmission::unproven_response(uint64_t now) {
    if (!response_.allow(now)) return Verdict::Limited;
    return guesses_.take(now) ? Verdict::Go : Verdict::GuessLimited;
}

void HandshakeAdmission::answered(const wire::InitView& v) {
    answered_[next_answered_] = key_of(v);
    next_answered_ = (next_answered_ + 1) % kAnswered;
}

}  // namespace tvpn

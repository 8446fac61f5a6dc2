// Times TVPN's AEAD wrapper (seal and open in place, counter nonces) for both
// algorithms at typical datagram sizes; the numbers in docs/PROTOCOL.md come
// from this program. Usage: aead_speed [SECONDS_PER_CASE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/crypto/aead.h"

using namespace tvpn::crypto;

namespace {

double run(AeadAlg alg, size_t size, bool open, double seconds) {
    uint8_t key_bytes[kAeadKeySize];
    for (size_t i = 0; i < sizeof key_bytes; ++i) key_bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    auto key = AeadKey::create(alg, key_bytes);
    if (!key) return 0;
    std::vector<uint8_t> buf(size, 0xab);
    uint8_t aad[16] = {4, 1};
    uint8_t tag[kAeadTagSize];
    if (!key->seal(0, aad, buf, tag)) return 0;
    const std::vector<uint8_t> sealed = buf;
    uint64_t n = 0;
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 256; ++i, ++n) {
            if (open) {
                std::copy(sealed.begin(), sealed.end(), buf.begin());
                if (!key->open(0, aad, buf, tag)) return 0;
            } else if (!key->seal(n, aad, buf, tag)) {
                return 0;
            }
        }
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return static_cast<double>(n) * static_cast<double>(size) / elapsed / 1e6;  // MB/s
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    std::printf("%-18s %6s %12s %12s\n", "algorithm", "bytes", "seal MB/s", "open MB/s");
    for (AeadAlg alg : {AeadAlg::ChaCha20Poly1305, AeadAlg::Aes256Gcm})
        for (size_t size : {64, 512, 1420, 8192})
            std::printf("%-18s %6zu %12.0f %12.0f\n", aead_name(alg), size, run(alg, size, false, seconds),
                        run(alg, size, true, seconds));
    return 0;
}

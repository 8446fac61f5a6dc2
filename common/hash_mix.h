// A 64-bit mixer for hash tables keyed by a per-process random seed (the MAC
// table, the fair queue's flows): cheap, and every input bit moves every
// output bit, so a seed the sender cannot know scatters whatever it sends.
#pragma once

#include <cstdint>

namespace tvpn {

inline uint64_t hash_mix(uint64_t x) {  // splitmix64's finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

}  // namespace tvpn

// Chooses and builds a tunnel's codec from its options: clear text without
// -pwd, the SPAKE2 + AEAD protocol with -pwd, the original DES format with
// -pwd -cipher des.
#pragma once

#include <memory>

#include "common/codec/frame_codec.h"
#include "common/log.h"
#include "common/result.h"
#include "common/datapath/peer.h"
#include "vnddvpnd/options.h"

namespace tvpn {

// Derives the keys from the password (it is not logged). `rekey_seconds`: 0 for the default.
Result<std::unique_ptr<FrameCodec>> make_codec(const TunnelOptions& t, const PeerConfig& config,
                                               unsigned rekey_seconds, Logger& log);

}  // namespace tvpn

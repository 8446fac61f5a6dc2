#include "common/config/config_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "common/config/checked_file.h"

namespace tvpn::config {

Result<TvpnConfig> load_config(const std::string& path, uid_t trusted_owner) {
    constexpr FileRules kRules{"configuration file", S_IWGRP | S_IWOTH, "chmod go-w", kMaxConfigFileSize};
    auto fd = open_checked_file(path, kRules, FileReader{trusted_owner});
    if (!fd) return fd.error();
    std::vector<uint8_t> buf(kMaxConfigFileSize + 1);
    auto got = read_whole_file(fd->get(), buf, path, kRules);
    if (!got) return got.error();
    return parse_config(std::string_view(reinterpret_cast<const char*>(buf.data()), *got), path);
}

Result<TvpnConfig> load_config(const std::string& path) { return load_config(path, ::geteuid()); }

}  // namespace tvpn::config

// A temporary directory for tests that read real files (configuration and
// password files), removed with everything in it when the test ends.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace tvpn::test {

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/tvpn-config-test.XXXXXX";
        if (!::mkdtemp(tmpl)) std::abort();
        path_ = tmpl;
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // Writes `content` to NAME with `mode` (set after writing: umask-proof).
    std::string file(const std::string& name, std::string_view content, mode_t mode = 0600) const {
        const std::string p = path_ + "/" + name;
        std::ofstream(p, std::ios::binary) << content;
        if (::chmod(p.c_str(), mode) != 0) std::abort();
        return p;
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace tvpn::test

// The syntax of TVPN's configuration files (tvpn.conf(5)): "[Section]"
// headers, "Key = Value" lines, whole-line comments ('#' or ';') and blank
// lines, each entry kept with its line number so that errors can point at it.
// What the sections and keys mean is tvpn_config's business, not this file's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tvpn::config {

inline constexpr size_t kMaxKeyLength = 64;
inline constexpr size_t kMaxValueLength = 4096;  // a hook's shell command fits

struct IniEntry {
    std::string key;    // as written
    std::string value;  // without surrounding white space; '#' or ';' inside is part of it
    size_t line = 0;
};

struct IniSection {
    std::string name;  // as written, without the brackets
    size_t line = 0;
    std::vector<IniEntry> entries;
};

struct IniDocument {
    std::vector<IniSection> sections;
};

// Splits `text` into sections. `source` names the file in errors
// ("SOURCE:LINE: ..."). Fails on the first line that is none of the above,
// a key before any section, a control character, or an over-long key or value.
Result<IniDocument> parse_ini(std::string_view text, std::string_view source);

// "SOURCE:LINE: message": the one format of every configuration error.
Error config_error(std::string_view source, size_t line, std::string_view message);

// A value for an error message: quoted, and shortened when long, so that one
// error stays one readable line.
std::string quote_value(std::string_view value);

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// ASCII case-insensitive equality (key and section names).
bool iequals(std::string_view a, std::string_view b);

}  // namespace tvpn::config

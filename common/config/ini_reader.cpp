#include "common/config/ini_reader.h"

#include <cstdio>
#include <optional>

namespace tvpn::config {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Null when the line has no control character but tab, else the complaint.
std::optional<std::string> control_character(std::string_view line) {
    for (char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", u);
            return std::string("contains the control character ") + hex;
        }
    }
    return std::nullopt;
}

bool is_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > kMaxKeyLength) return false;
    for (char c : s)
        if (!is_key_char(c)) return false;
    return true;
}

// One non-blank, non-comment line, already trimmed.
Status parse_line(std::string_view line, size_t number, std::string_view source, IniDocument& doc) {
    if (line.front() == '[') {
        if (line.back() != ']') return config_error(source, number, "section header " + quote_value(line) + " has no closing ']'");
        const auto name = trim(line.substr(1, line.size() - 2));
        if (!valid_name(name))
            return config_error(source, number, "section name " + quote_value(name) + " is not a word (expected [Interface] or [Peer])");
        doc.sections.push_back(IniSection{std::string(name), number, {}});
        return {};
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return config_error(source, number, quote_value(line) + " has no '=' (expected Key = Value)");
    const auto key = trim(line.substr(0, eq));
    const auto value = trim(line.substr(eq + 1));
    if (!valid_name(key))
        return config_error(source, number, "key " + quote_value(key) + " is not a word of at most 64 letters and digits");
    if (value.size() > kMaxValueLength)
        return config_error(source, number, std::string(key) + ": value is longer than 4096 bytes");
    if (doc.sections.empty())
        return config_error(source, number, std::string(key) + ": outside a section (put it under [Interface] or [Peer])");
    doc.sections.back().entries.push_back(IniEntry{std::string(key), std::string(value), number});
    return {};
}

}  // namespace

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

Error config_error(std::string_view source, size_t line, std::string_view message) {
    return Error{std::string(source) + ":" + std::to_string(line) + ": " + std::string(message)};
}

std::string quote_value(std::string_view value) {
    constexpr size_t kShown = 60;
    if (value.size() <= kShown) return "'" + std::string(value) + "'";
    return "'" + std::string(value.substr(0, kShown)) + "...'";
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

Result<IniDocument> parse_ini(std::string_view text, std::string_view source) {
    if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());  // editors on Windows
    IniDocument doc;
    size_t number = 0;
    while (!text.empty()) {
        ++number;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files
        if (auto bad = control_character(line)) return config_error(source, number, "line " + *bad);
        line = trim(line);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (auto st = parse_line(line, number, source, doc); !st) return Error{st.message()};
    }
    return doc;
}

}  // namespace tvpn::config

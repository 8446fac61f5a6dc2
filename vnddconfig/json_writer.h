// A small JSON writer for `vnddconfig show --json`: objects, arrays,
// strings, integers, booleans and null, written compactly on one line.
// Only writing is needed, so no library: strings are escaped per RFC 8259
// (quote, backslash and control characters; invalid UTF-8 becomes U+FFFD,
// so that the document is always valid UTF-8).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tvpn {

// `text` as a JSON string, quotes included.
std::string json_string(std::string_view text);

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    // The key of the next value inside an object.
    JsonWriter& key(std::string_view name);
    JsonWriter& string(std::string_view text);
    JsonWriter& number(uint64_t n);
    // thousandths / 1000 as a decimal number: 12345 -> 12.345 (exact, whatever the locale).
    JsonWriter& thousandths(uint64_t thousandths);
    JsonWriter& boolean(bool b);
    JsonWriter& null();
    const std::string& text() const { return out_; }

private:
    void value_start();
    JsonWriter& open(char bracket);
    JsonWriter& close(char bracket);
    std::string out_;
    std::vector<bool> first_;  // per open object or array: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace tvpn

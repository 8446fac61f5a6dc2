#include "vnddconfig/json_writer.h"

#include <cstdio>

#include "vnddconfig/utf8.h"

namespace tvpn {

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", u);
            out += esc;
        } else if (u >= 0x80) {
            const size_t len = utf8_sequence_length(text, i);
            if (len == 0) {
                out.append(kReplacementCharacter);
                ++i;
                continue;
            }
            out.append(text.substr(i, len));
            i += len;
            continue;
        } else {
            out += c;
        }
        ++i;
    }
    out += '"';
    return out;
}

void JsonWriter::value_start() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
    }
}

JsonWriter& JsonWriter::open(char bracket) {
    value_start();
    out_ += bracket;
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
    out_ += bracket;
    first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_object() { return open('{'); }
JsonWriter& JsonWriter::end_object() { return close('}'); }
JsonWriter& JsonWriter::begin_array() { return open('['); }
JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(std::string_view name) {
    value_start();
    out_ += json_string(name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
    value_start();
    out_ += json_string(text);
    return *this;
}

JsonWriter& JsonWriter::number(uint64_t n) {
    value_start();
    out_ += std::to_string(n);
    return *this;
}

JsonWriter& JsonWriter::thousandths(uint64_t t) {
    value_start();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(t / 1000),
                  static_cast<unsigned long long>(t % 1000));
    out_ += buf;
    return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
    value_start();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    value_start();
    out_ += "null";
    return *this;
}

}  // namespace tvpn

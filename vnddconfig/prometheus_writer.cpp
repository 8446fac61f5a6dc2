#include "vnddconfig/prometheus_writer.h"

#include <cstdio>

#include "vnddconfig/utf8.h"

namespace tvpn {
namespace {

bool name_char(char c, bool first, bool colon) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
    return letter || (!first && c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, bool colon) {
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i)
        if (!name_char(name[i], i == 0, colon)) return false;
    return true;
}

// Backslash and newline always; the double quote in label values only.
std::string escape(std::string_view text, bool quote) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (quote && c == '"') {
            out += "\\\"";
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            const size_t len = utf8_sequence_length(text, i);
            out.append(len ? text.substr(i, len) : kReplacementCharacter);
            i += len ? len : 1;
            continue;
        } else {
            out += c;
        }
        ++i;
    }
    return out;
}

const char* type_name(PrometheusWriter::Type t) { return t == PrometheusWriter::Type::Counter ? "counter" : "gauge"; }

}  // namespace

bool valid_metric_name(std::string_view name) { return valid_name(name, true); }
bool valid_label_name(std::string_view name) { return valid_name(name, false) && name.rfind("__", 0) != 0; }
std::string escape_label_value(std::string_view value) { return escape(value, true); }
std::string escape_help(std::string_view help) { return escape(help, false); }

size_t PrometheusWriter::family(std::string name, Type type, std::string help) {
    families_.push_back({std::move(name), std::move(help), type, {}});
    return families_.size() - 1;
}

void PrometheusWriter::sample(size_t family, const Labels& labels, uint64_t value) {
    families_[family].samples.emplace_back(labels, std::to_string(value));
}

void PrometheusWriter::sample_thousandths(size_t family, const Labels& labels, uint64_t t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(t / 1000),
                  static_cast<unsigned long long>(t % 1000));
    families_[family].samples.emplace_back(labels, buf);
}

std::string PrometheusWriter::text() const {
    std::string out;
    for (const auto& f : families_) {
        if (f.samples.empty() || !valid_metric_name(f.name)) continue;
        out += "# HELP " + f.name + " " + escape_help(f.help) + "\n";
        out += "# TYPE " + f.name + " " + type_name(f.type) + "\n";
        for (const auto& [labels, value] : f.samples) {
            std::string line = f.name;
            bool ok = true;
            for (size_t i = 0; i < labels.size(); ++i) {
                ok = ok && valid_label_name(labels[i].first);
                line += (i == 0 ? "{" : ",") + labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
            }
            if (!labels.empty()) line += "}";
            if (ok) out += line + " " + value + "\n";
        }
    }
    return out;
}

}  // namespace tvpn

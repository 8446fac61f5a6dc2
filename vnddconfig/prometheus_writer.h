// The Prometheus text exposition format (version 0.0.4), as node_exporter's
// textfile collector reads it: per metric family one "# HELP" line, one
// "# TYPE" line, then all its samples together; label values escaped
// (backslash, double quote, newline) and valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tvpn {

// [a-zA-Z_:][a-zA-Z0-9_:]*; label names the same without ':'.
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);
// A label value between its quotes; HELP text.
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);

class PrometheusWriter {
public:
    enum class Type { Counter, Gauge };
    using Labels = std::vector<std::pair<std::string, std::string>>;

    // Declares a family (a counter's name ends in _total); returns its handle.
    size_t family(std::string name, Type type, std::string help);
    void sample(size_t family, const Labels& labels, uint64_t value);
    // thousandths / 1000, exactly: timestamps in seconds with milliseconds.
    void sample_thousandths(size_t family, const Labels& labels, uint64_t thousandths);

    // Every family that has samples, in the order declared. A family or a
    // label whose name is not valid is left out (a bug of ours, never
    // malformed output).
    std::string text() const;

private:
    struct Family {
        std::string name, help;
        Type type;
        std::vector<std::pair<Labels, std::string>> samples;
    };
    std::vector<Family> families_;
};

}  // namespace tvpn

// Error values for the control plane: a reason a person can read, no exceptions.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tvpn {

struct Error {
    std::string message;
};

// Either a value or the reason there is none.
template <typename T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}        // NOLINT: implicit by design
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Success or the reason for failure.
class Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error.message)), failed_(true) {}  // NOLINT
    static Status success() { return {}; }
    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const std::string& message() const { return error_; }

private:
    std::string error_;
    bool failed_ = false;
};

// "what: strerror(err)", for errors from system calls.
std::string errno_message(const std::string& what, int err);

}  // namespace tvpn

// Expected failures as values: every module boundary returns Result<T> or Status.
//
// One small code set; ExitCodeFor() and HttpStatusFor() are the single table that maps codes to
// CLI exit codes and HTTP statuses, so the CLI and the server never disagree. Exceptions are for
// bugs only.
#ifndef MGADVISOR_CORE_ERROR_H_
#define MGADVISOR_CORE_ERROR_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mg {

enum class ErrorCode {
  kInvalidArgument,  // The user's input is wrong (bad amount, impossible age, unknown name...).
  kNotFound,         // A named thing does not exist (compound, condition, file).
  kDataError,        // A data file (catalogue, knowledge base, food store) is malformed.
  kIoError,          // The operating system refused a read or write.
  kUnsafe,           // A request that a safety rule forbids (e.g. a dose above the upper limit).
  kUnauthenticated,  // No valid session, or a wrong username/password (multi-user server).
  kForbidden,        // Signed in, but the request is refused (missing or wrong CSRF token).
  kConflict,         // The request clashes with what exists (a username already taken).
  kRateLimited,      // Too many attempts (logins); try again later.
  kInternal,         // A bug: an invariant did not hold.
};

const char* ErrorCodeName(ErrorCode code);  // Stable identifier, e.g. "invalid_argument".
int ExitCodeFor(ErrorCode code);            // 2 for user input errors, 3 for data, 4 for I/O.
int HttpStatusFor(ErrorCode code);          // 400, 404, 422, 500...

struct Error {
  ErrorCode code;
  std::string message;  // Names what and where: file:line, field, value.
};

inline Error InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
inline Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
inline Error DataError(std::string message) { return {ErrorCode::kDataError, std::move(message)}; }
inline Error IoError(std::string message) { return {ErrorCode::kIoError, std::move(message)}; }

// Result<T> holds either a value or an Error. Accessing the wrong alternative is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design.
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design.

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(state_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Error> state_;
};

// Status is Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design.
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

}  // namespace mg

// Propagates an error from an expression yielding Result<T> or Status.
#define MG_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    auto mg_status_ = (expr);                        \
    if (!mg_status_.ok()) return mg_status_.error(); \
  } while (false)

#endif  // MGADVISOR_CORE_ERROR_H_

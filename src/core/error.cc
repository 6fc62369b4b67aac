#include "core/error.h"

namespace mg {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kDataError:
      return "data_error";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kUnsafe:
      return "unsafe";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kUnsafe:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kForbidden:
    case ErrorCode::kConflict:
    case ErrorCode::kRateLimited:
      return 2;
    case ErrorCode::kDataError:
      return 3;
    case ErrorCode::kIoError:
      return 4;
    case ErrorCode::kInternal:
      return 1;
  }
  return 1;
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnsafe:
      return 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kDataError:
    case ErrorCode::kIoError:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace mg

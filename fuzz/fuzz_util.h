// Shared by the fuzz targets: loading the embedded data once, and turning a broken invariant into
// a crash libFuzzer records (with the message on stderr, so a reader of the artifact sees why).
#ifndef MGADVISOR_FUZZ_FUZZ_UTIL_H_
#define MGADVISOR_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace mg::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reports `what` and aborts: a fuzz finding, not an expected error.
[[noreturn]] inline void Broken(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

inline void Check(bool condition, std::string_view what) {
  if (!condition) Broken(what);
}

// The value of a load of embedded data, which must succeed (it is part of the program).
template <typename T>
T Loaded(Result<T> result) {
  if (!result.ok()) Broken(result.error().message);
  return std::move(result).value();
}

}  // namespace mg::fuzz

#endif  // MGADVISOR_FUZZ_FUZZ_UTIL_H_

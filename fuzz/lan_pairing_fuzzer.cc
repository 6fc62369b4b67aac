// What a device on the network controls in `serve --lan` before it is paired: the typed pairing
// code (POST /api/pair, through NormalisePairingCode and LanPairing::Pair) and the Cookie header
// the paired-device check reads (CookieValue). The first byte picks one; the rest is the input.
#include <chrono>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "server/accounts_api.h"
#include "server/http_transport.h"
#include "server/lan_pairing.h"

namespace {

using namespace mg;

void TypedCode(std::string_view typed) {
  const std::string code = server::NormalisePairingCode(typed);
  fuzz::Check(code.size() <= 64, "a normalised code longer than what is read");
  for (char c : code) {
    fuzz::Check(c != '-' && c != ' ', "a dash or space left in a normalised code");
    fuzz::Check(!(c >= 'a' && c <= 'z'), "lower case left in a normalised code");
  }
  fuzz::Check(server::NormalisePairingCode(code) == code, "normalising twice changes the code");
  // A fresh pairing per input, on a clock that stands still: the first try of a random 39-bit
  // code is refused (kForbidden), never an internal error, and never pairs by accident with a
  // code that is not 8 characters long.
  server::LanPairing pairing([](const std::string&, std::chrono::minutes) {},
                             [] { return std::chrono::steady_clock::time_point{}; });
  pairing.IssueCode();
  auto paired = pairing.Pair(typed);
  if (paired.ok()) {
    fuzz::Check(code.size() == 8, "a code of the wrong length paired");
    fuzz::Check(pairing.IsPaired(*paired), "the token Pair returned is not paired");
    return;
  }
  fuzz::Check(paired.error().code == ErrorCode::kForbidden, paired.error().message);
  fuzz::Check(!pairing.IsPaired(typed), "a typed code works as a device token");
}

void Cookie(std::string_view header) {
  server::HttpRequest request;
  request.headers.emplace("Cookie", std::string(header));
  for (std::string_view name : {"mg_device", "mg_session", ""}) {
    const std::string value = server::CookieValue(request, name);
    fuzz::Check(value.find(';') == std::string::npos, "a cookie value runs past its ';'");
    fuzz::Check(header.find(value) != std::string_view::npos, "a cookie value not in the header");
  }
  // A value put first is read back whole, whatever follows it.
  const std::string token(header.substr(0, header.find_first_of("; ")));
  server::HttpRequest first;
  first.headers.emplace("Cookie", "mg_device=" + token + "; " + std::string(header));
  fuzz::Check(server::CookieValue(first, "mg_device") == token,
              "the first cookie is not read back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input = fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    TypedCode(input);
  } else {
    Cookie(input);
  }
  return 0;
}

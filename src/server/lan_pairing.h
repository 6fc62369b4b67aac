// Part of mg_server: pairing the devices of `serve --lan`. Local mode has no accounts, so a
// phone on the same Wi-Fi proves it belongs to the person at the terminal by typing (or scanning)
// a one-time code that only the terminal shows. A right code makes a random device token, which
// the server sets as an HttpOnly, SameSite=Strict cookie; requests from the network then need
// that cookie (server.cc), and loopback clients need nothing, as before.
//
// A code ("K7QX-M2TF", core/crypto.h RandomCode: 39 bits) is used once, lasts kCodeLifetime, and
// is burnt after kMaxWrongPerCode wrong tries. Whatever replaces it is shown through `show` when
// next needed (the pairing page asks, or a try finds it spent). Tries are also capped for all
// clients together (kMaxTriesPerMinute), so cycling codes does not buy more guesses: at 10 a
// minute a 39-bit code takes on the order of 10^10 minutes to find. Codes are compared in
// constant time; tokens are kept only as SHA-256 digests, in memory, so a restart of the server
// unpairs every device (and forgets nothing on disk).
#ifndef MGADVISOR_SERVER_LAN_PAIRING_H_
#define MGADVISOR_SERVER_LAN_PAIRING_H_

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mg::server {

// What a person typed, as a code is kept: upper case, without dashes or spaces ("k7qx m2tf" and
// "K7QX-M2TF" are the same). Reads at most the first 64 bytes, so a long body costs nothing.
std::string NormalisePairingCode(std::string_view typed);

class LanPairing {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // Shows a new code to the person at the terminal (serve prints it with a QR code).
  using ShowCode = std::function<void(const std::string& code, std::chrono::minutes lifetime)>;

  static constexpr std::chrono::minutes kCodeLifetime{10};
  static constexpr int kMaxWrongPerCode = 5;
  static constexpr int kMaxTriesPerMinute = 10;

  explicit LanPairing(ShowCode show, Clock now = std::chrono::steady_clock::now);

  // Makes a code now and shows it (serve calls it once at start).
  void IssueCode();
  // Shows a new code if the current one is used, burnt or expired (the pairing page was opened).
  void RenewIfSpent();
  // Tries `typed` (case, spaces and dashes do not matter). Returns a new device token when it is
  // the code, which is then spent. Errors: kForbidden for a wrong, used or expired code (saying
  // whether a new one is in the terminal), kRateLimited past kMaxTriesPerMinute.
  Result<std::string> Pair(std::string_view typed);
  // Whether `token` (the cookie's value) is one that Pair returned.
  bool IsPaired(std::string_view token) const;

 private:
  bool Usable() const;  // REQUIRES: mutex_ held.
  void IssueLocked();   // REQUIRES: mutex_ held.

  const ShowCode show_;
  const Clock now_;
  mutable std::mutex mutex_;
  std::string code_;  // Normalised: upper case, no dashes. "" once used or burnt.
  std::chrono::steady_clock::time_point expires_;
  int wrong_ = 0;
  std::deque<std::chrono::steady_clock::time_point> recent_tries_;
  std::vector<std::string> device_digests_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_LAN_PAIRING_H_

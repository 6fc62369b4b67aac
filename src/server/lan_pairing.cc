#include "server/lan_pairing.h"

#include <fmt/format.h>

#include <cctype>
#include <utility>

#include "accounts/auth.h"
#include "core/crypto.h"

namespace mg::server {

std::string NormalisePairingCode(std::string_view typed) {
  std::string out;
  for (char c : typed.substr(0, 64)) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

LanPairing::LanPairing(ShowCode show, Clock now) : show_(std::move(show)), now_(std::move(now)) {}

void LanPairing::IssueCode() {
  std::lock_guard lock(mutex_);
  IssueLocked();
}

void LanPairing::RenewIfSpent() {
  std::lock_guard lock(mutex_);
  if (!Usable()) IssueLocked();
}

bool LanPairing::Usable() const { return !code_.empty() && now_() < expires_; }

void LanPairing::IssueLocked() {
  const std::string code = RandomCode(2);
  code_ = NormalisePairingCode(code);
  expires_ = now_() + kCodeLifetime;
  wrong_ = 0;
  show_(code, kCodeLifetime);
}

Result<std::string> LanPairing::Pair(std::string_view typed) {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  while (!recent_tries_.empty() && now - recent_tries_.front() >= std::chrono::minutes(1)) {
    recent_tries_.pop_front();
  }
  if (recent_tries_.size() >= static_cast<size_t>(kMaxTriesPerMinute)) {
    return Error{ErrorCode::kRateLimited, "code: too many tries; wait a minute and try again"};
  }
  recent_tries_.push_back(now);
  if (!Usable()) {
    IssueLocked();
    return Error{ErrorCode::kForbidden,
                 "code: that code was used or has expired; the terminal running mgadvisor serve "
                 "--lan now shows a new one"};
  }
  if (!accounts::SecretsEqual(NormalisePairingCode(typed), code_)) {
    if (++wrong_ >= kMaxWrongPerCode) {
      code_.clear();  // Burnt; RenewIfSpent or the next try shows another.
      return Error{ErrorCode::kForbidden,
                   "code: not the code shown in the terminal; after too many wrong tries it no "
                   "longer works: open this page again for a new one in the terminal"};
    }
    return Error{ErrorCode::kForbidden,
                 fmt::format("code: not the code shown in the terminal ({} tries left)",
                             kMaxWrongPerCode - wrong_)};
  }
  code_.clear();  // Once only.
  std::string token = accounts::NewToken();
  device_digests_.push_back(accounts::TokenDigest(token));
  return token;
}

bool LanPairing::IsPaired(std::string_view token) const {
  if (token.empty()) return false;
  const std::string digest = accounts::TokenDigest(token);
  std::lock_guard lock(mutex_);
  bool found = false;
  for (const auto& known : device_digests_) found |= accounts::SecretsEqual(digest, known);
  return found;
}

}  // namespace mg::server

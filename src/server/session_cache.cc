#include "server/session_cache.h"

#include <iterator>

namespace mg::server {

std::optional<accounts::Session> SessionCache::Find(const std::string& token_hash, int64_t now_unix,
                                                    Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  const auto it = sessions_.find(token_hash);
  if (it == sessions_.end()) return std::nullopt;
  const Remembered& remembered = it->second;
  // The same test the database applies (expires > now), and no older than the ttl.
  if (now - remembered.at >= ttl_ || now < remembered.at) return std::nullopt;
  if (remembered.session.expires_unix <= now_unix) return std::nullopt;
  return remembered.session;
}

uint64_t SessionCache::Generation() const {
  const std::lock_guard lock(mutex_);
  return generation_;
}

void SessionCache::Remember(const accounts::Session& session, uint64_t generation,
                            Clock::time_point now) {
  if (capacity_ == 0) return;
  const std::lock_guard lock(mutex_);
  if (generation != generation_) return;  // Something ended during the lookup: maybe this.
  if (sessions_.size() >= capacity_ && !sessions_.contains(session.token_hash)) {
    std::erase_if(sessions_, [&](const auto& entry) { return now - entry.second.at >= ttl_; });
    if (sessions_.size() >= capacity_) sessions_.clear();
  }
  sessions_.insert_or_assign(session.token_hash, Remembered{session, now});
}

void SessionCache::ForgetSession(const std::string& token_hash) {
  const std::lock_guard lock(mutex_);
  ++generation_;
  sessions_.erase(token_hash);
}

void SessionCache::ForgetAccount(int64_t user_id) {
  const std::lock_guard lock(mutex_);
  ++generation_;
  std::erase_if(sessions_,
                [&](const auto& entry) { return entry.second.session.user_id == user_id; });
}

size_t SessionCache::size() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace mg::server

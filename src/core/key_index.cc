#include "core/key_index.h"

#include <algorithm>

namespace mg {

void KeyIndex::Reserve(size_t keys, size_t bytes) {
  slots_.reserve(keys);
  bytes_.reserve(bytes);
}

void KeyIndex::Add(std::string_view key, uint32_t position) {
  if (key.empty()) return;
  slots_.push_back(
      {static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(key.size()), position});
  bytes_.append(key);
}

void KeyIndex::Seal() {
  if (sealed_ == slots_.size()) return;
  const auto by_key = [this](const Slot& a, const Slot& b) { return KeyOf(a) < KeyOf(b); };
  // The new slots sorted on their own, stably (first added first), then merged after the old
  // ones, so an old key comes before an equal new one; unique() then keeps the first of a run.
  const auto fresh = slots_.begin() + static_cast<std::ptrdiff_t>(sealed_);
  std::stable_sort(fresh, slots_.end(), by_key);
  std::inplace_merge(slots_.begin(), fresh, slots_.end(), by_key);
  slots_.erase(std::unique(slots_.begin(), slots_.end(),
                           [this](const Slot& a, const Slot& b) { return KeyOf(a) == KeyOf(b); }),
               slots_.end());
  sealed_ = slots_.size();
}

std::optional<uint32_t> KeyIndex::Find(std::string_view key) const {
  const auto end = slots_.begin() + static_cast<std::ptrdiff_t>(sealed_);
  const auto it =
      std::lower_bound(slots_.begin(), end, key,
                       [this](const Slot& slot, std::string_view k) { return KeyOf(slot) < k; });
  if (it == end || KeyOf(*it) != key) return std::nullopt;
  return it->position;
}

bool KeyIndex::Fits(size_t count) const {
  if (sealed_ != slots_.size()) return false;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.offset > bytes_.size() || slot.size > bytes_.size() - slot.offset) return false;
    if (slot.size == 0 || slot.position >= count) return false;
    if (i > 0 && !(KeyOf(slots_[i - 1]) < KeyOf(slot))) return false;
  }
  return true;
}

void KeyIndex::Clear() {
  bytes_.clear();
  slots_.clear();
  sealed_ = 0;
}

}  // namespace mg

#include "core/key_index.h"

#include <algorithm>
#include <cstring>

namespace mg {
namespace {

// A word at a time (a key is some twenty bytes: a byte loop was most of a lookup), multiplied
// and folded so that the low bits the table uses depend on every byte. The same on every
// little-endian machine, where the binary form that keeps the table is made and read.
uint64_t HashKey(std::string_view key) {
  uint64_t hash = 0x9E3779B97F4A7C15ULL ^ key.size();
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, key.data() + i, sizeof word);
    hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL;
    hash ^= hash >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, key.data() + i, key.size() - i);
  hash = (hash ^ tail) * 0xC4CEB9FE1A85EC53ULL;
  return hash ^ (hash >> 29);
}

}  // namespace

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
  BuildTable();
}

void KeyIndex::BuildTable() {
  table_.clear();
  if (sealed_ == 0) return;
  size_t cells = 8;
  while (cells < 2 * sealed_) cells *= 2;
  table_.assign(cells, 0);
  for (size_t i = 0; i < sealed_; ++i) {
    size_t cell = FirstCell(HashKey(KeyOf(slots_[i])));
    while (table_[cell] != 0) cell = (cell + 1) & (cells - 1);
    table_[cell] = static_cast<uint32_t>(i + 1);
  }
}

std::optional<size_t> KeyIndex::SlotOf(std::string_view key) const {
  if (table_.empty()) return std::nullopt;
  const size_t mask = table_.size() - 1;
  // Bounded by the table's size, so a damaged table without an empty cell cannot loop forever.
  size_t cell = FirstCell(HashKey(key));
  for (size_t probes = 0; probes < table_.size(); ++probes, cell = (cell + 1) & mask) {
    const uint32_t entry = table_[cell];
    if (entry == 0 || entry > sealed_) return std::nullopt;
    const Slot& slot = slots_[entry - 1];
    if (slot.size == key.size() &&
        std::memcmp(bytes_.data() + slot.offset, key.data(), key.size()) == 0) {
      return entry - 1;
    }
  }
  return std::nullopt;
}

std::optional<uint32_t> KeyIndex::Find(std::string_view key) const {
  const auto slot = SlotOf(key);
  if (!slot) return std::nullopt;
  return slots_[*slot].position;
}

bool KeyIndex::Fits(size_t count) const {
  if (sealed_ != slots_.size()) return false;
  for (const Slot& slot : slots_) {
    if (slot.offset > bytes_.size() || slot.size > bytes_.size() - slot.offset) return false;
    if (slot.size == 0 || slot.position >= count) return false;
  }
  // The table: a power of two at least twice the slots (empty with none), and each slot named by
  // exactly one cell. Then Find stays inside the index and answers only with a slot whose key
  // it compared. That every key sits where its probe leads is not checked here (it would hash
  // every key of every snapshot at every start): the data compiler decodes each snapshot it
  // makes and compares it, table included, with the one built from the text.
  if (slots_.empty()) return table_.empty();
  const size_t cells = table_.size();
  if (cells < 2 * slots_.size() || (cells & (cells - 1)) != 0) return false;
  std::vector<uint8_t> named(slots_.size(), 0);
  size_t filled = 0;
  for (const uint32_t entry : table_) {
    if (entry == 0) continue;
    if (entry > slots_.size() || named[entry - 1] != 0) return false;
    named[entry - 1] = 1;
    ++filled;
  }
  return filled == slots_.size();
}

void KeyIndex::Clear() {
  bytes_.clear();
  slots_.clear();
  sealed_ = 0;
  table_.clear();
}

}  // namespace mg

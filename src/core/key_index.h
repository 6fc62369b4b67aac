// A lookup from string keys to positions in a list, kept in two allocations: every key's bytes in
// one buffer and a sorted array of slots. Building it costs no allocation per key, as a hash map
// does, and a binary form (core/archive.h) keeps it whole, so a snapshot decodes it as two copies
// instead of rebuilding it key by key (issue 20: indexing the knowledge base's names was a tenth
// of `plan`'s start-up).
//
//   KeyIndex index;
//   index.Add("magnesium citrate", 0);
//   index.Add("citrate", 0);
//   index.Seal();                        // Sorts; of equal keys the first added stays.
//   index.Find("citrate");               // 0
//
// Keys are matched byte for byte; callers normalise them first if they want to. Find probes an
// open-addressing hash table over the sorted slots, built at Seal() and kept in the binary form:
// the plan route looks up some forty ids a request, and a binary search of string compares was
// a tenth of its cost (issue 20).
#ifndef MGADVISOR_CORE_KEY_INDEX_H_
#define MGADVISOR_CORE_KEY_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

class KeyIndex {
 public:
  // Room for `keys` keys of `bytes` bytes in all.
  void Reserve(size_t keys, size_t bytes);
  // Adds `key` -> `position`; Find sees it after the next Seal(). An empty key is not added.
  void Add(std::string_view key, uint32_t position);
  // Sorts what was added since the last Seal() in with the rest. Of equal keys, the one added
  // first (over every Seal) stays: a later one does not replace it.
  void Seal();
  // The position of `key`, or nullopt. Requires a sealed index.
  std::optional<uint32_t> Find(std::string_view key) const;
  // True when the index is sealed, its keys are inside its buffer, every position is below
  // `count`, and its hash table names every key once: what a decoded index must be before it is
  // searched (Find then answers only with keys it compared; that it finds every key is what
  // equality with a freshly built index shows, as the data compiler checks).
  bool Fits(size_t count) const;
  void Clear();
  size_t size() const { return slots_.size(); }

  bool operator==(const KeyIndex&) const = default;
  template <typename A>
  friend void Fields(A& a, KeyIndex& index) {
    a(index.bytes_, index.slots_, index.sealed_, index.table_);
  }

 private:
  struct Slot {
    uint32_t offset = 0;
    uint32_t size = 0;
    uint32_t position = 0;
    bool operator==(const Slot&) const = default;
    template <typename A>
    friend void Fields(A& a, Slot& slot) {
      a(slot.offset, slot.size, slot.position);
    }
  };
  std::string_view KeyOf(const Slot& slot) const {
    return std::string_view(bytes_).substr(slot.offset, slot.size);
  }

  // Rebuilds table_ over the sealed slots.
  void BuildTable();
  // The table cell where probing for a key of hash `hash` starts.
  size_t FirstCell(uint64_t hash) const { return static_cast<size_t>(hash) & (table_.size() - 1); }
  // The sealed slot holding `key`, or nullopt.
  std::optional<size_t> SlotOf(std::string_view key) const;

  std::string bytes_;
  std::vector<Slot> slots_;
  size_t sealed_ = 0;  // Slots [0, sealed_) are sorted; the rest were added since.
  // Open addressing with linear probing: each cell holds a sealed slot's index + 1, or 0 for
  // empty. Its size is a power of two at least twice the sealed slots, so probes stay short and
  // always meet an empty cell; empty when nothing is sealed.
  std::vector<uint32_t> table_;
};

}  // namespace mg

#endif  // MGADVISOR_CORE_KEY_INDEX_H_

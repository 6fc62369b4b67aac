#include "core/text.h"

#include <algorithm>
#include <array>
#include <set>

namespace mg {

namespace {

// Each byte as NormalizeName keeps it: ASCII letters lower-cased, digits and non-ASCII bytes as
// they are, everything else 0 (a separator). A table, because this runs for every key of every
// index at each command's start-up, and a branch per character class showed in its count.
constexpr std::array<char, 256> kNameBytes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80) {
      table[c] = static_cast<char>(c);
    } else if (c >= 'A' && c <= 'Z') {
      table[c] = static_cast<char>(c - 'A' + 'a');
    }
  }
  return table;
}();

}  // namespace

char NormalizedNameByte(unsigned char c) { return kNameBytes[c]; }

size_t NormalizeNameTo(std::string_view text, char* out) {
  size_t size = 0;
  bool pending_space = false;
  for (unsigned char c : text) {
    const char kept = kNameBytes[c];
    if (kept == 0) {
      pending_space = size != 0;
      continue;
    }
    if (pending_space) out[size++] = ' ';
    pending_space = false;
    out[size++] = kept;
  }
  return size;
}

std::string NormalizeName(std::string_view text) {
  // Written into a buffer of the input's size (the output is never longer), then cut: this runs
  // for every name of every index at start-up.
  std::string out(text.size(), '\0');
  out.resize(NormalizeNameTo(text, out.data()));
  return out;
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> CloseMatches(std::string_view query,
                                      const std::vector<std::string>& candidates, size_t limit) {
  const std::string q = NormalizeName(query);
  if (q.empty()) return {};
  const int threshold = std::max(2, static_cast<int>(q.size()) / 3);
  std::set<std::pair<int, std::string>> ranked;
  for (const auto& candidate : candidates) {
    const std::string c = NormalizeName(candidate);
    int distance = EditDistance(q, c);
    if (distance > threshold &&
        (c.find(q) != std::string::npos || q.find(c) != std::string::npos)) {
      distance = threshold;  // A containment is a plausible match even when lengths differ a lot.
    }
    if (distance <= threshold) ranked.insert({distance, candidate});
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& [distance, candidate] : ranked) {
    if (out.size() >= limit) break;
    if (seen.insert(candidate).second) out.push_back(candidate);
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string JoinAlternatives(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace mg

#include "core/key_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "core/archive.h"

namespace mg {
namespace {

TEST(KeyIndex, FindsWhatWasAddedOnceSealed) {
  KeyIndex index;
  index.Add("magnesium citrate", 0);
  index.Add("citrate", 0);
  index.Add("oxide", 1);
  EXPECT_FALSE(index.Find("oxide").has_value());  // Not sealed yet.
  index.Seal();
  EXPECT_EQ(index.Find("citrate"), 0u);
  EXPECT_EQ(index.Find("magnesium citrate"), 0u);
  EXPECT_EQ(index.Find("oxide"), 1u);
  EXPECT_FALSE(index.Find("Oxide").has_value());  // Byte for byte.
  EXPECT_FALSE(index.Find("").has_value());
  EXPECT_FALSE(index.Find("citrat").has_value());
  EXPECT_FALSE(index.Find("oxides").has_value());
  EXPECT_EQ(index.size(), 3u);
}

TEST(KeyIndex, TheFirstAddedKeepsAKeyAcrossSeals) {
  KeyIndex index;
  index.Add("b", 1);
  index.Add("a", 2);
  index.Add("b", 3);  // Later in the same batch: loses.
  index.Seal();
  index.Add("a", 4);  // Later batch: loses.
  index.Add("c", 5);
  index.Add("", 6);  // Not added.
  index.Seal();
  index.Seal();  // Nothing new: no change.
  EXPECT_EQ(index.Find("a"), 2u);
  EXPECT_EQ(index.Find("b"), 1u);
  EXPECT_EQ(index.Find("c"), 5u);
  EXPECT_EQ(index.size(), 3u);
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_FALSE(index.Find("a").has_value());
}

TEST(KeyIndex, AgreesWithAMapOverManyGeneratedKeys) {
  // The definition: the first position added for each key, as std::map::try_emplace keeps it.
  std::mt19937 random(20);
  KeyIndex index;
  std::map<std::string, uint32_t> expected;
  std::vector<std::string> keys;
  for (int batch = 0; batch < 4; ++batch) {
    for (uint32_t i = 0; i < 3000; ++i) {
      std::string key;
      const size_t length = 1 + random() % 6;
      for (size_t j = 0; j < length; ++j) key += static_cast<char>('a' + random() % 4);
      index.Add(key, i);
      expected.try_emplace(key, i);
      keys.push_back(key);
    }
    index.Seal();
  }
  EXPECT_EQ(index.size(), expected.size());
  for (const auto& [key, position] : expected) EXPECT_EQ(index.Find(key), position) << key;
  EXPECT_FALSE(index.Find("e").has_value());
  uint32_t highest = 0;
  for (const auto& [key, position] : expected) highest = std::max(highest, position);
  EXPECT_TRUE(index.Fits(highest + 1));
  EXPECT_FALSE(index.Fits(highest));  // Some key points at `highest`.
}

TEST(KeyIndex, KeepsItsFormThroughTheArchiveAndChecksADecodedOne) {
  KeyIndex index;
  for (uint32_t i = 0; i < 50; ++i) index.Add("key " + std::to_string(i), i);
  index.Seal();
  const auto decoded = archive::Decode<KeyIndex>(archive::Encode(index));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, index);
  EXPECT_TRUE(decoded->Fits(50));
  EXPECT_EQ(decoded->Find("key 42"), 42u);

  KeyIndex unsealed = index;
  unsealed.Add("late", 1);
  EXPECT_FALSE(unsealed.Fits(50));
  EXPECT_TRUE(KeyIndex().Fits(0));

  // Damaged forms: every single byte changed is either refused by Decode, refused by Fits, or
  // still a consistent index (a changed key byte that keeps the order, say).
  const std::string bytes = archive::Encode(index);
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    const auto read = archive::Decode<KeyIndex>(damaged);
    if (!read || !read->Fits(50)) continue;
    for (uint32_t i = 0; i < 50; ++i) {
      const auto found = read->Find("key " + std::to_string(i));
      if (found) {
        EXPECT_LT(*found, 50u);
      }
    }
  }
}

}  // namespace
}  // namespace mg

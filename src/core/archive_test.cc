#include "core/archive.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

namespace mg::archive {
namespace {

enum class Colour : uint8_t { kRed, kGreen, kBlue };

struct Inner {
  std::string name;
  std::optional<double> grams;
  bool operator==(const Inner&) const = default;
};

struct Outer {
  std::string id;
  int year = 0;
  int64_t big = 0;
  size_t count = 0;
  bool flag = false;
  double ratio = 0;
  Colour colour = Colour::kRed;
  std::optional<Colour> maybe_colour;
  std::optional<std::string> maybe_text;
  std::vector<std::string> words;
  std::vector<Inner> inners;
  std::optional<Inner> maybe_inner;
  float weight = 0;
  uint16_t small = 0;
  std::pair<uint64_t, uint32_t> hashed;
  std::unordered_map<std::string, std::vector<uint32_t>> index;
  std::map<std::string, double, std::less<>> weights;
  bool operator==(const Outer&) const = default;
};

template <typename A>
void Fields(A& a, Inner& i) {
  a(i.name, i.grams);
}

template <typename A>
void Fields(A& a, Outer& o) {
  a(o.id, o.year, o.big, o.count, o.flag, o.ratio, o.colour, o.maybe_colour, o.maybe_text, o.words,
    o.inners, o.maybe_inner, o.weight, o.small, o.hashed, o.index, o.weights);
}

// The same struct with a member missing from its list, as a forgetful edit would leave it.
struct Forgetful {
  std::string id;
  std::string note;
  bool operator==(const Forgetful&) const = default;
};

template <typename A>
void Fields(A& a, Forgetful& f) {
  a(f.id);
}

Outer Sample() {
  Outer o;
  o.id = "garrison_2020";
  o.year = -2020;
  o.big = std::numeric_limits<int64_t>::min();
  o.count = std::numeric_limits<uint32_t>::max();
  o.flag = true;
  o.ratio = -0.1;
  o.colour = Colour::kBlue;
  o.maybe_colour = Colour::kGreen;
  o.maybe_text = std::string("with ") + '\0' + " a zero byte and \xc3\xa9";
  o.words = {"", "two", std::string(300, 'x')};
  o.inners = {{"a", std::nullopt}, {"b", 1e300}};
  o.maybe_inner = Inner{"c", 0.0};
  o.weight = 0.75f;
  o.small = 65535;
  o.hashed = {std::numeric_limits<uint64_t>::max(), 7};
  o.index = {{"almond", {0, 4294967295u}}, {"", {}}};
  o.weights = {{"Mg", 24.305}, {"O", 15.999}, {"H", 1.008}};
  return o;
}

TEST(Archive, EveryKindOfMemberComesBackEqual) {
  const Outer sample = Sample();
  const auto decoded = Decode<Outer>(Encode(sample));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, sample);
  EXPECT_EQ(Decode<Outer>(Encode(Outer{})), Outer{});
}

TEST(Archive, EveryShortenedFormFailsInsteadOfReadingPastItsEnd) {
  const std::string bytes = Encode(Sample());
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(Decode<Outer>(bytes.substr(0, size)).has_value()) << size;
  }
}

TEST(Archive, BytesLeftOverFail) {
  EXPECT_FALSE(Decode<Outer>(Encode(Sample()) + '\0').has_value());
}

TEST(Archive, AHugeCountFailsWithoutAllocatingIt) {
  // A vector count of 2^63 in front of nothing.
  Outer empty;
  std::string bytes = Encode(empty);
  const std::string words_and_after =
      Encode(std::vector<std::string>{}) + Encode(std::vector<Inner>{}) +
      Encode(std::optional<Inner>{}) + Encode(0.0f) + Encode(uint16_t{0}) +
      Encode(std::pair<uint64_t, uint32_t>{}) +
      Encode(std::unordered_map<std::string, std::vector<uint32_t>>{}) +
      Encode(std::map<std::string, double, std::less<>>{});
  bytes.resize(bytes.size() - words_and_after.size());
  bytes += std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);
  EXPECT_FALSE(Decode<Outer>(bytes).has_value());
}

TEST(Archive, AMemberLeftOutOfTheListIsCaughtByComparingTheRoundTrip) {
  // What the data compiler relies on: the forgotten member comes back empty, so the decoded
  // value differs from the original.
  const Forgetful original{"id", "a note"};
  const auto decoded = Decode<Forgetful>(Encode(original));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->id, "id");
  EXPECT_NE(*decoded, original);
}

// Points into a list kept outside the archive (the context), as the checker's data points into
// the knowledge base.
struct Pointing {
  const Inner* first = nullptr;
  std::vector<const Inner*> others;
  bool operator==(const Pointing&) const = default;
};

template <typename A>
void Fields(A& a, Pointing& p) {
  const auto& list = *static_cast<const std::vector<Inner>*>(a.context());
  Pointer(a, p.first, list);
  Pointers(a, p.others, list);
}

TEST(Archive, PointersComeBackAsTheSameElementsOfTheContext) {
  const std::vector<Inner> list = {{"a", 1.0}, {"b", std::nullopt}, {"c", 3.0}};
  const Pointing original{&list[2], {&list[0], nullptr, &list[2], &list[1]}};
  const auto decoded = Decode<Pointing>(Encode(original, &list), &list);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, original);  // The same addresses, not copies.
  EXPECT_EQ(Decode<Pointing>(Encode(Pointing{}, &list), &list), Pointing{});
}

TEST(Archive, APositionOutsideTheContextIsRefused) {
  const std::vector<Inner> list = {{"a", 1.0}, {"b", 2.0}, {"c", 3.0}};
  const std::vector<Inner> shorter(list.begin(), list.begin() + 2);
  for (const Pointing& pointing :
       {Pointing{&list[2], {}}, Pointing{nullptr, {&list[1], &list[2]}}}) {
    const std::string bytes = Encode(pointing, &list);
    EXPECT_FALSE(Decode<Pointing>(bytes, &shorter).has_value());
    EXPECT_EQ(Decode<Pointing>(bytes, &list), pointing);
  }
  // A position below -1 (zigzag 5 is -3), where a pointer was written.
  EXPECT_FALSE(Decode<Pointing>(std::string("\x05\x00", 2), &list).has_value());
}

}  // namespace
}  // namespace mg::archive

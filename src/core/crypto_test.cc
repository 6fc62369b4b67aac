#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace mg {
namespace {

TEST(Sha256Hex, MatchesTheFipsTestVectors) {
  // FIPS 180-2, appendix B.1 and the empty message.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RandomCode, HasTheShapeAPersonCopiesAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string code = RandomCode(4);
    ASSERT_EQ(code.size(), 19u) << code;
    for (size_t c = 0; c < code.size(); ++c) {
      if (c % 5 == 4) {
        EXPECT_EQ(code[c], '-') << code;
      } else {
        EXPECT_NE(std::string_view("23456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[c]),
                  std::string_view::npos)
            << code;
      }
    }
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 200u);  // 78 bits each: a repeat would mean a broken source.
}

TEST(RandomBit, GivesBothValues) {
  int ones = 0;
  for (int i = 0; i < 400; ++i) ones += RandomBit() ? 1 : 0;
  // Binomial(400, 0.5): outside 140-260 has probability < 1e-9.
  EXPECT_GT(ones, 140);
  EXPECT_LT(ones, 260);
}

}  // namespace
}  // namespace mg

#include "accounts/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace mg::accounts {
namespace {

TEST(Username, NormalisesCaseAndKeepsAllowedCharacters) {
  auto name = NormaliseUsername("Anna.K_2-x");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "anna.k_2-x");
}

TEST(Username, RejectsBadLengthsAndCharactersNamingTheField) {
  for (const char* bad : {"ab", "", "anna k", "anna@example.org", "ännä", "a/b", "x;DROP"}) {
    auto name = NormaliseUsername(bad);
    ASSERT_FALSE(name.ok()) << bad;
    EXPECT_EQ(name.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(name.error().message.rfind("username: ", 0), 0u) << name.error().message;
  }
  EXPECT_FALSE(NormaliseUsername(std::string(65, 'a')).ok());
  EXPECT_TRUE(NormaliseUsername(std::string(64, 'a')).ok());
}

TEST(Password, LengthBoundsAndTheMessageNeverEchoesIt) {
  const Status short_one = CheckNewPassword("hunter2");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().message.find("hunter2"), std::string::npos);
  EXPECT_TRUE(CheckNewPassword("correct horse").ok());
  EXPECT_FALSE(CheckNewPassword(std::string(1025, 'x')).ok());
}

TEST(PasswordHash, IsArgon2idSaltedAndVerifies) {
  auto a = HashPassword("correct horse battery");
  auto b = HashPassword("correct horse battery");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);  // A fresh salt each time.
  EXPECT_TRUE(VerifyPassword("correct horse battery", *a));
  EXPECT_FALSE(VerifyPassword("correct horse batterx", *a));
  EXPECT_FALSE(VerifyPassword("", *a));
  EXPECT_FALSE(VerifyPassword("correct horse battery", "not a hash"));
}

TEST(Tokens, AreUrlSafeUniqueAndDigestedToHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = NewToken();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(seen.insert(token).second);
  }
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(TokenDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Tokens, SecretsCompareByContent) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "abcd"));
  EXPECT_FALSE(SecretsEqual("", "a"));
}

}  // namespace
}  // namespace mg::accounts

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
  const Status short_one = CheckNewPassword("hunter2", "anna");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().message.find("hunter2"), std::string::npos);
  EXPECT_TRUE(CheckNewPassword("correct horse", "anna").ok());
  EXPECT_FALSE(CheckNewPassword(std::string(1025, 'x'), "anna").ok());
}

// Issue 11: length was the only rule, so "password12" was accepted. Each refusal names its rule
// and never quotes the password.
TEST(Password, RefusesCommonPasswordsTheUsernameAndTrivialPatterns) {
  struct Case {
    const char* password;
    const char* username;
    const char* reason;
  };
  const Case refused[] = {
      {"password12", "anna", "most common passwords with digits"},
      {"Password12!", "anna", "most common passwords with digits"},
      {"2024letmein!!", "anna", "most common passwords with digits"},
      {"1234567890", "anna", "most common passwords"},
      {"iloveyou", "anna", "at least 10"},
      {"annabelle-k", "annabelle-k", "username"},
      {"ANNABELLE-K", "annabelle-k", "username"},
      {"my name is annabelle", "annabelle", "username"},
      {"bob", "bob", "at least 10"},
      {"aaaaaaaaaaaa", "anna", "different characters"},
      {"abababababab", "anna", "different characters"},
      {"abcdefghijkl", "anna", "simple pattern"},
      {"zyxwvutsrqpo", "anna", "simple pattern"},
      {"qwertyuiop1!", "anna", "simple pattern"},
      {"asdfghjkl;'zxc", "anna", "simple pattern"},
      {"9876543210abc", "anna", "simple pattern"},
  };
  for (const Case& c : refused) {
    SCOPED_TRACE(c.password);
    const Status st = CheckNewPassword(c.password, c.username);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().message.rfind("password: ", 0), 0u) << st.error().message;
    EXPECT_NE(st.error().message.find(c.reason), std::string::npos) << st.error().message;
    EXPECT_EQ(st.error().message.find(c.password), std::string::npos) << st.error().message;
  }
  // Passphrases, and passwords that merely share letters with the rules, pass. A username of
  // three characters is refused only as the whole password.
  for (const char* good : {"correct horse battery staple", "amber river lantern",
                           "a long passphrase for the browser test", "Tr0ub4dor&3-xk",
                           "annual report", "summer of '69 in lisbon"}) {
    const Status st = CheckNewPassword(good, "ann");
    EXPECT_TRUE(st.ok()) << good << ": " << st.error().message;
  }
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

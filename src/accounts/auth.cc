#include "accounts/auth.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/data_files.h"
#include "core/data_reader.h"

namespace mg::accounts {
namespace {

constexpr size_t kMinUsername = 3;
constexpr size_t kMaxUsername = 64;
// A username this short ("ann") is a common part of words, so only equality is refused for it.
constexpr size_t kMinUsernameToSearch = 4;
constexpr const char* kPasswordRulesFile = "accounts/passwords.toml";

// data/accounts/passwords.toml, loaded once.
struct PasswordRules {
  size_t min_length = 0;
  size_t max_bytes = 0;
  size_t min_distinct = 0;
  size_t max_predictable_breaks = 0;
  std::set<std::pair<char, char>> predictable;  // (a, b): b is a's neighbour in a sequence.
  std::unordered_set<std::string> common;
};

// Read strictly like every data file (core/data_reader.h): a misspelt key is an error, not a
// rule silently left at zero.
Result<PasswordRules> ParsePasswordRules(const DataFile& file) {
  DataProblems problems;
  auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(
      *root, file.name, "passwords.toml", problems,
      {"min_length", "max_bytes", "min_distinct", "max_predictable_breaks", "sequences", "common"});
  PasswordRules rules;
  const auto number = [&](std::string_view key, int64_t min, size_t& out) {
    out = static_cast<size_t>(doc.Integer(key, min, 1 << 20).value_or(0));
  };
  number("min_length", 1, rules.min_length);
  number("max_bytes", 1, rules.max_bytes);
  number("min_distinct", 0, rules.min_distinct);
  number("max_predictable_breaks", 0, rules.max_predictable_breaks);
  for (const std::string& seq : doc.TextList("sequences")) {
    for (size_t i = 0; i + 1 < seq.size(); ++i) {
      rules.predictable.insert({seq[i], seq[i + 1]});
      rules.predictable.insert({seq[i + 1], seq[i]});
    }
  }
  // Where the list comes from is part of the file (a reviewer checks it), so it is required.
  if (auto common =
          doc.Table("common", "[common]", {"source", "licence", "selection", "passwords"})) {
    common->Text("source");
    common->Text("licence");
    common->Text("selection");
    for (std::string& password : common->TextList("passwords")) {
      rules.common.insert(std::move(password));
    }
  }
  if (rules.min_length > rules.max_bytes) {
    problems.Add(file.name, doc.LineAt("min_length"), "min_length is above max_bytes");
  }
  if (!problems.empty()) return problems.ToError();
  return rules;
}

Result<PasswordRules> LoadPasswordRules() {
  auto file = LoadEmbeddedFile(kPasswordRulesFile);
  if (!file.ok()) return file.error();
  return ParsePasswordRules(*file);
}

}  // namespace

Status CheckPasswordRulesFile(const DataFile& file) {
  auto rules = ParsePasswordRules(file);
  if (!rules.ok()) return rules.error();
  return {};
}

namespace {

const Result<PasswordRules>& Rules() {
  static const Result<PasswordRules> kRules = LoadPasswordRules();
  return kRules;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "Password12!" -> "password": without leading and trailing characters that are not letters.
std::string_view Core(std::string_view lower) {
  const auto is_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
  };
  while (!lower.empty() && !is_letter(lower.front())) lower.remove_prefix(1);
  while (!lower.empty() && !is_letter(lower.back())) lower.remove_suffix(1);
  return lower;
}

// Places where the next character is not the same one again nor a sequence neighbour.
size_t UnpredictableSteps(const std::string& lower, const PasswordRules& rules) {
  size_t breaks = 0;
  for (size_t i = 0; i + 1 < lower.size(); ++i) {
    const char a = lower[i], b = lower[i + 1];
    if (a != b && !rules.predictable.contains({a, b})) ++breaks;
  }
  return breaks;
}

constexpr const char* kAdvice = "a few unrelated words make a good one";

// sodium_init() is idempotent and thread-safe; every entry point calls it first.
void InitSodium() {
  if (sodium_init() < 0) {
    std::fputs("mgadvisor: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

}  // namespace

Result<std::string> NormaliseUsername(std::string_view username) {
  if (username.size() < kMinUsername || username.size() > kMaxUsername) {
    return InvalidArgument(fmt::format("username: must be {}-{} characters, got {}", kMinUsername,
                                       kMaxUsername, username.size()));
  }
  std::string out;
  out.reserve(username.size());
  for (size_t i = 0; i < username.size(); ++i) {
    char c = username[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidArgument(fmt::format(
          "username: character {} is not allowed; use letters a-z, digits, '.', '_' or '-'",
          i + 1));
    }
    out.push_back(c);
  }
  return out;
}

Status CheckNewPassword(std::string_view password, std::string_view username) {
  const auto& loaded = Rules();
  if (!loaded.ok()) return Error{ErrorCode::kInternal, loaded.error().message};
  const PasswordRules& rules = *loaded;
  if (password.size() < rules.min_length) {
    return InvalidArgument(
        fmt::format("password: must be at least {} characters ({})", rules.min_length, kAdvice));
  }
  if (password.size() > rules.max_bytes) {
    return InvalidArgument(fmt::format("password: must be at most {} bytes", rules.max_bytes));
  }
  const std::string lower = Lower(password);
  const std::string user = Lower(username);
  if (!user.empty() && (lower == user || (user.size() >= kMinUsernameToSearch &&
                                          lower.find(user) != std::string::npos))) {
    return InvalidArgument("password: must not be or contain the username");
  }
  const std::string_view core = Core(lower);
  if (rules.common.contains(lower) || rules.common.contains(std::string(core))) {
    return InvalidArgument(
        fmt::format("password: is one of the most common passwords{}; choose another ({})",
                    core.size() == lower.size() ? "" : " with digits or symbols added", kAdvice));
  }
  const size_t distinct = std::set<char>(lower.begin(), lower.end()).size();
  if (distinct < rules.min_distinct) {
    return InvalidArgument(
        fmt::format("password: uses only {} different characters, at least {} are needed ({})",
                    distinct, rules.min_distinct, kAdvice));
  }
  if (UnpredictableSteps(lower, rules) <= rules.max_predictable_breaks) {
    return InvalidArgument(fmt::format(
        "password: is a simple pattern of repeated or sequential characters (like 'abcdefgh' or "
        "'qwerty123'); choose another ({})",
        kAdvice));
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{ErrorCode::kInternal, "password hashing ran out of memory"};
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  InitSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnPasswordCheck(std::string_view password) {
  // A fixed hash of a random string made with the same parameters; verifying against it costs
  // what a real check costs and always fails.
  static const std::string kDecoy = [] {
    auto hash = HashPassword(NewToken());
    return hash.ok() ? *hash : std::string();
  }();
  (void)VerifyPassword(password, kDecoy);
}

std::string NewToken() {
  InitSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> out{};
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

std::string TokenDigest(std::string_view token) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  InitSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mg::accounts

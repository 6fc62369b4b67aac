#include "core/crypto.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace mg {
namespace {

// sodium_init() is idempotent and thread-safe; without it randombytes may not be seeded.
void InitSodium() {
  if (sodium_init() < 0) {
    std::fputs("mgadvisor: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

std::string RandomCode(int groups) {
  InitSodium();
  // 30 symbols: digits and capitals without 0, 1, I, L, O and U (read aloud or copied by hand).
  static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
  static_assert(kAlphabet.size() == 30);
  std::string out;
  for (int g = 0; g < groups; ++g) {
    if (g > 0) out += '-';
    for (int i = 0; i < 4; ++i) out += kAlphabet[randombytes_uniform(kAlphabet.size())];
  }
  return out;
}

bool RandomBit() {
  InitSodium();
  return randombytes_uniform(2) == 1;
}

}  // namespace mg

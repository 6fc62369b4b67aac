// Digests and secrets that are not about accounts: the SHA-256 that pins an n-of-1 trial's
// protocol, and the random codes of a sealed (blinded) allocation. libsodium underneath, as for
// account credentials (accounts/auth.h), so there is one vetted implementation of each.
#ifndef MGADVISOR_CORE_CRYPTO_H_
#define MGADVISOR_CORE_CRYPTO_H_

#include <string>
#include <string_view>

namespace mg {

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

// A code a person can copy by hand: `groups` groups of four characters from an alphabet without
// look-alikes (no 0/O, 1/I/L, U), joined by '-', e.g. "K7QX-M2TF-9RWC". Each character is
// drawn uniformly from 30 symbols by the operating system's random source (4.9 bits), so four
// groups hold 78 bits.
std::string RandomCode(int groups);

// One unpredictable bit from the operating system's random source.
bool RandomBit();

}  // namespace mg

#endif  // MGADVISOR_CORE_CRYPTO_H_

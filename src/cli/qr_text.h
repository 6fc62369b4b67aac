// A QR code drawn with text, for `serve --lan` to show its pairing address in the terminal so a
// phone's camera can open it. Encoded by libqrencode (Debian libqrencode-dev).
#ifndef MGADVISOR_CLI_QR_TEXT_H_
#define MGADVISOR_CLI_QR_TEXT_H_

#include <string>
#include <string_view>

#include "core/error.h"

namespace mg::cli {

// `text` as a QR code (error correction level M) in Unicode half blocks, two modules a character
// cell, with the four-module quiet zone the standard asks for. Light modules are the drawn ones
// (█ ▀ ▄), as terminals are mostly light text on dark; phone cameras also read the inverse.
// Every line has the same number of cells and ends in '\n'. Errors: kInvalidArgument when the
// text is too long for a QR code, kInternal if libqrencode fails otherwise.
Result<std::string> QrText(std::string_view text);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_QR_TEXT_H_

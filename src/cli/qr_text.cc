#include "cli/qr_text.h"

#include <fmt/format.h>
#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

namespace mg::cli {

Result<std::string> QrText(std::string_view text) {
  const std::string input(text);
  errno = 0;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1),
      &QRcode_free);
  if (!code) {
    if (errno == ERANGE) {
      return InvalidArgument(fmt::format("QR code: {} bytes is too long to encode", text.size()));
    }
    return Error{ErrorCode::kInternal, "QR code: libqrencode could not encode the text"};
  }
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  // Dark module at (x, y) of the code with its quiet zone; the quiet zone is light.
  const auto dark = [&](int x, int y) {
    x -= kQuiet;
    y -= kQuiet;
    if (x < 0 || y < 0 || x >= width || y >= width) return false;
    return (code->data[y * width + x] & 1) != 0;
  };
  std::string out;
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top_light = !dark(x, y);
      const bool bottom_light = y + 1 < size && !dark(x, y + 1);
      if (top_light && bottom_light) {
        out += "█";
      } else if (top_light) {
        out += "▀";
      } else if (bottom_light) {
        out += "▄";
      } else {
        out += ' ';
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace mg::cli

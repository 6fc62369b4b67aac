// Clean-up of label text before it is read: what OCR and copy-paste do to a printed panel.
// Private to src/products (label.cc; Squeeze also in magnesium_count.cc; tested through
// ReadLabel).
#ifndef MGADVISOR_PRODUCTS_LABEL_TEXT_H_
#define MGADVISOR_PRODUCTS_LABEL_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mg::products {

struct LabelLine {
  int number = 0;    // 1-based number of the first physical line it came from.
  std::string text;  // Cleaned: ASCII punctuation, single spaces, OCR slips fixed.
};

// Checks the raw text (size, binary bytes) and returns its logical lines, cleaned:
//   - ligatures (ﬁ ﬂ ﬀ), non-breaking and thin spaces, dashes, µ/μ, curly quotes, bullets,
//     footnote marks (* † ‡), ® and ™, fractions (½ ¼ ¾) become plain ASCII;
//   - tabs, runs of spaces and leader dots ("Magnesium ......... 200 mg") become one space;
//   - OCR slips next to a number: "rng"/"mq" → "mg", "meg"/"mcq" → "mcg", "m g" → "mg", the
//     letter O inside digits ("4O0 mg") → 0; decimal commas ("187,5 mg") → points, thousands
//     separators ("1,000 mg") dropped;
//   - a line with an unclosed '(' is joined with the next ones, a word broken with '-' at the
//     end of a line is rejoined, and a nutrient name alone on a line is joined with an amount
//     on the next line.
// Errors (kInvalidArgument): "label is empty", "line N: ... binary data", text over 1 MiB.
Result<std::vector<LabelLine>> CleanLabelText(std::string_view raw);

// Lower case, and the same without spaces: what words are matched against.
std::string Lower(std::string_view text);
std::string Squeeze(std::string_view text);  // Lower case without spaces.

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_LABEL_TEXT_H_

// Reading a label: sections, serving size, magnesium lines, percentages, directions, price.
#include "products/label.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "chem/units.h"
#include "core/numbers.h"
#include "core/text.h"
#include "products/label_text.h"

namespace mg::products {
namespace {

constexpr double kMaxPlausibleMg = 100000;  // 100 g of magnesium per serving is not a label.
constexpr double kPercentTolerance = 1.0;   // Labels round % DV to whole percent.
constexpr double kSaltAgreement = 0.05;     // Stated elemental vs what the stated salt holds.

// ---- Tokens ----

struct Token {
  enum class Kind { kWord, kNumber, kParen, kPunct };
  Kind kind = Kind::kWord;
  std::string text;              // Words lower case; parens hold their inside text as printed.
  std::optional<double> number;  // kNumber: the value, nullopt when it does not parse.
  std::string unit;      // kNumber: an attached unit ("mg", "g", "mcg", "mmol", "meq", "iu", "%",
                         // "ml", "kcal", "kj", "l"), lower case; "" when none.
  std::string raw_unit;  // kNumber: the word after the number when it is not a known unit.
};

const std::set<std::string> kAmountUnits = {"mg",  "mgs", "g",  "mcg", "ug",   "mmol",
                                            "meq", "iu",  "ml", "l",   "kcal", "kj"};

std::vector<Token> Tokenize(std::string_view line) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ') {
      ++i;
      continue;
    }
    if (c == '(' || c == '[') {
      int depth = 0;
      size_t j = i;
      for (; j < line.size(); ++j) {
        if (line[j] == '(' || line[j] == '[') ++depth;
        if ((line[j] == ')' || line[j] == ']') && --depth == 0) break;
      }
      const size_t end = std::min(j, line.size());
      tokens.push_back(
          {Token::Kind::kParen, std::string(line.substr(i + 1, end - i - 1)), {}, "", ""});
      i = end + 1;
      continue;
    }
    if (IsAsciiDigit(c) || (c == '.' && i + 1 < line.size() && IsAsciiDigit(line[i + 1]))) {
      size_t j = i;
      while (j < line.size() && (IsAsciiDigit(line[j]) || line[j] == '.')) ++j;
      Token t{Token::Kind::kNumber, std::string(line.substr(i, j - i)), {}, "", ""};
      while (!t.text.empty() && t.text.back() == '.' &&
             std::count(t.text.begin(), t.text.end(), '.') == 1) {
        t.text.pop_back();  // "400mg." or "2." at the end of a sentence.
      }
      t.number = ParseFiniteNumber(t.text);
      // A unit right after the number, with or without one space.
      size_t k = j;
      if (k < line.size() && line[k] == ' ') ++k;
      if (k < line.size() && line[k] == '%') {
        t.unit = "%";
        j = k + 1;
      } else {
        size_t w = k;
        while (w < line.size() && IsAsciiAlpha(line[w])) ++w;
        const std::string word = Lower(line.substr(k, w - k));
        if (kAmountUnits.contains(word)) {
          t.unit = word == "mgs" ? "mg" : word;
          j = w;
        } else if (!word.empty() && k > j) {
          t.raw_unit = word;  // "2 capsules": kept beside, not consumed.
        } else if (!word.empty()) {
          t.raw_unit = word;  // "400kg", "2x".
          j = w;
        }
      }
      tokens.push_back(std::move(t));
      i = j;
      continue;
    }
    if (IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80) {
      size_t j = i;
      while (j < line.size() && (IsAsciiAlpha(line[j]) || IsAsciiDigit(line[j]) ||
                                 static_cast<unsigned char>(line[j]) >= 0x80 ||
                                 ((line[j] == '-' || line[j] == '\'') && j + 1 < line.size() &&
                                  IsAsciiAlpha(line[j + 1])))) {
        ++j;
      }
      tokens.push_back({Token::Kind::kWord, Lower(line.substr(i, j - i)), {}, "", ""});
      i = j;
      continue;
    }
    tokens.push_back({Token::Kind::kPunct, std::string(1, c), {}, "", ""});
    ++i;
  }
  return tokens;
}

bool IsMassUnit(const std::string& unit) {
  return unit == "mg" || unit == "g" || unit == "mcg" || unit == "ug";
}

// Milligrams of magnesium (mmol, mEq) or of mass (mg, g, mcg).
double ToMilligrams(double value, const std::string& unit) {
  if (unit == "g") return value * 1000;
  if (unit == "mcg" || unit == "ug") return value / 1000;
  if (unit == "mmol") return chem::MagnesiumMmolToMg(value);
  if (unit == "meq") return chem::MagnesiumMeqToMg(value);
  return value;
}

std::string JoinWords(const std::vector<Token>& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < tokens.size(); ++i) {
    if (tokens[i].kind != Token::Kind::kWord) continue;
    out += (out.empty() ? "" : " ") + tokens[i].text;
  }
  return out;
}

// ---- Units of servings and doses ----

struct UnitWord {
  std::string_view word;
  std::string_view canonical;
};
// Words labels use for what a serving is counted in. Parsing rules, not facts.
constexpr UnitWord kUnitWords[] = {
    {"tablet", "tablet"},
    {"tablets", "tablet"},
    {"tab", "tablet"},
    {"tabs", "tablet"},
    {"chewable", "chewable tablet"},
    {"chewables", "chewable tablet"},
    {"caplet", "caplet"},
    {"caplets", "caplet"},
    {"capsule", "capsule"},
    {"capsules", "capsule"},
    {"caps", "capsule"},
    {"cap", "capsule"},
    {"vcaps", "capsule"},
    {"vcap", "capsule"},
    {"vegcaps", "capsule"},
    {"vegcap", "capsule"},
    {"softgel", "softgel"},
    {"softgels", "softgel"},
    {"gelcap", "softgel"},
    {"gelcaps", "softgel"},
    {"gummy", "gummy"},
    {"gummies", "gummy"},
    {"lozenge", "lozenge"},
    {"lozenges", "lozenge"},
    {"sachet", "sachet"},
    {"sachets", "sachet"},
    {"packet", "sachet"},
    {"packets", "sachet"},
    {"stick", "sachet"},
    {"sticks", "sachet"},
    {"scoop", "scoop"},
    {"scoops", "scoop"},
    {"drop", "drop"},
    {"drops", "drop"},
    {"dropperful", "dropperful"},
    {"dropperfuls", "dropperful"},
    {"pill", "tablet"},
    {"pills", "tablet"},
    {"ml", "mL"},
    {"mls", "mL"},
    {"milliliter", "mL"},
    {"milliliters", "mL"},
    {"millilitre", "mL"},
    {"millilitres", "mL"},
    {"teaspoon", "teaspoon"},
    {"teaspoons", "teaspoon"},
    {"teaspoonful", "teaspoon"},
    {"teaspoonfuls", "teaspoon"},
    {"tsp", "teaspoon"},
    {"tablespoon", "tablespoon"},
    {"tablespoons", "tablespoon"},
    {"tablespoonful", "tablespoon"},
    {"tablespoonfuls", "tablespoon"},
    {"tbsp", "tablespoon"},
    {"g", "g"},
    {"gram", "g"},
    {"grams", "g"},
    {"fl", "fl oz"},
    {"floz", "fl oz"},
    {"ounce", "fl oz"},
    {"ounces", "fl oz"},
    {"oz", "fl oz"},
    {"dose", "dose"},
    {"serving", "serving"},
    {"servings", "serving"},
    {"bottle", "bottle"},
    {"cup", "cup"},
    {"cups", "cup"},
    {"bar", "bar"},
};

std::optional<std::string> UnitOf(std::string_view word) {
  for (const auto& u : kUnitWords) {
    if (u.word == word) return std::string(u.canonical);
  }
  return std::nullopt;
}

bool IsCountUnit(const std::string& unit) {
  return unit != "mL" && unit != "g" && unit != "teaspoon" && unit != "tablespoon" &&
         unit != "fl oz" && unit != "serving" && unit != "dose" && unit != "bottle" &&
         unit != "cup";
}

std::optional<double> NumberWord(std::string_view word) {
  static const std::map<std::string, double, std::less<>> kWords = {
      {"one", 1},   {"two", 2},  {"three", 3}, {"four", 4},   {"five", 5}, {"six", 6}, {"seven", 7},
      {"eight", 8}, {"nine", 9}, {"ten", 10},  {"half", 0.5}, {"a", 1},    {"an", 1}};
  const auto it = kWords.find(word);
  if (it == kWords.end()) return std::nullopt;
  return it->second;
}

// A quantity like "2 capsules", "1-2 tablets", "1 to 2 caps", "two (2) softgels", "5 mL",
// "2 tsp", "6.5 fl oz" starting at tokens[i].
struct Quantity {
  double low = 0;
  double high = 0;
  std::string unit;
  size_t end = 0;  // Token after the quantity.
};

std::optional<Quantity> ReadQuantity(const std::vector<Token>& t, size_t i) {
  if (i >= t.size()) return std::nullopt;
  double low = 0;
  size_t j = i;
  if (t[j].kind == Token::Kind::kNumber && t[j].number) {
    low = *t[j].number;
  } else if (t[j].kind == Token::Kind::kWord && NumberWord(t[j].text)) {
    low = *NumberWord(t[j].text);
    if (j + 1 < t.size() && t[j + 1].kind == Token::Kind::kParen) ++j;  // "two (2)"
  } else {
    return std::nullopt;
  }
  double high = low;
  std::string unit;
  const Token& first = t[j];
  if (first.kind == Token::Kind::kNumber && !first.unit.empty() && first.unit != "%") {
    if (const auto u = UnitOf(first.unit)) unit = *u;
    ++j;
    // "30 mL to 60 mL", "30-60 mL".
    if (!unit.empty() && j + 1 < t.size() &&
        ((t[j].kind == Token::Kind::kPunct && t[j].text == "-") ||
         (t[j].kind == Token::Kind::kWord && t[j].text == "to")) &&
        t[j + 1].kind == Token::Kind::kNumber && t[j + 1].number &&
        (t[j + 1].unit == first.unit || t[j + 1].unit.empty())) {
      high = *t[j + 1].number;
      j += 2;
    }
    if (first.unit == "l") unit = "mL", low *= 1000, high *= 1000;
  } else {
    ++j;
    // A range: "1-2", "1 - 2", "1 to 2", "1 or 2", "one to two".
    const bool joiner =
        j + 1 < t.size() &&
        ((t[j].kind == Token::Kind::kPunct && t[j].text == "-") ||
         (t[j].kind == Token::Kind::kWord && (t[j].text == "to" || t[j].text == "or")));
    if (joiner && t[j + 1].kind == Token::Kind::kNumber && t[j + 1].number) {
      high = *t[j + 1].number;
      if (!t[j + 1].unit.empty() && t[j + 1].unit != "%") {
        if (const auto u = UnitOf(t[j + 1].unit)) unit = *u;
      }
      j += 2;
    } else if (joiner && t[j + 1].kind == Token::Kind::kWord && NumberWord(t[j + 1].text) &&
               t[j + 1].text != "a" && t[j + 1].text != "an") {
      high = *NumberWord(t[j + 1].text);
      j += 2;
    }
    if (unit.empty()) {
      // Skip words that qualify the unit: "level", "vegetable", "veggie", "soft".
      while (j < t.size() && t[j].kind == Token::Kind::kWord &&
             (t[j].text == "level" || t[j].text == "vegetable" || t[j].text == "veggie" ||
              t[j].text == "vegetarian" || t[j].text == "vegan" || t[j].text == "veg" ||
              t[j].text == "soft" || t[j].text == "rounded" || t[j].text == "heaped" ||
              t[j].text == "film" || t[j].text == "coated" || t[j].text == "delayed" ||
              t[j].text == "release")) {
        ++j;
      }
      if (j < t.size() && t[j].kind == Token::Kind::kWord) {
        if (const auto u = UnitOf(t[j].text)) {
          unit = *u;
          ++j;
          // "chewable tablets", "fl oz", "soft gels".
          if (j < t.size() && t[j].kind == Token::Kind::kWord &&
              (((unit == "chewable tablet") && UnitOf(t[j].text) == "tablet") ||
               (unit == "fl oz" && t[j].text == "oz") ||
               (t[j].text == "gels" || t[j].text == "gel"))) {
            ++j;
          }
        }
      }
    }
  }
  if (unit.empty()) return std::nullopt;
  if (high < low) std::swap(low, high);
  return Quantity{low, high, unit, j};
}

// ---- Sections ----

enum class Section { kFront, kFacts, kIngredients, kDirections, kWarnings };

struct Heading {
  std::string_view squeezed;  // Squeeze()d words at the start of a line.
  Section section;
  std::optional<PanelKind> panel;
};
constexpr Heading kHeadings[] = {
    {"supplementfacts", Section::kFacts, PanelKind::kSupplementFacts},
    {"drugfacts", Section::kFacts, PanelKind::kDrugFacts},
    {"nutritionfacts", Section::kFacts, PanelKind::kNutritionFacts},
    {"nutritioninformation", Section::kFacts, PanelKind::kNutritionInformation},
    {"nutritionalinformation", Section::kFacts, PanelKind::kNutritionInformation},
    {"nutritiondeclaration", Section::kFacts, PanelKind::kNutritionInformation},
    {"nutritionalvalues", Section::kFacts, PanelKind::kNutritionInformation},
    {"typicalvalues", Section::kFacts, PanelKind::kNutritionInformation},
    {"medicinalingredients", Section::kFacts, PanelKind::kCanadianNpn},
    {"medicinalingredient", Section::kFacts, PanelKind::kCanadianNpn},
    {"activeingredients", Section::kFacts, PanelKind::kDrugFacts},
    {"activeingredient", Section::kFacts, PanelKind::kDrugFacts},
    {"otherinformation", Section::kFacts, std::nullopt},
    {"nonmedicinalingredients", Section::kIngredients, std::nullopt},
    {"non-medicinalingredients", Section::kIngredients, std::nullopt},
    {"otheringredients", Section::kIngredients, std::nullopt},
    {"inactiveingredients", Section::kIngredients, std::nullopt},
    {"ingredients", Section::kIngredients, std::nullopt},
    {"directions", Section::kDirections, std::nullopt},
    {"suggesteduse", Section::kDirections, std::nullopt},
    {"recommendeduse", Section::kDirections, std::nullopt},
    {"recommendeddose", Section::kDirections, std::nullopt},
    {"recommendeddailydose", Section::kDirections, std::nullopt},
    {"dosage", Section::kDirections, std::nullopt},
    {"howtotake", Section::kDirections, std::nullopt},
    {"howtouse", Section::kDirections, std::nullopt},
    {"usage", Section::kDirections, std::nullopt},
    {"warnings", Section::kWarnings, std::nullopt},
    {"warning", Section::kWarnings, std::nullopt},
    {"cautions", Section::kWarnings, std::nullopt},
    {"caution", Section::kWarnings, std::nullopt},
    {"askadoctor", Section::kWarnings, std::nullopt},
    {"stopuse", Section::kWarnings, std::nullopt},
    {"keepoutofreach", Section::kWarnings, std::nullopt},
    {"donotuse", Section::kWarnings, std::nullopt},
    {"uses", Section::kWarnings, std::nullopt},
    {"use", Section::kWarnings, std::nullopt},
    {"purpose", Section::kWarnings, std::nullopt},
    {"purposes", Section::kWarnings, std::nullopt},
    {"questions", Section::kWarnings, std::nullopt},
    {"storage", Section::kWarnings, std::nullopt},
};

// The heading a line starts with, and where the rest of the line begins.
std::optional<std::pair<const Heading*, size_t>> FindHeading(std::string_view text) {
  const std::string lower = Lower(text);
  // Walk the line's characters, building the squeezed prefix, and stop at the first heading
  // whose squeezed form matches at a word boundary.
  std::string squeezed;
  for (size_t i = 0; i <= lower.size(); ++i) {
    const bool boundary = i == lower.size() || !IsAsciiAlpha(lower[i]);
    if (boundary && !squeezed.empty()) {
      for (const auto& h : kHeadings) {
        if (squeezed == h.squeezed) {
          size_t rest = i;
          while (rest < lower.size() &&
                 (lower[rest] == ':' || lower[rest] == ' ' || lower[rest] == '-')) {
            ++rest;
          }
          return std::pair{&h, rest};
        }
      }
    }
    if (i == lower.size()) break;
    if (IsAsciiAlpha(lower[i]) || lower[i] == '-') {
      squeezed.push_back(lower[i]);
    } else if (lower[i] != ' ') {
      break;  // Headings are words only.
    }
    if (squeezed.size() > 30) break;
  }
  return std::nullopt;
}

// ---- The reader ----

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Words on a magnesium line that do not name a salt.
const std::set<std::string> kElementalWords = {
    "magnesium", "elemental", "total",     "ionic",     "ion",      "ions", "mg",
    "from",      "as",        "providing", "supplying", "yielding", "of",   "the"};
const std::set<std::string> kBlendWords = {"blend",   "complex", "proprietary", "matrix",
                                           "formula", "mix",     "mixture"};
// Excipients: magnesium in them is a processing aid, not a dose.
const std::set<std::string> kExcipientWords = {"stearate", "silicate", "trisilicate"};
// Words to drop from a salt's name before looking it up ("magnesium bisglycinate chelate,
// buffered").
const std::set<std::string> kSaltNoise = {"chelate", "chelated", "buffered", "usp",   "bp",
                                          "fcc",     "nf",       "powder",   "heavy", "light",
                                          "dibasic", "tribasic", "di",       "tri",   "fully",
                                          "reacted", "traacs",   "albion",   "pure",  "natural"};

class LabelReader {
 public:
  LabelReader(const chem::CompoundCatalog& compounds, const std::vector<DailyValue>& daily_values)
      : compounds_(compounds), daily_values_(daily_values) {}

  Result<Label> Read(std::string_view text) {
    auto lines = CleanLabelText(text);
    if (!lines.ok()) return lines.error();
    lines_ = std::move(lines).value();
    all_words_ = " ";
    for (const auto& l : lines_) all_words_ += NormalizeName(l.text) + " ";
    // Lines before the first panel heading are the front of the pack: a product name such as
    // "Magnesium Citrate 200 mg, 120 tablets" there is not a panel line.
    size_t first_panel = lines_.size();
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (const auto h = FindHeading(lines_[i].text); h && h->first->panel) {
        first_panel = i;
        break;
      }
    }
    Section section = first_panel == lines_.size() ? Section::kFacts : Section::kFront;
    for (size_t i = 0; i < lines_.size(); ++i) {
      const LabelLine& line = lines_[i];
      std::string_view rest = line.text;
      if (const auto h = FindHeading(line.text)) {
        section = h->first->section;
        if (h->first->panel && label_.panel == PanelKind::kUnknown) label_.panel = *h->first->panel;
        rest = std::string_view(line.text).substr(h->second);
        in_blend_ = false;
      }
      MG_RETURN_IF_ERROR(ReadLine(line.number, rest, line.text, section));
    }
    return Finish();
  }

 private:
  Status ReadLine(int number, std::string_view rest, const std::string& whole, Section section) {
    ReadPrice(number, whole);
    ReadMaximum(number, whole);
    const std::string squeezed = Squeeze(whole);
    const std::vector<Token> tokens = Tokenize(rest);
    if (section == Section::kFront) {
      ReadContainerCount(tokens);
      return {};
    }
    if (section == Section::kIngredients) {
      ReadIngredientList(rest);
      return {};
    }
    if (section == Section::kWarnings) return {};
    if (section == Section::kDirections || squeezed.starts_with("take") ||
        squeezed.starts_with("adults") || squeezed.starts_with("chew") ||
        squeezed.starts_with("dissolve") || squeezed.starts_with("mix")) {
      ReadDirections(number, tokens, squeezed);
      if (section == Section::kDirections) return {};
    }
    // Facts.
    if (squeezed.starts_with("servingsize") || squeezed.starts_with("portionsize") ||
        squeezed.starts_with("dosesize")) {
      return ReadServingSize(number, whole);
    }
    if (Contains(squeezed, "servingspercontainer") || Contains(squeezed, "servingsperpack") ||
        Contains(squeezed, "servingsperbottle") || Contains(squeezed, "servingsperpackage")) {
      for (const auto& t : tokens) {
        if (t.kind == Token::Kind::kNumber && t.number && *t.number > 0) {
          label_.servings_per_container = *t.number;
          break;
        }
      }
      return {};
    }
    ReadServingPhrase(number, whole);
    return ReadAmounts(number, whole, tokens);
  }

  // ---- Serving size ----

  Status SetServing(int number, const Quantity& q, std::optional<double> grams,
                    std::optional<double> ml, bool from_serving_size_line) {
    if (q.low <= 0) {
      return InvalidArgument(
          fmt::format("line {}: the serving size is {} {}: a serving cannot be "
                      "zero",
                      number, FormatNumber(q.high, 2), q.unit));
    }
    if (from_serving_size_line && serving_from_line_) {
      if (label_.serving.count != q.low || label_.serving.unit != q.unit) {
        return InvalidArgument(fmt::format(
            "line {}: a second serving size ({} {}) disagrees with the one on line {} ({} {}); "
            "is this two labels in one?",
            number, FormatNumber(q.low, 2), q.unit, label_.serving.line,
            FormatNumber(label_.serving.count, 2), label_.serving.unit));
      }
      return {};
    }
    if (!from_serving_size_line && serving_set_) return {};
    label_.serving.count = q.low;
    label_.serving.count_max = q.high;
    label_.serving.unit = q.unit;
    label_.serving.grams = grams;
    label_.serving.ml = q.unit == "mL" ? std::optional<double>(q.low) : ml;
    label_.serving.line = number;
    label_.serving.assumed = false;
    serving_set_ = true;
    serving_from_line_ = from_serving_size_line;
    if (q.high != q.low) {
      Warn("range", number,
           fmt::format("the serving is a range ({}-{} {}): amounts per serving are read for the "
                       "smaller serving, so per-unit figures are the largest they can be",
                       FormatNumber(q.low, 2), FormatNumber(q.high, 2), q.unit));
    }
    return {};
  }

  Status ReadServingSize(int number, const std::string& whole) {
    const std::vector<Token> t = Tokenize(whole);
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].kind == Token::Kind::kNumber && t[i].number && *t[i].number <= 0 &&
          (UnitOf(t[i].raw_unit) ||
           (i + 1 < t.size() && t[i + 1].kind == Token::Kind::kWord && UnitOf(t[i + 1].text)))) {
        return InvalidArgument(fmt::format("line {}: '{}': a serving of {} cannot be right", number,
                                           whole, t[i].text));
      }
      const auto q = ReadQuantity(t, i);
      if (!q) continue;
      std::optional<double> grams, ml;
      // "(4 g)", "(5 mL)", "(1 tsp)" after the serving.
      if (q->end < t.size() && t[q->end].kind == Token::Kind::kParen) {
        const auto inner = Tokenize(t[q->end].text);
        for (size_t k = 0; k < inner.size(); ++k) {
          if (const auto p = ReadQuantity(inner, k)) {
            if (p->unit == "g") grams = p->low;
            if (p->unit == "mL") ml = p->low;
            break;
          }
        }
      }
      return SetServing(number, *q, grams, ml, true);
    }
    return {};  // "Serving size" with nothing readable: a heading split from its value.
  }

  // "per daily dose (2 tablets)", "per 2 capsules", "(in each 5 mL teaspoon)", "each tablet
  // contains", "per sachet (5 g)": the amounts on this panel are per that quantity.
  void ReadServingPhrase(int number, const std::string& whole) {
    ServingFrom(number, Tokenize(whole));
  }

  // Finds "per/each <quantity or unit>" in tokens, looking inside parens too; true when found.
  bool ServingFrom(int number, const std::vector<Token>& tokens) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].kind == Token::Kind::kParen) {
        const auto inner = Tokenize(tokens[i].text);
        // "Per daily dose (2 tablets)": the paren is the quantity.
        const bool after_dose = i > 0 && tokens[i - 1].kind == Token::Kind::kWord &&
                                (tokens[i - 1].text == "dose" || tokens[i - 1].text == "serving" ||
                                 tokens[i - 1].text == "portion");
        if (after_dose) {
          if (const auto q = ReadQuantity(inner, 0); q && UsableServing(*q)) {
            (void)SetServing(number, *q, std::nullopt, std::nullopt, false);
            return true;
          }
        }
        if (ServingFrom(number, inner)) return true;
        continue;
      }
      if (tokens[i].kind != Token::Kind::kWord) continue;
      if (tokens[i].text != "per" && tokens[i].text != "each") continue;
      size_t j = i + 1;
      while (j < tokens.size() && tokens[j].kind == Token::Kind::kWord &&
             (tokens[j].text == "each" || tokens[j].text == "vegetable" ||
              tokens[j].text == "veggie" || tokens[j].text == "veg" || tokens[j].text == "soft" ||
              tokens[j].text == "film" || tokens[j].text == "coated" ||
              tokens[j].text == "level")) {
        ++j;
      }
      if (const auto q = ReadQuantity(tokens, j)) {
        if (!UsableServing(*q)) continue;
        (void)SetServing(number, *q, std::nullopt, std::nullopt, false);
        return true;
      }
      // "each tablet contains", "per capsule", "in each tablet".
      if (j < tokens.size() && tokens[j].kind == Token::Kind::kWord) {
        if (const auto u = UnitOf(tokens[j].text); u && UsableServing(Quantity{1, 1, *u, 0})) {
          (void)SetServing(number, Quantity{1, 1, *u, j + 1}, std::nullopt, std::nullopt, false);
          return true;
        }
      }
    }
    return false;
  }

  static bool UsableServing(const Quantity& q) {
    if (q.unit == "serving" || q.unit == "dose" || q.unit == "bottle") return false;
    if ((q.unit == "g" || q.unit == "mL") && q.low == 100) return false;  // A food's basis.
    return !(q.unit == "g" && q.low == 1 && q.high == 1);
  }

  // ---- Amount lines ----

  struct Segment {
    size_t begin = 0, end = 0;  // Token range.
  };

  // Splits a line into one segment per nutrient: "Magnesium 200 mg 48% Zinc 10 mg 91%" is two.
  std::vector<Segment> Segments(const std::vector<Token>& t) {
    std::vector<Segment> out;
    size_t begin = 0;
    bool has_amount = false;
    for (size_t i = 0; i < t.size(); ++i) {
      const Token& tok = t[i];
      const bool separator =
          tok.kind == Token::Kind::kPunct &&
          (tok.text == ":" || tok.text == ";" || (tok.text == "," && has_amount));
      const bool new_name = tok.kind == Token::Kind::kWord && has_amount && !UnitOf(tok.text) &&
                            tok.text != "elemental" && tok.text != "dv" && tok.text != "nrv" &&
                            tok.text != "ri";
      if (separator || new_name) {
        if (i > begin) out.push_back({begin, i});
        begin = separator ? i + 1 : i;
        has_amount = false;
        continue;
      }
      if (tok.kind == Token::Kind::kNumber && !tok.unit.empty()) has_amount = true;
    }
    if (begin < t.size()) out.push_back({begin, t.size()});
    return out;
  }

  // The compounds named in a list like "as magnesium oxide, citrate and glycinate".
  std::vector<std::string> FormsIn(std::string_view text, std::vector<std::string>* unknown) {
    std::vector<std::string> ids;
    std::string lower = Lower(text);
    for (std::string_view prefix : {"as ", "from ", "source ", "sources "}) {
      if (lower.starts_with(prefix)) lower = lower.substr(prefix.size());
    }
    // Split on commas, "and", "&", "/", "+".
    std::string marked;
    for (size_t i = 0; i < lower.size(); ++i) {
      if (lower.compare(i, 5, " and ") == 0) {
        marked += '|';
        i += 4;
        continue;
      }
      const char c = lower[i];
      marked.push_back(c == ',' || c == '&' || c == '/' || c == '+' || c == ';' ? '|' : c);
    }
    size_t start = 0;
    while (start <= marked.size()) {
      size_t end = marked.find('|', start);
      if (end == std::string::npos) end = marked.size();
      const std::string part = std::string(marked.substr(start, end - start));
      start = end + 1;
      const std::string normalized = NormalizeName(part);
      if (normalized.empty() || HasDigitText(normalized)) continue;
      bool excipient = false;
      for (const auto& w : kExcipientWords) excipient |= Contains(normalized, w);
      if (excipient) continue;
      if (const auto id = ResolveSalt(normalized)) {
        if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
      } else if (unknown != nullptr && Contains(normalized, "magnesium") &&
                 normalized != "magnesium") {
        unknown->push_back(normalized);
      }
    }
    return ids;
  }

  // Whether a (normalised) name has a word of some compound's name; names without one ("rice
  // flour") are not looked up, which keeps a failed lookup and its suggestions off the hot path.
  bool MentionsSaltWord(const std::string& name) {
    if (salt_words_.empty()) {
      auto add_words = [&](const std::string& text) {
        const std::string normalized = NormalizeName(text);
        size_t start = 0;
        while (start < normalized.size()) {
          size_t end = normalized.find(' ', start);
          if (end == std::string::npos) end = normalized.size();
          const std::string word = normalized.substr(start, end - start);
          if (word.size() >= 3 && word != "magnesium") salt_words_.insert(word);
          start = end + 1;
        }
      };
      for (const auto& c : compounds_.compounds()) {
        add_words(c.name);
        for (const auto& synonym : c.synonyms) add_words(synonym);
      }
    }
    size_t start = 0;
    while (start < name.size()) {
      size_t end = name.find(' ', start);
      if (end == std::string::npos) end = name.size();
      if (salt_words_.contains(name.substr(start, end - start))) return true;
      start = end + 1;
    }
    return false;
  }

  static bool HasDigitText(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return IsAsciiDigit(c); });
  }

  // A salt's name, tolerant of noise words ("magnesium bisglycinate chelate buffered").
  std::optional<std::string> ResolveSalt(const std::string& name) {
    if (name.empty() || !MentionsSaltWord(name)) return std::nullopt;
    if (auto found = compounds_.Resolve(name); found.ok()) return (*found)->id;
    std::string kept;
    size_t start = 0;
    while (start <= name.size()) {
      size_t end = name.find(' ', start);
      if (end == std::string::npos) end = name.size();
      const std::string word = name.substr(start, end - start);
      start = end + 1;
      if (word.empty() || kSaltNoise.contains(word)) continue;
      kept += (kept.empty() ? "" : " ") + word;
    }
    if (kept.empty() || kept == name || kept == "magnesium") return std::nullopt;
    if (auto found = compounds_.Resolve(kept); found.ok()) return (*found)->id;
    return std::nullopt;
  }

  // The quantity an "each ... contains" line is about ("each 15 mL contains", "each tablet
  // contains"); nullopt when the line has none.
  std::optional<Quantity> EachQuantity(const std::vector<Token>& t) const {
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (t[i].kind != Token::Kind::kWord || t[i].text != "each") continue;
      if (const auto q = ReadQuantity(t, i + 1)) return q;
      if (t[i + 1].kind == Token::Kind::kWord) {
        if (const auto u = UnitOf(t[i + 1].text)) return Quantity{1, 1, *u, i + 2};
      }
    }
    return std::nullopt;
  }

  // Which column holds the serving's amounts when a header prints several ("Per 100 g | Per
  // serving (30 g) | % RI"): the first that is not per 100 g / 100 mL.
  void ReadColumns(const std::vector<Token>& t) {
    std::vector<bool> basis;  // One entry per "per" column: true for "per 100 g/mL".
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].kind != Token::Kind::kWord || t[i].text != "per") continue;
      const bool per_100 = i + 1 < t.size() && t[i + 1].kind == Token::Kind::kNumber &&
                           t[i + 1].number && *t[i + 1].number == 100;
      basis.push_back(per_100);
    }
    if (basis.size() < 2) return;
    for (size_t c = 0; c < basis.size(); ++c) {
      if (!basis[c]) {
        column_ = c;
        return;
      }
    }
  }

  Status ReadAmounts(int number, const std::string& whole, const std::vector<Token>& t) {
    ReadColumns(t);
    const std::string squeezed = Squeeze(whole);
    const bool per_unit_line = Contains(squeezed, "contains") && Contains(squeezed, "each");
    const std::optional<Quantity> each = per_unit_line ? EachQuantity(t) : std::nullopt;
    for (const Segment& s : Segments(t)) {
      // The name: words and parens before the first number.
      size_t first_number = s.end;
      for (size_t i = s.begin; i < s.end; ++i) {
        if (t[i].kind == Token::Kind::kNumber) {
          first_number = i;
          break;
        }
      }
      std::vector<std::string> name_words;
      for (size_t i = s.begin; i < first_number; ++i) {
        if (t[i].kind == Token::Kind::kWord) name_words.push_back(t[i].text);
      }
      const std::string name = JoinWords(t, s.begin, first_number);
      bool names_magnesium = Contains(Squeeze(name), "magnesium");
      bool blend = false, excipient = false;
      for (const auto& w : name_words) {
        blend |= kBlendWords.contains(w);
        excipient |= kExcipientWords.contains(w);
      }
      if (excipient) continue;
      // Parens: forms ("as oxide, citrate"), or the elemental amount ("providing 300 mg").
      std::vector<std::string> forms, unknown_forms;
      std::optional<double> providing_mg;
      for (size_t i = s.begin; i < s.end; ++i) {
        if (t[i].kind != Token::Kind::kParen) continue;
        const std::string inner = Lower(t[i].text);
        const bool provides = Contains(inner, "providing") || Contains(inner, "supplying") ||
                              Contains(inner, "yielding") || Contains(inner, "equivalent") ||
                              Contains(inner, "equiv") || Contains(inner, "elemental") ||
                              Contains(inner, "contains");
        if (provides) {
          for (const auto& it : Tokenize(t[i].text)) {
            if (it.kind == Token::Kind::kNumber && it.number &&
                (IsMassUnit(it.unit) || it.unit == "mmol" || it.unit == "meq")) {
              providing_mg = ToMilligrams(*it.number, it.unit);
              break;
            }
          }
          continue;
        }
        const auto ids = FormsIn(t[i].text, &unknown_forms);
        forms.insert(forms.end(), ids.begin(), ids.end());
        // A paren names the source of the nutrient on its left; it makes a magnesium line
        // only for a blend or a line with no name ("Chloride (as magnesium chloride)" is
        // about chloride).
        if ((blend || name_words.empty()) && (!ids.empty() || Contains(inner, "magnesium"))) {
          names_magnesium = true;
        }
      }
      if (!names_magnesium) unknown_forms.clear();
      if (blend) {
        in_blend_ = true;
        blend_line_ = number;
      }
      if (!names_magnesium) {
        if (in_blend_ && !blend && first_number == s.end) ReadBlendMember(number, whole);
        if (!blend && HasMassAmount(t, s)) in_blend_ = false;
        continue;
      }
      // Amounts and percentages after the name.
      std::vector<double> amounts_mg;
      std::vector<double> percents;
      for (size_t i = first_number; i < s.end; ++i) {
        const Token& tok = t[i];
        if (tok.kind != Token::Kind::kNumber) continue;
        if (!tok.number) {
          return InvalidArgument(
              fmt::format("line {}: '{}': '{}' is not a number", number, whole, tok.text));
        }
        if (tok.unit == "%") {
          percents.push_back(*tok.number);
        } else if (IsMassUnit(tok.unit) || tok.unit == "mmol" || tok.unit == "meq") {
          const double mg = ToMilligrams(*tok.number, tok.unit);
          if (mg > kMaxPlausibleMg) {
            return InvalidArgument(fmt::format(
                "line {}: '{}': {} {} of magnesium in one serving is not possible; check the "
                "unit",
                number, whole, tok.text, tok.unit));
          }
          amounts_mg.push_back(mg);
        } else if (tok.unit == "iu") {
          return InvalidArgument(fmt::format(
              "line {}: '{}': magnesium is measured in mg, g, mcg or mmol, not IU", number, whole));
        } else if (amounts_mg.empty() && percents.empty() &&
                   (!tok.unit.empty() ||
                    (!tok.raw_unit.empty() && !UnitOf(tok.raw_unit) && tok.raw_unit.size() <= 3))) {
          return InvalidArgument(fmt::format(
              "line {}: '{}': the magnesium amount '{} {}' has no mass unit (mg, g, mcg or "
              "mmol)",
              number, whole, tok.text, tok.unit.empty() ? tok.raw_unit : tok.unit));
        }
      }
      for (const auto& u : unknown_forms) {
        Warn("unknown_compound", number,
             fmt::format("'{}' is not in the compound catalogue; its magnesium content cannot "
                         "be computed",
                         u));
      }
      const std::optional<double> amount =
          amounts_mg.empty()
              ? std::nullopt
              : std::optional<double>(amounts_mg[std::min(column_, amounts_mg.size() - 1)]);
      if (!amount && !providing_mg) {
        // No amount: a heading, salts listed inside a blend, or a salt given only as a share
        // of the product ("Magnesium sulfate USP 100%").
        if (blend) {
          blend_has_magnesium_ = true;
          for (const auto& id : forms) AddCompound(id);
        } else if (in_blend_) {
          ReadBlendMember(number, whole);
        } else if (!percents.empty()) {
          std::string salt = "magnesium";
          for (const auto& w : name_words) {
            if (!kElementalWords.contains(w)) salt += " " + w;
          }
          if (const auto id = ResolveSalt(NormalizeName(salt))) {
            MagnesiumLine share;
            share.line = number;
            share.text = whole;
            share.basis = AmountBasis::kCompoundMass;
            share.compound_ids = {*id};
            AddCompound(*id);
            label_.magnesium_lines.push_back(std::move(share));
            amount_missing_ = true;
            Warn("amount_missing", number,
                 fmt::format("the label gives {} only as a share of the product, not the mass "
                             "of a dose: the magnesium per serving cannot be known from it",
                             compounds_.FindById(*id)->name));
          }
        }
        continue;
      }
      MagnesiumLine line;
      line.line = number;
      line.text = whole;
      line.per_unit = each.has_value();
      line.compound_ids = forms;
      line.amount_mg = amount;
      if (!percents.empty()) line.percent = percents.front();
      std::vector<std::string> base;  // Name words that are not "magnesium" or filler.
      for (const auto& w : name_words) {
        if (!kElementalWords.contains(w) && !kBlendWords.contains(w)) base.push_back(w);
      }
      if (blend) {
        line.basis = AmountBasis::kBlend;
        line.elemental_mg = providing_mg;
        blend_has_magnesium_ = true;
        if (!providing_mg) blend_unknown_ = true;
      } else if (base.empty()) {
        line.basis = AmountBasis::kElemental;
        line.elemental_mg = providing_mg ? providing_mg : amount;
      } else {
        line.basis = AmountBasis::kCompoundMass;
        std::string salt = "magnesium";
        for (const auto& w : base) salt += " " + w;
        const auto id = ResolveSalt(NormalizeName(salt));
        if (id && std::find(line.compound_ids.begin(), line.compound_ids.end(), *id) ==
                      line.compound_ids.end()) {
          line.compound_ids.insert(line.compound_ids.begin(), *id);
        }
        if (providing_mg) {
          line.elemental_mg = providing_mg;
          if (id && amount) CheckSaltHolds(number, *id, *amount, *providing_mg);
        } else if (id) {
          const chem::Compound& c = *compounds_.FindById(*id);
          line.elemental_mg = chem::ElementalFromCompound(c, *amount);
          compound_only_.push_back(
              {number, c.name, *amount, *line.elemental_mg, c.magnesium_fraction});
        } else {
          Warn("unknown_compound", number,
               fmt::format("'{}' is not in the compound catalogue; its magnesium content cannot "
                           "be computed",
                           NormalizeName(salt)));
          unknown_salt_ = true;
        }
      }
      if (each) each_quantity_[label_.magnesium_lines.size()] = *each;
      for (const auto& id : line.compound_ids) AddCompound(id);
      label_.magnesium_lines.push_back(std::move(line));
    }
    return {};
  }

  bool HasMassAmount(const std::vector<Token>& t, const Segment& s) const {
    for (size_t i = s.begin; i < s.end; ++i) {
      if (t[i].kind == Token::Kind::kNumber && IsMassUnit(t[i].unit)) return true;
    }
    return false;
  }

  void ReadBlendMember(int number, const std::string& text) {
    std::vector<std::string> unknown;
    const auto ids = FormsIn(text, &unknown);
    if (!ids.empty()) {
      blend_has_magnesium_ = true;
      if (blend_line_ == 0) blend_line_ = number;
    }
    for (const auto& id : ids) {
      AddCompound(id);
      if (!label_.magnesium_lines.empty() &&
          label_.magnesium_lines.back().basis == AmountBasis::kBlend) {
        auto& ids_of_blend = label_.magnesium_lines.back().compound_ids;
        if (std::find(ids_of_blend.begin(), ids_of_blend.end(), id) == ids_of_blend.end()) {
          ids_of_blend.push_back(id);
        }
      }
    }
  }

  void CheckSaltHolds(int number, const std::string& id, double salt_mg, double elemental_mg) {
    const chem::Compound& c = *compounds_.FindById(id);
    const double holds = chem::ElementalFromCompound(c, salt_mg);
    if (elemental_mg > holds * (1 + kSaltAgreement)) {
      Warn("elemental_exceeds_compound", number,
           fmt::format("{} mg of elemental magnesium is more than {} mg of {} can hold ({} mg at "
                       "{:.1f} % magnesium); one of the two figures is wrong",
                       FormatNumber(elemental_mg), FormatNumber(salt_mg), c.name,
                       FormatNumber(holds), c.magnesium_fraction * 100));
    }
  }

  void AddCompound(const std::string& id) {
    if (std::find(label_.compounds.begin(), label_.compounds.end(), id) == label_.compounds.end()) {
      label_.compounds.push_back(id);
    }
  }

  // ---- Ingredient lists: which salts, never amounts ----

  void ReadIngredientList(std::string_view text) {
    // Magnesium salts named in an ingredient list ("Ingredients: magnesium citrate, ...").
    std::string flat;
    for (char c : text) flat.push_back(c == '(' || c == ')' || c == '[' || c == ']' ? ',' : c);
    std::vector<std::string> unknown;
    const auto ids = FormsIn(flat, &unknown);
    list_compounds_.insert(list_compounds_.end(), ids.begin(), ids.end());
  }

  // ---- Directions, maximum, price, container ----

  void ReadDirections(int number, const std::vector<Token>& t, const std::string& squeezed) {
    if (label_.directions && label_.directions->units_max && !Contains(squeezed, "adult")) return;
    Directions d = label_.directions.value_or(Directions{});
    for (size_t i = 0; i < t.size(); ++i) {
      const auto q = ReadQuantity(t, i);
      if (!q || q->unit == "serving" || q->unit == "bottle" || q->unit == "g") continue;
      // A quantity of a dose unit: how much per dose.
      d.units_min = q->low;
      d.units_max = q->high;
      d.unit = q->unit;
      d.line = number;
      // How often: "once", "twice", "N times", "N-M times", "daily".
      for (size_t j = q->end; j < t.size(); ++j) {
        if (t[j].kind != Token::Kind::kWord && t[j].kind != Token::Kind::kNumber) continue;
        const std::string& w = t[j].text;
        if (w == "once") d.times_min = d.times_max = 1;
        if (w == "twice") d.times_min = d.times_max = 2;
        if (t[j].kind == Token::Kind::kNumber && t[j].number) {
          double low = *t[j].number, high = low;
          size_t k = j + 1;
          if (k + 1 < t.size() &&
              ((t[k].kind == Token::Kind::kPunct && t[k].text == "-") ||
               (t[k].kind == Token::Kind::kWord && (t[k].text == "to" || t[k].text == "or"))) &&
              t[k + 1].kind == Token::Kind::kNumber && t[k + 1].number) {
            high = *t[k + 1].number;
            k += 2;
          }
          if (k < t.size() && t[k].kind == Token::Kind::kWord && t[k].text == "times") {
            d.times_min = low;
            d.times_max = high;
          }
        }
        if (NumberWord(w) && j + 1 < t.size() && t[j + 1].text == "times") {
          d.times_min = d.times_max = *NumberWord(w);
        }
        if ((w == "daily" || w == "day") && !d.times_min) d.times_min = d.times_max = 1;
        if (d.times_min) break;
      }
      if (q->high != q->low) {
        Warn("range", number,
             fmt::format("the directions give a range ({}-{} {} per dose); a count without an "
                         "amount uses the larger",
                         FormatNumber(q->low, 2), FormatNumber(q->high, 2), q->unit));
      }
      label_.directions = d;
      return;
    }
  }

  // "do not take more than 8 tablets in 24 hours", "do not exceed 4 capsules daily".
  void ReadMaximum(int number, const std::string& whole) {
    const std::string lower = Lower(whole);
    size_t at = std::string::npos;
    for (std::string_view phrase :
         {"more than", "do not exceed", "not to exceed", "maximum of", "maximum", "max."}) {
      at = lower.find(phrase);
      if (at != std::string::npos) {
        at += phrase.size();
        break;
      }
    }
    if (at == std::string::npos) return;
    const std::vector<Token> t = Tokenize(std::string_view(whole).substr(at));
    for (size_t i = 0; i < t.size() && i < 4; ++i) {
      const auto q = ReadQuantity(t, i);
      if (!q || q->unit == "serving" || q->unit == "g") continue;
      const std::string rest = Squeeze(JoinWords(t, q->end, t.size()));
      if (!(Contains(rest, "hour") || Contains(rest, "day") || Contains(rest, "daily") ||
            rest.empty())) {
        // "more than 2 weeks": a duration, not a maximum dose.
        return;
      }
      if (Contains(rest, "week")) return;
      Directions d = label_.directions.value_or(Directions{});
      // The first maximum is the adults' (labels list adults first); a children's line later
      // must not replace it.
      if (d.max_units_per_day && !Contains(Lower(whole), "adult")) return;
      d.max_units_per_day = q->high;
      if (d.unit.empty()) d.unit = q->unit;
      if (d.line == 0) d.line = number;
      label_.directions = d;
      return;
    }
  }

  void ReadPrice(int number, const std::string& whole) {
    if (label_.price) return;
    static constexpr std::pair<std::string_view, std::string_view> kSymbols[] = {
        {"C$", "CAD"}, {"CA$", "CAD"},      {"US$", "USD"},
        {"$", "USD"},  {"\xC2\xA3", "GBP"}, {"\xE2\x82\xAC", "EUR"}};
    for (const auto& [symbol, currency] : kSymbols) {
      size_t at = whole.find(symbol);
      while (at != std::string::npos) {
        size_t i = at + symbol.size();
        while (i < whole.size() && whole[i] == ' ') ++i;
        size_t j = i;
        while (j < whole.size() && (IsAsciiDigit(whole[j]) || whole[j] == '.')) ++j;
        if (j > i) {
          if (const auto value = ParseFiniteNumber(whole.substr(i, j - i)); value && *value > 0) {
            label_.price = Price{*value, std::string(currency), number};
            return;
          }
        }
        at = whole.find(symbol, at + 1);
      }
    }
    // "Price: 12.99", "12.99 EUR".
    const std::vector<Token> t = Tokenize(whole);
    static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
        {"usd", "USD"}, {"gbp", "GBP"}, {"eur", "EUR"}, {"cad", "CAD"}, {"aud", "AUD"}};
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (t[i].kind == Token::Kind::kNumber && t[i].number && *t[i].number > 0) {
        const std::string& word =
            t[i + 1].kind == Token::Kind::kWord ? t[i + 1].text : t[i].raw_unit;
        for (const auto& [code, currency] : kCodes) {
          if (word == code) {
            label_.price = Price{*t[i].number, std::string(currency), number};
            return;
          }
        }
      }
      if (t[i].kind == Token::Kind::kWord && t[i].text == "price") {
        for (size_t j = i + 1; j < t.size() && j < i + 3; ++j) {
          if (t[j].kind == Token::Kind::kNumber && t[j].number && *t[j].number > 0) {
            label_.price = Price{*t[j].number, "", number};
            return;
          }
        }
      }
    }
  }

  void ReadContainerCount(const std::vector<Token>& t) {
    for (size_t i = 0; i < t.size(); ++i) {
      const auto q = ReadQuantity(t, i);
      if (q && IsCountUnit(q->unit) && q->low == q->high && q->low >= 5) {
        units_in_container_ = q->low;
      }
    }
  }

  // ---- Conclusions ----

  void Warn(std::string code, int line, std::string message) {
    for (const auto& w : label_.warnings) {
      if (w.code == code && w.line == line && w.message == message) return;
    }
    label_.warnings.push_back({std::move(code), line, std::move(message)});
  }

  Result<Label> Finish() {
    if (!serving_set_) {
      // Directions can say what a dose is when the panel does not ("take 2 tablets daily").
      label_.serving.assumed = true;
      label_.serving.unit = "serving";
    }
    // Which salts: the panel's lines, else the ingredient list.
    if (label_.compounds.empty()) {
      for (const auto& id : list_compounds_) AddCompound(id);
      if (!label_.magnesium_lines.empty()) {
        for (auto& line : label_.magnesium_lines) {
          if (line.compound_ids.empty()) line.compound_ids = label_.compounds;
        }
      }
    }
    std::optional<double> per_serving;
    bool any_elemental = false, any_each = false, any_compound = false;
    double elemental_sum = 0, each_sum = 0, compound_sum = 0;
    for (size_t i = 0; i < label_.magnesium_lines.size(); ++i) {
      const MagnesiumLine& line = label_.magnesium_lines[i];
      if (!line.elemental_mg) continue;
      if (line.basis == AmountBasis::kCompoundMass && IsComputed(line)) {
        compound_sum += *line.elemental_mg;  // Used only when nothing states magnesium itself.
        any_compound = true;
      } else if (const auto each = each_quantity_.find(i); each != each_quantity_.end()) {
        each_sum += *line.elemental_mg * ServingsWorth(each->second);
        any_each = true;
      } else {
        elemental_sum += *line.elemental_mg;
        any_elemental = true;
      }
    }
    const bool magnesium_named =
        !label_.magnesium_lines.empty() || blend_has_magnesium_ || !list_compounds_.empty();
    if (any_elemental) {
      per_serving = elemental_sum;
    } else if (any_each) {
      per_serving = each_sum;
      // Drug Facts: "each 5 mL contains: magnesium 165 mg" next to the salt's mass; check that
      // the salt can hold what the label states.
      if (any_compound && each_sum > compound_sum * (1 + kSaltAgreement)) {
        Warn("elemental_exceeds_compound", 0,
             fmt::format("the label states {} mg of magnesium per serving, more than its active "
                         "ingredients hold ({} mg)",
                         FormatNumber(each_sum), FormatNumber(compound_sum, 1)));
      }
    } else if (any_compound && !unknown_salt_ && !blend_unknown_) {
      per_serving = compound_sum;
      for (const auto& c : compound_only_) {
        Warn("compound_mass_only", c.line,
             fmt::format("the label gives {} mg of {}, the salt's mass, and no elemental amount: "
                         "{} mg x {:.1f} % = {} mg of magnesium, computed from the formula. If "
                         "the label meant {} mg of magnesium itself it would say 'Magnesium (as "
                         "...) {} mg'",
                         FormatNumber(c.salt_mg), c.salt, FormatNumber(c.salt_mg), c.fraction * 100,
                         FormatNumber(c.elemental_mg, 1), FormatNumber(c.salt_mg),
                         FormatNumber(c.salt_mg)));
      }
    } else if (!magnesium_named) {
      per_serving = 0;
    }
    if (blend_has_magnesium_ || blend_unknown_) {
      if (per_serving && (any_elemental || any_each)) {
        Warn("proprietary_blend", blend_line_,
             fmt::format("a proprietary blend lists magnesium salts without saying how much "
                         "magnesium they hold; the {} mg stated elsewhere may not include it",
                         FormatNumber(*per_serving)));
      } else {
        per_serving.reset();
        Warn("proprietary_blend", blend_line_,
             "a proprietary blend lists magnesium salts without saying how much magnesium they "
             "hold: the elemental magnesium per serving cannot be known from this label");
      }
    }
    if ((unknown_salt_ || amount_missing_) && !any_elemental && !any_each) per_serving.reset();
    label_.elemental_mg_per_serving = per_serving;
    if (per_serving && !label_.serving.assumed && label_.serving.count > 0) {
      label_.elemental_mg_per_unit = *per_serving / label_.serving.count;
    }
    if (label_.serving.assumed && magnesium_named) {
      Warn("serving_size_missing", 0,
           "no serving size was found: amounts are per serving as printed, and the amount per "
           "pill or mL is unknown");
    }
    if (label_.compounds.size() > 1) {
      std::string names;
      for (size_t i = 0; i < label_.compounds.size(); ++i) {
        if (i > 0) names += i + 1 == label_.compounds.size() ? " and " : ", ";
        names += compounds_.FindById(label_.compounds[i])->name;
      }
      Warn("several_forms", 0,
           fmt::format("several magnesium forms: {}. The elemental amount is the total; "
                       "absorption and laxative effect differ between them",
                       names));
    }
    CheckPercent();
    if (!magnesium_named && label_.panel == PanelKind::kUnknown && !serving_set_ &&
        !label_.directions && !label_.price) {
      return InvalidArgument(fmt::format(
          "line {}: no Supplement Facts, Drug Facts or nutrition information found, and no "
          "magnesium amount: is this a product label?",
          lines_.front().number));
    }
    if (!magnesium_named) {
      Warn("no_magnesium", 0, "the label lists no magnesium");
    }
    if (!label_.servings_per_container && units_in_container_ && !label_.serving.assumed &&
        label_.serving.count > 0 && IsCountUnit(label_.serving.unit)) {
      label_.servings_per_container = *units_in_container_ / label_.serving.count;
    }
    if (label_.price && label_.servings_per_container && *label_.servings_per_container > 0) {
      label_.price_per_serving = label_.price->amount / *label_.servings_per_container;
    }
    return std::move(label_);
  }

  // How many servings an "each ..." quantity is: "each tablet" with a 2-tablet serving is 1/2...
  // the factor that turns an amount per that quantity into an amount per serving.
  double ServingsWorth(const Quantity& each) const {
    if (label_.serving.assumed || each.low <= 0) return 1;
    const ServingSize& s = label_.serving;
    if (each.unit == s.unit) return s.count / each.low;
    const auto ml = [](const std::string& unit, double n) -> std::optional<double> {
      if (unit == "mL") return n;
      if (unit == "teaspoon") return n * 5;
      if (unit == "tablespoon") return n * 15;
      if (unit == "fl oz") return n * 29.57;
      return std::nullopt;
    };
    const auto each_ml = ml(each.unit, each.low);
    const auto serving_ml = s.ml ? s.ml : ml(s.unit, s.count);
    if (each_ml && serving_ml && *each_ml > 0) return *serving_ml / *each_ml;
    if (IsCountUnit(each.unit) && IsCountUnit(s.unit)) return s.count / each.low;
    return 1;
  }

  bool IsComputed(const MagnesiumLine& line) const {
    return std::any_of(compound_only_.begin(), compound_only_.end(),
                       [&](const CompoundOnly& c) { return c.line == line.line; });
  }

  void CheckPercent() {
    const MagnesiumLine* line = nullptr;
    for (const auto& l : label_.magnesium_lines) {
      if (l.percent && l.elemental_mg && !IsComputed(l) && l.basis != AmountBasis::kBlend) {
        line = &l;
        break;
      }
    }
    if (line == nullptr) return;
    // Which references: those whose markers the label prints, else the panel's family.
    std::vector<const DailyValue*> candidates;
    for (const auto& dv : daily_values_) {
      for (const auto& m : dv.markers) {
        if (!m.empty() && Contains(all_words_, " " + m + " ")) {
          candidates.push_back(&dv);
          break;
        }
      }
    }
    std::string family = label_.panel == PanelKind::kNutritionInformation ? "eu" : "us";
    if (!candidates.empty()) family = candidates.front()->family;
    candidates.clear();
    for (const auto& dv : daily_values_) {
      if (dv.family == family) candidates.push_back(&dv);
    }
    if (candidates.empty()) return;
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const DailyValue* a, const DailyValue* b) { return a->current > b->current; });
    const double amount = *line->elemental_mg;
    const double stated = *line->percent;
    PercentCheck check;
    check.stated = stated;
    check.amount_mg = amount;
    check.line = line->line;
    for (const DailyValue* dv : candidates) {
      const double computed = amount / dv->magnesium_mg * 100;
      if (std::fabs(computed - stated) <= kPercentTolerance + 1e-9) {
        check.reference_id = dv->id;
        check.reference_mg = dv->magnesium_mg;
        check.matches = true;
        check.current = dv->current;
        break;
      }
    }
    const DailyValue* current = candidates.front();
    if (!check.matches) {
      check.reference_id = current->id;
      check.reference_mg = current->magnesium_mg;
      std::string others;
      for (const DailyValue* dv : candidates) {
        if (dv == current) continue;
        others +=
            fmt::format(", {} % of the {} mg {}", FormatNumber(amount / dv->magnesium_mg * 100),
                        FormatNumber(dv->magnesium_mg), dv->name);
      }
      Warn("percent_dv_mismatch", line->line,
           fmt::format("the label says {} % but {} mg is {} % of the {} mg {}{}: the amount or "
                       "the percentage is wrong",
                       FormatNumber(stated), FormatNumber(amount),
                       FormatNumber(amount / current->magnesium_mg * 100),
                       FormatNumber(current->magnesium_mg), current->name, others));
    } else if (!check.current) {
      Warn("percent_dv_older_reference", line->line,
           fmt::format(
               "the {} % is worked out against {} mg ({}); today's reference is {} mg "
               "({}), against which {} mg is {} %",
               FormatNumber(stated), FormatNumber(check.reference_mg),
               [&] {
                 for (const DailyValue* dv : candidates) {
                   if (dv->id == check.reference_id) return dv->name;
                 }
                 return std::string();
               }(),
               FormatNumber(current->magnesium_mg), current->name, FormatNumber(amount),
               FormatNumber(amount / current->magnesium_mg * 100)));
    }
    label_.percent_daily_value = check;
  }

  struct CompoundOnly {
    int line = 0;
    std::string salt;
    double salt_mg = 0;
    double elemental_mg = 0;
    double fraction = 0;
  };

  const chem::CompoundCatalog& compounds_;
  const std::vector<DailyValue>& daily_values_;
  std::vector<LabelLine> lines_;
  std::string all_words_;
  std::set<std::string> salt_words_;  // Words of compound names, built on first use.  // Every word
                                      // of the label, " a b c ", for marker matching.
  Label label_;
  bool serving_set_ = false;
  bool serving_from_line_ = false;
  size_t column_ = 0;
  bool in_blend_ = false;
  bool blend_has_magnesium_ = false;
  bool blend_unknown_ = false;
  int blend_line_ = 0;
  bool unknown_salt_ = false;
  bool amount_missing_ = false;
  std::vector<CompoundOnly> compound_only_;
  std::vector<std::string> list_compounds_;
  std::optional<double> units_in_container_;
  std::map<size_t, Quantity> each_quantity_;  // Magnesium line index → its "each ..." quantity.
};

}  // namespace

std::string_view ToString(PanelKind kind) {
  switch (kind) {
    case PanelKind::kSupplementFacts:
      return "supplement_facts";
    case PanelKind::kDrugFacts:
      return "drug_facts";
    case PanelKind::kNutritionFacts:
      return "nutrition_facts";
    case PanelKind::kNutritionInformation:
      return "nutrition_information";
    case PanelKind::kCanadianNpn:
      return "canadian_npn";
    case PanelKind::kUnknown:
      return "unknown";
  }
  return "?";
}

bool Label::HasWarning(std::string_view code) const {
  return std::any_of(warnings.begin(), warnings.end(),
                     [&](const LabelWarning& w) { return w.code == code; });
}

Result<Label> ReadLabel(std::string_view text, const chem::CompoundCatalog& compounds,
                        const std::vector<DailyValue>& daily_values) {
  return LabelReader(compounds, daily_values).Read(text);
}

}  // namespace mg::products

// Sealed allocation, the helper's sheet, unblinding and the blinding index.
#include "trial/blinding.h"

#include <fmt/format.h>

#include <map>

#include "core/crypto.h"
#include "core/numbers.h"
#include "core/utf8.h"

namespace mg::trial {
namespace {

using journal::FormatDate;

constexpr std::string_view kGuessPrefix = "guess: ";

// The key as typed: spaces and case do not matter ("k7qx m2tf ..." opens "K7QX-M2TF-...").
std::string NormaliseKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return out;
}

// Bang's index above this in an arm: guesses clearly better than chance there. |BI| <= 0.2 is
// the reading commonly taken as consistent with blinding (docs/STATISTICS.md).
constexpr double kBlindingHeld = 0.2;

}  // namespace

std::string CommitmentTo(char magnesium_container, std::string_view key) {
  return Sha256Hex(
      fmt::format("mgadvisor-allocation-v1:{}:{}", magnesium_container, NormaliseKey(key)));
}

SealedAllocation SealAllocation() {
  SealedAllocation a;
  a.magnesium_container = RandomBit() ? 'A' : 'B';
  a.key = RandomCode(4);
  return a;
}

std::vector<bool> ContainerAFirst(const Design& design) {
  std::vector<bool> out = design.magnesium_first;
  if (design.blinding && design.blinding->magnesium_container == 'B') out.flip();
  return out;
}

char ContainerOn(const Design& design, int day) {
  const std::vector<bool> a_first = ContainerAFirst(design);
  const int period = day / design.outcome.period_days;
  const size_t pair = static_cast<size_t>(period / 2);
  if (pair >= a_first.size()) return 0;
  const bool first_of_pair = period % 2 == 0;
  return a_first[pair] == first_of_pair ? 'A' : 'B';
}

std::string HelperSheet(const Design& design, const SealedAllocation& allocation) {
  const char placebo = allocation.magnesium_container == 'A' ? 'B' : 'A';
  if (design.two_dose()) {
    // Both containers hold magnesium, in two strengths: the helper makes them look the same.
    return fmt::format(
        "mgadvisor — blinded n-of-1 trial of two doses: sheet for the HELPER (do not show it to "
        "the person)\n"
        "\n"
        "Trial of two doses of magnesium for {outcome}, {start} to {end}. BOTH containers hold "
        "magnesium, in different strengths; no placebo.\n"
        "\n"
        "Container {hi}: PLAN DOSE (higher) — {dose} mg of elemental magnesium a day{form}.\n"
        "Container {lo}: LOWER DOSE — {lower} mg of elemental magnesium a day{form}.\n"
        "\n"
        "How to make it work:\n"
        "- Use two identical opaque containers; label them only \"A\" and \"B\".\n"
        "- Put each day's dose into the same number of identical opaque capsules (size 0 or 00 "
        "gelatin or HPMC capsules from a pharmacy) for both containers, making up the lower "
        "dose's capsules with a neutral filler (microcrystalline cellulose, or rice flour), so "
        "that a day from either container looks, weighs and tastes the same.\n"
        "- Keep this sheet where the person cannot see it until the trial is over.\n"
        "\n"
        "Unblinding key (the person enters it after the last day, to learn which container held "
        "the plan dose):\n"
        "    {key}\n"
        "\n"
        "The journal holds only a SHA-256 commitment to this allocation ({commitment}), so the key "
        "is the one way to open it; a wrong key is refused.\n",
        fmt::arg("outcome", design.outcome.name), fmt::arg("start", FormatDate(design.start)),
        fmt::arg("end", FormatDate(design.end())), fmt::arg("hi", allocation.magnesium_container),
        fmt::arg("lo", placebo), fmt::arg("dose", FormatNumber(design.dose_mg)),
        fmt::arg("lower", FormatNumber(*design.lower_dose_mg)),
        fmt::arg("form", design.form.empty() ? "" : " as " + design.form),
        fmt::arg("key", allocation.key),
        fmt::arg("commitment", design.blinding ? design.blinding->commitment : ""));
  }
  return fmt::format(
      "mgadvisor — blinded n-of-1 trial: sheet for the HELPER (do not show it to the person)\n"
      "\n"
      "Trial of magnesium for {outcome}, {start} to {end}.\n"
      "\n"
      "Container {mg}: MAGNESIUM — {dose} mg of elemental magnesium a day{form}.\n"
      "Container {pl}: PLACEBO — the same number of identical-looking capsules, with no "
      "magnesium.\n"
      "\n"
      "How to make it work:\n"
      "- Use two identical opaque containers; label them only \"A\" and \"B\".\n"
      "- Put each day's magnesium into opaque capsules (size 0 or 00 gelatin or HPMC capsules "
      "from a pharmacy) and fill the same kind of capsule with a neutral filler for the placebo "
      "(microcrystalline cellulose, or rice flour). The same number of capsules a day from each "
      "container. For a powder taken in a drink, use a drink strong enough to hide the taste "
      "and the same drink without the powder.\n"
      "- Loose stools on magnesium days can give it away; if the person guesses well, the "
      "report will say so.\n"
      "- Keep this sheet where the person cannot see it until the trial is over.\n"
      "\n"
      "Unblinding key (the person enters it after the last day, to learn which container held "
      "the magnesium):\n"
      "    {key}\n"
      "\n"
      "The journal holds only a SHA-256 commitment to this allocation ({commitment}), so the key "
      "is the one way to open it; a wrong key is refused.\n",
      fmt::arg("outcome", design.outcome.name), fmt::arg("start", FormatDate(design.start)),
      fmt::arg("end", FormatDate(design.end())), fmt::arg("mg", allocation.magnesium_container),
      fmt::arg("pl", placebo), fmt::arg("dose", FormatNumber(design.dose_mg)),
      fmt::arg("form", design.form.empty() ? "" : " as " + design.form),
      fmt::arg("key", allocation.key),
      fmt::arg("commitment", design.blinding ? design.blinding->commitment : ""));
}

Result<Design> Unblind(const Design& design, std::string_view key, Date today) {
  if (!design.blinding) {
    return Error{ErrorCode::kConflict, "the trial is not blinded; there is nothing to unblind"};
  }
  if (!design.sealed()) {
    return Error{ErrorCode::kConflict,
                 fmt::format("the trial was already unblinded on {}: container {} held magnesium",
                             design.blinding->unblinded ? FormatDate(*design.blinding->unblinded)
                                                        : std::string("an earlier day"),
                             design.blinding->magnesium_container)};
  }
  const bool over = today > design.end() || (design.ended && today >= *design.ended);
  if (!over) {
    return Error{ErrorCode::kConflict,
                 fmt::format("the trial runs until {}; unblinding now would end the blinding of "
                             "the days left. To stop early (a side effect, say), end the trial "
                             "first (`mgadvisor trial end --reason ...`), then unblind",
                             FormatDate(design.end()))};
  }
  char letter = 0;
  for (char candidate : {'A', 'B'}) {
    if (CommitmentTo(candidate, key) == design.blinding->commitment) letter = candidate;
  }
  if (letter == 0) {
    return InvalidArgument(fmt::format(
        "key: {} does not open this trial's allocation; type the key from the helper's sheet "
        "(four groups of four letters and digits)",
        QuoteForMessage(key)));
  }
  Design out = design;
  out.blinding->magnesium_container = letter;
  out.blinding->unblinded = today;
  // From now on magnesium_first means magnesium again (it meant "container A first").
  if (letter == 'B') out.magnesium_first.flip();
  return out;
}

const char* GuessName(Guess guess) {
  switch (guess) {
    case Guess::kMagnesium:
      return "magnesium";
    case Guess::kPlacebo:
      return "placebo";
    case Guess::kUnsure:
      return "unsure";
  }
  return "unsure";
}

const char* GuessName(Guess guess, bool two_dose) {
  if (!two_dose) return GuessName(guess);
  switch (guess) {
    case Guess::kMagnesium:
      return "higher";
    case Guess::kPlacebo:
      return "lower";
    case Guess::kUnsure:
      return "unsure";
  }
  return "unsure";
}

std::optional<Guess> ParseGuess(std::string_view text) {
  for (Guess g : {Guess::kMagnesium, Guess::kPlacebo, Guess::kUnsure}) {
    if (text == GuessName(g) || text == GuessName(g, true)) return g;
  }
  return std::nullopt;
}

std::string GuessWords(const Design& design) {
  return design.two_dose() ? "higher, lower or unsure" : "magnesium, placebo or unsure";
}

bool IsContainerDose(const journal::Entry& entry) {
  return entry.kind == journal::EntryKind::kDose && entry.label.rfind("trial container ", 0) == 0;
}

std::string ContainerDoseLabel(char container) {
  return fmt::format("trial container {}", container);
}

std::string GuessNote(Guess guess, bool two_dose) {
  return std::string(kGuessPrefix) + GuessName(guess, two_dose);
}

std::optional<Guess> GuessOf(const journal::Entry& entry) {
  if (entry.kind != journal::EntryKind::kDose) return std::nullopt;
  const std::string_view note = entry.note;
  if (note.substr(0, kGuessPrefix.size()) != kGuessPrefix) return std::nullopt;
  return ParseGuess(note.substr(kGuessPrefix.size()));
}

std::optional<double> ArmGuesses::BangIndex() const {
  if (total() == 0) return std::nullopt;
  return static_cast<double>(correct - incorrect) / total();
}

BlindingScore ScoreBlinding(const Design& design, const std::vector<journal::Entry>& entries,
                            int as_of) {
  BlindingScore s;
  const Layout layout = design.ToLayout();
  // One guess per day: the last one logged that day counts (a corrected guess replaces).
  std::map<int, Guess> by_day;
  for (const journal::Entry& e : entries) {
    const int day = (e.date - design.start).count();
    if (day < 0 || day >= layout.total_days() || day > as_of) continue;
    if (auto guess = GuessOf(e)) by_day[day] = *guess;
  }
  for (const auto& [day, guess] : by_day) {
    const bool magnesium = layout.OnMagnesium(day);
    ArmGuesses& arm = magnesium ? s.magnesium : s.placebo;
    if (guess == Guess::kUnsure) {
      ++arm.unsure;
    } else if ((guess == Guess::kMagnesium) == magnesium) {
      ++arm.correct;
    } else {
      ++arm.incorrect;
    }
  }
  const auto mg = s.magnesium.BangIndex(), pl = s.placebo.BangIndex();
  if (!mg && !pl) {
    s.meaning = "No guesses were logged, so how well blinding held is unknown.";
  } else if (design.two_dose()) {
    const bool both = mg && *mg > kBlindingHeld && pl && *pl > kBlindingHeld;
    const bool one = (mg && *mg > kBlindingHeld) || (pl && *pl > kBlindingHeld);
    s.meaning = both  ? "You told the higher dose from the lower one more often than chance in "
                        "both arms: blinding did not hold, so expectation may explain part of any "
                        "difference."
                : one ? "You recognised one dose more often than chance: blinding held only "
                        "partly, so read a difference with some caution."
                      : "Your guesses were no better than chance: blinding held, so expectation "
                        "is an unlikely explanation for a difference between the doses.";
  } else if ((mg && *mg > kBlindingHeld) && (pl && *pl > kBlindingHeld)) {
    s.meaning =
        "You told magnesium from placebo more often than chance in both arms: blinding did not "
        "hold, so expectation may explain part of any difference (loose stools or taste often "
        "give magnesium away).";
  } else if ((mg && *mg > kBlindingHeld) || (pl && *pl > kBlindingHeld)) {
    s.meaning =
        "You recognised one arm more often than chance: blinding held only partly, so read a "
        "benefit with some caution.";
  } else {
    s.meaning =
        "Your guesses were no better than chance: blinding held, so expectation is an unlikely "
        "explanation for a difference between the periods.";
  }
  return s;
}

}  // namespace mg::trial

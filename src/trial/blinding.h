// Blinded n-of-1 trials: two identical containers, A and B, filled by a helper.
//
// Expectation alone changes how cramps, restless legs, pain and sleep are rated, so an open
// self-experiment can find a "benefit" that is only hope. A blinded trial removes that: a
// helper puts the magnesium in one container and a look-alike placebo in the other, and the
// person takes from A or B as the calendar says. Which letter holds magnesium is decided by the
// operating system's random source (not the public seed) and written only on the helper's sheet,
// with a key; the journal stores a SHA-256 commitment to "letter + key", so neither the journal
// nor the API can reveal it, and at the end the key opens it (the letter whose commitment
// matches is the magnesium one; a wrong key is refused). Each logged container dose can carry
// the person's guess (magnesium / placebo / unsure); the report scores the guesses with Bang's
// blinding index per arm (Bang, Ni & Davis 2004) and says what it means for the result.
#ifndef MGADVISOR_TRIAL_BLINDING_H_
#define MGADVISOR_TRIAL_BLINDING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"
#include "trial/trial.h"

namespace mg::trial {

// What the helper needs and the person must not see.
struct SealedAllocation {
  char magnesium_container = 'A';  // 'A' or 'B'.
  std::string key;                 // The unblinding key, e.g. "K7QX-M2TF-9RWC-H3PD".
};

// A fresh random allocation, and the commitment to it that the design stores.
SealedAllocation SealAllocation();
std::string CommitmentTo(char magnesium_container, std::string_view key);

// One per pair: is the first period container A? (For an open design: the magnesium one.)
std::vector<bool> ContainerAFirst(const Design& design);
// "A" or "B": the container of day `day` (0-based) of a blinded design.
char ContainerOn(const Design& design, int day);

// The helper's sheet: what to put in which container (with the form and daily dose), what to
// use as placebo, how to keep it from the person, and the key. Plain text.
std::string HelperSheet(const Design& design, const SealedAllocation& allocation);

// Opens a blinded design with the helper's key on `today`: the magnesium container is known from
// then on and `magnesium_first` means magnesium again. Errors: kInvalidArgument naming "key"
// when it opens neither letter; kConflict when the design is open label or already unblinded,
// or when the trial is still running (end it first, `trial end`, to unblind early).
Result<Design> Unblind(const Design& design, std::string_view key, Date today);

// The guess a person logs with a container dose. A two-dose design's containers both hold
// magnesium: its guesses are "higher" (the plan's dose, kMagnesium) and "lower" (kPlacebo).
enum class Guess { kMagnesium, kPlacebo, kUnsure };
const char* GuessName(Guess guess);                 // "magnesium", "placebo", "unsure".
const char* GuessName(Guess guess, bool two_dose);  // Two-dose: "higher", "lower", "unsure".
// Either vocabulary ("magnesium"/"placebo" or "higher"/"lower", and "unsure").
std::optional<Guess> ParseGuess(std::string_view text);
// The words a design's guesses take: "magnesium, placebo or unsure" / "higher, lower or unsure".
std::string GuessWords(const Design& design);
// The label and note of a container dose entry: "trial container A", "guess: placebo".
std::string ContainerDoseLabel(char container);
std::string GuessNote(Guess guess, bool two_dose = false);
// Whether a dose entry is a container dose of a blinded trial ("trial container A|B"). In a
// blinded trial only these are the trial's dose: another dose logged that day (an earlier open
// trial's, a habit) neither marks today's trial dose as taken nor counts as adherence.
bool IsContainerDose(const journal::Entry& entry);
// The guess a dose entry carries (the note as GuessNote wrote it), if any.
std::optional<Guess> GuessOf(const journal::Entry& entry);

// Guesses on the days up to `as_of` (0-based) of an unblinded design.
BlindingScore ScoreBlinding(const Design& design, const std::vector<journal::Entry>& entries,
                            int as_of);

}  // namespace mg::trial

#endif  // MGADVISOR_TRIAL_BLINDING_H_

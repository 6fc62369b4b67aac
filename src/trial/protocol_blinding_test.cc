// The registered protocol (SPENT items, SHA-256, changes after the start) and blinded trials
// (sealed allocation, unblinding, guesses scored with Bang's index).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "trial/blinding.h"
#include "trial/protocol.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::Entry;
using journal::EntryKind;
using ::testing::HasSubstr;
using ::testing::Not;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }

Design PainDesign(uint64_t seed = 42, int period_days = 14, int washout_days = 4) {
  auto outcomes = LoadOutcomes();
  EXPECT_TRUE(outcomes.ok());
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.seed = seed;
  req.dose_mg = 300;
  req.form = "citrate";
  req.period_days = period_days;
  req.washout_days = washout_days;
  auto design = RandomiseDesign(req, *outcomes);
  EXPECT_TRUE(design.ok()) << design.error().message;
  return *design;
}

// A blinded design with a known allocation (what SealAllocation draws at random).
Design Blinded(char magnesium_container, const std::string& key, uint64_t seed = 42) {
  Design d = PainDesign(seed, 7, 2);
  d.blinding = Blinding{CommitmentTo(magnesium_container, key), 0, std::nullopt};
  d.protocol = RegisterProtocol(d);
  return d;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ProtocolTest, TheTextHoldsTheSpentItemsAndItsHashIsItsSha256) {
  const Design d = PainDesign();
  const RegisteredProtocol p = RegisterProtocol(d);
  EXPECT_EQ(p.sha256, Sha256Hex(p.text));
  EXPECT_EQ(p.sha256.size(), 64u);
  for (const char* item :
       {"## Administrative information", "## Question", "## Design", "## Interventions",
        "## Outcome", "## Allocation", "## Analysis", "## Stopping and safety",
        "300 mg of elemental magnesium a day as citrate", "3 pairs of periods",
        "Period length: 14 days", "the first 4 days of every period", "seed 42",
        "2026-11-02 to 2027-01-24 (84 days)", "Not blinded"}) {
    EXPECT_THAT(p.text, HasSubstr(item));
  }
  // The same design gives the same text (the hash can be recomputed by anyone).
  EXPECT_EQ(RegisterProtocol(PainDesign()).sha256, p.sha256);
  EXPECT_NE(RegisterProtocol(PainDesign(43)).sha256, p.sha256);
}

// Version 1's wording is part of every hash registered with it: a change shows up here and
// must come with a new version (see ProtocolText). MG_UPDATE_GOLDEN=1 rewrites the file.
TEST(ProtocolTest, VersionOneTextIsUnchanged) {
  const std::string path = std::string(MG_SOURCE_DIR) + "/src/trial/testdata/protocol-v1.md";
  const std::string text = ProtocolText(PainDesign());
  if (std::getenv("MG_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << text;
  EXPECT_EQ(text, Slurp(path));
}

// Version 2 (secondary outcomes registered at the start), pinned the same way.
TEST(ProtocolTest, VersionTwoTextIsUnchanged) {
  auto outcomes = LoadOutcomes();
  ASSERT_TRUE(outcomes.ok());
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.seed = 42;
  req.dose_mg = 300;
  req.form = "citrate";
  req.secondaries = {"sleep", "cramp_severity"};
  auto design = RandomiseDesign(req, *outcomes);
  ASSERT_TRUE(design.ok()) << design.error().message;
  const std::string path = std::string(MG_SOURCE_DIR) + "/src/trial/testdata/protocol-v2.md";
  const std::string text = ProtocolText(*design);
  if (std::getenv("MG_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << text;
  EXPECT_EQ(text, Slurp(path));
}

TEST(ProtocolTest, TheReportListsChangesAfterTheStartAndDeviations) {
  Design d = PainDesign();
  d.protocol = RegisterProtocol(d);
  ProtocolCheck unchanged = CheckProtocol(d);
  EXPECT_TRUE(unchanged.registered);
  EXPECT_TRUE(unchanged.intact);
  EXPECT_TRUE(unchanged.removed.empty());
  EXPECT_TRUE(unchanged.added.empty());
  EXPECT_TRUE(unchanged.deviations.empty());
  EXPECT_THAT(RenderProtocolCheck(unchanged), HasSubstr("Changes after the start: none."));

  // The stored design says 400 mg now: the dose lines differ from what was registered.
  Design changed = d;
  changed.dose_mg = 400;
  ProtocolCheck c = CheckProtocol(changed);
  ASSERT_FALSE(c.removed.empty());
  ASSERT_FALSE(c.added.empty());
  EXPECT_THAT(c.removed.front(), HasSubstr("300 mg"));
  EXPECT_THAT(c.added.front(), HasSubstr("400 mg"));
  EXPECT_THAT(RenderProtocolCheck(c), HasSubstr("Changes after the start (registered → now)"));

  // The stored text itself edited: it no longer has its hash.
  Design edited = d;
  edited.protocol->text += "extra\n";
  EXPECT_FALSE(CheckProtocol(edited).intact);
  EXPECT_THAT(RenderProtocolCheck(CheckProtocol(edited)), HasSubstr("WARNING"));

  auto ended = EndDesign(d, Day(2026, 11, 20), "moving house");
  ASSERT_TRUE(ended.ok());
  ProtocolCheck e = CheckProtocol(*ended);
  ASSERT_EQ(e.deviations.size(), 1u);
  EXPECT_EQ(e.deviations[0],
            "Ended early on 2026-11-20 (planned end 2027-01-24): \"moving house\".");
  EXPECT_TRUE(e.removed.empty());  // Ending is a deviation, not a change of the plan.

  Design old = PainDesign();  // Saved before protocols: said plainly.
  EXPECT_THAT(RenderProtocolCheck(CheckProtocol(old)), HasSubstr("none registered"));
}

TEST(ProtocolTest, StoredWithTheDesignAndReadBack) {
  Design d = Blinded('B', "K7QX-M2TF-9RWC-H3PD");
  auto outcomes = LoadOutcomes();
  auto back = DesignFromJson(DesignToJson(d), *outcomes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_TRUE(back->protocol.has_value());
  EXPECT_EQ(back->protocol->sha256, d.protocol->sha256);
  EXPECT_EQ(back->protocol->text, d.protocol->text);
  ASSERT_TRUE(back->blinding.has_value());
  EXPECT_EQ(back->blinding->commitment, d.blinding->commitment);
  EXPECT_TRUE(back->sealed());
  nlohmann::json bad = DesignToJson(d);
  bad["blinding"]["magnesium_container"] = "C";
  EXPECT_FALSE(DesignFromJson(bad, *outcomes).ok());
}

TEST(BlindingTest, NothingStoredOrShownRevealsTheSealedContainer) {
  for (char letter : {'A', 'B'}) {
    const Design d = Blinded(letter, "K7QX-M2TF-9RWC-H3PD");
    const std::string stored = DesignToJson(d).dump();
    EXPECT_THAT(stored, Not(HasSubstr("K7QX")));
    EXPECT_EQ(DesignToJson(d)["blinding"]["magnesium_container"], nullptr);
    EXPECT_THAT(RenderCalendar(d), Not(HasSubstr("MAGNESIUM")));
    EXPECT_THAT(RenderCalendar(d), HasSubstr("CONTAINER A"));
    for (const Period& p : Periods(d)) EXPECT_FALSE(p.magnesium);
    EXPECT_EQ(PeriodsToJson(Periods(d))[0]["magnesium"], nullptr);
    const TrialStatus s = GetTrialStatus(d, {}, Day(2026, 11, 3));
    EXPECT_TRUE(s.sealed);
    EXPECT_EQ(StatusToJson(s, Day(2026, 11, 3))["magnesium"], nullptr);
    EXPECT_THAT(s.todo.front().text, HasSubstr("from container"));
    // The sentence fits the page; only the CLI adds the command.
    EXPECT_THAT(s.todo.front().text, Not(HasSubstr("mgadvisor")));
    EXPECT_THAT(s.todo.front().command, HasSubstr("mgadvisor trial took --guess"));
    EXPECT_THAT(StatusToJson(s, Day(2026, 11, 3)).dump(), Not(HasSubstr("mgadvisor")));
  }
  // The two allocations of one seed store the same calendar: only the commitment differs.
  EXPECT_EQ(RenderCalendar(Blinded('A', "K")), RenderCalendar(Blinded('B', "K")));
}

TEST(BlindingTest, SealAllocationDrawsBothLettersAndFreshKeys) {
  int a = 0;
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) {
    const SealedAllocation s = SealAllocation();
    a += s.magnesium_container == 'A' ? 1 : 0;
    keys.insert(s.key);
  }
  EXPECT_GT(a, 20);  // Binomial(100, 0.5) below 21 or above 79: p < 1e-8.
  EXPECT_LT(a, 80);
  EXPECT_EQ(keys.size(), 100u);
}

TEST(BlindingTest, UnblindsOnlyAfterTheEndAndOnlyWithTheKey) {
  const Design d = Blinded('B', "K7QX-M2TF-9RWC-H3PD");
  const Date last = d.end();
  auto early = Unblind(d, "K7QX-M2TF-9RWC-H3PD", last);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_THAT(early.error().message, HasSubstr("end the trial first"));
  auto wrong = Unblind(d, "AAAA-BBBB-CCCC-DDDD", last + std::chrono::days{1});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(wrong.error().message, HasSubstr("key: \"AAAA-BBBB-CCCC-DDDD\" does not open"));
  // Typed in lower case with spaces, as people copy keys.
  auto opened = Unblind(d, "k7qx m2tf 9rwc h3pd", last + std::chrono::days{1});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->blinding->magnesium_container, 'B');
  EXPECT_FALSE(opened->sealed());
  // magnesium_first now means magnesium: the B periods are the magnesium ones.
  for (const Period& p : Periods(*opened)) EXPECT_EQ(p.magnesium, p.container == 'B');
  // The protocol (written by container) is unchanged by unblinding.
  EXPECT_TRUE(CheckProtocol(*opened).removed.empty());
  EXPECT_TRUE(CheckProtocol(*opened).added.empty());
  auto again = Unblind(*opened, "K7QX-M2TF-9RWC-H3PD", last + std::chrono::days{2});
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.error().message, HasSubstr("already unblinded"));
  // An ended trial can be unblinded (a side effect, say), from its end day on.
  auto ended = EndDesign(d, Day(2026, 11, 10), "rash");
  ASSERT_TRUE(ended.ok());
  EXPECT_TRUE(Unblind(*ended, "K7QX-M2TF-9RWC-H3PD", Day(2026, 11, 10)).ok());
  EXPECT_FALSE(Unblind(PainDesign(), "x", last + std::chrono::days{1}).ok());  // Open label.
}

// Every day of a blinded 6-week trial: a container dose with a guess, a rating that is 3 on
// magnesium and 6 on placebo.
std::vector<Entry> BlindedJournal(const Design& opened, bool guess_right) {
  std::vector<Entry> out;
  const Layout layout = opened.ToLayout();
  for (int day = 0; day < layout.total_days(); ++day) {
    const bool on = layout.OnMagnesium(day);
    Entry dose;
    dose.date = opened.start + std::chrono::days{day};
    dose.kind = EntryKind::kDose;
    dose.label = ContainerDoseLabel(ContainerOn(opened, day));
    dose.magnesium_mg = opened.dose_mg;
    dose.note = GuessNote(guess_right == on ? Guess::kMagnesium : Guess::kPlacebo);
    out.push_back(dose);
    Entry pain;
    pain.date = dose.date;
    pain.kind = EntryKind::kPain;
    pain.value = on ? 3 : 6;
    out.push_back(pain);
  }
  return out;
}

TEST(BlindingTest, TheSealedReportComparesNothingAndTheOpenedOneScoresTheGuesses) {
  const Design sealed = Blinded('A', "KEY1-KEY2-KEY3-KEY4");
  const Date after = sealed.end() + std::chrono::days{1};
  auto opened = Unblind(sealed, "KEY1-KEY2-KEY3-KEY4", after);
  ASSERT_TRUE(opened.ok());
  const std::vector<Entry> entries = BlindedJournal(*opened, /*guess_right=*/true);

  const Report before = BuildReport(sealed, entries, after, std::nullopt);
  EXPECT_FALSE(before.analysis.estimate.has_value());
  EXPECT_TRUE(before.analysis.periods.empty());
  EXPECT_EQ(before.analysis.verdict, Verdict::kNotEnoughData);
  EXPECT_THAT(before.conclusion, HasSubstr("unblind the trial with the key"));
  EXPECT_THAT(before.conclusion, Not(HasSubstr("mgadvisor")));
  EXPECT_EQ(before.conclusion_command, "mgadvisor trial unblind KEY");
  EXPECT_THAT(RenderReportText(before), HasSubstr("Next: mgadvisor trial unblind KEY"));
  EXPECT_EQ(before.adherence.magnesium_days_dosed, 42);
  EXPECT_TRUE(ReportToJson(before)["sealed"].get<bool>());
  EXPECT_THAT(TimelineSvg(before), Not(HasSubstr("<title>magnesium</title>")));

  const Report r = BuildReport(*opened, entries, after, std::nullopt);
  ASSERT_TRUE(r.analysis.estimate.has_value());
  EXPECT_DOUBLE_EQ(r.analysis.estimate->mean, 3.0);
  EXPECT_EQ(r.analysis.verdict, Verdict::kBenefit);
  ASSERT_TRUE(r.blinding.has_value());
  EXPECT_EQ(r.blinding->magnesium.correct, 21);
  EXPECT_EQ(r.blinding->placebo.correct, 21);
  EXPECT_DOUBLE_EQ(*r.blinding->magnesium.BangIndex(), 1.0);
  EXPECT_THAT(r.blinding->meaning, HasSubstr("blinding did not hold"));
  EXPECT_THAT(r.conclusion, HasSubstr("blinding did not hold"));
  EXPECT_EQ(r.adherence.magnesium_days_dosed, 21);
  EXPECT_EQ(r.adherence.off_days_dosed, 21);
  // Placebo days' container doses hold no magnesium once unblinded.
  for (const DayPoint& p : r.intake) EXPECT_TRUE(opened->ToLayout().OnMagnesium(p.day));
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Blinded: container A held magnesium"));
  EXPECT_THAT(text, HasSubstr("blinding index +1.00"));
  EXPECT_THAT(text, HasSubstr("21 of 21 placebo days"));
  EXPECT_EQ(ReportToJson(r)["blinding"]["magnesium"]["bang_index"], 1.0);

  // Guesses no better than chance: half right, half wrong in each arm.
  std::vector<Entry> coin = entries;
  int n = 0;
  for (Entry& e : coin) {
    if (!GuessOf(e)) continue;
    e.note = GuessNote(n++ % 2 == 0 ? Guess::kMagnesium : Guess::kPlacebo);
  }
  const BlindingScore chance = ScoreBlinding(*opened, coin, 41);
  EXPECT_NEAR(*chance.magnesium.BangIndex(), 0.0, 0.15);
  EXPECT_THAT(chance.meaning, HasSubstr("blinding held"));
  // Unsure everywhere: index 0, and no guesses at all: unknown.
  for (Entry& e : coin) {
    if (GuessOf(e)) e.note = GuessNote(Guess::kUnsure);
  }
  EXPECT_DOUBLE_EQ(*ScoreBlinding(*opened, coin, 41).placebo.BangIndex(), 0.0);
  for (Entry& e : coin) e.note.clear();
  EXPECT_THAT(ScoreBlinding(*opened, coin, 41).meaning, HasSubstr("unknown"));
}

// A count outcome's rate ratio would tell a sealed trial's periods apart as surely as the
// period means: it is withheld the same way until unblinding.
TEST(BlindingTest, TheSealedReportWithholdsTheCountModelToo) {
  Design sealed = Blinded('B', "KEY1-KEY2-KEY3-KEY4");
  sealed.outcome.counts = true;
  sealed.outcome.mid = 0.25;
  sealed.outcome.mid_relative = true;
  const Date after = sealed.end() + std::chrono::days{1};
  auto opened = Unblind(sealed, "KEY1-KEY2-KEY3-KEY4", after);
  ASSERT_TRUE(opened.ok());
  const std::vector<Entry> entries = BlindedJournal(*opened, /*guess_right=*/false);
  const Report before = BuildReport(sealed, entries, after, std::nullopt);
  EXPECT_FALSE(before.analysis.rates.has_value());
  EXPECT_TRUE(ReportToJson(before)["rates"].is_null());
  EXPECT_THAT(RenderReportText(before), Not(HasSubstr("As counts")));
  EXPECT_THAT(RenderReportText(before), Not(HasSubstr("Period means")));
  const Report r = BuildReport(*opened, entries, after, std::nullopt);
  ASSERT_TRUE(r.analysis.rates.has_value());
  EXPECT_LT(r.analysis.rates->ratio, 1);  // 3 on magnesium against 6 off it.
  EXPECT_THAT(RenderReportText(r), HasSubstr("As counts (secondary analysis"));
}

// A dose logged that day for another reason (an open trial ended this morning, a habit) is not
// the blinded trial's container dose: today's dose stays due (the page offers the container and
// the guess), and adherence counts container doses only. Found by the page's blinded walk run
// after an open trial that had logged a dose the same day.
TEST(BlindingTest, OnlyContainerDosesAreTheBlindedTrialsDose) {
  const Design d = Blinded('A', "KEY1-KEY2-KEY3-KEY4");
  Entry plain;
  plain.kind = EntryKind::kDose;
  plain.date = d.start;
  plain.label = "citrate";
  plain.magnesium_mg = 300;
  EXPECT_FALSE(GetTrialStatus(d, {plain}, d.start).dose_logged);
  Entry container = plain;
  container.label = ContainerDoseLabel(ContainerOn(d, 0));
  container.note = GuessNote(Guess::kPlacebo);
  EXPECT_TRUE(IsContainerDose(container));
  EXPECT_FALSE(IsContainerDose(plain));
  EXPECT_TRUE(GetTrialStatus(d, {plain, container}, d.start).dose_logged);
  const Date next = d.start + std::chrono::days{1};
  EXPECT_EQ(BuildReport(d, {plain}, next, std::nullopt).adherence.magnesium_days_dosed, 0);
  EXPECT_EQ(BuildReport(d, {plain, container}, next, std::nullopt).adherence.magnesium_days_dosed,
            1);
  // An open trial still counts any dose.
  const Design open = PainDesign();
  plain.date = open.start;
  EXPECT_TRUE(GetTrialStatus(open, {plain}, open.start).dose_logged);
}

TEST(BlindingTest, TheHelpersSheetSaysWhatGoesWhereAndTheKey) {
  Design d = Blinded('B', "K7QX-M2TF-9RWC-H3PD");
  const std::string sheet = HelperSheet(d, {'B', "K7QX-M2TF-9RWC-H3PD"});
  EXPECT_THAT(sheet, HasSubstr("Container B: MAGNESIUM — 300 mg of elemental magnesium a day as "
                               "citrate"));
  EXPECT_THAT(sheet, HasSubstr("Container A: PLACEBO"));
  EXPECT_THAT(sheet, HasSubstr("K7QX-M2TF-9RWC-H3PD"));
  EXPECT_THAT(sheet, HasSubstr("microcrystalline cellulose"));
  EXPECT_THAT(sheet, HasSubstr(d.blinding->commitment));
}

}  // namespace
}  // namespace mg::trial

#include "dri/dri.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

namespace mg::dri {
namespace {

using ::testing::HasSubstr;

constexpr std::optional<double> kNone = std::nullopt;

// Every row of both reference sets, typed in again from the sources (IOM 1997 chapter 6 tables;
// EFSA 2015; SCF 2001) rather than read from the data files, and probed at the first and last
// month of its age band.
struct Expected {
  Reference reference;
  Sex sex;
  ReproductiveState state;
  double from_years;
  double to_years;  // Exclusive.
  std::optional<double> intake;
  std::optional<double> ear;
  std::optional<double> ul;
  const char* life_stage;
};

const Sex M = Sex::kMale;
const Sex F = Sex::kFemale;
const ReproductiveState N = ReproductiveState::kNone;
const ReproductiveState P = ReproductiveState::kPregnant;
const ReproductiveState L = ReproductiveState::kLactating;
const Reference US = Reference::kUs;
const Reference EU = Reference::kEu;

const std::vector<Expected>& AllRows() {
  static const std::vector<Expected> kRows = {
      // US: infants (AI, no UL), children, then by sex.
      {US, M, N, 0, 0.5, 30, kNone, kNone, "infants_0_6_months"},
      {US, F, N, 0.5, 1, 75, kNone, kNone, "infants_7_12_months"},
      {US, M, N, 1, 4, 80, 65, 65, "children_1_3"},
      {US, F, N, 4, 9, 130, 110, 110, "children_4_8"},
      {US, M, N, 9, 14, 240, 200, 350, "male_9_13"},
      {US, M, N, 14, 19, 410, 340, 350, "male_14_18"},
      {US, M, N, 19, 31, 400, 330, 350, "male_19_30"},
      {US, M, N, 31, 51, 420, 350, 350, "male_31_50"},
      {US, M, N, 51, 120, 420, 350, 350, "male_51_plus"},
      {US, F, N, 9, 14, 240, 200, 350, "female_9_13"},
      {US, F, N, 14, 19, 360, 300, 350, "female_14_18"},
      {US, F, N, 19, 31, 310, 255, 350, "female_19_30"},
      {US, F, N, 31, 51, 320, 265, 350, "female_31_50"},
      {US, F, N, 51, 120, 320, 265, 350, "female_51_plus"},
      {US, F, P, 9, 19, 400, 335, 350, "pregnant_up_to_18"},
      {US, F, P, 19, 31, 350, 290, 350, "pregnant_19_30"},
      {US, F, P, 31, 51, 360, 300, 350, "pregnant_31_50"},
      {US, F, L, 9, 19, 360, 300, 350, "lactating_up_to_18"},
      {US, F, L, 19, 31, 310, 255, 350, "lactating_19_30"},
      {US, F, L, 31, 51, 320, 265, 350, "lactating_31_50"},
      // EU: EFSA AIs (no EAR), SCF ceiling 250 mg from age 4.
      {EU, F, N, 0, 0.5, kNone, kNone, kNone, "infants_0_6_months"},
      {EU, M, N, 0.5, 1, 80, kNone, kNone, "infants_7_11_months"},
      {EU, F, N, 1, 3, 170, kNone, kNone, "children_1_2"},
      {EU, M, N, 3, 4, 230, kNone, kNone, "children_3"},
      {EU, F, N, 4, 10, 230, kNone, 250, "children_4_9"},
      {EU, M, N, 10, 18, 300, kNone, 250, "male_10_17"},
      {EU, M, N, 18, 120, 350, kNone, 250, "male_adult"},
      {EU, F, N, 10, 18, 250, kNone, 250, "female_10_17"},
      {EU, F, N, 18, 120, 300, kNone, 250, "female_adult"},
      {EU, F, P, 9, 18, 250, kNone, 250, "pregnant_under_18"},
      {EU, F, P, 18, 51, 300, kNone, 250, "pregnant_adult"},
      {EU, F, L, 9, 18, 250, kNone, 250, "lactating_under_18"},
      {EU, F, L, 18, 51, 300, kNone, 250, "lactating_adult"},
  };
  return kRows;
}

class DriTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = ReferenceTables::LoadEmbedded();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    tables_ = std::make_unique<ReferenceTables>(std::move(loaded).value());
  }
  std::unique_ptr<ReferenceTables> tables_;
};

TEST_F(DriTest, EveryRowMatchesTheSourcesAtBothEndsOfItsBand) {
  for (const Expected& e : AllRows()) {
    for (double months : {e.from_years * 12, e.to_years * 12 - 0.01}) {
      SCOPED_TRACE(::testing::Message() << ReferenceId(e.reference) << " " << e.life_stage << " at "
                                        << months << " months");
      auto person = MakePerson(months, e.sex, e.state);
      ASSERT_TRUE(person.ok()) << person.error().message;
      auto values = tables_->Lookup(e.reference, *person);
      ASSERT_TRUE(values.ok()) << values.error().message;
      EXPECT_EQ(values->row->life_stage, e.life_stage);
      EXPECT_EQ(values->row->intake_mg, e.intake);
      EXPECT_EQ(values->row->ear_mg, e.ear);
      EXPECT_EQ(values->row->ul_supplemental_mg, e.ul);
    }
  }
}

TEST_F(DriTest, EveryDataRowIsCoveredByTheExpectedTable) {
  size_t expected_us = 0, expected_eu = 0;
  for (const Expected& e : AllRows()) (e.reference == US ? expected_us : expected_eu)++;
  EXPECT_EQ(tables_->set(US).rows.size(), expected_us);
  EXPECT_EQ(tables_->set(EU).rows.size(), expected_eu);
  EXPECT_FALSE(tables_->set(US).citations.empty());
  EXPECT_FALSE(tables_->set(EU).citations.empty());
}

TEST_F(DriTest, UnderNineBothSexesShareRows) {
  for (double months : {0.0, 3.0, 8.0, 30.0, 100.0}) {
    auto male = tables_->Lookup(US, *MakePerson(months, M, N));
    auto female = tables_->Lookup(US, *MakePerson(months, F, N));
    ASSERT_TRUE(male.ok() && female.ok());
    EXPECT_EQ(male->row, female->row);
  }
}

TEST_F(DriTest, NoRowForPregnancyBeyondTheTables) {
  auto result = tables_->Lookup(US, *MakePerson(52 * 12, F, P));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(result.error().message, HasSubstr("female, pregnant, aged 52 years"));
}

TEST(MakePerson, RejectsImpossibleCombinations) {
  EXPECT_THAT(MakePerson(30 * 12, M, P).error().message,
              HasSubstr("pregnant was given with sex male"));
  EXPECT_THAT(MakePerson(30 * 12, M, L).error().message,
              HasSubstr("lactating was given with sex male"));
  EXPECT_THAT(MakePerson(5 * 12, F, P).error().message, HasSubstr("not plausible"));
  EXPECT_THAT(MakePerson(-1, F, N).error().message, HasSubstr("not a possible human age"));
  EXPECT_THAT(MakePerson(130 * 12, F, N).error().message, HasSubstr("not a possible human age"));
  EXPECT_TRUE(MakePerson(0, F, N).ok());
}

TEST(ParseAgeMonths, YearsAndMonths) {
  EXPECT_EQ(*ParseAgeMonths("34"), 34 * 12);
  EXPECT_EQ(*ParseAgeMonths("2.5"), 30);
  EXPECT_EQ(*ParseAgeMonths("2.5y"), 30);
  EXPECT_EQ(*ParseAgeMonths("40 years"), 480);
  EXPECT_EQ(*ParseAgeMonths("8mo"), 8);
  EXPECT_EQ(*ParseAgeMonths("8 months"), 8);
  EXPECT_EQ(*ParseAgeMonths("8m"), 8);
  EXPECT_EQ(*ParseAgeMonths("0"), 0);
}

TEST(ParseAgeMonths, RejectsBadAges) {
  EXPECT_THAT(ParseAgeMonths("-3").error().message, HasSubstr("negative"));
  EXPECT_THAT(ParseAgeMonths("abc").error().message, HasSubstr("not a number"));
  EXPECT_THAT(ParseAgeMonths("").error().message, HasSubstr("not a number"));
  EXPECT_THAT(ParseAgeMonths("300").error().message, HasSubstr("not a possible human age"));
  EXPECT_THAT(ParseAgeMonths("3 weeks").error().message, HasSubstr("unknown unit"));
  EXPECT_THAT(ParseAgeMonths("nan").error().message, HasSubstr("not a number"));
}

TEST(ParseSexAndReference, AcceptKnownWordsOnly) {
  EXPECT_EQ(*ParseSex("Female"), F);
  EXPECT_EQ(*ParseSex("m"), M);
  EXPECT_FALSE(ParseSex("other").ok());
  EXPECT_EQ(*ParseReference("EU"), EU);
  EXPECT_FALSE(ParseReference("uk").ok());
}

TEST(ParseSet, ReportsBadRowsWithLines) {
  const std::string header =
      "[reference]\nid = \"us\"\nname = \"t\"\nintake_name = \"RDA\"\ncitations = [\"c\"]\n";
  const std::string row_a =
      "[[row]]\nlife_stage = \"a\"\nlabel = \"A\"\nsex = \"any\"\nstate = \"none\"\n"
      "from_months = 0\nto_months = 12\n";
  // Line 6 is the first [[row]]; the second starts at line 13.
  const std::string row_b =
      "[[row]]\nlife_stage = \"b\"\nlabel = \"B\"\nsex = \"female\"\nstate = \"none\"\n"
      "from_months = 6\nto_months = 24\n";
  const std::string overlapping = header + row_a + row_b;
  EXPECT_THAT(ReferenceTables::ParseSet(overlapping, "t.toml").error().message,
              HasSubstr("t.toml:13: row 'b' overlaps row 'a' (line 6)"));
  EXPECT_THAT(ReferenceTables::ParseSet(header + row_a + "colour = 1\n", "t.toml").error().message,
              HasSubstr("t.toml:13: unknown key 'colour'"));
  EXPECT_THAT(ReferenceTables::ParseSet(header + row_a + "ear_mg = -1\n", "t.toml").error().message,
              HasSubstr("t.toml:13: field 'ear_mg' of row 'a' is -1, must be above 0"));
  EXPECT_THAT(ReferenceTables::ParseSet(header + row_a + row_a, "t.toml").error().message,
              HasSubstr("t.toml:13: duplicate life_stage 'a'"));
}

}  // namespace
}  // namespace mg::dri

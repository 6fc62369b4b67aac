// `dri`: reference intakes and the supplemental upper level for one person.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/numbers.h"
#include "dri/dri.h"

namespace mg::cli {
namespace {

using nlohmann::json;

struct DriArgs {
  std::string age;
  std::string sex;
  bool pregnant = false;
  bool lactating = false;
};

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

Status ShowDri(const CliContext& ctx, const DriArgs& args) {
  auto reference = dri::ParseReference(ctx.reference);
  if (!reference.ok()) return InvalidArgument("--reference: " + reference.error().message);
  auto age = dri::ParseAgeMonths(args.age);
  if (!age.ok()) return InvalidArgument("--age: " + age.error().message);
  auto sex = dri::ParseSex(args.sex);
  if (!sex.ok()) return InvalidArgument("--sex: " + sex.error().message);
  if (args.pregnant && args.lactating) {
    return InvalidArgument("--pregnant and --lactating: give at most one");
  }
  const auto state = args.pregnant    ? dri::ReproductiveState::kPregnant
                     : args.lactating ? dri::ReproductiveState::kLactating
                                      : dri::ReproductiveState::kNone;
  auto person = dri::MakePerson(*age, *sex, state);
  if (!person.ok()) return person.error();
  auto tables = dri::ReferenceTables::LoadEmbedded();
  if (!tables.ok()) return tables.error();
  auto values = tables->Lookup(*reference, *person);
  if (!values.ok()) return values.error();
  const dri::Row& row = *values->row;
  const dri::ReferenceSet& set = *values->set;
  if (ctx.json) {
    json out = {
        {"reference", dri::ReferenceId(set.reference)},
        {"reference_name", set.name},
        {"life_stage", row.life_stage},
        {"label", row.label},
        {"rda_mg", OptionalNumber(row.intake_mg)},
        {"intake_kind", row.intake_mg ? json(row.intake_kind) : json(nullptr)},
        {"ear_mg", OptionalNumber(row.ear_mg)},
        {"ul_supplemental_mg", OptionalNumber(row.ul_supplemental_mg)},
        {"ul_applies_to", "magnesium from supplements and medicines only, not food or water"},
        {"note", row.note},
        {"citations", set.citations}};
    fmt::print("{}\n", out.dump(2));
    return {};
  }
  fmt::print("{} — {}\n", row.label, set.name);
  if (row.intake_mg) {
    fmt::print("  {:<38} {} mg/day (from all sources: food, water, supplements)\n",
               row.intake_kind == "AI" ? "Adequate Intake (AI):" : "Recommended (RDA):",
               FormatNumber(*row.intake_mg));
  } else {
    fmt::print("  {:<38} none set\n", "Recommended intake:");
  }
  if (row.ear_mg) {
    fmt::print("  {:<38} {} mg/day\n", "Average requirement (EAR):", FormatNumber(*row.ear_mg));
  }
  if (row.ul_supplemental_mg) {
    fmt::print("  {:<38} {} mg/day from supplements and medicines (food does not count)\n",
               "Upper limit, supplemental (UL):", FormatNumber(*row.ul_supplemental_mg));
  } else {
    fmt::print("  {:<38} not established: no supplement without a clinician\n",
               "Upper limit, supplemental (UL):");
  }
  if (!row.note.empty()) fmt::print("  Note: {}\n", row.note);
  fmt::print("Sources:\n");
  for (const auto& citation : set.citations) fmt::print("  - {}\n", citation);
  return {};
}

}  // namespace

void RegisterDriCommands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<DriArgs>();
  auto* cmd =
      app.add_subcommand("dri", "Reference intakes and the supplemental upper limit for a person");
  cmd->add_option("--age", args->age, "Age in years (34, 2.5) or months for infants (8mo)")
      ->required();
  cmd->add_option("--sex", args->sex, "male or female")->required();
  cmd->add_flag("--pregnant", args->pregnant, "Pregnant");
  cmd->add_flag("--lactating", args->lactating, "Breastfeeding");
  cmd->callback([&ctx, args] { RunCommand(ctx, [&] { return ShowDri(ctx, *args); }); });
}

}  // namespace mg::cli

// `dri`: reference intakes and the supplemental upper level for one person.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/numbers.h"
#include "dri/dri.h"
#include "ops/person.h"

namespace mg::cli {
namespace {

Status ShowDri(const CliContext& ctx, const PersonFlags& flags) {
  ops::Context context(ContextOptionsOf(ctx));
  auto looked_up = ops::LookUpPerson(context, PersonFieldsOf(ctx, flags));
  if (!looked_up.ok()) return PersonAsFlags(looked_up.error());
  const dri::Row& row = *looked_up->values.row;
  const dri::ReferenceSet& set = *looked_up->values.set;
  if (ctx.json) {
    fmt::print("{}\n", looked_up->ToJson().dump(2));
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
  auto flags = std::make_shared<PersonFlags>();
  auto* cmd =
      app.add_subcommand("dri", "Reference intakes and the supplemental upper limit for a person");
  AddPersonFlags(cmd, *flags, /*required=*/true);
  cmd->callback([&ctx, flags] { RunCommand(ctx, [&] { return ShowDri(ctx, *flags); }); });
}

}  // namespace mg::cli

#include "cli/flags.h"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <iterator>

#include "core/data_files.h"
#include "core/text.h"

namespace mg::cli {

void AddPersonFlags(CLI::App* cmd, PersonFlags& flags, bool required) {
  auto* age =
      cmd->add_option("--age", flags.age, "Age in years (34, 2.5) or months for infants (8mo)");
  auto* sex = cmd->add_option("--sex", flags.sex, "male or female");
  if (required) {
    age->required();
    sex->required();
  }
  cmd->add_flag("--pregnant", flags.pregnant, "Pregnant");
  cmd->add_flag("--lactating", flags.lactating, "Breastfeeding");
}

dri::PersonFields PersonFieldsOf(const CliContext& ctx, const PersonFlags& flags) {
  dri::PersonFields fields;
  if (!flags.age.empty()) fields.age = flags.age;
  if (!flags.sex.empty()) fields.sex = flags.sex;
  fields.pregnant = flags.pregnant;
  fields.lactating = flags.lactating;
  fields.reference = ctx.reference;
  return fields;
}

bool AnyPersonFlag(const PersonFlags& flags) {
  return !flags.age.empty() || !flags.sex.empty() || flags.pregnant || flags.lactating;
}

ops::ContextOptions ContextOptionsOf(const CliContext& ctx,
                                     const std::optional<std::string>& foods_store) {
  return {.kb_dir = ctx.kb_dir, .foods_store = foods_store, .prewrite_plan_json = false};
}

Error AsFlags(Error error, std::initializer_list<FieldFlag> names) {
  for (const auto& [field, flag] : names) {
    const std::string prefix = std::string(field) + ": ";
    if (error.message.starts_with(prefix)) {
      error.message = std::string(flag) + ": " + error.message.substr(prefix.size());
      break;
    }
  }
  return error;
}

Error PersonAsFlags(Error error) {
  return AsFlags(std::move(error), {{"age", "--age"},
                                    {"sex", "--sex"},
                                    {"pregnant", "--pregnant"},
                                    {"lactating", "--lactating"},
                                    {"reference", "--reference"}});
}

Result<std::string> ReadFileOrStdin(const std::string& path, std::string_view what) {
  if (path != "-") return ReadFile(path);
  std::string text(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
  if (std::cin.bad()) return IoError(fmt::format("cannot read {} from standard input", what));
  return text;
}

Status Confirm(const std::string& question) {
  std::fprintf(stderr, "%s [y/N] ", question.c_str());
  std::fflush(stderr);
  char answer[16] = {};
  if (std::fgets(answer, sizeof answer, stdin) == nullptr) {
    std::fprintf(stderr, "\n");
    return InvalidArgument(
        "not confirmed (no answer on standard input); pass --yes to skip asking");
  }
  const std::string text = NormalizeName(answer);
  if (text == "y" || text == "yes") return {};
  return InvalidArgument("not confirmed; nothing was changed");
}

}  // namespace mg::cli

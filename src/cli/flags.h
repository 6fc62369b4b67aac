// What several commands share: the --age/--sex/--pregnant/--lactating flags, the operations'
// context for the global --kb flag, and the renaming of an operation's field names ("age: ...",
// as the HTTP API spells them) to the flags a person typed ("--age: ...").
#ifndef MGADVISOR_CLI_FLAGS_H_
#define MGADVISOR_CLI_FLAGS_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "cli/commands.h"
#include "dri/dri.h"
#include "ops/context.h"

namespace mg::cli {

struct PersonFlags {
  std::string age;
  std::string sex;
  bool pregnant = false;
  bool lactating = false;
};

// Adds the four flags to `cmd`; age and sex are required when `required`.
void AddPersonFlags(CLI::App* cmd, PersonFlags& flags, bool required);
// The person the flags and --reference describe, for ops::LookUpPerson.
dri::PersonFields PersonFieldsOf(const CliContext& ctx, const PersonFlags& flags);
bool AnyPersonFlag(const PersonFlags& flags);

// The operations' loaded data for this command (--kb, and a food store when given).
ops::ContextOptions ContextOptionsOf(const CliContext& ctx,
                                     const std::optional<std::string>& foods_store = std::nullopt);

// The text of a file named on the command line, or of standard input for "-" (`what` names it
// in the read error: "the label"). Errors: ReadFile's, or kIoError for standard input.
Result<std::string> ReadFileOrStdin(const std::string& path, std::string_view what);

// Asks `question` on standard error and reads the answer from standard input (a terminal, or a
// pipe: `echo y |`). Anything but y/yes, or no answer at all, refuses (kInvalidArgument saying
// nothing was changed, or to pass --yes): nothing destructive happens by default.
Status Confirm(const std::string& question);

// An operation's error with a leading "<field>:" renamed to its flag, e.g. {"age", "--age"}:
// "age: age '-3' is negative" becomes "--age: age '-3' is negative".
using FieldFlag = std::pair<std::string_view, std::string_view>;
Error AsFlags(Error error, std::initializer_list<FieldFlag> names);
// The person's fields as flags: age, sex, pregnant, lactating, reference.
Error PersonAsFlags(Error error);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_FLAGS_H_

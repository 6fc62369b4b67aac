// Profiles: what a person tells mgadvisor, from a JSON or TOML file or from command-line flags,
// checked and resolved against the knowledge base. Every error names the field (and, for TOML,
// the line) and the problem; unknown condition, diagnosis and red-flag names are listed back with
// close matches. Medicines resolve through the medicines catalogue (products/catalogue.h):
// brands, abbreviations and combinations ("Dyazide" → triamterene + hydrochlorothiazide) become
// one entry per interaction class; one that contains magnesium (an antacid, a laxative) is also
// counted into the magnesium already taken (products/magnesium_count.h: its amount, or the
// label's usual dose with the assumption shown, or an error asking for the amount). A name the
// catalogue does not know is kept and reported in the plan (it cannot be checked for
// interactions) unless it is close to a known name, which is an error: a misspelt interacting
// medicine must not slip through. Amounts are elemental magnesium unless marked as the salt's
// mass ("400 mg compound") or given in units of a catalogued product ("2 tablets", "30 mL").
//
// The document shape (JSON shown; TOML is the same tree):
//   {"age": 67 | "8mo", "sex": "female", "pregnant": false, "lactating": false,
//    "reference": "us",
//    "complaints": ["leg cramps", {"condition": "RLS", "severity": 6 | "moderate"}],
//    "kidney": {"egfr": 55, "ckd_stage": 3},
//    "diagnoses": ["IBS-D"],
//    "medicines": ["alendronate", {"name": "levothyroxine", "times": ["07:00"]},
//                  {"name": "milk of magnesia", "amount": "15 mL", "times": ["22:00"]}],
//    "magnesium_taken": [{"kind": "antacid", "compound": "milk of magnesia", "amount": "2 tbsp",
//                         "times_per_day": 2} | {"kind": "supplement", "elemental": "100mg"}
//                        | {"compound": "magnesium oxide", "amount": "400 mg compound"}],
//    "diet": {"magnesium_mg_per_day": 250} | {"food_frequency": {"nuts_seeds": 1, ...}},
//    "food_exclusions": ["vegan", "nut allergy"],
//    "red_flags": ["dvt_signs"],
//    "ferritin_ug_l": 40, "iron_deficiency": true, "gestation_weeks": 24,
//    "preferences": {"route": "any|oral|topical|food_only", "sensitive_stomach": true,
//                    "max_pills_per_day": 2}}
#ifndef MGADVISOR_PLAN_PROFILE_H_
#define MGADVISOR_PLAN_PROFILE_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "plan/plan.h"

namespace mg::plan {

// A profile document before resolution, with where each field came from.
struct ProfileDocument {
  nlohmann::json tree;
  std::string source_name;                  // File name, or "command line".
  std::map<std::string, int> line_of_path;  // "complaints[1].severity" → line (TOML only).
};

// Reads a .json or .toml file (by extension; otherwise sniffed). Errors: kNotFound, kIoError,
// kInvalidArgument for a syntax error (with line).
Result<ProfileDocument> ReadProfileFile(const std::string& path);
// Parses text; `name` ending in ".toml" selects TOML, otherwise JSON.
Result<ProfileDocument> ParseProfileText(const std::string& text, const std::string& name);

// Checks and resolves a document. Errors (kInvalidArgument): every problem found, one per line,
// each naming where, the field and the problem.
Result<Profile> ResolveProfile(const ProfileDocument& document, const PlanContext& context);

// Every top-level field a profile may have, in the order the documentation lists them.
const std::vector<std::string_view>& ProfileFields();

// "07:00", "7", "19:30", "7:5"... → hours from midnight. nullopt when malformed.
std::optional<double> ParseClockTime(std::string_view text);

}  // namespace mg::plan

#endif  // MGADVISOR_PLAN_PROFILE_H_

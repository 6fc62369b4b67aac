#include "ops/diary_import.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/numbers.h"
#include "foods/intake.h"
#include "journal/export.h"
#include "ops/foods.h"
#include "ops/journal.h"

namespace mg::ops {
namespace {

using journal::Entry;
using journal::EntryKind;
using nlohmann::json;

// What makes two entries "the same row": day, kind, label and magnesium to 0.1 mg.
using RowKey = std::tuple<journal::Date, EntryKind, std::string, long long>;
RowKey KeyOf(const Entry& e) {
  return {e.date, e.kind, e.label, e.magnesium_mg ? std::llround(*e.magnesium_mg * 10) : -1};
}

Entry EntryFor(const foods::ResolvedEntry& r, const std::string& source, journal::Date date) {
  const foods::DiaryEntry& d = r.entry;
  Entry e;
  e.date = date;
  e.magnesium_mg = r.magnesium_mg;
  const std::string amount =
      d.unit.empty() ? FormatNumber(d.amount, 2) : FormatNumber(d.amount, 2) + " " + d.unit;
  if (d.kind == foods::EntryKind::kSupplement) {
    e.kind = EntryKind::kSupplement;
    e.label = fmt::format("{} — {}", d.text, amount);
    e.note = fmt::format("imported from {} ({}){}", source, d.where,
                         r.reading.empty() ? "" : "; read as " + r.reading);
  } else {
    e.kind = EntryKind::kFood;
    e.label = r.food != nullptr && r.grams > 0
                  ? fmt::format("{} — {} ({} g)", r.food->name, amount, FormatNumber(r.grams))
                  : fmt::format("{} — {}", d.text, amount);
    e.note = fmt::format("imported from {} ({}); {}", source, d.where,
                         r.food != nullptr && r.food->name != d.text
                             ? fmt::format("written \"{}\", matched by {}", d.text, r.match)
                             : "matched by " + r.match);
  }
  return e;
}

// The days on which the journal, with the new rows added, holds more supplemental magnesium than
// the person's upper limit, for the days a new supplement row falls on: the same sum and limit
// as LogEntry's warning for one logged dose. `existing` is the whole journal before the import.
std::vector<std::string> DaysOverTheLimit(const Context& context, journal::Store& store,
                                          const std::vector<Entry>& existing,
                                          const std::vector<ImportedRow>& rows) {
  std::map<journal::Date, std::vector<std::string>> new_supplements;  // Day -> rows (file:line).
  for (const ImportedRow& row : rows) {
    if (row.duplicate || row.entry.kind != EntryKind::kSupplement) continue;
    if (row.entry.magnesium_mg) new_supplements[row.entry.date].push_back(row.where);
  }
  if (new_supplements.empty()) return {};
  // The import is recorded whatever the profile says; a profile that no longer resolves only
  // means the limit is unknown here.
  auto targets = StoredTargets(context, store);
  if (!targets.ok() || !targets->has_value() || !(*targets)->supplemental_ul_mg) return {};
  const double ul = *(*targets)->supplemental_ul_mg;
  std::vector<Entry> days;
  for (const Entry& e : existing) {
    if (new_supplements.count(e.date) > 0) days.push_back(e);
  }
  for (const ImportedRow& row : rows) {
    if (!row.duplicate && new_supplements.count(row.entry.date) > 0) days.push_back(row.entry);
  }
  std::vector<std::string> warnings;
  for (const auto& [date, where] : new_supplements) {
    const journal::DayMagnesium total = journal::DailyMagnesium(days, date, date).front();
    if (total.supplement_mg <= ul) continue;
    std::string lines;
    for (const std::string& w : where) lines += (lines.empty() ? "" : ", ") + w;
    warnings.push_back(fmt::format(
        "{}: with this diary's supplements ({}) your supplemental magnesium that day comes to "
        "{} mg, above the upper limit of {} mg a day for you ({}). Above it, diarrhoea and "
        "cramps become likely, and much more is dangerous, above all with weak kidneys. If the "
        "amount is right, ask a clinician or pharmacist about it; if the row was misread, "
        "correct the entry with `mgadvisor journal edit`.",
        journal::FormatDate(date), lines, FormatNumber(total.supplement_mg), FormatNumber(ul),
        (*targets)->label));
  }
  return warnings;
}

}  // namespace

json DiaryImportResult::ToJson() const {
  json rows_json = json::array();
  size_t skipped = 0;
  for (const ImportedRow& row : rows) {
    skipped += row.duplicate ? 1 : 0;
    rows_json.push_back({{"where", row.where},
                         {"written", row.written},
                         {"match", row.match},
                         {"duplicate", row.duplicate},
                         {"entry", journal::EntryToJson(row.entry)}});
  }
  return {{"format", format}, {"added", added},       {"skipped", skipped},
          {"saved", saved},   {"warnings", warnings}, {"rows", rows_json}};
}

Result<DiaryImportResult> ImportDiary(const Context& context, journal::Store& store,
                                      const DiaryImport& request, journal::Date today) {
  auto diary = foods::ParseDiary(request.text, request.name);
  if (!diary.ok()) return diary.error();
  // No targets: only the reading of each row is wanted, the same reading `intake` makes.
  auto analysis = ReadDiary(context, *diary, foods::IntakeTargets{});
  if (!analysis.ok()) return analysis.error();

  DiaryImportResult out;
  out.format = diary->format;
  std::optional<journal::Date> first, last;
  for (const foods::DayAnalysis& day : analysis->days) {
    for (const foods::ResolvedEntry& r : day.entries) {
      const auto date = journal::ParseDate(r.entry.date);
      if (!date) {
        return InvalidArgument(fmt::format("{}: field 'date': '{}' is not a YYYY-MM-DD date",
                                           r.entry.where, r.entry.date));
      }
      if (*date > today) {
        return InvalidArgument(fmt::format("{}: field 'date': {} is in the future (today is {})",
                                           r.entry.where, r.entry.date,
                                           journal::FormatDate(today)));
      }
      first = first ? std::min(*first, *date) : *date;
      last = last ? std::max(*last, *date) : *date;
      out.rows.push_back(
          {r.entry.where, r.entry.text, r.match, EntryFor(r, request.name, *date), false});
    }
  }
  if (out.rows.empty()) return out;

  // One read of the journal: its rows in the diary's days (an earlier import of the same days
  // is skipped, and a row repeated within this diary beyond the number of times the journal
  // already has it is not), and its highest id — Store::Import keeps ids, so the new rows are
  // numbered after it, and adds them all in one transaction (all or nothing), validating each.
  auto existing = store.List({});
  if (!existing.ok()) return existing.error();
  std::multiset<RowKey> have;
  int64_t next = 1;
  for (const Entry& e : *existing) {
    next = std::max(next, e.id + 1);
    if (e.date >= *first && e.date <= *last) have.insert(KeyOf(e));
  }
  for (ImportedRow& row : out.rows) {
    const auto it = have.find(KeyOf(row.entry));
    if (it != have.end()) {
      row.duplicate = true;
      have.erase(it);
    }
  }
  journal::Snapshot snapshot;
  for (ImportedRow& row : out.rows) {
    if (row.duplicate) continue;
    Status valid = journal::ValidateEntry(row.entry, today);
    if (!valid.ok()) {
      return InvalidArgument(fmt::format("{}: {}", row.where, valid.error().message));
    }
    row.entry.id = request.dry_run ? 0 : next++;
    snapshot.entries.push_back(row.entry);
  }
  out.added = snapshot.entries.size();
  out.warnings = DaysOverTheLimit(context, store, *existing, out.rows);
  if (request.dry_run || snapshot.entries.empty()) return out;
  std::stable_sort(snapshot.entries.begin(), snapshot.entries.end(),
                   [](const Entry& a, const Entry& b) { return a.date < b.date; });
  MG_RETURN_IF_ERROR(store.Import(snapshot));
  out.saved = true;
  return out;
}

}  // namespace mg::ops

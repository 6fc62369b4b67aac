#include "journal/journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include "core/numbers.h"
#include "core/utf8.h"

namespace mg::journal {
namespace {

constexpr Date kEarliestDate = std::chrono::year{1900} / 1 / 1;

struct KindInfo {
  EntryKind kind;
  const char* name;
};
constexpr std::array<KindInfo, 12> kKinds = {{
    {EntryKind::kFood, "food"},
    {EntryKind::kSupplement, "supplement"},
    {EntryKind::kDose, "dose"},
    {EntryKind::kIrls, "irls"},
    {EntryKind::kCramps, "cramps"},
    {EntryKind::kPain, "pain"},
    {EntryKind::kSleep, "sleep"},
    {EntryKind::kNote, "note"},
    {EntryKind::kSideEffect, "side-effect"},
    {EntryKind::kSleepMinutes, "sleep-minutes"},
    {EntryKind::kMigraine, "migraine"},
    {EntryKind::kStress, "stress"},
}};

// Shows a number as the user would have typed it; "nan" and "inf" for the non-finite.
std::string Show(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

Status CheckRange(std::string_view field, const std::optional<double>& value, double lo, double hi,
                  bool integer) {
  if (!value) return {};
  double v = *value;
  if (!std::isfinite(v))
    return InvalidArgument(fmt::format("{}: {} is not a finite number", field, Show(v)));
  if (v < lo || v > hi) {
    return InvalidArgument(
        fmt::format("{}: {} is out of range {}-{}", field, Show(v), Show(lo), Show(hi)));
  }
  if (integer && v != std::floor(v)) {
    return InvalidArgument(fmt::format("{}: {} is not a whole number", field, Show(v)));
  }
  return {};
}

Status Require(std::string_view field, const std::optional<double>& value, EntryKind kind) {
  if (value) return {};
  return InvalidArgument(fmt::format("{}: required for a {} entry", field, EntryKindName(kind)));
}

Status Forbid(std::string_view field, bool present, EntryKind kind) {
  if (!present) return {};
  return InvalidArgument(fmt::format("{}: not used by a {} entry", field, EntryKindName(kind)));
}

}  // namespace

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdd:
      return "add";
    case ChangeKind::kEdit:
      return "edit";
    case ChangeKind::kDelete:
      return "delete";
  }
  return "add";
}

std::optional<ChangeKind> ParseChangeKind(std::string_view name) {
  for (ChangeKind kind : {ChangeKind::kAdd, ChangeKind::kEdit, ChangeKind::kDelete}) {
    if (name == ChangeKindName(kind)) return kind;
  }
  return std::nullopt;
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> std::optional<int> {
    int out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      out = out * 10 + (text[i] - '0');
    }
    return out;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y},
                                  std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string FormatDate(Date date) {
  std::chrono::year_month_day ymd{date};
  const int year = static_cast<int>(ymd.year());
  const auto month = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
  if (year < 0 || year > 9999) return fmt::format("{:04}-{:02}-{:02}", year, month, day);
  // The digits by hand: an export or `journal show` of a five-year journal formats ~12,000 dates,
  // and fmt's format-string path cost ~1,900 instructions each (a tenth of the export; issue 20).
  std::string out = "0000-00-00";
  const auto digit = [](unsigned v) { return static_cast<char>('0' + v); };
  const auto y = static_cast<unsigned>(year);
  out[0] = digit(y / 1000);
  out[1] = digit(y / 100 % 10);
  out[2] = digit(y / 10 % 10);
  out[3] = digit(y % 10);
  out[5] = digit(month / 10);
  out[6] = digit(month % 10);
  out[8] = digit(day / 10);
  out[9] = digit(day % 10);
  return out;
}

Date SystemClock::Today() const {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

const char* EntryKindName(EntryKind kind) {
  for (const auto& info : kKinds) {
    if (info.kind == kind) return info.name;
  }
  return "unknown";
}

std::optional<EntryKind> ParseEntryKind(std::string_view name) {
  for (const auto& info : kKinds) {
    if (name == info.name) return info.kind;
  }
  return std::nullopt;
}

const std::vector<EntryKind>& AllEntryKinds() {
  static const std::vector<EntryKind> kAll = [] {
    std::vector<EntryKind> all;
    for (const auto& info : kKinds) all.push_back(info.kind);
    return all;
  }();
  return kAll;
}

bool IsSymptom(EntryKind kind) {
  return kind == EntryKind::kIrls || kind == EntryKind::kCramps || kind == EntryKind::kPain ||
         kind == EntryKind::kSleep || kind == EntryKind::kSleepMinutes ||
         kind == EntryKind::kMigraine || kind == EntryKind::kStress;
}

const std::vector<MeasureSpec>& MeasuresOf(EntryKind kind) {
  // A night's cramps rarely last more than minutes each; a whole day (1440) bounds typing errors.
  static const std::vector<MeasureSpec> kCramps = {
      {"minutes", "total minutes of cramps in the night", 0, 1440, false, "min"},
      {"sleep_disturbance", "how much the cramps disturbed sleep, 0 not at all - 10 completely", 0,
       10, true, "{score}"},
  };
  static const std::vector<MeasureSpec> kSleep = {
      {"minutes_to_sleep", "minutes it took to fall asleep", 0, 1440, false, "min"},
      {"awakenings", "number of times woken in the night", 0, 100, true, "{count}"},
  };
  // An attack that lasts more than 72 hours is status migrainosus (ICHD-3); a week bounds typing
  // errors without refusing one that really lasted that long.
  static const std::vector<MeasureSpec> kMigraine = {
      {"start_minute", "when the attack started, minutes after midnight (06:30 is 390)", 0, 1439,
       true, "min"},
      {"duration_minutes", "how long the attack lasted, in minutes (past midnight included)", 1,
       7 * 1440, true, "min"},
  };
  static const std::vector<MeasureSpec> kNone;
  if (kind == EntryKind::kCramps) return kCramps;
  if (kind == EntryKind::kSleep) return kSleep;
  if (kind == EntryKind::kMigraine) return kMigraine;
  return kNone;
}

const MeasureSpec* FindMeasure(EntryKind kind, std::string_view name) {
  for (const MeasureSpec& m : MeasuresOf(kind)) {
    if (name == m.name) return &m;
  }
  return nullptr;
}

std::string FormatMeasures(const std::map<std::string, double>& measures) {
  std::string out;
  for (const auto& [name, value] : measures) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, value);
  }
  return out;
}

Result<std::map<std::string, double>> ParseMeasures(std::string_view text) {
  std::map<std::string, double> out;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const std::string_view token = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (token.empty()) continue;
    const size_t eq = token.find('=');
    const std::string_view name = token.substr(0, eq);
    const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    });
    const auto value =
        eq == std::string_view::npos ? std::nullopt : ParseFiniteNumber(token.substr(eq + 1));
    if (!name_ok || !value) {
      return InvalidArgument(fmt::format(
          "measures: '{}' is not NAME=NUMBER (e.g. minutes=5 sleep_disturbance=4)", token));
    }
    if (!out.emplace(std::string(name), *value).second) {
      return InvalidArgument(fmt::format("measures: '{}' is given twice", name));
    }
  }
  return out;
}

Status ValidateEntry(const Entry& entry, Date today) {
  if (entry.date < kEarliestDate) {
    return InvalidArgument(fmt::format("date: {} is before 1900-01-01", FormatDate(entry.date)));
  }
  if (entry.date > today) {
    return InvalidArgument(fmt::format("date: {} is in the future (today is {})",
                                       FormatDate(entry.date), FormatDate(today)));
  }
  // Defence in depth behind the input boundary (core/utf8.h): whatever the caller, a store never
  // writes text that is not UTF-8, which would make every later export or listing fail.
  MG_RETURN_IF_ERROR(CheckUtf8(entry.label, "label"));
  MG_RETURN_IF_ERROR(CheckUtf8(entry.note, "note"));
  const EntryKind kind = entry.kind;
  const bool intake = kind == EntryKind::kFood || kind == EntryKind::kSupplement;
  // A single dose above 5 g elemental is a typo, not a dose (the UL is 350 mg).
  MG_RETURN_IF_ERROR(CheckRange("magnesium_mg", entry.magnesium_mg, 0, 5000, false));
  if (kind == EntryKind::kDose) {
    MG_RETURN_IF_ERROR(Require("magnesium_mg", entry.magnesium_mg, kind));
  } else if (!intake) {
    MG_RETURN_IF_ERROR(Forbid("magnesium_mg", entry.magnesium_mg.has_value(), kind));
  }
  if ((intake || kind == EntryKind::kDose || kind == EntryKind::kSideEffect) &&
      entry.label.empty()) {
    return InvalidArgument(fmt::format("label: required for a {} entry", EntryKindName(kind)));
  }
  if (kind == EntryKind::kNote && entry.note.empty()) {
    return InvalidArgument("note: a note entry needs text");
  }
  MG_RETURN_IF_ERROR(
      Forbid("intensity", entry.intensity.has_value() && kind != EntryKind::kCramps, kind));
  MG_RETURN_IF_ERROR(
      Forbid("irls items", !entry.irls_items.empty() && kind != EntryKind::kIrls, kind));
  for (const auto& [name, value] : entry.measures) {
    const MeasureSpec* spec = FindMeasure(kind, name);
    if (spec == nullptr) {
      std::string known;
      for (const MeasureSpec& m : MeasuresOf(kind))
        known += fmt::format("{}{}", known.empty() ? "" : ", ", m.name);
      return InvalidArgument(fmt::format("{}: not used by a {} entry{}", name, EntryKindName(kind),
                                         known.empty() ? "" : " (it takes " + known + ")"));
    }
    MG_RETURN_IF_ERROR(CheckRange(name, value, spec->min, spec->max, spec->integer));
  }
  if (!IsSymptom(kind)) {
    MG_RETURN_IF_ERROR(Forbid("value", entry.value.has_value(), kind));
    return {};
  }
  MG_RETURN_IF_ERROR(Require("value", entry.value, kind));
  switch (kind) {
    case EntryKind::kIrls: {
      MG_RETURN_IF_ERROR(CheckRange("irls total", entry.value, 0, 40, true));
      if (entry.irls_items.empty()) return {};
      if (entry.irls_items.size() != kIrlsItemCount) {
        return InvalidArgument(fmt::format("irls items: {} scores given, the scale has {}",
                                           entry.irls_items.size(), kIrlsItemCount));
      }
      int total = 0;
      for (size_t i = 0; i < entry.irls_items.size(); ++i) {
        int score = entry.irls_items[i];
        if (score < 0 || score > 4) {
          return InvalidArgument(fmt::format("irls item {}: {} is out of range 0-4", i + 1, score));
        }
        total += score;
      }
      if (total != *entry.value) {
        return InvalidArgument(fmt::format("irls total: {} does not match the item scores (sum {})",
                                           Show(*entry.value), total));
      }
      return {};
    }
    case EntryKind::kCramps:
      MG_RETURN_IF_ERROR(CheckRange("cramps", entry.value, 0, 100, true));
      return CheckRange("intensity", entry.intensity, 0, 10, true);
    case EntryKind::kPain:
      return CheckRange("pain", entry.value, 0, 10, true);
    case EntryKind::kSleep:
      return CheckRange("sleep", entry.value, 0, 10, true);
    case EntryKind::kSleepMinutes:  // A night cannot hold more than a day.
      return CheckRange("sleep-minutes", entry.value, 0, 1440, true);
    case EntryKind::kMigraine:
      MG_RETURN_IF_ERROR(CheckRange("migraine", entry.value, 0, 10, true));
      // Severity 0 is "no migraine that day": a start, a duration or a medicine would contradict
      // it, and a migraine-days count must not read such a day either way.
      if (*entry.value == 0) {
        if (!entry.measures.empty()) {
          return InvalidArgument(fmt::format(
              "{}: not used on a day without migraine (severity 0); give the attack's severity "
              "(1-10)",
              entry.measures.begin()->first));
        }
        if (!entry.label.empty()) {
          return InvalidArgument(
              "label: a day without migraine (severity 0) has no acute medicine; give the "
              "attack's severity (1-10), or put it in the note");
        }
      }
      return {};
    case EntryKind::kStress:
      return CheckRange("stress", entry.value, 0, 10, true);
    default:
      return {};
  }
}

std::vector<DayMagnesium> DailyMagnesium(const std::vector<Entry>& entries, Date from, Date to) {
  std::vector<DayMagnesium> days;
  for (Date d = from; d <= to; d += std::chrono::days{1}) days.push_back({d});
  for (const Entry& e : entries) {
    if (e.date < from || e.date > to || !e.magnesium_mg) continue;
    DayMagnesium& day = days[static_cast<size_t>((e.date - from).count())];
    if (e.kind == EntryKind::kFood) day.food_mg += *e.magnesium_mg;
    if (e.kind == EntryKind::kSupplement || e.kind == EntryKind::kDose) {
      day.supplement_mg += *e.magnesium_mg;
    }
  }
  return days;
}

Result<Store::Page> Store::ListPage(const DateRange& range, std::optional<EntryKind> kind,
                                    std::optional<size_t> limit, size_t offset) {
  auto entries = List(range);
  if (!entries.ok()) return entries.error();
  // Filtered and cut in place: a five-year journal is ~12,000 entries, and copying them into
  // new vectors cost a sixth of `journal show`, most of it in first-touch page faults.
  std::vector<Entry>& all = *entries;
  if (kind) std::erase_if(all, [&](const Entry& e) { return e.kind != *kind; });
  Page page{{}, all.size()};
  // Back in time from the newest: [first, last) of the oldest-first list.
  const size_t last = all.size() - std::min(offset, all.size());
  const size_t first = limit ? last - std::min(*limit, last) : 0;
  all.erase(all.begin() + static_cast<ptrdiff_t>(last), all.end());
  all.erase(all.begin(), all.begin() + static_cast<ptrdiff_t>(first));
  page.entries = std::move(all);
  return page;
}

Result<std::string> DefaultJournalPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/mgadvisor/journal.db";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return std::string(home) + "/.local/share/mgadvisor/journal.db";
  }
  return IoError("journal: neither XDG_DATA_HOME nor HOME is set; pass --db PATH");
}

}  // namespace mg::journal

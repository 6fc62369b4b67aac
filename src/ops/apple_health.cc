#include "ops/apple_health.h"

#include <expat.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <utility>

#include "core/numbers.h"
#include "core/utf8.h"
#include "journal/export.h"

namespace mg::ops {
namespace {

using journal::Date;
using journal::Entry;
using journal::EntryKind;
using nlohmann::json;

constexpr std::string_view kMagnesiumType = "HKQuantityTypeIdentifierDietaryMagnesium";
constexpr std::string_view kSleepType = "HKCategoryTypeIdentifierSleepAnalysis";
constexpr size_t kChunkBytes = 64 * 1024;
constexpr int64_t kDaySeconds = 24 * 60 * 60;
// A sleep that ends from 18:00 on one day to 17:59 on the next belongs to the night ending on
// that next morning: a segment ending before midnight is still part of the coming night.
constexpr int64_t kNightShiftSeconds = 6 * 60 * 60;
// A night's intervals are merged once this many are waiting, so a night costs a few intervals
// of memory however many records (devices, stages) describe it.
constexpr size_t kMergeEvery = 64;

// HKCategoryValueSleepAnalysis (Apple's HealthKit documentation): which values are sleep.
struct SleepValue {
  std::string_view name;
  bool asleep;
};
constexpr std::array<SleepValue, 7> kSleepValues = {{
    {"HKCategoryValueSleepAnalysisInBed", false},
    {"HKCategoryValueSleepAnalysisAwake", false},
    {"HKCategoryValueSleepAnalysisAsleep", true},  // Before iOS 16; the same as Unspecified.
    {"HKCategoryValueSleepAnalysisAsleepUnspecified", true},
    {"HKCategoryValueSleepAnalysisAsleepCore", true},
    {"HKCategoryValueSleepAnalysisAsleepDeep", true},
    {"HKCategoryValueSleepAnalysisAsleepREM", true},
}};

// A time as Apple writes it, "2024-01-15 06:30:00 -0800": seconds since 1970 in UTC, and the
// same on the record's own local clock.
struct Instant {
  int64_t utc = 0;
  int64_t local = 0;
};

std::optional<int> Digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<Instant> ParseInstant(std::string_view text) {
  // 0123456789012345678901234
  // 2024-01-15 06:30:00 -0800
  if (text.size() != 25 || text[10] != ' ' || text[13] != ':' || text[16] != ':' ||
      text[19] != ' ' || (text[20] != '+' && text[20] != '-')) {
    return std::nullopt;
  }
  const auto date = journal::ParseDate(text.substr(0, 10));
  const auto h = Digits(text, 11, 2), m = Digits(text, 14, 2), s = Digits(text, 17, 2);
  const auto oh = Digits(text, 21, 2), om = Digits(text, 23, 2);
  if (!date || !h || !m || !s || !oh || !om || *h > 23 || *m > 59 || *s > 60 || *oh > 14 ||
      *om > 59) {
    return std::nullopt;
  }
  const int64_t offset = (text[20] == '-' ? -1 : 1) * (int64_t{*oh} * 3600 + int64_t{*om} * 60);
  Instant out;
  out.local = int64_t{date->time_since_epoch().count()} * kDaySeconds + int64_t{*h} * 3600 +
              int64_t{*m} * 60 + *s;
  out.utc = out.local - offset;
  return out;
}

Date DayOf(int64_t local_seconds) {
  const int64_t days = local_seconds >= 0 ? local_seconds / kDaySeconds
                                          : -((-local_seconds + kDaySeconds - 1) / kDaySeconds);
  return Date{std::chrono::days{days}};
}

// Sorts and merges overlapping or touching intervals in place.
void Merge(std::vector<std::pair<int64_t, int64_t>>& intervals) {
  std::sort(intervals.begin(), intervals.end());
  size_t out = 0;
  for (const auto& interval : intervals) {
    if (out > 0 && interval.first <= intervals[out - 1].second) {
      intervals[out - 1].second = std::max(intervals[out - 1].second, interval.second);
    } else {
      intervals[out++] = interval;
    }
  }
  intervals.resize(out);
}

struct NightIntervals {
  std::vector<std::pair<int64_t, int64_t>> asleep;  // UTC seconds [start, end).
  std::set<std::string> sources;
  int records = 0;
};

struct ExpatFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

// One pass over the document: expat calls back for each element; everything but the two record
// types returns at the first attribute comparison.
class Reader {
 public:
  explicit Reader(std::string_view name) : name_(name) {}

  Result<AppleHealthData> Read(std::istream& in) {
    std::unique_ptr<XML_ParserStruct, ExpatFree> parser(XML_ParserCreate(nullptr));
    if (!parser) return IoError(fmt::format("{}: cannot start the XML reader", name_));
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &Reader::OnStart, &Reader::OnEnd);
    XML_SetEntityDeclHandler(parser_, &Reader::OnEntityDecl);
    bool last = false;
    while (!last) {
      void* buffer = XML_GetBuffer(parser_, static_cast<int>(kChunkBytes));
      if (buffer == nullptr) return IoError(fmt::format("{}: out of memory reading XML", name_));
      in.read(static_cast<char*>(buffer), static_cast<std::streamsize>(kChunkBytes));
      if (in.bad()) return IoError(fmt::format("{}: cannot read the file", name_));
      const std::streamsize got = in.gcount();
      last = got == 0 || in.eof();
      if (XML_ParseBuffer(parser_, static_cast<int>(got), last ? XML_TRUE : XML_FALSE) !=
          XML_STATUS_OK) {
        if (error_) return *error_;
        return InvalidArgument(fmt::format(
            "{}:{}:{}: not well-formed XML: {}", name_, XML_GetCurrentLineNumber(parser_),
            XML_GetCurrentColumnNumber(parser_) + 1, XML_ErrorString(XML_GetErrorCode(parser_))));
      }
    }
    if (!saw_root_) return InvalidArgument(fmt::format("{}: no <HealthData> element", name_));
    return Finish();
  }

 private:
  static void XMLCALL OnStart(void* self, const XML_Char* element, const XML_Char** attributes) {
    static_cast<Reader*>(self)->Start(element, attributes);
  }
  static void XMLCALL OnEnd(void* self, const XML_Char*) { --static_cast<Reader*>(self)->depth_; }
  static void XMLCALL OnEntityDecl(void* self, const XML_Char* entity, int, const XML_Char*, int,
                                   const XML_Char*, const XML_Char*, const XML_Char*,
                                   const XML_Char*) {
    static_cast<Reader*>(self)->Fail(fmt::format(
        "entity declaration {}: an Apple Health export declares none, and they are not read",
        QuoteForMessage(entity)));
  }

  void Fail(std::string message) {
    if (error_) return;
    error_ = InvalidArgument(fmt::format("{}:{}:{}: {}", name_, XML_GetCurrentLineNumber(parser_),
                                         XML_GetCurrentColumnNumber(parser_) + 1, message));
    XML_StopParser(parser_, XML_FALSE);
  }

  void Start(std::string_view element, const XML_Char** attributes) {
    const int depth = depth_++;
    if (error_) return;
    if (depth == 0) {
      if (element != "HealthData") {
        Fail(fmt::format("the root element is {}, not <HealthData>: not an Apple Health export",
                         Quoted(element)));
      }
      saw_root_ = true;
      return;
    }
    if (depth != 1 || element != "Record") return;
    ++data_.records;
    std::string_view type, unit, value, source, start, end;
    for (const XML_Char** a = attributes; *a != nullptr; a += 2) {
      const std::string_view key = a[0];
      if (key == "type") type = a[1];
      if (key == "unit") unit = a[1];
      if (key == "value") value = a[1];
      if (key == "sourceName") source = a[1];
      if (key == "startDate") start = a[1];
      if (key == "endDate") end = a[1];
    }
    if (type == kMagnesiumType) {
      ReadMagnesium(unit, value, source, start);
    } else if (type == kSleepType) {
      ReadSleep(value, source, start, end);
    }
  }

  static std::string Quoted(std::string_view text) { return QuoteForMessage(text); }

  std::optional<Instant> Time(std::string_view field, std::string_view text) {
    auto instant = ParseInstant(text);
    if (!instant) {
      Fail(fmt::format("{}: {} is not a time as \"YYYY-MM-DD HH:MM:SS +HHMM\"", field,
                       Quoted(text)));
    }
    return instant;
  }

  void ReadMagnesium(std::string_view unit, std::string_view value, std::string_view source,
                     std::string_view start) {
    ++data_.magnesium_records;
    double per_unit = 0;
    if (unit == "mg") {
      per_unit = 1;
    } else if (unit == "g") {
      per_unit = 1000;
    } else if (unit == "mcg" || unit == "µg") {
      per_unit = 0.001;
    } else {
      return Fail(
          fmt::format("dietary magnesium: unit {} is not a mass (mg, g or mcg)", Quoted(unit)));
    }
    const auto amount = ParseFiniteNumber(value);
    if (!amount || *amount < 0) {
      return Fail(fmt::format("dietary magnesium: value {} is not a number >= 0", Quoted(value)));
    }
    const auto when = Time("startDate", start);
    if (!when) return;
    auto& day = magnesium_[{DayOf(when->local), std::string(source)}];
    day.first += *amount * per_unit;
    day.second += 1;
  }

  void ReadSleep(std::string_view value, std::string_view source, std::string_view start,
                 std::string_view end) {
    ++data_.sleep_records;
    const auto known = std::find_if(kSleepValues.begin(), kSleepValues.end(),
                                    [&](const SleepValue& v) { return v.name == value; });
    if (known == kSleepValues.end()) {
      return Fail(fmt::format(
          "sleep analysis: value {} is not one of HKCategoryValueSleepAnalysis's (InBed, Awake, "
          "Asleep, AsleepUnspecified, AsleepCore, AsleepDeep, AsleepREM)",
          Quoted(value)));
    }
    const auto from = Time("startDate", start);
    if (!from) return;
    const auto to = Time("endDate", end);
    if (!to) return;
    if (to->utc < from->utc) {
      return Fail(fmt::format("sleep analysis: endDate {} is before startDate {}", Quoted(end),
                              Quoted(start)));
    }
    if (!known->asleep) return;  // In bed or awake: not sleep.
    NightIntervals& night = nights_[DayOf(to->local + kNightShiftSeconds)];
    night.asleep.emplace_back(from->utc, to->utc);
    night.sources.insert(std::string(source));
    night.records += 1;
    if (night.asleep.size() >= kMergeEvery) Merge(night.asleep);
  }

  Result<AppleHealthData> Finish() {
    for (auto& [key, total] : magnesium_) {
      data_.magnesium.push_back({key.first, key.second, total.first, total.second});
    }
    for (auto& [date, night] : nights_) {
      Merge(night.asleep);
      int64_t seconds = 0;
      for (const auto& [from, to] : night.asleep) seconds += to - from;
      const int64_t minutes = (seconds + 30) / 60;
      if (minutes > 24 * 60) {
        return InvalidArgument(fmt::format(
            "{}: the night ending on {}: {} minutes asleep is more than a day; its {} sleep "
            "records do not describe one night",
            name_, journal::FormatDate(date), minutes, night.records));
      }
      data_.nights.push_back(
          {date, static_cast<int>(minutes), night.records,
           std::vector<std::string>(night.sources.begin(), night.sources.end())});
    }
    return std::move(data_);
  }

  std::string name_;
  XML_Parser parser_ = nullptr;
  std::optional<Error> error_;
  int depth_ = 0;
  bool saw_root_ = false;
  AppleHealthData data_;
  std::map<std::pair<Date, std::string>, std::pair<double, int>> magnesium_;  // mg, records.
  std::map<Date, NightIntervals> nights_;
};

std::string MagnesiumLabel(const std::string& source) {
  return fmt::format("Dietary magnesium (Apple Health: {})", source);
}
constexpr std::string_view kSleepLabel = "Apple Health";

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The entries the export gives, in date order.
std::vector<Entry> EntriesOf(const AppleHealthData& data, std::string_view name) {
  std::vector<Entry> out;
  for (const auto& day : data.magnesium) {
    Entry e;
    e.date = day.date;
    e.kind = EntryKind::kFood;
    e.label = MagnesiumLabel(day.source);
    // Tenths of a milligram, as the diary import compares them: sums of many records stay stable.
    e.magnesium_mg = std::round(day.mg * 10) / 10;
    e.note = fmt::format("imported from {}: {} dietary magnesium record{}", name, day.records,
                         day.records == 1 ? "" : "s");
    out.push_back(std::move(e));
  }
  for (const auto& night : data.nights) {
    Entry e;
    e.date = night.date;
    e.kind = EntryKind::kSleepMinutes;
    e.label = std::string(kSleepLabel);
    e.value = night.minutes;
    e.note = fmt::format("imported from {}: {} asleep record{} from {}, overlaps counted once",
                         name, night.records, night.records == 1 ? "" : "s", Joined(night.sources));
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Entry& a, const Entry& b) { return a.date < b.date; });
  return out;
}

std::optional<double> Measure(const Entry& e) {
  return e.kind == EntryKind::kFood ? e.magnesium_mg : e.value;
}

}  // namespace

const char* AppleHealthRowStatusName(AppleHealthRow::Status status) {
  switch (status) {
    case AppleHealthRow::Status::kAdded:
      return "added";
    case AppleHealthRow::Status::kAlready:
      return "already";
    case AppleHealthRow::Status::kDiffers:
      return "differs";
    case AppleHealthRow::Status::kFuture:
      return "future";
  }
  return "added";
}

Result<AppleHealthData> ReadAppleHealth(std::istream& in, std::string_view name) {
  return Reader(name).Read(in);
}

json AppleHealthImportResult::ToJson() const {
  json rows_json = json::array();
  size_t skipped = 0;
  for (const AppleHealthRow& row : rows) {
    skipped += row.status == AppleHealthRow::Status::kAdded ? 0 : 1;
    json r = {{"status", AppleHealthRowStatusName(row.status)},
              {"entry", journal::EntryToJson(row.entry)}};
    if (row.in_journal) r["in_journal"] = journal::EntryToJson(*row.in_journal);
    rows_json.push_back(std::move(r));
  }
  return {{"format", "apple-health"},
          {"records", read.records},
          {"magnesium_records", read.magnesium_records},
          {"sleep_records", read.sleep_records},
          {"added", added},
          {"skipped", skipped},
          {"saved", saved},
          {"warnings", warnings},
          {"rows", std::move(rows_json)}};
}

Result<AppleHealthImportResult> ImportAppleHealth(journal::Store& store, std::istream& in,
                                                  std::string_view name, journal::Date today) {
  auto data = ReadAppleHealth(in, name);
  if (!data.ok()) return data.error();
  AppleHealthImportResult out;
  std::vector<Entry> entries = EntriesOf(*data, name);
  out.read = std::move(*data);
  out.read.magnesium.clear();
  out.read.nights.clear();
  if (entries.empty()) return out;

  // What the journal already holds under the same identity (day, kind, label): an earlier
  // import of this export or of an older one. Store::Import keeps ids, so the new entries are
  // numbered after the journal's highest and added in one transaction, each validated.
  auto existing = store.List({});
  if (!existing.ok()) return existing.error();
  std::map<std::tuple<Date, EntryKind, std::string>, Entry> have;
  int64_t next = 1;
  for (const Entry& e : *existing) {
    next = std::max(next, e.id + 1);
    have.emplace(std::tuple{e.date, e.kind, e.label}, e);
  }
  journal::Snapshot snapshot;
  for (Entry& e : entries) {
    AppleHealthRow row{std::move(e), AppleHealthRow::Status::kAdded, std::nullopt};
    const Entry& entry = row.entry;
    const std::string what =
        fmt::format("{} {}", journal::FormatDate(entry.date),
                    entry.kind == EntryKind::kFood ? entry.label : "minutes asleep (Apple Health)");
    if (entry.date > today) {
      row.status = AppleHealthRow::Status::kFuture;
      out.warnings.push_back(
          fmt::format("{}: after today ({}) on this computer's UTC clock: not "
                      "imported; import the export again tomorrow",
                      what, journal::FormatDate(today)));
    } else if (auto it = have.find({entry.date, entry.kind, entry.label}); it != have.end()) {
      row.in_journal = it->second;
      const auto was = Measure(it->second), now = Measure(entry);
      if (was && now && std::abs(*was - *now) < 0.05) {
        row.status = AppleHealthRow::Status::kAlready;
      } else {
        row.status = AppleHealthRow::Status::kDiffers;
        out.warnings.push_back(fmt::format(
            "{}: the journal has {} (entry {}), this export {}: the journal's is kept. To take "
            "the export's, delete it (`mgadvisor journal delete {}`) and import again.",
            what, was ? FormatNumber(*was) : "no value", it->second.id,
            now ? FormatNumber(*now) : "no value", it->second.id));
      }
    } else {
      Status valid = journal::ValidateEntry(entry, today);
      if (!valid.ok()) {
        return InvalidArgument(fmt::format("{}: {}: {}", name, what, valid.error().message));
      }
      Entry stored = entry;
      stored.id = next++;
      row.entry.id = stored.id;
      snapshot.entries.push_back(std::move(stored));
    }
    out.rows.push_back(std::move(row));
  }
  out.added = snapshot.entries.size();
  if (snapshot.entries.empty()) return out;
  MG_RETURN_IF_ERROR(store.Import(snapshot));
  out.saved = true;
  return out;
}

}  // namespace mg::ops

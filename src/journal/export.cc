#include "journal/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/json_input.h"
#include "core/json_writer.h"
#include "core/numbers.h"
#include "core/utf8.h"

namespace mg::journal {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 9> kCsvColumns = {
    "id", "date", "kind", "label", "magnesium_mg", "value", "intensity", "irls_items", "note"};

// Formats a value for "<field>: <value> is not ..." messages: short, never a whole dump.
std::string Show(const json& value) { return JsonExcerpt(value); }

Result<Entry> EntryFromObject(const json& j, std::string_view where) {
  auto bad = [&](std::string_view what) {
    return InvalidArgument(fmt::format("{}: {}", where, what));
  };
  if (!j.is_object()) {
    return bad(fmt::format("an entry must be an object, got {}", DescribeJson(j)));
  }
  MG_RETURN_IF_ERROR(RejectUnknownFields(j,
                                         {"id", "date", "kind", "label", "magnesium_mg", "value",
                                          "intensity", "irls_items", "note", "measures"},
                                         where));
  Entry e;
  for (const auto& [key, value] : j.items()) {
    if (key == "id") {
      // An unsigned value above INT64_MAX would wrap to a negative id.
      const bool valid = value.is_number_unsigned()
                             ? value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)
                             : value.is_number_integer() && value.get<int64_t>() >= 0;
      if (!valid) {
        return bad(
            fmt::format("id: {} is not an entry id (a whole number, 0 or more)", Show(value)));
      }
      e.id = value.get<int64_t>();
    } else if (key == "date") {
      auto date = value.is_string() ? ParseDate(value.get<std::string>()) : std::nullopt;
      if (!date) return bad(fmt::format("date: {} is not a YYYY-MM-DD date", Show(value)));
      e.date = *date;
    } else if (key == "kind") {
      auto kind = value.is_string() ? ParseEntryKind(value.get<std::string>()) : std::nullopt;
      if (!kind) return bad(fmt::format("kind: {} is not an entry kind", Show(value)));
      e.kind = *kind;
    } else if (key == "label" || key == "note") {
      if (!value.is_string()) {
        return bad(fmt::format("{}: {} is not a string", key, Show(value)));
      }
      (key == "label" ? e.label : e.note) = value.get<std::string>();
    } else if (key == "magnesium_mg" || key == "value" || key == "intensity") {
      if (!value.is_number()) {
        return bad(fmt::format("{}: {} is not a number", key, Show(value)));
      }
      double v = value.get<double>();
      (key == "magnesium_mg" ? e.magnesium_mg : key == "value" ? e.value : e.intensity) = v;
    } else if (key == "irls_items") {
      if (!value.is_array()) {
        return bad(fmt::format("irls_items: {} is not an array", Show(value)));
      }
      for (const auto& item : value) {
        // Scores outside int would wrap (2^32 to 0) and pass as a valid score.
        if (!item.is_number_integer() ||
            (item.is_number_unsigned()
                 ? item.get<uint64_t>() > INT_MAX
                 : item.get<int64_t>() < INT_MIN || item.get<int64_t>() > INT_MAX)) {
          return bad(fmt::format("irls_items: {} is not an integer", Show(item)));
        }
        e.irls_items.push_back(item.get<int>());
      }
    } else if (key == "measures") {
      if (!value.is_object()) {
        return bad(fmt::format("measures: {} is not an object of numbers", Show(value)));
      }
      for (const auto& [name, number] : value.items()) {
        if (!number.is_number()) {
          return bad(fmt::format("measures.{}: {} is not a number", name, Show(number)));
        }
        e.measures[name] = number.get<double>();
      }
    }
  }
  if (!j.contains("date")) return bad("date: required (YYYY-MM-DD)");
  if (!j.contains("kind")) return bad("kind: required (food, supplement, dose, irls, ...)");
  return e;
}

// ReplaceInvalidUtf8(text), as `text` itself when it is valid (all text but that of a journal
// from before the UTF-8 boundary): no copy of every label and note of an export. `spare` holds
// the replaced text otherwise.
std::string_view ValidUtf8(std::string_view text, std::string& spare) {
  if (IsValidUtf8(text)) return text;
  spare = ReplaceInvalidUtf8(text);
  return spare;
}

// A field, quoted per RFC 4180 when it needs to be, appended to `out`.
void AppendCsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvText(std::string& out, std::string_view text) {
  std::string spare;
  AppendCsvField(out, ValidUtf8(text, spare));
}

// fmt's "{}" of the number ("" for none). A whole number below 10^15 prints as its digits there
// ("156", "-5"; "-0" stays fmt's), written here without fmt's shortest-float search: most numbers
// of a journal are whole, and that search was a third of a five-year journal's CSV (issue 20).
void AppendCsvNumber(std::string& out, const std::optional<double>& v) {
  if (!v) return;
  if (std::fabs(*v) < 1e15 && *v == std::trunc(*v) && !(*v == 0 && std::signbit(*v))) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(*v)).ptr);
  } else {
    fmt::format_to(std::back_inserter(out), "{}", *v);
  }
}

// Splits RFC 4180 CSV into records of fields; records may span lines inside quotes.
Result<std::vector<std::vector<std::string>>> SplitCsv(std::string_view text,
                                                       std::string_view source) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      records.push_back(std::move(record));
      record.clear();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return InvalidArgument(fmt::format("{}:{}: unterminated quoted field", source, line));
  if (field_started || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

json EntryToJson(const Entry& e) {
  json j;
  j["id"] = e.id;
  j["date"] = FormatDate(e.date);
  j["kind"] = EntryKindName(e.kind);
  // ReplaceInvalidUtf8: a journal from before the UTF-8 boundary may hold other bytes.
  if (!e.label.empty()) j["label"] = ReplaceInvalidUtf8(e.label);
  if (e.magnesium_mg) j["magnesium_mg"] = *e.magnesium_mg;
  if (e.value) j["value"] = *e.value;
  if (e.intensity) j["intensity"] = *e.intensity;
  if (!e.irls_items.empty()) j["irls_items"] = e.irls_items;
  if (!e.note.empty()) j["note"] = ReplaceInvalidUtf8(e.note);
  if (!e.measures.empty()) j["measures"] = e.measures;
  return j;
}

Result<Entry> EntryFromJson(const json& value, std::string_view where) {
  return EntryFromObject(value, where);
}

json SnapshotToJson(const Snapshot& snapshot) {
  json j;
  j["format"] = "mgadvisor-journal";
  j["version"] = 1;
  j["profile"] =
      snapshot.profile_json ? json(ReplaceInvalidUtf8(*snapshot.profile_json)) : json(nullptr);
  j["entries"] = json::array();
  for (const Entry& e : snapshot.entries) j["entries"].push_back(EntryToJson(e));
  j["trials"] = json::array();
  for (const TrialRecord& t : snapshot.trials) {
    j["trials"].push_back({{"id", t.id},
                           {"created", ReplaceInvalidUtf8(t.created)},
                           {"json", ReplaceInvalidUtf8(t.json)}});
  }
  return j;
}

std::string SnapshotToText(const Snapshot& snapshot) {
  std::string text;
  text.reserve(256 + snapshot.entries.size() * 160);
  JsonWriter w(text);
  std::string spare;  // ValidUtf8's replaced text, when there is some.
  // Keys in byte order, as nlohmann::json's map keeps them (the writer checks it in debug builds).
  w.BeginObject();
  w.Key("entries").BeginArray();
  for (const Entry& e : snapshot.entries) {
    w.BeginObject();
    w.Key("date").String(FormatDate(e.date));
    w.Key("id").Integer(e.id);
    if (e.intensity) w.Key("intensity").Number(*e.intensity);
    if (!e.irls_items.empty()) {
      w.Key("irls_items").BeginArray();
      for (int score : e.irls_items) w.Integer(score);
      w.EndArray();
    }
    w.Key("kind").String(EntryKindName(e.kind));
    if (!e.label.empty()) w.Key("label").String(ValidUtf8(e.label, spare));
    if (e.magnesium_mg) w.Key("magnesium_mg").Number(*e.magnesium_mg);
    if (!e.measures.empty()) {
      w.Key("measures").BeginObject();
      for (const auto& [name, value] : e.measures) w.DataKey(name).Number(value);
      w.EndObject();
    }
    if (!e.note.empty()) w.Key("note").String(ValidUtf8(e.note, spare));
    if (e.value) w.Key("value").Number(*e.value);
    w.EndObject();
  }
  w.EndArray();
  w.Key("format").String("mgadvisor-journal");
  w.Key("profile");
  if (snapshot.profile_json) {
    w.String(ReplaceInvalidUtf8(*snapshot.profile_json));
  } else {
    w.Null();
  }
  w.Key("trials").BeginArray();
  for (const TrialRecord& t : snapshot.trials) {
    w.BeginObject();
    w.Key("created").String(ReplaceInvalidUtf8(t.created));
    w.Key("id").Integer(t.id);
    w.Key("json").String(ReplaceInvalidUtf8(t.json));
    w.EndObject();
  }
  w.EndArray();
  w.Key("version").Integer(1);
  w.EndObject();
  return text;
}

Result<Snapshot> SnapshotFromJson(const json& j, std::string_view source) {
  // Field errors from core/json_input.h name the path; this adds the file.
  auto in_source = [&](const Error& error) {
    return InvalidArgument(fmt::format("{}: {}", source, error.message));
  };
  const std::string not_export = fmt::format(
      "{}: not an mgadvisor journal export (\"format\" is not \"mgadvisor-journal\")", source);
  if (!j.is_object()) return InvalidArgument(not_export);
  auto format = OptionalString(j, "format");
  if (!format.ok()) return in_source(format.error());
  if (!*format || **format != "mgadvisor-journal") return InvalidArgument(not_export);
  if (!j.contains("version") || j["version"] != 1) {
    return InvalidArgument(fmt::format("{}: unsupported export version {}", source,
                                       j.contains("version") ? Show(j["version"]) : "(none)"));
  }
  MG_RETURN_IF_ERROR(
      RejectUnknownFields(j, {"format", "version", "profile", "entries", "trials"}, source));
  Snapshot snapshot;
  auto profile = OptionalString(j, "profile");
  if (!profile.ok()) return in_source(profile.error());
  if (*profile) {
    // Stored as text and read back by every profile route: it must be a JSON object now, not
    // a surprise later.
    auto object = ParseJsonObject(**profile, fmt::format("{}: profile", source));
    if (!object.ok()) return object.error();
    snapshot.profile_json = std::move(**profile);
  }
  if (j.contains("entries") && !j["entries"].is_null()) {
    const json& entries = j["entries"];
    if (!entries.is_array()) {
      return InvalidArgument(
          fmt::format("{}: entries: expected an array, got {}", source, DescribeJson(entries)));
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      auto e = EntryFromObject(entries[i], fmt::format("{}: {}", source, JsonPath("entries", i)));
      if (!e.ok()) return e.error();
      snapshot.entries.push_back(std::move(*e));
    }
  }
  if (j.contains("trials") && !j["trials"].is_null()) {
    const json& trials = j["trials"];
    if (!trials.is_array()) {
      return InvalidArgument(
          fmt::format("{}: trials: expected an array, got {}", source, DescribeJson(trials)));
    }
    for (size_t i = 0; i < trials.size(); ++i) {
      const json& t = trials[i];
      const std::string path = JsonPath("trials", i);
      if (!t.is_object()) {
        return InvalidArgument(
            fmt::format("{}: {}: expected an object, got {}", source, path, DescribeJson(t)));
      }
      MG_RETURN_IF_ERROR(
          RejectUnknownFields(t, {"id", "created", "json"}, fmt::format("{}: {}", source, path)));
      auto id = OptionalIntegerField(t, "id", 0, INT64_MAX, path);
      if (!id.ok()) return in_source(id.error());
      auto created = OptionalString(t, "created", path);
      if (!created.ok()) return in_source(created.error());
      auto plan = OptionalString(t, "json", path);
      if (!plan.ok()) return in_source(plan.error());
      if (!*id || !*created || !*plan) {
        return InvalidArgument(
            fmt::format("{}: {} needs integer id, string created and string json", source, path));
      }
      if (!ParseDate(**created)) {
        return InvalidArgument(fmt::format("{}: {}.created: {} is not a YYYY-MM-DD date", source,
                                           path, QuoteForMessage(**created)));
      }
      auto object = ParseJsonObject(**plan, fmt::format("{}: {}.json", source, path));
      if (!object.ok()) return object.error();
      snapshot.trials.push_back({**id, std::move(**created), std::move(**plan)});
    }
  }
  return snapshot;
}

std::string EntriesToCsv(const std::vector<Entry>& entries) {
  std::string out;
  for (size_t i = 0; i < kCsvColumns.size(); ++i) {
    out += i ? "," : "";
    out += kCsvColumns[i];
  }
  // The measures column only when an entry has measures, so a journal without them exports
  // exactly as before (and older readers and spreadsheets keep working).
  const bool measures = std::any_of(entries.begin(), entries.end(),
                                    [](const Entry& e) { return !e.measures.empty(); });
  if (measures) out += ",measures";
  out += "\n";
  // Appended field by field into one string sized once: a format call per row and a string per
  // field were most of a five-year journal's CSV export (issue 20).
  out.reserve(out.size() + entries.size() * 64);
  char digits[24];
  for (const Entry& e : entries) {
    out.append(digits, std::to_chars(digits, digits + sizeof digits, e.id).ptr);
    out += ',';
    out += FormatDate(e.date);
    out += ',';
    out += EntryKindName(e.kind);
    out += ',';
    AppendCsvText(out, e.label);
    out += ',';
    AppendCsvNumber(out, e.magnesium_mg);
    out += ',';
    AppendCsvNumber(out, e.value);
    out += ',';
    AppendCsvNumber(out, e.intensity);
    out += ',';
    for (size_t i = 0; i < e.irls_items.size(); ++i) {
      if (i) out += ' ';
      out.append(digits, std::to_chars(digits, digits + sizeof digits, e.irls_items[i]).ptr);
    }
    out += ',';
    AppendCsvText(out, e.note);
    if (measures) {
      out += ',';
      out += FormatMeasures(e.measures);
    }
    out += '\n';
  }
  return out;
}

Result<std::vector<Entry>> EntriesFromCsv(std::string_view text, std::string_view source) {
  MG_RETURN_IF_ERROR(CheckUtf8Document(text, source));
  auto records = SplitCsv(text, source);
  if (!records.ok()) return records.error();
  if (records->empty()) return InvalidArgument(fmt::format("{}: empty CSV", source));
  const auto& header = records->front();
  // Nine columns, or ten with the measures column (written when an entry has measures).
  const bool measures = header.size() == kCsvColumns.size() + 1 && header.back() == "measures";
  const size_t columns = kCsvColumns.size() + (measures ? 1 : 0);
  if ((header.size() != kCsvColumns.size() && !measures) ||
      !std::equal(kCsvColumns.begin(), kCsvColumns.end(), header.begin())) {
    return InvalidArgument(fmt::format(
        "{}:1: header must be id,date,kind,label,magnesium_mg,value,intensity,irls_items,note",
        source));
  }
  std::vector<Entry> entries;
  for (size_t r = 1; r < records->size(); ++r) {
    const auto& f = (*records)[r];
    const std::string where = fmt::format("{}: record {}", source, r);
    if (f.size() == 1 && f[0].empty()) continue;  // Blank line.
    if (f.size() != columns) {
      return InvalidArgument(fmt::format("{}: {} fields, expected {}", where, f.size(), columns));
    }
    Entry e;
    auto number = [&](size_t col, std::optional<double>& out) -> Status {
      if (f[col].empty()) return {};
      auto v = ParseFiniteNumber(f[col]);
      if (!v) {
        return InvalidArgument(
            fmt::format("{}: {}: '{}' is not a finite number", where, kCsvColumns[col], f[col]));
      }
      out = *v;
      return {};
    };
    // An id is read as an integer, not a double: past 2^53 a double is no longer exact, and
    // past 2^63 converting it is undefined (found by the journal_import fuzz target).
    e.id = 0;
    if (!f[0].empty()) {
      const char* end = f[0].data() + f[0].size();
      auto [stop, ec] = std::from_chars(f[0].data(), end, e.id);
      if (ec != std::errc() || stop != end || e.id < 0) {
        return InvalidArgument(
            fmt::format("{}: id: '{}' is not an entry id (a whole number from 0 to {})", where,
                        f[0], INT64_MAX));
      }
    }
    auto date = ParseDate(f[1]);
    if (!date)
      return InvalidArgument(fmt::format("{}: date: '{}' is not a YYYY-MM-DD date", where, f[1]));
    e.date = *date;
    auto kind = ParseEntryKind(f[2]);
    if (!kind)
      return InvalidArgument(fmt::format("{}: kind: '{}' is not an entry kind", where, f[2]));
    e.kind = *kind;
    e.label = f[3];
    MG_RETURN_IF_ERROR(number(4, e.magnesium_mg));
    MG_RETURN_IF_ERROR(number(5, e.value));
    MG_RETURN_IF_ERROR(number(6, e.intensity));
    std::string_view items = f[7];
    while (!items.empty()) {
      size_t space = items.find(' ');
      std::string_view token = items.substr(0, space);
      auto v = ParseFiniteNumber(token);
      // A score beyond int would be undefined to convert (and the scale's range, 0-4, is checked
      // later with a clearer message); the JSON reader refuses the same values.
      if (!v || *v != std::floor(*v) || *v < INT_MIN || *v > INT_MAX) {
        return InvalidArgument(
            fmt::format("{}: irls_items: '{}' is not a whole number", where, token));
      }
      e.irls_items.push_back(static_cast<int>(*v));
      items = space == std::string_view::npos ? std::string_view() : items.substr(space + 1);
    }
    e.note = f[8];
    if (measures) {
      auto parsed = ParseMeasures(f[9]);
      if (!parsed.ok())
        return InvalidArgument(fmt::format("{}: {}", where, parsed.error().message));
      e.measures = std::move(*parsed);
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<Snapshot> ParseJournalFile(std::string_view text, std::string_view source) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    auto parsed = ParseJson(text, source);
    if (!parsed.ok()) return parsed.error();
    return SnapshotFromJson(*parsed, source);
  }
  auto entries = EntriesFromCsv(text, source);
  if (!entries.ok()) return entries.error();
  Snapshot snapshot;
  snapshot.entries = std::move(*entries);
  return snapshot;
}

}  // namespace mg::journal

// Journal export and import formats. JSON carries everything (profile, entries, trials); CSV
// carries the entries only, one row each, for spreadsheets. Both round-trip losslessly: numbers
// are written in their shortest exact form, and reading back what was written gives equal values.
//
// Reading goes through the input boundary (core/json_input.h, core/utf8.h): text that is not
// UTF-8 is refused naming file:line:column and the byte offset, JSON errors carry line, column
// and field path. Writing never fails on text: a journal written by a version before that
// boundary may hold bytes that are not UTF-8, and they are written as U+FFFD (the replacement
// character) so such a journal still lists and exports.
#ifndef MGADVISOR_JOURNAL_EXPORT_H_
#define MGADVISOR_JOURNAL_EXPORT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"

namespace mg::journal {

// {"format": "mgadvisor-journal", "version": 1, "profile": <json or null>, "entries": [...],
//  "trials": [...]}. Entry fields that are unset are omitted.
nlohmann::json SnapshotToJson(const Snapshot& snapshot);
// The same document as text, byte for byte SnapshotToJson(snapshot).dump(2), written as it goes
// (core/json_writer.h) instead of through a tree: a five-year journal has ~12,000 entries, and
// building and dumping their tree cost more than reading them (issue 20).
std::string SnapshotToText(const Snapshot& snapshot);
// Errors: kInvalidArgument naming `source` and the offending entry/field ("format", "version",
// "entries[3].date"...). A profile, when present, must be a string holding a JSON object. Text
// is parsed by ParseJournalFile (below) or at a door (core/json_input.h), never here.
Result<Snapshot> SnapshotFromJson(const nlohmann::json& json, std::string_view source);

// One entry as JSON (the same shape as in the snapshot's "entries").
nlohmann::json EntryToJson(const Entry& entry);
// One entry from that shape (the HTTP API's POST body; "id" optional). Checks shape and types
// only; ValidateEntry() checks the values. Errors: kInvalidArgument "<where>: <field>: <problem>"
// quoting the value, for unknown fields, wrong types, and a missing date or kind.
Result<Entry> EntryFromJson(const nlohmann::json& json, std::string_view where);

// Header: id,date,kind,label,magnesium_mg,value,intensity,irls_items,note, plus a tenth column
// "measures" (FormatMeasures: "minutes=5 sleep_disturbance=4") only when an entry has measures;
// the reader takes both. irls_items are the ten scores separated by spaces. Fields are quoted
// per RFC 4180 when needed.
std::string EntriesToCsv(const std::vector<Entry>& entries);
// Errors: kInvalidArgument naming `source`, the line and the column.
Result<std::vector<Entry>> EntriesFromCsv(std::string_view text, std::string_view source);

// Reads either format, recognised by its first non-space character ('{' means JSON).
Result<Snapshot> ParseJournalFile(std::string_view text, std::string_view source);

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_EXPORT_H_

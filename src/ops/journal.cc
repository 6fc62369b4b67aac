#include "ops/journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "core/json_input.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/utf8.h"
#include "foods/foods_json.h"
#include "journal/export.h"
#include "ops/fhir.h"
#include "ops/plan.h"
#include "products/magnesium_count.h"

namespace mg::ops {

using journal::Date;
using journal::FormatDate;
using nlohmann::json;

namespace {

// Bounds for one food entry: five kilograms of one food, or 20 portions.
constexpr double kMaxFoodGrams = 5000;
constexpr double kMaxPortions = 20;

Status CheckRange(const std::optional<Date>& from, const std::optional<Date>& to) {
  if (from && to && *from > *to) {
    return InvalidArgument(
        fmt::format("from: {} is after to: {}", FormatDate(*from), FormatDate(*to)));
  }
  return {};
}

}  // namespace

Result<journal::Entry> AddEntry(journal::Store& store, journal::Entry entry) {
  auto id = store.Add(entry);
  if (!id.ok()) return id.error();
  entry.id = *id;
  return entry;
}

json LoggedEntry::ToJson() const {
  return {{"entry", journal::EntryToJson(entry)}, {"warnings", warnings}};
}

Result<LoggedEntry> LogEntry(const Context& context, journal::Store& store, journal::Entry entry) {
  auto added = AddEntry(store, std::move(entry));
  if (!added.ok()) return added.error();
  LoggedEntry out{std::move(*added), {}};
  const journal::EntryKind kind = out.entry.kind;
  if (kind != journal::EntryKind::kDose && kind != journal::EntryKind::kSupplement) return out;
  if (!out.entry.magnesium_mg) return out;
  // The entry is written; a profile that no longer resolves must not turn that into an error.
  auto targets = StoredTargets(context, store);
  if (!targets.ok() || !targets->has_value() || !(*targets)->supplemental_ul_mg) return out;
  const double ul = *(*targets)->supplemental_ul_mg;
  auto day = store.List({out.entry.date, out.entry.date});
  if (!day.ok()) return out;
  const journal::DayMagnesium total =
      journal::DailyMagnesium(*day, out.entry.date, out.entry.date).front();
  if (total.supplement_mg > ul) {
    out.warnings.push_back(fmt::format(
        "Recorded, but this takes your supplemental magnesium on {} to {} mg, above the upper "
        "limit of {} mg a day for you ({}). Above it, diarrhoea and cramps become likely, and "
        "much more is dangerous, above all with weak kidneys. If this amount is right, take no "
        "more today and ask a clinician or pharmacist; if it is a typo, correct it with "
        "`mgadvisor journal edit {}`.",
        FormatDate(out.entry.date), FormatNumber(total.supplement_mg), FormatNumber(ul),
        (*targets)->label, out.entry.id));
  }
  return out;
}

json LoggedTaken::ToJson() const {
  json out = logged.ToJson();
  out["reading"] = reading;
  return out;
}

Result<LoggedTaken> LogTaken(const Context& context, journal::Store& store, const TakenLog& log,
                             Date today) {
  if (log.kind != journal::EntryKind::kSupplement && log.kind != journal::EntryKind::kDose) {
    return InvalidArgument("kind: only a supplement or a dose is logged with an amount to count");
  }
  const std::string name(Trim(log.name));
  if (name.empty()) return InvalidArgument("name: required, what was taken");
  auto amount = products::ParseStatedAmount(log.amount);
  if (!amount.ok()) return InvalidArgument("amount: " + amount.error().message);
  auto compounds = context.compounds();
  if (!compounds.ok()) return compounds.error();
  auto catalogue = context.catalogue();
  if (!catalogue.ok()) return catalogue.error();
  auto count = products::CountWrittenIntake(**catalogue, **compounds, name, *amount);
  if (!count.ok()) return InvalidArgument("name: " + count.error().message);
  journal::Entry entry;
  entry.kind = log.kind;
  entry.date = log.date.value_or(today);
  entry.label = fmt::format("{} — {}", name, amount->text);
  entry.note = log.note;
  // To 0.1 mg: the count's arithmetic has more digits than any label.
  if (count->has_value()) entry.magnesium_mg = std::round((*count)->elemental_mg_per_day * 10) / 10;
  std::string reading = count->has_value() ? (*count)->reading : "";
  if (count->has_value()) {
    for (const std::string& note : (*count)->notes) reading += "; " + note;
  }
  auto logged = LogEntry(context, store, std::move(entry));
  if (!logged.ok()) return logged.error();
  return LoggedTaken{std::move(logged).value(), std::move(reading)};
}

Result<journal::Entry> LogFood(const Context& context, journal::Store& store, const FoodLog& log,
                               Date today) {
  if (log.food.empty()) return InvalidArgument("food: required, a food id or name");
  const int amounts = (log.grams ? 1 : 0) + (log.portions ? 1 : 0) + (log.amount ? 1 : 0);
  if (amounts != 1) {
    return InvalidArgument(
        "give one amount: grams (e.g. 30), portions (e.g. 1) or an amount with its unit (e.g. 1 "
        "cup), not several or none");
  }
  if (log.grams && !(*log.grams > 0 && *log.grams <= kMaxFoodGrams)) {
    return InvalidArgument(fmt::format("grams: {} is outside 0-{} (more than 0)",
                                       FormatNumber(*log.grams), FormatNumber(kMaxFoodGrams)));
  }
  if (log.portions && !(*log.portions > 0 && *log.portions <= kMaxPortions)) {
    return InvalidArgument(fmt::format("portions: {} is outside 0-{} (more than 0)",
                                       FormatNumber(*log.portions), FormatNumber(kMaxPortions)));
  }
  auto store_loaded = context.foods();
  if (!store_loaded.ok()) return store_loaded.error();
  const FoodStore& foods = **store_loaded;
  auto found = foods::FindFood(foods.db, *foods.search, log.food);
  if (!found.ok()) {
    return Error{found.error().code,
                 fmt::format("food: \"{}\" {}", log.food, found.error().message)};
  }
  const foods::Food& food = *found->food;
  double grams = 0;
  std::string amount_text;
  if (log.grams) {
    grams = *log.grams;
    amount_text = fmt::format("{} g", FormatNumber(grams));
  } else if (log.portions) {
    grams = *log.portions * food.serving.grams;
    amount_text = fmt::format("{} × {} ({} g)", FormatNumber(*log.portions), food.serving.Label(),
                              FormatNumber(grams));
  } else {
    auto units = context.units();
    if (!units.ok()) return units.error();
    auto converted = foods::GramsOf(food, *log.amount, log.unit, **units);
    if (!converted.ok()) return InvalidArgument("unit: " + converted.error().message);
    grams = *converted;
    if (!(grams > 0 && grams <= kMaxFoodGrams)) {
      return InvalidArgument(fmt::format("amount: {} {} is {} g, outside 0-{} g",
                                         FormatNumber(*log.amount), log.unit, FormatNumber(grams),
                                         FormatNumber(kMaxFoodGrams)));
    }
    amount_text =
        fmt::format("{} {} ({} g)", FormatNumber(*log.amount, 2), log.unit, FormatNumber(grams));
  }
  journal::Entry entry;
  entry.kind = journal::EntryKind::kFood;
  entry.date = log.date.value_or(today);
  entry.label = fmt::format("{} — {}", food.name, amount_text);
  // Unknown when USDA gives no magnesium value: logged without it rather than as 0.
  entry.magnesium_mg = food.MagnesiumIn(grams);
  entry.note = log.note;
  return AddEntry(store, std::move(entry));
}

Result<EntryPage> ListEntryPage(journal::Store& store, const EntryQuery& query) {
  MG_RETURN_IF_ERROR(CheckRange(query.range.from, query.range.to));
  if (query.limit && (*query.limit < 1 || *query.limit > kMaxPageSize)) {
    return InvalidArgument(fmt::format("limit: {} is outside 1-{}", *query.limit, kMaxPageSize));
  }
  auto rows = store.ListPage(query.range, query.kind, query.limit, query.offset);
  if (!rows.ok()) return rows.error();
  return EntryPage{std::move(rows->entries), rows->total, query.offset, query.limit};
}

Result<std::vector<journal::Entry>> ListEntries(journal::Store& store, const EntryQuery& query) {
  auto page = ListEntryPage(store, query);
  if (!page.ok()) return page.error();
  return std::move(page->entries);
}

json EntryPage::ToJson() const {
  json out = EntriesToJson(entries);
  out["total"] = total;
  out["offset"] = offset;
  out["limit"] = limit ? json(*limit) : json(nullptr);
  return out;
}

Result<journal::Entry> GetEntry(journal::Store& store, int64_t id) {
  // A personal journal is small; one read of all of it keeps the Store interface small too.
  auto entries = store.List({});
  if (!entries.ok()) return entries.error();
  for (journal::Entry& e : *entries) {
    if (e.id == id) return std::move(e);
  }
  return NotFound(fmt::format("id: entry {} is not in this journal", id));
}

Result<journal::Entry> EditEntry(journal::Store& store, int64_t id, const json& patch) {
  if (!patch.is_object())
    return InvalidArgument("body: must be a JSON object of the fields to change");
  if (patch.contains("id")) return InvalidArgument("id: an entry's id cannot change");
  if (patch.empty()) {
    return InvalidArgument("nothing to change: give at least one field (date, value, label...)");
  }
  auto current = GetEntry(store, id);
  if (!current.ok()) return current.error();
  json merged = journal::EntryToJson(*current);
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      merged.erase(key);  // Clears an optional field; a required one is then reported missing.
    } else if (key == "measures" && value.is_object()) {
      // Measure by measure, so correcting a night's minutes keeps its sleep disturbance; a null
      // measure clears that one.
      json& measures = merged["measures"];
      if (!measures.is_object()) measures = json::object();
      for (const auto& [name, number] : value.items()) {
        if (number.is_null()) {
          measures.erase(name);
        } else {
          measures[name] = number;
        }
      }
      if (measures.empty()) merged.erase("measures");
    } else {
      merged[key] = value;
    }
  }
  // An IRLS total follows new item scores unless a total is given too.
  if (patch.contains("irls_items") && !patch.contains("value") && merged["irls_items"].is_array()) {
    int total = 0;
    bool numbers = true;
    for (const json& item : merged["irls_items"]) {
      numbers = numbers && item.is_number_integer();
      if (numbers) total += item.get<int>();
    }
    if (numbers && !merged["irls_items"].empty()) merged["value"] = total;
  }
  auto entry = journal::EntryFromJson(merged, "entry");
  if (!entry.ok()) return entry.error();
  entry->id = id;
  const Status replaced = store.Replace(*entry);
  if (!replaced.ok() && replaced.error().code == ErrorCode::kNotFound) {
    return NotFound(fmt::format("id: entry {} is not in this journal", id));
  }
  if (!replaced.ok()) return replaced.error();
  return entry;
}

Result<std::optional<journal::UndoneChange>> UndoLastChange(journal::Store& store) {
  return store.Undo();
}

json UndoneToJson(const std::optional<journal::UndoneChange>& undone) {
  if (!undone) return {{"undone", nullptr}};
  return {{"undone",
           {{"change", journal::ChangeKindName(undone->kind)},
            {"entry", journal::EntryToJson(undone->entry)}}}};
}

json DayFoods::ToJson() const {
  return {{"date", FormatDate(date)},
          {"foods", EntriesToJson(foods)["entries"]},
          {"supplements", EntriesToJson(supplements)["entries"]},
          {"food_mg", magnesium.food_mg},
          {"supplement_mg", magnesium.supplement_mg},
          {"total_mg", magnesium.total_mg()},
          {"without_magnesium", without_magnesium}};
}

Result<DayFoods> FoodsOfDay(journal::Store& store, Date date) {
  auto entries = store.List({date, date});
  if (!entries.ok()) return entries.error();
  DayFoods out;
  out.date = date;
  out.magnesium = journal::DailyMagnesium(*entries, date, date).front();
  for (journal::Entry& e : *entries) {
    using journal::EntryKind;
    if (e.kind != EntryKind::kFood && e.kind != EntryKind::kSupplement &&
        e.kind != EntryKind::kDose) {
      continue;
    }
    out.without_magnesium += e.magnesium_mg ? 0 : 1;
    (e.kind == EntryKind::kFood ? out.foods : out.supplements).push_back(std::move(e));
  }
  return out;
}

json EntriesToJson(const std::vector<journal::Entry>& entries) {
  json out = json::array();
  for (const journal::Entry& e : entries) out.push_back(journal::EntryToJson(e));
  return {{"entries", std::move(out)}};
}

Status DeleteEntry(journal::Store& store, int64_t id) {
  const Status deleted = store.Delete(id);
  if (!deleted.ok() && deleted.error().code == ErrorCode::kNotFound) {
    return NotFound(fmt::format("id: entry {} is not in this journal", id));
  }
  return deleted;
}

json IntakeSummary::ToJson() const {
  json out = json::array();
  for (const journal::DayMagnesium& day : days) {
    out.push_back({{"date", FormatDate(day.date)},
                   {"food_mg", day.food_mg},
                   {"supplement_mg", day.supplement_mg},
                   {"total_mg", day.total_mg()}});
  }
  return {{"days", std::move(out)},
          {"target", target ? foods::TargetsToJson(*target) : json(nullptr)}};
}

Result<std::optional<foods::IntakeTargets>> StoredTargets(const Context& context,
                                                          journal::Store& store) {
  auto stored = StoredProfile(store);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) return std::optional<foods::IntakeTargets>();
  auto plan = PlanForStoredProfile(context, store);
  if (!plan.ok()) return plan.error();
  auto tables = context.references();
  if (!tables.ok()) return tables.error();
  auto values = (*tables)->Lookup(plan->profile.reference, plan->profile.person);
  if (!values.ok()) return values.error();
  return std::optional<foods::IntakeTargets>(foods::TargetsFor(*values));
}

Result<IntakeSummary> Intake(const Context& context, journal::Store& store,
                             const IntakeRange& range, Date today) {
  MG_RETURN_IF_ERROR(CheckRange(range.from, range.to));
  const Date to = range.to.value_or(today);
  const Date from = range.from.value_or(to - std::chrono::days{6});
  MG_RETURN_IF_ERROR(CheckRange(from, to));
  if ((to - from).count() >= kMaxIntakeDays) {
    return InvalidArgument(fmt::format("from, to: {} to {} is more than {} days; ask for less",
                                       FormatDate(from), FormatDate(to), kMaxIntakeDays));
  }
  auto entries = store.List({from, to});
  if (!entries.ok()) return entries.error();
  IntakeSummary out;
  out.days = journal::DailyMagnesium(*entries, from, to);
  auto target = StoredTargets(context, store);
  if (!target.ok()) return target.error();
  out.target = std::move(*target);
  return out;
}

Result<journal::Snapshot> ExportJournal(journal::Store& store) { return store.Export(); }

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "json") return ExportFormat::kJson;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "fhir") return ExportFormat::kFhir;
  return std::nullopt;
}

Result<ExportedJournal> ExportJournalAs(const Context& context, journal::Store& store,
                                        ExportFormat format, Date today) {
  ExportedJournal out;
  out.format = format;
  if (format == ExportFormat::kFhir) {
    auto bundle = ExportFhir(context, store, today);
    if (!bundle.ok()) return bundle.error();
    out.media_type = "application/fhir+json";
    out.document = std::move(*bundle);
  } else {
    auto snapshot = store.Export();
    if (!snapshot.ok()) return snapshot.error();
    if (format == ExportFormat::kCsv) {
      out.media_type = "text/csv; charset=utf-8";
      out.text = journal::EntriesToCsv(snapshot->entries);
      return out;
    }
    // Written as a stream, byte for byte the tree's dump(2), without building the tree (a
    // five-year journal exports in half the time; issue 20).
    out.media_type = "application/json";
    out.text = journal::SnapshotToText(*snapshot) + "\n";
    return out;
  }
  out.text = out.document.dump(2) + "\n";
  return out;
}

Result<journal::Snapshot> SnapshotFromDocument(const json& document, std::string_view source) {
  if (LooksLikeFhir(document)) return SnapshotFromFhir(document, source);
  return journal::SnapshotFromJson(document, source);
}

Result<journal::Snapshot> ReadJournalDocument(std::string_view text, std::string_view source,
                                              std::optional<ExportFormat> format) {
  if (format == ExportFormat::kCsv) {
    auto entries = journal::EntriesFromCsv(text, source);
    if (!entries.ok()) return entries.error();
    journal::Snapshot snapshot;
    snapshot.entries = std::move(*entries);
    return snapshot;
  }
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool is_json = first != std::string_view::npos && text[first] == '{';
  if (!format && !is_json) return journal::ParseJournalFile(text, source);
  MG_RETURN_IF_ERROR(CheckUtf8Document(text, source));
  auto parsed = ParseJson(text, source);
  if (!parsed.ok()) return parsed.error();
  if (format == ExportFormat::kFhir && !LooksLikeFhir(*parsed)) {
    return InvalidArgument(fmt::format(
        "{}: not a FHIR resource (no \"resourceType\"); --format fhir reads a Bundle", source));
  }
  if (format == ExportFormat::kJson && LooksLikeFhir(*parsed)) {
    return InvalidArgument(
        fmt::format("{}: a FHIR resource, not an mgadvisor export; use --format fhir", source));
  }
  return SnapshotFromDocument(*parsed, source);
}

json ImportResult::ToJson() const { return {{"entries", entries}, {"trials", trials}}; }

Result<ImportResult> ImportJournal(const Context& context, journal::Store& store,
                                   const journal::Snapshot& snapshot, const std::string& source) {
  // A profile or trial this journal could not read would make every later plan, intake or trial
  // request fail, so refuse it here, before anything is written.
  if (snapshot.profile_json) {
    plan::ProfileDocument document;
    auto tree = ParseJsonObject(*snapshot.profile_json, source + ": profile");
    if (!tree.ok()) return tree.error();
    document.tree = std::move(*tree);
    document.source_name = source + ": profile";
    auto resolved = PlanForProfile(context, std::move(document));
    if (!resolved.ok()) return resolved.error();
  }
  if (!snapshot.trials.empty()) {
    auto outcomes = context.outcomes();
    if (!outcomes.ok()) return outcomes.error();
    for (const journal::TrialRecord& t : snapshot.trials) {
      auto design = ParseJsonObject(t.json, fmt::format("{}: trial {}", source, t.id));
      if (!design.ok()) return design.error();
      auto read = trial::DesignFromJson(*design, **outcomes);
      if (!read.ok()) {
        return InvalidArgument(fmt::format("{}: trial {}: {}", source, t.id, read.error().message));
      }
    }
  }
  // All or nothing: an id already in this journal is refused and nothing is written.
  MG_RETURN_IF_ERROR(store.Import(snapshot));
  return ImportResult{snapshot.entries.size(), snapshot.trials.size()};
}

}  // namespace mg::ops

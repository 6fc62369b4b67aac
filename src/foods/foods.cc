#include "foods/foods.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <unordered_set>

#include "core/archive.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/numbers.h"
#include "core/precompiled.h"
#include "core/text.h"
#include "foods/csv.h"

namespace mg::foods {
namespace {

constexpr const char* kTableColumns[] = {
    "source",     "name",         "category", "tags",    "aliases", "mg",       "kcal",
    "calcium_mg", "potassium_mg", "iron_mg",  "fibre_g", "serving", "portions", "usda_description"};

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    start = end + 1;
  }
  return out;
}

// "1 cup, chopped=91" -> {1, "cup, chopped", 91}.
std::optional<Portion> ParsePortion(std::string_view text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const auto grams = ParseFiniteNumber(text.substr(eq + 1));
  if (!grams || *grams <= 0) return std::nullopt;
  std::string_view label = text.substr(0, eq);
  while (!label.empty() && label.front() == ' ') label.remove_prefix(1);
  Portion p;
  p.grams = *grams;
  const size_t space = label.find(' ');
  const auto amount =
      space == std::string_view::npos ? std::nullopt : ParseFiniteNumber(label.substr(0, space));
  if (amount && *amount > 0) {
    p.amount = *amount;
    p.unit = std::string(label.substr(space + 1));
  } else {
    p.unit = std::string(label);
  }
  if (p.unit.empty()) return std::nullopt;
  return p;
}

}  // namespace

std::string Portion::Label() const { return FormatNumber(amount, 2) + " " + unit; }

bool Food::HasTag(std::string_view tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

std::optional<double> Food::MagnesiumIn(double grams) const {
  if (!magnesium_mg) return std::nullopt;
  return *magnesium_mg * grams / 100.0;
}

FoodDb::FoodDb(std::vector<Food> foods) : foods_(std::move(foods)) {
  by_source_.reserve(foods_.size());
  for (size_t i = 0; i < foods_.size(); ++i) by_source_.emplace(foods_[i].source, i);
}

const Food* FoodDb::FindBySource(std::string_view source) const {
  auto it = by_source_.find(std::string(source));
  return it == by_source_.end() ? nullptr : &foods_[it->second];
}

namespace {

Result<std::vector<Food>> ParseFoods(std::string_view text, const std::string& name) {
  CsvReader reader(text);
  std::vector<std::string> row;
  if (!reader.Next(row)) return DataError(name + ": empty food table");
  // Strict like every data file: a misspelt column is an error, not a silently empty field.
  DataProblems problems;
  const CsvColumns columns(
      row, name,
      {"source", "name", "category", "tags", "aliases", "mg", "kcal", "calcium_mg", "potassium_mg",
       "iron_mg", "fibre_g", "serving", "portions", "usda_description"},
      {}, problems);
  if (!columns.ok()) return problems.ToError();
  std::vector<int> col;
  for (const char* column : kTableColumns) col.push_back(columns.Index(column));
  // A row must reach the last column the header names, which may lie past the 14 the table needs.
  const size_t fields_needed = static_cast<size_t>(*std::max_element(col.begin(), col.end())) + 1;
  std::vector<Food> foods;
  foods.reserve(text.size() / 120 + 1);  // About 170 bytes per stored food; never too few.
  std::unordered_set<std::string> seen;
  // Every bad row is reported (file:line), not just the first, so one lint run lists them all.
  while (true) {
    if (!reader.Next(row)) {
      if (reader.error().empty()) break;
      problems.Add(name, static_cast<int>(reader.line()), reader.error());
      continue;
    }
    const int line = static_cast<int>(reader.line());
    auto bad = [&](std::string message) { problems.Add(name, line, std::move(message)); };
    if (row.size() < fields_needed) {
      bad(fmt::format("expected {} fields, found {}", fields_needed, row.size()));
      continue;
    }
    auto field = [&](int i) -> const std::string& { return row[static_cast<size_t>(col[i])]; };
    Food food;
    food.source = field(0);
    food.name = field(1);
    food.category = field(2);
    if (food.source.empty() || food.name.empty()) {
      bad("source and name must not be empty");
      continue;
    }
    if (!seen.insert(food.source).second) {
      bad("duplicate source '" + food.source + "'");
      continue;
    }
    food.tags = Split(field(3), ' ');
    food.aliases = Split(field(4), ';');
    std::optional<double>* numbers[] = {&food.magnesium_mg, &food.kcal,    &food.calcium_mg,
                                        &food.potassium_mg, &food.iron_mg, &food.fibre_g};
    bool ok = true;
    for (int i = 0; i < 6; ++i) {
      const std::string& value = field(5 + i);
      if (value.empty()) continue;
      const auto number = ParseFiniteNumber(value);
      if (!number || *number < 0) {
        bad(fmt::format("field '{}': \"{}\" is not a non-negative number", kTableColumns[5 + i],
                        value));
        ok = false;
        continue;
      }
      *numbers[i] = *number;
    }
    for (const std::string& piece : Split(field(12), ';')) {
      auto portion = ParsePortion(piece);
      if (!portion) {
        bad(fmt::format("field 'portions': \"{}\" is not of the form '<amount> <unit>=<grams>'",
                        piece));
        ok = false;
        continue;
      }
      food.portions.push_back(*portion);
    }
    if (field(11).empty()) {
      food.serving = {100, "g", 100};
    } else if (auto serving = ParsePortion(field(11))) {
      food.serving = *serving;
    } else {
      bad(fmt::format("field 'serving': \"{}\" is not of the form '<amount> <unit>=<grams>'",
                      field(11)));
      ok = false;
    }
    food.usda_description = field(13);
    if (ok) foods.push_back(std::move(food));
  }
  if (!problems.empty()) return problems.ToError();
  return foods;
}

}  // namespace

Result<FoodDb> ParseFoodTable(std::string_view text, const std::string& name) {
  auto foods = ParseFoods(text, name);
  if (!foods.ok()) return foods.error();
  FoodDb db(std::move(foods).value());
  db.set_origin(name);
  return db;
}

template <typename A>
void Fields(A& a, Portion& p) {
  a(p.amount, p.unit, p.grams);
}

template <typename A>
void Fields(A& a, Food& f) {
  a(f.source, f.name, f.category, f.tags, f.aliases, f.magnesium_mg, f.kcal, f.calcium_mg,
    f.potassium_mg, f.iron_mg, f.fibre_g, f.serving, f.portions, f.usda_description, f.common);
}

std::string EncodeFoods(const std::vector<Food>& foods) { return archive::Encode(foods); }

std::optional<std::vector<Food>> DecodeFoods(std::string_view bytes) {
  return archive::Decode<std::vector<Food>>(bytes);
}

Result<FoodDb> LoadEmbeddedFoods() {
  constexpr std::string_view kName = "data/foods/foods.csv";
  const auto origin = [&] { return "embedded table (" + std::string(kName) + ")"; };
  // The data compiler parsed and checked the table at build time.
  if (const auto snapshot = precompiled::FindSnapshot("foods")) {
    if (auto foods = DecodeFoods(*snapshot)) {
      FoodDb out(std::move(*foods));
      out.set_origin(origin());
      out.embedded_table_ = true;
      return out;
    }
  }
  auto file = LoadEmbeddedFile("foods/foods.csv");
  if (!file.ok()) return file.error();
  auto parsed = ParseFoods(file->content, file->name);
  if (!parsed.ok()) return parsed.error();
  std::vector<Food> foods = std::move(parsed).value();
  for (Food& food : foods) food.common = true;
  FoodDb out(std::move(foods));
  out.set_origin(origin());
  out.embedded_table_ = true;
  return out;
}

std::string DefaultStorePath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  std::string base;
  if (xdg != nullptr && *xdg != '\0') {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = std::string(home != nullptr ? home : ".") + "/.local/share";
  }
  return base + "/mgadvisor/foods.csv";
}

Result<FoodDb> LoadFoods(const std::optional<std::string>& store_path) {
  std::string path;
  if (store_path) {
    path = *store_path;
  } else {
    path = DefaultStorePath();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return LoadEmbeddedFoods();
  }
  auto text = ReadFile(path);
  if (!text.ok()) {
    return Error{text.error().code, "food store: " + text.error().message +
                                        " (run 'mgadvisor foods import <dir>' to create it)"};
  }
  auto parsed = ParseFoods(*text, path);
  if (!parsed.ok()) return parsed.error();
  auto embedded = LoadEmbeddedFoods();
  if (!embedded.ok()) return embedded.error();
  // Foods of the curated table keep its name, tags, aliases and usual portion, so search and
  // exclusions behave the same on an imported store.
  std::vector<Food> foods = std::move(parsed).value();
  for (Food& food : foods) {
    const Food* curated = embedded->FindBySource(food.source);
    if (curated == nullptr) continue;
    food.common = true;
    if (food.usda_description.empty()) food.usda_description = food.name;
    food.name = curated->name;
    food.tags = curated->tags;
    food.aliases = curated->aliases;
    food.serving = curated->serving;
  }
  FoodDb out(std::move(foods));
  out.set_origin(path);
  return out;
}

bool ExclusionSet::Excludes(const Food& food) const {
  for (const std::string& tag : tags) {
    if (food.HasTag(tag)) return true;
  }
  return false;
}

Result<Exclusions> Exclusions::Parse(const DataFile& file) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"exclusion"});
  Exclusions out;
  for (TomlReader r : doc.Tables("exclusion", "exclusion", {"id", "synonyms", "tags"})) {
    Entry entry;
    entry.id = r.Text("id");
    // An exclusion may have no other names (synonyms = []), but it must rule something out.
    entry.synonyms = r.TextList("synonyms");
    entry.tags = r.TextList("tags");
    if (r.Has("tags") && entry.tags.empty()) {
      r.Report(fmt::format("{} has no tags, so it would exclude nothing", r.where()),
               r.LineAt("tags"));
    }
    out.entries_.push_back(std::move(entry));
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

Result<Exclusions> Exclusions::Load() {
  auto file = LoadEmbeddedFile("foods/exclusions.toml");
  if (!file.ok()) return file.error();
  return Parse(*file);
}

Result<ExclusionSet> Exclusions::Resolve(const std::vector<std::string>& names) const {
  ExclusionSet set;
  for (const std::string& name : names) {
    const std::string wanted = NormalizeName(name);
    if (wanted.empty()) continue;
    const Entry* found = nullptr;
    std::vector<std::string> known;
    for (const Entry& e : entries_) {
      known.push_back(e.id);
      if (NormalizeName(e.id) == wanted) found = &e;
      for (const std::string& s : e.synonyms) {
        if (NormalizeName(s) == wanted) found = &e;
      }
    }
    if (found == nullptr) {
      return InvalidArgument("\"" + name +
                             "\" is not a known exclusion; known: " + JoinAlternatives(known));
    }
    if (std::find(set.ids.begin(), set.ids.end(), found->id) != set.ids.end()) continue;
    set.ids.push_back(found->id);
    for (const std::string& tag : found->tags) {
      if (std::find(set.tags.begin(), set.tags.end(), tag) == set.tags.end()) {
        set.tags.push_back(tag);
      }
    }
  }
  return set;
}

std::vector<RichFood> RichestInMagnesium(const FoodDb& db, const ExclusionSet& exclusions,
                                         const RichestOptions& options) {
  std::vector<RichFood> out;
  for (const Food& food : db.foods()) {
    if (options.common_only && !food.common) continue;
    if (!food.magnesium_mg || exclusions.Excludes(food)) continue;
    if (options.skip_ingredients && food.HasTag("ingredient")) continue;
    RichFood r;
    r.food = &food;
    r.mg_per_serving = *food.magnesium_mg * food.serving.grams / 100.0;
    if (r.mg_per_serving < options.min_mg_per_serving) continue;
    if (food.kcal && *food.kcal > 0) r.mg_per_100kcal = *food.magnesium_mg / *food.kcal * 100.0;
    out.push_back(r);
  }
  auto key = [&](const RichFood& r) {
    return options.ranking == RichRanking::kPerPortion ? r.mg_per_serving : r.mg_per_100kcal;
  };
  std::sort(out.begin(), out.end(), [&](const RichFood& a, const RichFood& b) {
    if (key(a) != key(b)) return key(a) > key(b);
    return a.food->name < b.food->name;
  });
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

}  // namespace mg::foods

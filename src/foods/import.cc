#include "foods/import.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/atomic_file.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "foods/csv.h"

namespace mg::foods {
namespace {

namespace fs = std::filesystem;

// USDA nutrient numbers (SR28 Nutr_No, FDC nutrient_nbr) of the values the store keeps.
enum Nutrient { kMagnesium, kEnergy, kCalcium, kPotassium, kIron, kFibre, kNutrientCount };

int NutrientSlot(int number) {
  switch (number) {
    case 304:
      return kMagnesium;
    case 208:
      return kEnergy;
    case 301:
      return kCalcium;
    case 306:
      return kPotassium;
    case 303:
      return kIron;
    case 291:
      return kFibre;
    default:
      return -1;
  }
}

std::optional<double>& Slot(Food& f, int slot) {
  switch (slot) {
    case kMagnesium:
      return f.magnesium_mg;
    case kEnergy:
      return f.kcal;
    case kCalcium:
      return f.calcium_mg;
    case kPotassium:
      return f.potassium_mg;
    case kIron:
      return f.iron_mg;
    default:
      return f.fibre_g;
  }
}

// Collects malformed rows: counts all, lists the first few.
class Problems {
 public:
  Problems(ImportReport& report, size_t max_listed) : report_(report), max_(max_listed) {}
  void Add(const std::string& file, size_t line, const std::string& what) {
    ++report_.malformed_rows;
    if (report_.problems.size() < max_) {
      report_.problems.push_back(file + ":" + std::to_string(line) + ": " + what);
    }
  }

 private:
  ImportReport& report_;
  size_t max_;
};

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void Update(const std::string& label, size_t done, size_t total) {
    if (!enabled_ || total == 0) return;
    const int percent = static_cast<int>(100 * done / total);
    if (percent == last_ && label == label_) return;
    last_ = percent;
    label_ = label;
    const int width = 30;
    const int filled = width * percent / 100;
    std::fprintf(stderr, "\r%-28s [%s%s] %3d%%", label.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), percent);
    if (percent == 100) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  int last_ = -1;
  std::string label_;
};

std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Splits one SR28 line at '^' and strips the `~` text qualifiers (present or not).
void SplitCaret(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    const size_t end = line.find('^', start);
    std::string_view f = line.substr(start, end == std::string_view::npos ? end : end - start);
    if (f.size() >= 2 && f.front() == '~' && f.back() == '~') {
      f = f.substr(1, f.size() - 2);
    } else if (f == "~") {
      f = {};
    }
    fields.push_back(f);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

// Calls fn(line_view, line_number) for each non-empty line; strips CR.
// Returns the number of lines.
template <typename Fn>
size_t ForEachLine(std::string_view text, Progress& progress, const std::string& label, Fn fn) {
  size_t pos = 0, line_no = 0, next_report = 0;
  while (pos < text.size()) {
    const char* nl =
        static_cast<const char*>(std::memchr(text.data() + pos, '\n', text.size() - pos));
    const size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    ++line_no;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) fn(line, line_no);
    pos = end + 1;
    if (pos >= next_report) {
      progress.Update(label, std::min(pos, text.size()), text.size());
      next_report = pos + text.size() / 100 + 1;
    }
  }
  progress.Update(label, text.size(), text.size());
  return line_no;
}

std::optional<double> Number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !(v >= 0) || v > 1e9) return std::nullopt;
  return v;
}

// The usual portion: USDA's first listed measure of 20-250 g (the same rule that picked the
// embedded table's servings), else its first measure, else 100 g.
void ChooseServing(Food& f) {
  for (const Portion& p : f.portions) {
    if (p.grams >= 20 && p.grams <= 250) {
      f.serving = p;
      return;
    }
  }
  f.serving = f.portions.empty() ? Portion{100, "g", 100} : f.portions.front();
}

// "1 cup, chopped" (amount in the text) -> Portion; `grams` is the weight of the whole label.
Portion MakePortion(double amount, std::string unit, double grams) {
  Portion p;
  p.amount = amount > 0 ? amount : 1;
  p.unit = std::move(unit);
  p.grams = grams;
  return p;
}

Portion PortionFromLabel(std::string_view label, double grams) {
  const size_t space = label.find(' ');
  if (space != std::string_view::npos) {
    if (auto amount = ParseFiniteNumber(label.substr(0, space)); amount && *amount > 0) {
      return MakePortion(*amount, std::string(label.substr(space + 1)), grams);
    }
  }
  return MakePortion(1, std::string(label), grams);
}

// A read-only memory map of a whole file: the USDA files are tens of megabytes, and mapping
// them avoids copying (and zero-filling) a buffer first.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  static Result<MappedFile> Open(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Error{errno == ENOENT ? ErrorCode::kDataError : ErrorCode::kIoError,
                   "cannot open " + path.string() + ": " + std::strerror(errno)};
    }
    struct stat st {};
    MappedFile file;
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return IoError("cannot read " + path.string());
    }
    file.size_ = static_cast<size_t>(st.st_size);
    if (file.size_ > 0) {
      void* data = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (data == MAP_FAILED) {
        ::close(fd);
        return IoError("cannot map " + path.string() + ": " + std::strerror(errno));
      }
      file.data_ = data;
    }
    ::close(fd);
    return file;
  }
  std::string_view view() const {
    return data_ == nullptr ? std::string_view()
                            : std::string_view(static_cast<const char*>(data_), size_);
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

Result<MappedFile> Read(const fs::path& path) { return MappedFile::Open(path); }

// ---- SR28 ASCII ----

Status ReadSr28(const fs::path& dir, std::vector<Food>& out, Problems& problems,
                Progress& progress) {
  std::vector<std::string_view> f;
  // Food groups.
  std::unordered_map<std::string, std::string> groups;
  {
    auto text = Read(dir / "FD_GROUP.txt");
    if (!text.ok()) return text.error();
    const std::string name = (dir / "FD_GROUP.txt").string();
    ForEachLine(text->view(), progress, "FD_GROUP.txt", [&](std::string_view line, size_t n) {
      SplitCaret(line, f);
      if (f.size() != 2 || f[0].empty()) return problems.Add(name, n, "expected 2 fields");
      groups.emplace(std::string(f[0]), Latin1ToUtf8(f[1]));
    });
  }
  // Foods, indexed by NDB number (five digits).
  std::vector<int> index(100000, -1);
  const size_t first = out.size();
  {
    auto text = Read(dir / "FOOD_DES.txt");
    if (!text.ok()) return text.error();
    const std::string name = (dir / "FOOD_DES.txt").string();
    out.reserve(out.size() +
                static_cast<size_t>(std::count(text->view().begin(), text->view().end(), '\n')) +
                1);
    ForEachLine(text->view(), progress, "FOOD_DES.txt", [&](std::string_view line, size_t n) {
      SplitCaret(line, f);
      if (f.size() != 14) {
        return problems.Add(name, n, "expected 14 fields, found " + std::to_string(f.size()));
      }
      int ndb = -1;
      auto [ptr, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), ndb);
      if (ec != std::errc() || ptr != f[0].data() + f[0].size() || ndb < 0 || ndb >= 100000) {
        return problems.Add(name, n, "NDB_No \"" + std::string(f[0]) + "\" is not a number");
      }
      if (f[2].empty()) return problems.Add(name, n, "empty Long_Desc");
      if (index[static_cast<size_t>(ndb)] >= 0) {
        return problems.Add(name, n, "duplicate NDB_No " + std::string(f[0]));
      }
      index[static_cast<size_t>(ndb)] = static_cast<int>(out.size());
      Food food;
      food.source = "sr28:" + std::string(f[0]);
      food.name = Latin1ToUtf8(f[2]);
      auto g = groups.find(std::string(f[1]));
      food.category = g != groups.end() ? g->second : std::string(f[1]);
      if (!f[4].empty()) food.aliases.push_back(Latin1ToUtf8(f[4]));  // ComName
      out.push_back(std::move(food));
    });
  }
  auto find = [&](std::string_view ndb_text) -> Food* {
    int ndb = -1;
    auto [ptr, ec] = std::from_chars(ndb_text.data(), ndb_text.data() + ndb_text.size(), ndb);
    if (ec != std::errc() || ptr != ndb_text.data() + ndb_text.size() || ndb < 0 || ndb >= 100000 ||
        index[static_cast<size_t>(ndb)] < 0) {
      return nullptr;
    }
    return &out[static_cast<size_t>(index[static_cast<size_t>(ndb)])];
  };
  // Nutrient values: the hot loop (680,000 rows). Only the first three fields matter; the
  // field count is checked by counting carets.
  {
    auto text = Read(dir / "NUT_DATA.txt");
    if (!text.ok()) return text.error();
    const std::string name = (dir / "NUT_DATA.txt").string();
    // Two halves split at a line boundary, the second on a helper thread. Each half keeps its
    // own problem list (line numbers relative to the half); the helper only collects its values
    // and they are applied after the join, in file order, so nothing is shared while both run.
    struct Value {
      Food* food;
      int slot;
      double value;
    };
    struct Half {
      std::vector<std::pair<size_t, std::string>> problems;
      std::vector<Value> values;
      bool defer = false;
      size_t lines = 0;
    };
    auto parse = [&](std::string_view part, Half& half, Progress& bar) {
      half.lines = ForEachLine(part, bar, "NUT_DATA.txt", [&](std::string_view line, size_t n) {
        auto problem = [&](std::string what) { half.problems.emplace_back(n, std::move(what)); };
        // The first three carets by hand (they sit in the first few bytes; a library call per
        // field costs more than the scan), then a vectorisable count over the rest.
        const char* d = line.data();
        const size_t size = line.size();
        size_t c[3] = {size, size, size};
        size_t i = 0;
        for (int k = 0; k < 3; ++k) {
          while (i < size && d[i] != '^') ++i;
          c[k] = i;
          if (i < size) ++i;
        }
        const auto carets = (c[2] < size ? 3 : (c[1] < size ? 2 : (c[0] < size ? 1 : 0))) +
                            std::count(d + i, d + size, '^');
        if (carets != 17) {
          return problem("expected 18 fields, found " + std::to_string(carets + 1));
        }
        const size_t c1 = c[0], c2 = c[1], c3 = c[2];
        auto strip = [](std::string_view s) {
          if (s.size() >= 2 && s.front() == '~' && s.back() == '~') s = s.substr(1, s.size() - 2);
          return s;
        };
        const std::string_view ndb = strip(line.substr(0, c1));
        const std::string_view nutr = strip(line.substr(c1 + 1, c2 - c1 - 1));
        int number = 0;
        auto [ptr, ec] = std::from_chars(nutr.data(), nutr.data() + nutr.size(), number);
        if (ec != std::errc() || ptr != nutr.data() + nutr.size()) {
          return problem("Nutr_No \"" + std::string(nutr) + "\" is not a number");
        }
        const int slot = NutrientSlot(number);
        if (slot < 0) return;
        Food* food = find(ndb);
        if (food == nullptr) {
          return problem("NDB_No \"" + std::string(ndb) + "\" is not in FOOD_DES.txt");
        }
        const std::string_view value = line.substr(c2 + 1, c3 - c2 - 1);
        auto v = Number(value);
        if (!v) {
          return problem("Nutr_Val \"" + std::string(value) + "\" is not a number");
        }
        if (half.defer) {
          half.values.push_back({food, slot, *v});
        } else {
          Slot(*food, slot) = *v;
        }
      });
    };
    const std::string_view all = text->view();
    size_t mid = all.size() / 2;
    mid = all.find('\n', mid);
    mid = mid == std::string_view::npos ? all.size() : mid + 1;
    Half halves[2];
    Progress quiet(false);
    if (all.size() >= (1u << 20)) {
      halves[1].defer = true;
      std::thread helper([&] { parse(all.substr(mid), halves[1], quiet); });
      parse(all.substr(0, mid), halves[0], progress);
      helper.join();
      for (const Value& v : halves[1].values) Slot(*v.food, v.slot) = v.value;
    } else {
      parse(all, halves[0], progress);
    }
    for (const auto& [line, what] : halves[0].problems) problems.Add(name, line, what);
    for (const auto& [line, what] : halves[1].problems) {
      problems.Add(name, halves[0].lines + line, what);
    }
  }
  // Household measures.
  {
    auto text = Read(dir / "WEIGHT.txt");
    if (!text.ok()) return text.error();
    const std::string name = (dir / "WEIGHT.txt").string();
    ForEachLine(text->view(), progress, "WEIGHT.txt", [&](std::string_view line, size_t n) {
      SplitCaret(line, f);
      if (f.size() != 7) {
        return problems.Add(name, n, "expected 7 fields, found " + std::to_string(f.size()));
      }
      Food* food = find(f[0]);
      if (food == nullptr) {
        return problems.Add(name, n, "NDB_No \"" + std::string(f[0]) + "\" is not in FOOD_DES.txt");
      }
      auto amount = Number(f[2]);
      auto grams = Number(f[4]);
      if (!amount || !grams || *grams <= 0 || f[3].empty()) {
        return problems.Add(name, n, "bad Amount, Msre_Desc or Gm_Wgt");
      }
      food->portions.push_back(MakePortion(*amount, Latin1ToUtf8(f[3]), *grams));
    });
  }
  for (size_t i = first; i < out.size(); ++i) ChooseServing(out[i]);
  return {};
}

// ---- FoodData Central CSV ----

// Reads a CSV file row by row with named columns; malformed rows go to `problems`.
template <typename Fn>
Status ForEachCsvRow(const fs::path& path, const std::vector<std::string>& columns,
                     Problems& problems, Progress& progress, Fn fn) {
  auto text = Read(path);
  if (!text.ok()) return text.error();
  const std::string name = path.string();
  CsvReader reader(text->view());
  std::vector<std::string> row;
  if (!reader.Next(row)) return DataError(name + ": empty file");
  std::vector<size_t> at;
  for (const auto& c : columns) {
    const int i = ColumnIndex(row, c);
    if (i < 0) return DataError(name + ":1: missing column '" + c + "'");
    at.push_back(static_cast<size_t>(i));
  }
  const size_t width = row.size();
  std::vector<std::string_view> picked(columns.size());
  size_t count = 0;
  while (true) {
    if (!reader.Next(row)) {
      if (reader.error().empty()) break;
      problems.Add(name, reader.line(), reader.error());
      continue;
    }
    if (row.size() != width) {
      problems.Add(
          name, reader.line(),
          "expected " + std::to_string(width) + " fields, found " + std::to_string(row.size()));
      continue;
    }
    for (size_t i = 0; i < at.size(); ++i) picked[i] = row[at[i]];
    fn(picked, reader.line(), name);
    if ((++count & 4095) == 0) progress.Update(path.filename().string(), count, count);
  }
  return {};
}

Status ReadFdc(const fs::path& dir, std::vector<Food>& out, Problems& problems,
               Progress& progress) {
  std::unordered_map<std::string, std::string> categories, units;
  std::unordered_map<std::string, int> nutrient_slot;  // nutrient.id -> slot
  std::unordered_map<std::string, bool> atwater;       // energy given by Atwater factors
  MG_RETURN_IF_ERROR(ForEachCsvRow(
      dir / "food_category.csv", {"id", "description"}, problems, progress,
      [&](const auto& r, size_t, const std::string&) { categories[std::string(r[0])] = r[1]; }));
  MG_RETURN_IF_ERROR(ForEachCsvRow(
      dir / "measure_unit.csv", {"id", "name"}, problems, progress,
      [&](const auto& r, size_t, const std::string&) { units[std::string(r[0])] = r[1]; }));
  MG_RETURN_IF_ERROR(ForEachCsvRow(
      dir / "nutrient.csv", {"id", "nutrient_nbr"}, problems, progress,
      [&](const auto& r, size_t, const std::string&) {
        auto number = ParseFiniteNumber(r[1]);
        if (!number) return;
        const int n = static_cast<int>(*number);
        if (NutrientSlot(n) >= 0) nutrient_slot[std::string(r[0])] = NutrientSlot(n);
        if (n == 957 || n == 958) {  // Energy (Atwater general / specific factors), kcal.
          nutrient_slot[std::string(r[0])] = kEnergy;
          atwater[std::string(r[0])] = true;
        }
      }));
  // Foods: only the released food records, not samples and acquisitions.
  const std::vector<std::string> kept = {"foundation_food", "sr_legacy_food", "survey_fndds_food"};
  std::unordered_map<std::string, size_t> index;
  const size_t first = out.size();
  MG_RETURN_IF_ERROR(
      ForEachCsvRow(dir / "food.csv", {"fdc_id", "data_type", "description", "food_category_id"},
                    problems, progress, [&](const auto& r, size_t line, const std::string& name) {
                      if (std::find(kept.begin(), kept.end(), r[1]) == kept.end()) return;
                      if (r[0].empty() || r[2].empty())
                        return problems.Add(name, line, "empty fdc_id or description");
                      if (!index.emplace(std::string(r[0]), out.size()).second) {
                        return problems.Add(name, line, "duplicate fdc_id " + std::string(r[0]));
                      }
                      Food food;
                      food.source = "fdc:" + std::string(r[0]);
                      food.name = std::string(r[2]);
                      auto c = categories.find(std::string(r[3]));
                      food.category = c != categories.end() ? c->second : std::string(r[3]);
                      out.push_back(std::move(food));
                    }));
  std::vector<bool> has_kcal(out.size(), false);
  MG_RETURN_IF_ERROR(ForEachCsvRow(
      dir / "food_nutrient.csv", {"fdc_id", "nutrient_id", "amount"}, problems, progress,
      [&](const auto& r, size_t line, const std::string& name) {
        auto food = index.find(std::string(r[0]));
        if (food == index.end()) return;  // A sample or acquisition record.
        auto slot = nutrient_slot.find(std::string(r[1]));
        if (slot == nutrient_slot.end()) return;
        auto v = Number(r[2]);
        if (!v)
          return problems.Add(name, line, "amount \"" + std::string(r[2]) + "\" is not a number");
        Food& f = out[food->second];
        if (slot->second == kEnergy) {
          // Prefer the plain kcal value (208); Atwater energies only fill a gap.
          const bool is_atwater = atwater.count(std::string(r[1])) > 0;
          if (is_atwater && has_kcal[food->second]) return;
          if (!is_atwater) has_kcal[food->second] = true;
        }
        Slot(f, slot->second) = *v;
      }));
  if (fs::exists(dir / "food_portion.csv")) {
    MG_RETURN_IF_ERROR(ForEachCsvRow(
        dir / "food_portion.csv",
        {"fdc_id", "amount", "measure_unit_id", "portion_description", "modifier", "gram_weight"},
        problems, progress, [&](const auto& r, size_t line, const std::string& name) {
          auto food = index.find(std::string(r[0]));
          if (food == index.end()) return;
          auto grams = Number(r[5]);
          if (!grams || *grams <= 0) {
            return problems.Add(name, line,
                                "gram_weight \"" + std::string(r[5]) + "\" is not positive");
          }
          std::string unit;
          auto u = units.find(std::string(r[2]));
          if (u != units.end() && u->second != "undetermined") unit = u->second;
          if (!r[4].empty()) unit += (unit.empty() ? "" : ", ") + std::string(r[4]);
          if (!r[3].empty()) {
            out[food->second].portions.push_back(PortionFromLabel(r[3], *grams));
            return;
          }
          if (unit.empty()) unit = "portion";
          out[food->second].portions.push_back(MakePortion(Number(r[1]).value_or(1), unit, *grams));
        }));
  }
  for (size_t i = first; i < out.size(); ++i) ChooseServing(out[i]);
  return {};
}

// ---- FNDDS At A Glance CSV ----

Status ReadFndds(const fs::path& dir, std::vector<Food>& out, Problems& problems,
                 Progress& progress) {
  std::unordered_map<std::string, size_t> index;
  const size_t first = out.size();
  const std::vector<std::string> columns = {"Food code",
                                            "Main food description",
                                            "WWEIA Category description",
                                            "Magnesium (mg)",
                                            "Energy (kcal)",
                                            "Calcium (mg)",
                                            "Potassium (mg)",
                                            "Iron (mg)",
                                            "Fiber, total dietary (g)"};
  MG_RETURN_IF_ERROR(ForEachCsvRow(
      dir / "fndds_nutrient_values.csv", columns, problems, progress,
      [&](const auto& r, size_t line, const std::string& name) {
        if (r[0].empty() || r[1].empty())
          return problems.Add(name, line, "empty food code or description");
        Food food;
        food.source = "fndds:" + std::string(r[0]);
        food.name = std::string(r[1]);
        food.category = std::string(r[2]);
        for (int slot = 0; slot < kNutrientCount; ++slot) {
          const std::string_view value = r[static_cast<size_t>(3 + slot)];
          if (value.empty()) continue;
          auto v = Number(value);
          if (!v) {
            return problems.Add(name, line,
                                "field '" + columns[static_cast<size_t>(3 + slot)] + "': \"" +
                                    std::string(value) + "\" is not a number");
          }
          Slot(food, slot) = *v;
        }
        if (!index.emplace(std::string(r[0]), out.size()).second) {
          return problems.Add(name, line, "duplicate food code " + std::string(r[0]));
        }
        out.push_back(std::move(food));
      }));
  if (fs::exists(dir / "fndds_portions_and_weights.csv")) {
    MG_RETURN_IF_ERROR(ForEachCsvRow(
        dir / "fndds_portions_and_weights.csv",
        {"Food code", "Portion description", "Portion weight (g)"}, problems, progress,
        [&](const auto& r, size_t line, const std::string& name) {
          auto food = index.find(std::string(r[0]));
          if (food == index.end()) {
            return problems.Add(name, line,
                                "food code " + std::string(r[0]) + " has no nutrient row");
          }
          auto grams = Number(r[2]);
          if (!grams)
            return problems.Add(name, line,
                                "portion weight \"" + std::string(r[2]) + "\" is not a number");
          if (*grams <= 0) return;  // "Quantity not specified" rows carry 0 g: not a measure.
          out[food->second].portions.push_back(PortionFromLabel(r[1], *grams));
        }));
  }
  for (size_t i = first; i < out.size(); ++i) ChooseServing(out[i]);
  return {};
}

enum class Format { kSr28, kFdc, kFndds };

// The file of each format that carries the magnesium values.
const char* MagnesiumFile(Format format) {
  switch (format) {
    case Format::kSr28:
      return "NUT_DATA.txt";
    case Format::kFdc:
      return "food_nutrient.csv";
    case Format::kFndds:
      return "fndds_nutrient_values.csv";
  }
  return "";
}

std::optional<Format> Detect(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "FOOD_DES.txt", ec) && fs::exists(dir / "NUT_DATA.txt", ec))
    return Format::kSr28;
  if (fs::exists(dir / "food.csv", ec) && fs::exists(dir / "food_nutrient.csv", ec))
    return Format::kFdc;
  if (fs::exists(dir / "fndds_nutrient_values.csv", ec)) return Format::kFndds;
  return std::nullopt;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Shortest text that reads back as the same double ("0.481", "28.35"): exact and fast.
std::string Shortest(double v) {
  char buffer[32];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, ptr) : FormatNumber(v, 6);
}

std::string PortionText(const Portion& p) {
  std::string unit = p.unit;
  std::replace(unit.begin(), unit.end(), ';', ',');
  std::replace(unit.begin(), unit.end(), '=', '-');
  return Shortest(p.amount) + " " + unit + "=" + Shortest(p.grams);
}

}  // namespace

Result<std::vector<Food>> ReadUsdaFoods(const std::string& dir, ImportReport& report,
                                        const ImportOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return InvalidArgument("DIR: \"" + dir + "\" is not a folder");
  std::vector<std::pair<fs::path, Format>> found;
  if (auto f = Detect(dir)) {
    found.emplace_back(dir, *f);
  } else {
    std::vector<fs::path> subdirs;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_directory()) subdirs.push_back(entry.path());
    }
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& sub : subdirs) {
      if (auto f = Detect(sub)) found.emplace_back(sub, *f);
    }
  }
  if (found.empty()) {
    return InvalidArgument("DIR: no USDA data in \"" + dir +
                           "\": expected SR28 ASCII (FOOD_DES.txt, NUT_DATA.txt...), FoodData "
                           "Central CSV (food.csv, food_nutrient.csv...) or FNDDS CSV "
                           "(fndds_nutrient_values.csv); see 'mgadvisor foods import --help'");
  }
  Problems problems(report, options.max_problems_listed);
  Progress progress(options.progress);
  std::vector<Food> foods;
  for (const auto& [path, format] : found) {
    const size_t first = foods.size();
    switch (format) {
      case Format::kSr28:
        MG_RETURN_IF_ERROR(ReadSr28(path, foods, problems, progress));
        report.formats.push_back("SR28 ASCII");
        break;
      case Format::kFdc:
        MG_RETURN_IF_ERROR(ReadFdc(path, foods, problems, progress));
        report.formats.push_back("FoodData Central CSV");
        break;
      case Format::kFndds:
        MG_RETURN_IF_ERROR(ReadFndds(path, foods, problems, progress));
        report.formats.push_back("FNDDS CSV");
        break;
    }
    // A dataset whose foods carry no magnesium value at all (an empty, truncated or wholly
    // malformed nutrient file) would replace a working store with a useless one.
    const bool any_magnesium =
        std::any_of(foods.begin() + static_cast<std::ptrdiff_t>(first), foods.end(),
                    [](const Food& f) { return f.magnesium_mg.has_value(); });
    if (foods.size() > first && !any_magnesium) {
      return DataError(fmt::format(
          "{}: no magnesium value (USDA nutrient 304) for any of the {} foods of this dataset "
          "({} malformed rows so far); the food store was not changed",
          (path / MagnesiumFile(format)).string(), foods.size() - first, report.malformed_rows));
    }
  }
  report.foods = foods.size();
  for (const Food& f : foods) {
    if (f.magnesium_mg) ++report.with_magnesium;
    report.portions += f.portions.size();
  }
  return foods;
}

std::string FormatFoodTable(const std::vector<Food>& foods) {
  std::string out =
      "source,name,category,tags,aliases,mg,kcal,calcium_mg,potassium_mg,iron_mg,fibre_g,serving,"
      "portions,usda_description\n";
  out.reserve(foods.size() * 200);
  auto number = [](const std::optional<double>& v) { return v ? Shortest(*v) : std::string(); };
  for (const Food& f : foods) {
    std::string tags, aliases, portions;
    for (const auto& t : f.tags) tags += (tags.empty() ? "" : " ") + t;
    for (auto a : f.aliases) {
      std::replace(a.begin(), a.end(), ';', ',');
      aliases += (aliases.empty() ? "" : "; ") + a;
    }
    for (const auto& p : f.portions) portions += (portions.empty() ? "" : ";") + PortionText(p);
    out += CsvField(f.source) + ',' + CsvField(f.name) + ',' + CsvField(f.category) + ',' +
           CsvField(tags) + ',' + CsvField(aliases) + ',' + number(f.magnesium_mg) + ',' +
           number(f.kcal) + ',' + number(f.calcium_mg) + ',' + number(f.potassium_mg) + ',' +
           number(f.iron_mg) + ',' + number(f.fibre_g) + ',' + CsvField(PortionText(f.serving)) +
           ',' + CsvField(portions) + ',' + CsvField(f.usda_description) + '\n';
  }
  return out;
}

Result<ImportReport> ImportFoods(const std::string& dir, const ImportOptions& options) {
  ImportReport report;
  auto foods = ReadUsdaFoods(dir, report, options);
  if (!foods.ok()) return foods.error();
  if (foods->empty()) {
    return DataError("DIR: \"" + dir + "\" holds no readable foods; the store was not changed");
  }
  MG_RETURN_IF_ERROR(
      WriteFileAtomically(options.store_path, FormatFoodTable(*foods), FileAccess::kShared));
  return report;
}

}  // namespace mg::foods

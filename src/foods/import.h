// Importing the USDA datasets people download into mgadvisor's own food store (the CSV layout of
// data/foods/foods.csv). Detects the format from the files in a folder:
//   * SR28 ASCII: FOOD_DES.txt, NUT_DATA.txt, WEIGHT.txt, FD_GROUP.txt (caret-delimited, `~` text
//     qualifiers, Latin-1; empty text fields may lack their tildes);
//   * FoodData Central CSV (SR Legacy or Foundation Foods): food.csv, food_nutrient.csv,
//     nutrient.csv, food_portion.csv, measure_unit.csv, food_category.csv;
//   * FNDDS "At A Glance" tables as CSV: fndds_nutrient_values.csv, fndds_portions_and_weights.csv.
// A folder may hold several of these in subfolders; all are imported.
//
// Malformed rows are counted and reported with file:line, never silently dropped. A dataset in
// which no food has a magnesium value is refused whole. The store is written with
// core/atomic_file.h (temporary file, fsync, rename) only when the import succeeds, so a failed
// or killed import leaves the previous store intact.
#ifndef MGADVISOR_FOODS_IMPORT_H_
#define MGADVISOR_FOODS_IMPORT_H_

#include <string>
#include <vector>

#include "core/error.h"
#include "foods/foods.h"

namespace mg::foods {

struct ImportOptions {
  std::string store_path;           // Where to write the store.
  bool progress = false;            // Draw a progress bar on stderr.
  size_t max_problems_listed = 20;  // Malformed rows beyond this are counted, not listed.
};

struct ImportReport {
  std::vector<std::string> formats;  // "SR28 ASCII", "FoodData Central CSV", "FNDDS CSV"
  size_t foods = 0;
  size_t with_magnesium = 0;
  size_t portions = 0;
  size_t malformed_rows = 0;
  std::vector<std::string> problems;  // "dir/NUT_DATA.txt:12: expected 18 fields, found 3"
};

// Reads every USDA dataset found in `dir` (or its direct subfolders) into foods.
// Errors: kInvalidArgument when no known dataset is there; kDataError when a required column
// or file is missing, or when a dataset has foods but not one magnesium value (the message names
// its nutrient file); kIoError when a file cannot be read.
Result<std::vector<Food>> ReadUsdaFoods(const std::string& dir, ImportReport& report,
                                        const ImportOptions& options = {});

// Serialises foods in the food-table CSV layout that ParseFoodTable reads.
std::string FormatFoodTable(const std::vector<Food>& foods);

// ReadUsdaFoods + FormatFoodTable + WriteFileAtomically (core/atomic_file.h). Errors as above;
// an import that finds no foods fails (kDataError) and writes nothing; kIoError (naming the
// store) when it cannot be written, the old store then untouched.
Result<ImportReport> ImportFoods(const std::string& dir, const ImportOptions& options);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_IMPORT_H_

#include "tests/fault/report.h"

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mg::fault {

std::string Printf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int size = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out(size > 0 ? static_cast<size_t>(size) : 0, '\0');
  if (size > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
  va_end(again);
  return out;
}

void ReportCounts(const std::string& name, const std::string& line) {
  std::printf("%s\n", line.c_str());
  const std::filesystem::path dir = std::filesystem::path(MG_BINARY_DIR) / "fault-counts";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream(dir / (name + ".txt")) << line << "\n";
}

}  // namespace mg::fault

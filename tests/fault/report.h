// How a fault test reports its counts (requests, kills, writes, failures, runtime): printed, and
// kept in MG_BINARY_DIR/fault-counts/<name>.txt, which scripts/test.sh shows at the end of a run
// because ctest hides the output of a test that passes.
#ifndef MGADVISOR_TESTS_FAULT_REPORT_H_
#define MGADVISOR_TESTS_FAULT_REPORT_H_

#include <string>

namespace mg::fault {

// printf-style formatting into a string.
std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));

void ReportCounts(const std::string& name, const std::string& line);

}  // namespace mg::fault

#endif  // MGADVISOR_TESTS_FAULT_REPORT_H_

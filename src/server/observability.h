// Private to mg_server: what `serve` tells its operator about the requests it answers.
//
// - The access log: one JSON line per request on stderr,
//     {"time":"2026-12-02T10:31:02.123Z","method":"GET","route":"/api/journal/entries/{id}",
//      "status":200,"duration_ms":0.41}
//   naming the route's pattern (the OpenAPI path), never the path as sent, so an id, a search
//   text or an explained sentence never reaches the log; nor do bodies, query values, cookies,
//   tokens, user names or the client's address. A request that matches no route is logged as
//   "(unmatched)", one the transport refused before routing (413, 408...) as "(refused)".
// - GET /metrics (serve --metrics): counters and latency histograms per method and route
//   pattern, server errors, transport refusals and the database pool, in the Prometheus text
//   exposition format 0.0.4.
//
// Thread-safe: Record is called from every I/O and worker thread.
#ifndef MGADVISOR_SERVER_OBSERVABILITY_H_
#define MGADVISOR_SERVER_OBSERVABILITY_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "accounts/database.h"

namespace mg::server {

// Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
inline constexpr std::array<double, 14> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

inline constexpr std::string_view kUnmatchedRoute = "(unmatched)";
inline constexpr std::string_view kRefusedRoute = "(refused)";

class RequestLog {
 public:
  explicit RequestLog(bool access_log) : access_log_(access_log) {}

  // One answered request. `route` is a route's pattern or one of the two names above; `method`
  // is the request's (anything but GET/HEAD/POST/PUT/PATCH/DELETE/OPTIONS counts as "OTHER",
  // so a client cannot grow the metrics without bound).
  void Record(std::string_view method, std::string_view route, int status,
              std::chrono::steady_clock::duration duration);

  // The exposition text; `pool` adds the database pool's gauges (multi-user mode).
  std::string RenderMetrics(const std::optional<accounts::PoolUse>& pool) const;

  // The access-log line for one request (without the newline); exposed for tests.
  static std::string AccessLine(std::chrono::system_clock::time_point when, std::string_view method,
                                std::string_view route, int status,
                                std::chrono::steady_clock::duration duration);

 private:
  struct Series {
    std::array<uint64_t, kLatencyBuckets.size() + 1> buckets{};  // Last: +Inf.
    double sum_seconds = 0;
    uint64_t count = 0;
    std::map<int, uint64_t> by_status;
  };
  const bool access_log_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Series> series_;  // (method, route).
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_OBSERVABILITY_H_

#include "server/observability.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

namespace mg::server {
namespace {

std::string_view BoundedMethod(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return method == "-" ? "-" : "OTHER";
}

// A label value as the exposition format wants it: backslash, double quote and newline escaped.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Shortest text that reads back as the same double ("0.0005", "1", "2.5").
std::string Number(double value) { return fmt::format("{}", value); }

void Help(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string RequestLog::AccessLine(std::chrono::system_clock::time_point when,
                                   std::string_view method, std::string_view route, int status,
                                   std::chrono::steady_clock::duration duration) {
  // UTC with milliseconds, by hand: fmt 9 (Debian 12) formats a time_point in local time.
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  const double duration_ms = std::chrono::duration<double, std::milli>(duration).count();
  // nlohmann::json: the route is ours, but the method is the client's token, escaped as JSON.
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["time"] =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms % 1000);
  line["method"] = std::string(BoundedMethod(method));
  line["route"] = std::string(route);
  line["status"] = status;
  line["duration_ms"] = std::round(duration_ms * 1000) / 1000;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RequestLog::Record(std::string_view method, std::string_view route, int status,
                        std::chrono::steady_clock::duration duration) {
  const std::string_view bounded = BoundedMethod(method);
  const double seconds = std::chrono::duration<double>(duration).count();
  {
    std::lock_guard lock(mu_);
    Series& s = series_[{std::string(bounded), std::string(route)}];
    size_t bucket = 0;
    while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
    ++s.buckets[bucket];
    s.sum_seconds += seconds;
    ++s.count;
    ++s.by_status[status];
  }
  if (!access_log_) return;
  // One write(2) per line, so lines of threads answering at once never interleave.
  const std::string line =
      AccessLine(std::chrono::system_clock::now(), bounded, route, status, duration) + "\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

std::string RequestLog::RenderMetrics(const std::optional<accounts::PoolUse>& pool) const {
  std::lock_guard lock(mu_);
  std::string out;
  Help(out, "mgadvisor_http_requests_total", "counter",
       "Requests answered, by method, route pattern and status.");
  for (const auto& [key, s] : series_) {
    for (const auto& [status, n] : s.by_status) {
      out += fmt::format(
          "mgadvisor_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
          Label(key.first), Label(key.second), status, n);
    }
  }
  Help(out, "mgadvisor_http_server_errors_total", "counter",
       "Answers with a 5xx status (the server's failures), by method and route pattern.");
  for (const auto& [key, s] : series_) {
    uint64_t errors = 0;
    for (const auto& [status, n] : s.by_status) errors += status >= 500 ? n : 0;
    out += fmt::format("mgadvisor_http_server_errors_total{{method=\"{}\",route=\"{}\"}} {}\n",
                       Label(key.first), Label(key.second), errors);
  }
  Help(out, "mgadvisor_http_request_duration_seconds", "histogram",
       "Time from a request's last byte to its answer, by method and route pattern.");
  for (const auto& [key, s] : series_) {
    const std::string labels =
        fmt::format("method=\"{}\",route=\"{}\"", Label(key.first), Label(key.second));
    uint64_t cumulative = 0;
    for (size_t i = 0; i < s.buckets.size(); ++i) {
      cumulative += s.buckets[i];
      const std::string le = i < kLatencyBuckets.size() ? Number(kLatencyBuckets[i]) : "+Inf";
      out += fmt::format("mgadvisor_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                         labels, le, cumulative);
    }
    out += fmt::format("mgadvisor_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                       Number(s.sum_seconds));
    out += fmt::format("mgadvisor_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
  }
  if (pool) {
    Help(out, "mgadvisor_db_pool_connections", "gauge",
         "PostgreSQL connections: the pool's size, open now, in use by a request now.");
    out += fmt::format("mgadvisor_db_pool_connections{{state=\"size\"}} {}\n", pool->size);
    out += fmt::format("mgadvisor_db_pool_connections{{state=\"open\"}} {}\n", pool->open);
    out += fmt::format("mgadvisor_db_pool_connections{{state=\"in_use\"}} {}\n", pool->in_use);
  }
  return out;
}

}  // namespace mg::server

// journal_load: many people writing to `mgadvisor serve --db postgresql://...` at once (issue 20),
// over real HTTP on loopback. Run by scripts/bench-writers.sh beside pgbench; not a test.
//
//   journal_load --port P --accounts N --seconds S [--read-every K] [--run NAME] [--sessions FILE]
//
// Signs up N accounts (or, with --sessions, takes them from FILE when it exists and writes them
// there after signing up: an Argon2id hash per sign-up costs more than a round of load), then one
// thread per account, each on its own keep-alive connection, logs entries (POST
// /api/journal/entries) and after every K writes reads its newest entries back (GET
// /api/journal/entries?limit=20). Prints one JSON line: writes and reads per second, their latency
// percentiles, errors, and the isolation checks. Exit status 1 when anything was wrong.
//
// Checks that can fail (each counted, never asserted on timing):
// - every response to a write is 201 and to a read 200 (else an error);
// - a read holds only entries this account wrote (each note starts with the account's name): an
//   entry of another account is a leak;
// - a read's `total` equals the writes this account has had acknowledged (only this thread writes
//   to this account, so a lost or doubled write shows), and its newest entry is the last write;
// - at the end each account's export holds exactly its acknowledged writes, all its own.
// Sign-ups are limited to 10 per client address per hour; each account signs up from its own
// loopback address (127.0.1.x: the whole 127/8 is loopback on Linux), so the limit stays on.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Response {
  int status = 0;  // 0: the connection failed.
  std::string body;
  std::string set_cookie;
  bool close = false;
};

// One HTTP/1.1 keep-alive connection from a given loopback source address. Blocking sockets,
// TCP_NODELAY: the client must cost little next to the server it measures.
class Connection {
 public:
  Connection(int port, std::string source) : port_(port), source_(std::move(source)) {}
  ~Connection() { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Response Send(std::string_view method, std::string_view target, std::string_view body,
                std::string_view extra_headers) {
    if (fd_ < 0 && !Open()) return {};
    std::string request;
    request.reserve(256 + body.size());
    request.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    request.append(extra_headers);
    if (!body.empty() || method != "GET") {
      request.append("Content-Type: application/json\r\nContent-Length: ")
          .append(std::to_string(body.size()))
          .append("\r\n");
    }
    request.append("\r\n").append(body);
    Response r = Exchange(request);
    if (r.status == 0 || r.close) Close();
    return r;
  }

 private:
  bool Open() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source_.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port_));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      Close();
      return false;
    }
    return true;
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  Response Exchange(const std::string& request) {
    for (size_t sent = 0; sent < request.size();) {
      const ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return {};
      sent += static_cast<size_t>(n);
    }
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Read()) return {};
    }
    Response r;
    const std::string_view head(buffer_.data(), header_end);
    if (head.size() < 12 || !head.starts_with("HTTP/1.1 ")) return {};
    r.status = std::atoi(buffer_.c_str() + 9);
    size_t length = 0;
    for (size_t line = head.find("\r\n"); line != std::string_view::npos;) {
      const size_t next = head.find("\r\n", line + 2);
      std::string field(head.substr(
          line + 2, next == std::string_view::npos ? std::string::npos : next - line - 2));
      std::transform(field.begin(), field.begin() + std::min<size_t>(field.find(':'), field.size()),
                     field.begin(), [](unsigned char c) { return std::tolower(c); });
      if (field.starts_with("content-length:"))
        length = std::strtoul(field.c_str() + 15, nullptr, 10);
      if (field.starts_with("connection:") && field.find("close") != std::string::npos) {
        r.close = true;
      }
      if (field.starts_with("set-cookie:")) r.set_cookie = field.substr(11);
      line = next;
    }
    const size_t body_start = header_end + 4;
    while (buffer_.size() < body_start + length) {
      if (!Read()) return {};
    }
    r.body = buffer_.substr(body_start, length);
    buffer_.erase(0, body_start + length);
    return r;
  }

  bool Read() {
    char chunk[16384];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int port_;
  std::string source_;
  int fd_ = -1;
  std::string buffer_;
};

struct Account {
  std::string username;
  std::string source;        // Loopback address it signs up and works from.
  std::string cookie;        // mg_session=...
  std::string csrf;          // The session's CSRF token.
  std::string headers;       // Cookie and X-CSRF-Token, as sent.
  int64_t acknowledged = 0;  // Entries in its journal, all written by this program.
  int64_t before = 0;        // Of those, written by an earlier run.
};

// What one account's thread measured.
struct Tally {
  std::vector<double> write_us, read_us;
  int64_t errors = 0, leaks = 0, mismatches = 0;
  std::string first_problem;
  void Problem(int64_t& counter, std::string what) {
    ++counter;
    if (first_problem.empty()) first_problem = std::move(what);
  }
};

std::optional<std::string> SignUp(int port, Account& a) {
  Connection c(port, a.source);
  const json body = {{"username", a.username}, {"password", "tidal mortar " + a.source + " Zx!"}};
  Response r = c.Send("POST", "/api/account", body.dump(), "");
  if (r.status != 201)
    return "sign-up of " + a.username + ": status " + std::to_string(r.status) + " " + r.body;
  const size_t semi = r.set_cookie.find(';');
  std::string cookie = r.set_cookie.substr(0, semi);
  cookie.erase(0, cookie.find_first_not_of(' '));
  const json answer = json::parse(r.body, nullptr, false);
  if (answer.is_discarded() || !answer.contains("csrf_token") || cookie.empty()) {
    return "sign-up of " + a.username + ": no session in the answer";
  }
  a.cookie = cookie;
  a.csrf = answer["csrf_token"].get<std::string>();
  a.headers = "Cookie: " + a.cookie + "\r\nX-CSRF-Token: " + a.csrf + "\r\n";
  return std::nullopt;
}

// The entries already in a reused account's journal: its writes so far, all acknowledged.
std::optional<std::string> Resume(int port, Account& a) {
  Connection c(port, a.source);
  Response r = c.Send("GET", "/api/journal/entries?limit=1", "", a.headers);
  const json page = json::parse(r.body, nullptr, false);
  if (r.status != 200 || page.is_discarded() || !page.contains("total")) {
    return "reading " + a.username + "'s journal: status " + std::to_string(r.status);
  }
  a.acknowledged = a.before = page["total"].get<int64_t>();
  return std::nullopt;
}

// Every entry's note starts with "<username> #": another account's entry in a read is a leak.
bool Own(const json& entry, const std::string& tag) {
  return entry.contains("note") && entry["note"].is_string() &&
         entry["note"].get<std::string>().starts_with(tag);
}

void Work(int port, Account& a, int read_every, Clock::time_point until, Tally& t) {
  Connection c(port, a.source);
  const std::string tag = a.username + " #";
  for (int64_t seq = 1; Clock::now() < until; ++seq) {
    // Pain ratings and foods with magnesium, as a person logs them.
    const json entry =
        seq % 2 == 0
            ? json{{"kind", "pain"}, {"value", seq % 11}, {"note", tag + std::to_string(seq)}}
            : json{{"kind", "food"},
                   {"label", "pumpkin seeds 30 g"},
                   {"magnesium_mg", 156},
                   {"note", tag + std::to_string(seq)}};
    auto start = Clock::now();
    Response w = c.Send("POST", "/api/journal/entries", entry.dump(), a.headers);
    t.write_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (w.status != 201) {
      t.Problem(t.errors, "write: status " + std::to_string(w.status) + " " + w.body);
      continue;
    }
    ++a.acknowledged;
    if (seq % read_every != 0) continue;
    start = Clock::now();
    Response r = c.Send("GET", "/api/journal/entries?limit=20", "", a.headers);
    t.read_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    const json page = json::parse(r.body, nullptr, false);
    if (r.status != 200 || page.is_discarded() || !page.contains("entries")) {
      t.Problem(t.errors, "read: status " + std::to_string(r.status) + " " + r.body.substr(0, 200));
      continue;
    }
    for (const json& e : page["entries"]) {
      if (!Own(e, tag))
        t.Problem(t.leaks, a.username + " read another account's entry: " + e.dump());
    }
    const auto& entries = page["entries"];
    if (page.value("total", int64_t{-1}) != a.acknowledged || entries.empty() ||
        entries.back().value("note", "") != tag + std::to_string(seq)) {
      t.Problem(t.mismatches, a.username + ": read total " + page.value("total", json()).dump() +
                                  " after " + std::to_string(a.acknowledged) +
                                  " acknowledged writes");
    }
  }
}

// The whole journal once more after the load: exactly the acknowledged writes, all own.
void CheckExport(int port, const Account& a, Tally& t) {
  Connection c(port, a.source);
  Response r = c.Send("GET", "/api/journal/export", "", a.headers);
  const json doc = json::parse(r.body, nullptr, false);
  if (r.status != 200 || doc.is_discarded() || !doc.contains("entries")) {
    t.Problem(t.errors, "export of " + a.username + ": status " + std::to_string(r.status));
    return;
  }
  const std::string tag = a.username + " #";
  for (const json& e : doc["entries"]) {
    if (!Own(e, tag)) t.Problem(t.leaks, a.username + "'s export holds " + e.dump());
  }
  if (static_cast<int64_t>(doc["entries"].size()) != a.acknowledged) {
    t.Problem(t.mismatches, a.username + "'s export holds " +
                                std::to_string(doc["entries"].size()) + " entries, " +
                                std::to_string(a.acknowledged) + " were acknowledged");
  }
}

json Percentiles(std::vector<double> us) {
  if (us.empty()) return json::object();
  std::sort(us.begin(), us.end());
  const auto at = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<size_t>(q * static_cast<double>(us.size())))];
  };
  return {{"p50_us", at(0.50)}, {"p90_us", at(0.90)}, {"p99_us", at(0.99)}, {"max_us", us.back()}};
}

int Usage() {
  std::fprintf(stderr,
               "usage: journal_load --port P [--accounts N (16)] [--seconds S (5)] "
               "[--read-every K (4)] [--run NAME] [--sessions FILE]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, accounts = 16, read_every = 4;
  double seconds = 5;
  std::string sessions;
  std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port")
      port = std::atoi(value);
    else if (flag == "--accounts")
      accounts = std::atoi(value);
    else if (flag == "--seconds")
      seconds = std::atof(value);
    else if (flag == "--read-every")
      read_every = std::atoi(value);
    else if (flag == "--run")
      run = value;
    else if (flag == "--sessions")
      sessions = value;
    else
      return Usage();
  }
  if (argc % 2 == 0 || port <= 0 || accounts < 1 || accounts > 250 || read_every < 1 ||
      seconds <= 0) {
    return Usage();
  }

  std::vector<Account> people(static_cast<size_t>(accounts));
  for (int i = 0; i < accounts; ++i) {
    people[i].username = "load-" + run + "-" + std::to_string(i);
    people[i].source = "127.0.1." + std::to_string(i + 1);
  }
  // Accounts of an earlier run: one line each, username, address, cookie, CSRF token.
  bool reused = false;
  if (!sessions.empty()) {
    std::ifstream in(sessions);
    Account a;
    for (size_t i = 0; i < people.size() && in >> a.username >> a.source >> a.cookie >> a.csrf;
         ++i) {
      a.headers = "Cookie: " + a.cookie + "\r\nX-CSRF-Token: " + a.csrf + "\r\n";
      people[i] = a;
      reused = i + 1 == people.size();
    }
  }
  // Four at a time: the server hashes at most four Argon2id passwords at once anyway.
  {
    std::mutex mu;
    std::string failed;
    std::atomic<int> next = 0;
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k) {
      threads.emplace_back([&] {
        for (int i; (i = next++) < accounts;) {
          if (auto problem = reused ? Resume(port, people[i]) : SignUp(port, people[i])) {
            std::lock_guard lock(mu);
            failed = *problem;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    if (!failed.empty()) {
      std::fprintf(stderr, "journal_load: %s\n", failed.c_str());
      return 1;
    }
  }

  if (!sessions.empty() && !reused) {
    std::ofstream out(sessions);
    for (const Account& a : people) {
      out << a.username << ' ' << a.source << ' ' << a.cookie << ' ' << a.csrf << '\n';
    }
  }

  std::vector<Tally> tallies(people.size());
  const auto start = Clock::now();
  const auto until =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < people.size(); ++i) {
      threads.emplace_back(Work, port, std::ref(people[i]), read_every, until,
                           std::ref(tallies[i]));
    }
    for (auto& t : threads) t.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  for (size_t i = 0; i < people.size(); ++i) CheckExport(port, people[i], tallies[i]);

  Tally all;
  for (Tally& t : tallies) {
    all.write_us.insert(all.write_us.end(), t.write_us.begin(), t.write_us.end());
    all.read_us.insert(all.read_us.end(), t.read_us.begin(), t.read_us.end());
    all.errors += t.errors;
    all.leaks += t.leaks;
    all.mismatches += t.mismatches;
    if (all.first_problem.empty()) all.first_problem = t.first_problem;
  }
  int64_t written = 0;
  for (const Account& a : people) written += a.acknowledged - a.before;
  const json result = {
      {"accounts", accounts},
      {"seconds", elapsed},
      {"writes", written},
      {"reads", all.read_us.size()},
      {"writes_per_s", static_cast<double>(written) / elapsed},
      {"reads_per_s", static_cast<double>(all.read_us.size()) / elapsed},
      {"write_latency", Percentiles(all.write_us)},
      {"read_latency", Percentiles(all.read_us)},
      {"errors", all.errors},
      {"leaks", all.leaks},
      {"mismatches", all.mismatches},
      {"first_problem", all.first_problem},
  };
  std::printf("JOURNALLOAD %s\n", result.dump().c_str());
  return all.errors + all.leaks + all.mismatches == 0 ? 0 : 1;
}

// Regression tests for issue 11's transport findings, against the real server (and, for the
// finer points, the transport alone with a trivial handler) over loopback with raw sockets: the
// attacks are made of bytes an HTTP client library would not send. Each test names its finding.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/http_transport.h"
#include "server/running_server_test_util.h"
#include "server/server.h"

namespace mg::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string Gzip(std::string_view data) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// This process's resident memory, and its peak since ResetPeakRss(), from /proc.
size_t ProcStatusKib(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stoul(line.substr(key.size() + 1));
  }
  return 0;
}
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

struct RawResponse {
  int status = 0;
  std::string head;  // Status line and headers.
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
  // The value of header `name` (as the server spells it), or "".
  std::string Header(const std::string& name) const {
    const size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// One TCP connection from a chosen loopback address, speaking bytes.
class RawClient {
 public:
  // Connects from `source` (any 127.x.y.z: the server sees a different client address) to
  // 127.0.0.1:port. Null when the connection fails.
  static std::unique_ptr<RawClient> Connect(int port, const char* source = "127.0.0.1") {
    auto client = std::unique_ptr<RawClient>(new RawClient(socket(AF_INET, SOCK_STREAM, 0)));
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source, &from.sin_addr);
    if (bind(client->fd_, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) return nullptr;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(client->fd_, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) return nullptr;
    return client;
  }
  ~RawClient() { close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Sends `header`, then `chunk` as HTTP chunks until `total` bytes have gone or the server
  // answers, whichever comes first; returns the answer (nullopt if none came within `timeout`)
  // and how many body bytes were sent.
  std::optional<RawResponse> StreamChunked(const std::string& header, size_t chunk, size_t total,
                                           std::chrono::milliseconds timeout, size_t& sent) {
    sent = 0;
    if (!Send(header)) return std::nullopt;
    const std::string frame = fmt::format("{:x}\r\n{}\r\n", chunk, std::string(chunk, 'x'));
    size_t offset = 0;  // Into the frame being sent.
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, static_cast<short>(POLLIN | (sent < total ? POLLOUT : 0)), 0};
      if (poll(&p, 1, 100) <= 0) continue;
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) return Read(deadline - Clock::now());
      const ssize_t n =
          send(fd_, frame.data() + offset, frame.size() - offset, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) return Read(deadline - Clock::now());  // Reset: the answer may still be here.
      offset += static_cast<size_t>(n);
      if (offset == frame.size()) {
        offset = 0;
        sent += chunk;
      }
    }
    return std::nullopt;
  }

  // Reads one response within `timeout`; nullopt if it does not come whole.
  std::optional<RawResponse> Read(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    size_t head_end = std::string::npos;
    size_t length = 0;
    while (true) {
      if (head_end == std::string::npos &&
          (head_end = buffer_.find("\r\n\r\n")) != std::string::npos) {
        const std::string head = buffer_.substr(0, head_end);
        const size_t at = head.find("\r\nContent-Length: ");
        if (at != std::string::npos) length = std::stoul(head.substr(at + 18));
      }
      if (head_end != std::string::npos && buffer_.size() >= head_end + 4 + length) {
        RawResponse out;
        out.head = buffer_.substr(0, head_end);
        out.body = buffer_.substr(head_end + 4, length);
        buffer_.erase(0, head_end + 4 + length);
        if (out.head.rfind("HTTP/1.", 0) == 0) out.status = std::stoi(out.head.substr(9, 3));
        return out;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char data[16384];
      const ssize_t n = recv(fd_, data, sizeof(data), 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(data, static_cast<size_t>(n));
    }
  }

  // Whether the server has closed the connection (EOF or reset) within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char data[4096];
      const ssize_t n = recv(fd_, data, sizeof(data), MSG_DONTWAIT);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  explicit RawClient(int fd) : fd_(fd) {}
  int fd_;
  std::string buffer_;
};

std::string Post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{}"
      "Content-Length: {}\r\n\r\n{}",
      path, extra_headers, body.size(), body);
}
const std::string kHealth = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// The real server in local mode on a scratch journal, with `configure` applied to its options.
class HttpLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-http-limits-test", 1);
    dir_ = std::filesystem::temp_directory_path() /
           ("mg-http-limits-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  void StartServer(const std::function<void(ServerOptions&)>& configure = {}) {
    ServerOptions options;
    options.journal_path = (dir_ / "journal.db").string();
    if (configure) configure(options);
    server_ = RunningServer::Start(options);
    ASSERT_NE(server_, nullptr);
  }
  int port() const { return server_->port(); }

  // The server still answers an ordinary request, within `bound`.
  void ExpectServing(std::chrono::milliseconds bound = 5000ms) {
    auto client = RawClient::Connect(port());
    ASSERT_NE(client, nullptr);
    const auto start = Clock::now();
    ASSERT_TRUE(client->Send(kHealth));
    auto res = client->Read(bound);
    ASSERT_TRUE(res.has_value()) << "no answer within " << bound.count() << " ms";
    EXPECT_EQ(res->status, 200);
    EXPECT_LT(Clock::now() - start, bound);
  }

  std::filesystem::path dir_;
  std::unique_ptr<RunningServer> server_;
};

// Finding 2: a chunked body was read whole, however large. Now 413 as soon as the count passes
// the limit; the rest is never buffered.
TEST_F(HttpLimitsTest, HundredMibChunkedBodyIs413QuicklyWithBoundedMemory) {
  StartServer();
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  const size_t rss_before_kib = ProcStatusKib("VmRSS");
  ResetPeakRss();
  const auto start = Clock::now();
  size_t sent = 0;
  auto res = client->StreamChunked(
      "POST /api/plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n",
      64 * 1024, 100u << 20, 60s, sent);
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(res.has_value()) << "no answer; sent " << sent << " bytes";
  EXPECT_EQ(res->status, 413) << res->body;
  EXPECT_EQ(res->Json()["error"]["code"], "payload_too_large") << res->body;
  EXPECT_LT(elapsed, 5s);
  EXPECT_LT(sent, 50u << 20) << "the server read far past the limit before answering";
  const size_t growth_kib = ProcStatusKib("VmHWM") - rss_before_kib;
  EXPECT_LT(growth_kib, 40u * 1024) << "peak memory grew by " << growth_kib << " KiB";
  ExpectServing();
}

// A Content-Length over the limit is refused on the header alone: no body byte is awaited.
TEST_F(HttpLimitsTest, ContentLengthOverLimitIs413BeforeTheBody) {
  StartServer();
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send(
      "POST /api/plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 104857600\r\n\r\n{"));
  auto res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->Json()["error"]["code"], "payload_too_large");
}

// Finding 2: 61 KB of gzip inflating to 60 MiB was inflated in memory. Now 413 at the limit.
TEST_F(HttpLimitsTest, GzipBombIs413) {
  StartServer();
  const std::string bomb = Gzip(std::string(60u << 20, '\0'));
  ASSERT_LT(bomb.size(), 64u * 1024) << "the bomb must pass the wire limit";
  const size_t rss_before_kib = ProcStatusKib("VmRSS");
  ResetPeakRss();
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send(Post("/api/plan", bomb, "Content-Encoding: gzip\r\n")));
  auto res = client->Read(10s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413) << res->body;
  EXPECT_EQ(res->Json()["error"]["code"], "payload_too_large");
  const size_t growth_kib = ProcStatusKib("VmHWM") - rss_before_kib;
  EXPECT_LT(growth_kib, 20u * 1024) << "peak memory grew by " << growth_kib << " KiB";
  ExpectServing();
}

// Finding 1 at the transport: 260-odd bytes of gzip holding 100,000 nested arrays. Whatever the
// JSON reader makes of it, the answer is a 4xx and the server goes on serving.
TEST_F(HttpLimitsTest, NestedArraysInGzipAreRefusedAndTheServerSurvives) {
  StartServer();
  const std::string nested = std::string(100000, '[') + std::string(100000, ']');
  const std::string body = Gzip(nested);
  EXPECT_LT(body.size(), 1000u);
  for (const char* path : {"/api/plan", "/api/elemental", "/api/intake/analyze"}) {
    auto client = RawClient::Connect(port());
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->Send(Post(path, body, "Content-Encoding: gzip\r\n")));
    auto res = client->Read(30s);
    ASSERT_TRUE(res.has_value()) << path << ": no answer (did the server die?)";
    EXPECT_GE(res->status, 400) << path;
    EXPECT_LT(res->status, 500) << path << ": " << res->body;
    ExpectServing();
  }
}

// A gzip body within the limit is inflated and answered as if sent plain.
TEST_F(HttpLimitsTest, GzipBodyWithinTheLimitIsInflated) {
  StartServer();
  const std::string body = R"({"compound": "magnesium oxide", "amount": "500mg"})";
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send(Post("/api/elemental", Gzip(body), "Content-Encoding: gzip\r\n")));
  auto res = client->Read(10s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NEAR(res->Json()["compound_mg"].get<double>(), 500, 1e-9);
  ASSERT_TRUE(client->Send(Post("/api/elemental", body, "Content-Encoding: br\r\n")));
  res = client->Read(10s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 415);
  EXPECT_EQ(res->Json()["error"]["code"], "unsupported_media_type");
}

// Finding 6: 70 sockets sending one header byte a second took all 64 request threads. Now they
// cost no worker, another client is answered promptly all along, and each slow request is cut
// off at the request deadline with a 408.
TEST_F(HttpLimitsTest, SlowlorisDoesNotStopOtherClients) {
  StartServer([](ServerOptions& o) {
    o.http.request_timeout = 4000ms;
    o.http.max_connections_per_address = 100;  // This test is about time, not the address cap.
  });
  const std::string request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 70; ++i) {
    slow.push_back(RawClient::Connect(port(), "127.0.0.2"));
    ASSERT_NE(slow.back(), nullptr);
  }
  const auto start = Clock::now();
  for (size_t byte = 0; Clock::now() - start < 3s; ++byte) {
    for (auto& s : slow) s->Send(request.substr(byte % request.size(), 1));
    // Between the slow bytes, an ordinary client is served within a bound.
    for (int i = 0; i < 3; ++i) ExpectServing(1000ms);
    std::this_thread::sleep_for(1s - (Clock::now() - start) % 1s);
  }
  // Past the deadline each slow request is refused, and its connection closed.
  auto res = slow.front()->Read(5s);
  ASSERT_TRUE(res.has_value()) << "a slow request was not cut off";
  EXPECT_EQ(res->status, 408);
  EXPECT_EQ(res->Json()["error"]["code"], "request_timeout");
  EXPECT_TRUE(slow.back()->ClosedWithin(5000ms));
  ExpectServing(1000ms);
}

// Connections per client address are capped; other addresses are still served.
TEST_F(HttpLimitsTest, ConnectionsPerAddressAreCapped) {
  StartServer([](ServerOptions& o) { o.http.max_connections_per_address = 4; });
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 4; ++i) held.push_back(RawClient::Connect(port(), "127.0.0.3"));
  // The fourth is surely counted once it has answered a request.
  ASSERT_TRUE(held.back()->Send(kHealth));
  ASSERT_TRUE(held.back()->Read(5s).has_value());
  auto fifth = RawClient::Connect(port(), "127.0.0.3");
  ASSERT_NE(fifth, nullptr);
  auto refused = fifth->Read(5s);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->Json()["error"]["code"], "unavailable");
  EXPECT_NE(refused->Json()["error"]["message"].get<std::string>().find("127.0.0.3"),
            std::string::npos);
  ExpectServing();  // From 127.0.0.1.
  // A connection closed frees its slot.
  held.pop_back();
  bool admitted = false;
  for (int i = 0; i < 50 && !admitted; ++i) {
    std::this_thread::sleep_for(20ms);
    auto again = RawClient::Connect(port(), "127.0.0.3");
    admitted =
        again && again->Send(kHealth) && again->Read(5s).value_or(RawResponse{}).status == 200;
  }
  EXPECT_TRUE(admitted);
}

// Finding 11: the page's security headers on every response, errors and the transport's own
// refusals included; no-store on journal routes.
TEST_F(HttpLimitsTest, SecurityHeadersOnEveryResponse) {
  StartServer();
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  const std::vector<std::string> requests = {
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /assets/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /sw.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      kHealth,
      "GET /api/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /api/profile HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /api/journal/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  // 404 in local mode.
      "POST /api/plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n",
  };
  for (const std::string& request : requests) {
    if (request.find("Content-Length") != std::string::npos) {
      client = RawClient::Connect(port());  // The 413 closes the connection.
      ASSERT_NE(client, nullptr);
    }
    ASSERT_TRUE(client->Send(request));
    auto res = client->Read(10s);
    ASSERT_TRUE(res.has_value()) << request;
    const std::string csp = res->Header("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << request << res->head;
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << request;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << request;
    EXPECT_EQ(res->Header("X-Content-Type-Options"), "nosniff") << request;
    EXPECT_EQ(res->Header("X-Frame-Options"), "DENY") << request;
    EXPECT_EQ(res->Header("Referrer-Policy"), "no-referrer") << request;
    const bool journal = request.find("GET /api/profile") != std::string::npos ||
                         request.find("GET /api/journal") != std::string::npos ||
                         request.find("GET /api/session") != std::string::npos;
    EXPECT_EQ(res->Header("Cache-Control"), journal ? "no-store" : "") << request;
  }
}

// Finding 7 (local mode): a 500 showed the library's exception text. Now the answer carries a
// reference and the details go to stderr, as in multi-user mode.
TEST_F(HttpLimitsTest, LocalModeFailureShowsOnlyAReference) {
  StartServer();
  auto client = RawClient::Connect(port());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send("GET /api/profile HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(client->Read(10s).has_value());  // The journal now exists.
  // A trial row this build cannot read, written behind the server's back.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "journal.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO trials (id, created, json) VALUES "
                         "(1, '2026-11-23', '{\"garbage\": true')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(client->Send("GET /api/trials/current HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto res = client->Read(10s);
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 500) << res->body;
  const std::string message = res->Json()["error"]["message"];
  EXPECT_EQ(message.rfind("internal error (reference ", 0), 0u) << message;
  EXPECT_EQ(message.find("garbage"), std::string::npos) << message;
  EXPECT_EQ(message.find("parse"), std::string::npos) << message;
  // The operator's terminal has the details under the same reference.
  const std::string reference = message.substr(26, message.find(')') - 26);
  EXPECT_NE(log.find("(reference " + reference + ")"), std::string::npos) << log;
  EXPECT_EQ(res->Header("Cache-Control"), "no-store");
}

// The transport alone, with a handler that echoes what it was given.
class TransportTest : public ::testing::Test {
 protected:
  void Start(HttpTransportOptions options) {
    transport_ = HttpTransport::Create(
        std::move(options),
        [](HttpRequest& in, HttpResponse& out) {
          json query = json::object();
          for (const auto& [k, v] : in.query) query[k] = v;
          out.SetContent(json{{"method", in.method},
                              {"path", in.path},
                              {"query", query},
                              {"body_bytes", in.body.size()},
                              {"remote", in.remote_address},
                              {"host", in.Header("host")}}
                             .dump(),
                         "application/json");
        },
        [](int status, std::string_view message, HttpResponse& out) {
          out.status = status;
          out.SetContent(json{{"error", message}}.dump(), "application/json");
        });
    auto port = transport_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { (void)transport_->Run(); });
  }
  void TearDown() override {
    if (transport_) transport_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::unique_ptr<HttpTransport> transport_;
  std::thread thread_;
  int port_ = 0;
};

// Each I/O thread runs its own event loop, and a connection stays on one loop for its whole life
// (taken in turn), so an inline answer is always written by the thread that read the request and
// the connections share the threads evenly.
TEST(TransportThreadsTest, EachConnectionStaysOnOneIoThreadAndTheThreadsShareThem) {
  std::mutex mutex;
  std::vector<std::thread::id> threads;  // The thread of each answer, in order.
  HttpTransportOptions options;
  options.io_threads = 2;
  options.runs_inline = [](const HttpRequest&) { return true; };
  auto transport = HttpTransport::Create(
      options,
      [&](HttpRequest&, HttpResponse& out) {
        const std::lock_guard lock(mutex);
        threads.push_back(std::this_thread::get_id());
        out.SetContent("{}", "application/json");
      },
      [](int status, std::string_view, HttpResponse& out) { out.status = status; });
  auto port = transport->Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.error().message;
  std::thread runner([&] { (void)transport->Run(); });
  constexpr int kConnections = 4, kRequests = 3;
  std::vector<std::vector<std::thread::id>> by_connection(kConnections);
  for (int c = 0; c < kConnections; ++c) {
    auto client = RawClient::Connect(*port);
    ASSERT_NE(client, nullptr);
    for (int r = 0; r < kRequests; ++r) {
      ASSERT_TRUE(client->Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
      ASSERT_TRUE(client->Read(5s).has_value()) << c << " " << r;
      const std::lock_guard lock(mutex);
      by_connection[c].push_back(threads.back());
    }
  }
  const std::thread::id run_caller = runner.get_id();
  transport->Stop();
  runner.join();
  for (int c = 0; c < kConnections; ++c) {
    for (int r = 1; r < kRequests; ++r) EXPECT_EQ(by_connection[c][r], by_connection[c][0]) << c;
  }
  // In turn: the first and third connection on one thread, the second and fourth on the other.
  EXPECT_NE(by_connection[0][0], by_connection[1][0]);
  EXPECT_EQ(by_connection[0][0], by_connection[2][0]);
  EXPECT_EQ(by_connection[1][0], by_connection[3][0]);
  EXPECT_EQ(by_connection[0][0], run_caller);  // The first loop is run by Run()'s caller.
}

TEST_F(TransportTest, DecodesPathQueryAndHeadersCaseInsensitively) {
  Start({});
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send("GET /a%20b/c?q=pumpkin+seeds&x=%C3%A9 HTTP/1.1\r\nHOST: h\r\n\r\n"));
  auto res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  const json body = res->Json();
  EXPECT_EQ(body["path"], "/a b/c");
  EXPECT_EQ(body["query"]["q"], "pumpkin seeds");
  EXPECT_EQ(body["query"]["x"], "\xC3\xA9");
  EXPECT_EQ(body["host"], "h");
  EXPECT_EQ(body["remote"], "127.0.0.1");
  ASSERT_TRUE(client->Send("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n"));
  res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 400);
}

// The transport parses what the buffer already holds without another read, and reads only
// for what has not come yet: pipelined requests, a request in pieces, a body after its header,
// a chunked body in one piece, all on one connection and each answered once, in order.
TEST_F(TransportTest, RequestsAreAnsweredWhetherTheyArriveTogetherOrInPieces) {
  Start({});
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  const auto answered = [&client](const std::string& path, size_t body_bytes) {
    auto res = client->Read(5s);
    ASSERT_TRUE(res.has_value()) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->Json()["path"], path);
    EXPECT_EQ(res->Json()["body_bytes"], body_bytes) << path;
    EXPECT_EQ(res->Header("Content-Type"), "application/json") << path;
  };
  ASSERT_TRUE(
      client->Send("POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                   "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"));
  answered("/one", 5);
  answered("/two", 3);
  for (const char* piece :
       {"POST /three HTTP/1.1\r\nHo", "st: h\r\nContent-Length: 6\r\n\r\nab", "cdef"}) {
    ASSERT_TRUE(client->Send(piece));
    std::this_thread::sleep_for(50ms);
  }
  answered("/three", 6);
  ASSERT_TRUE(client->Send("POST /four HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n"));
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(client->Send("wxyz"));
  answered("/four", 4);
  ASSERT_TRUE(
      client->Send("POST /five HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  answered("/five", 5);
  // HTTP/1.0 asking to stay open is told it does, and is answered again.
  ASSERT_TRUE(client->Send("GET /six HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->head.substr(0, 15), "HTTP/1.0 200 OK");
  EXPECT_EQ(res->Header("Connection"), "keep-alive");
  ASSERT_TRUE(client->Send("GET /seven HTTP/1.0\r\n\r\n"));
  answered("/seven", 0);
  EXPECT_TRUE(client->ClosedWithin(5000ms));  // HTTP/1.0 without keep-alive: closed after.
}

TEST_F(TransportTest, OversizeHeadersAre431) {
  Start({});
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(
      client->Send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  auto res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 431);
}

TEST_F(TransportTest, TotalConnectionsAreCapped) {
  HttpTransportOptions options;
  options.max_connections = 3;
  Start(options);
  std::vector<std::unique_ptr<RawClient>> held;
  for (const char* source : {"127.0.0.4", "127.0.0.5", "127.0.0.6"}) {
    held.push_back(RawClient::Connect(port_, source));
    ASSERT_TRUE(held.back()->Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    ASSERT_TRUE(held.back()->Read(5s).has_value());
  }
  auto fourth = RawClient::Connect(port_, "127.0.0.7");
  ASSERT_NE(fourth, nullptr);
  auto res = fourth->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 503);
}

TEST_F(TransportTest, KeepAliveEndsAfterMaxRequests) {
  HttpTransportOptions options;
  options.max_requests_per_connection = 3;
  Start(options);
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(client->Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    auto res = client->Read(5s);
    ASSERT_TRUE(res.has_value()) << i;
    EXPECT_EQ(res->Header("Connection"), i == 3 ? "close" : "") << i;
  }
  EXPECT_TRUE(client->ClosedWithin(5000ms));
}

TEST_F(TransportTest, RequestNotCompleteInTimeIs408) {
  HttpTransportOptions options;
  options.request_timeout = 500ms;
  Start(options);
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  const auto start = Clock::now();
  ASSERT_TRUE(client->Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345"));
  auto res = client->Read(5s);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 408);
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_TRUE(client->ClosedWithin(5000ms));
}

TEST_F(TransportTest, IdleConnectionIsClosed) {
  HttpTransportOptions options;
  options.idle_timeout = 300ms;
  Start(options);
  auto client = RawClient::Connect(port_);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->ClosedWithin(5000ms));
}

TEST_F(TransportTest, SecondBindOnAPortInUseNamesTheAddress) {
  Start({});
  auto second = HttpTransport::Create(
      {}, [](HttpRequest&, HttpResponse&) {}, [](int, std::string_view, HttpResponse&) {});
  auto bound = second->Bind("127.0.0.1", port_);
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().code, ErrorCode::kIoError);
  EXPECT_NE(bound.error().message.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << bound.error().message;
}

}  // namespace
}  // namespace mg::server

// Part of mg_server (ServerOptions::http holds its options): the HTTP/1.1 transport under
// `mgadvisor serve` — sockets, parsing, limits — with the server's own plain request and response
// types, so nothing above it (the dispatcher, accounts_api.cc, the handlers) sees the HTTP library.
//
// Built on Boost.Beast/Asio (Debian libboost-dev, header-only) and zlib. Sockets are read and
// written asynchronously on a few I/O threads; each complete request is then handed to a bounded
// pool of worker threads, because handlers block (SQLite, PostgreSQL, Argon2id) — unless
// options.runs_inline says the request's handler never blocks. A slow client therefore holds a
// socket and a small buffer, never a worker. Every limit below is enforced
// before a handler runs, and answered through the ErrorRenderer (the server's JSON error shape):
//
//   header block > max_header_bytes               431, connection closed
//   body > max_body_bytes (Content-Length)        413 at once, the body is not read
//   body > max_body_bytes (chunked)               413 as soon as the count passes the limit
//   Content-Encoding gzip/deflate                 inflated; 413 when it inflates past the limit
//   any other Content-Encoding                    415
//   request not complete within request_timeout   408 (counted from its first byte)
//   more than max_connections_per_address open    503 and close, before reading anything
//   more than max_connections open                503 and close
//
//   auto transport = HttpTransport::Create(options, handler, render_error);
//   auto port = transport->Bind("127.0.0.1", 0);   // kIoError naming the address when taken
//   transport->Run();                               // blocks until Stop() (from any thread)
#ifndef MGADVISOR_SERVER_HTTP_TRANSPORT_H_
#define MGADVISOR_SERVER_HTTP_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mg::server {

// Orders header names without regard to case ("content-type" == "Content-Type").
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using HttpHeaders = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;  // "GET", "POST"... as sent.
  std::string target;  // The request target as sent: "/api/explain/leg%20cramps?x=1".
  std::string path;    // The target's path, percent-decoded: "/api/explain/leg cramps".
  std::multimap<std::string, std::string> query;  // Decoded query parameters ('+' is a space).
  HttpHeaders headers;
  std::string body;            // Decoded: a gzip or deflate body arrives inflated.
  std::string remote_address;  // The peer's IP address, e.g. "127.0.0.1" or "::1".
  // When the request's last byte was read: the access log and /metrics time it from here.
  std::chrono::steady_clock::time_point received;
  // Set by the dispatcher, not the transport: the route's {placeholder}, decoded; "" when none.
  std::string path_argument;

  // The first value of header `name`, or "" when absent.
  const std::string& Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;  // Content-Length is the transport's; repeated names are sent repeatedly.
  std::string body;

  void SetContent(std::string content, std::string_view content_type);
  // Replaces any earlier value of `name`.
  void SetHeader(std::string_view name, std::string value);
};

struct HttpTransportOptions {
  size_t max_header_bytes = 8 * 1024;  // Request line and headers.
  size_t max_body_bytes = 64 * 1024;   // On the wire and after inflating.
  // From a request's first byte to its last. Slow senders (slowloris) are cut off after this.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a connection may sit with no request started: a new one, or between keep-alive
  // requests.
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds write_timeout{30'000};  // Writing one response.
  size_t max_connections = 512;
  size_t max_connections_per_address = 64;
  size_t max_requests_per_connection = 1000;  // Keep-alive: then "Connection: close".
  size_t io_threads = 2;
  size_t worker_threads = 16;  // Run the handlers; each holds one at a time.
  // Requests for which this says true are answered on the I/O thread that read them, not handed
  // to a worker and back: for handlers that never block and take microseconds, where the two
  // hand-offs would cost more than the work. Unset: every request goes to a worker.
  std::function<bool(const HttpRequest& request)> runs_inline;
  // Added to every response, the transport's own errors included (unless the handler set them).
  HttpHeaders default_headers;
};

// Answers one request. Runs on a worker thread; may block. Must not throw (a throw is caught and
// answered as a bare 500, but the dispatcher is where failures become answers).
using HttpHandler = std::function<void(HttpRequest& request, HttpResponse& response)>;
// Writes the transport's own refusals (status 400, 408, 413, 415, 431, 503...) in the server's
// shape. `message` says what was wrong, for the person reading the answer.
using HttpErrorRenderer =
    std::function<void(int status, std::string_view message, HttpResponse& response)>;

class HttpTransport {
 public:
  static std::unique_ptr<HttpTransport> Create(HttpTransportOptions options, HttpHandler handler,
                                               HttpErrorRenderer render_error);
  ~HttpTransport();  // Stops, and waits for running handlers to finish.
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Binds and listens on host:port (port 0: any free one) and returns the port; called again, it
  // listens on one more address (before Run()), all served alike. Without
  // SO_REUSEPORT, so a second server on a port in use is refused rather than sharing it.
  // Errors: kIoError naming host:port and why (in use, not permitted, unknown host).
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns at once if Stop() came first. REQUIRES: Bind() succeeded.
  Status Run();
  // From any thread, any number of times.
  void Stop();

 private:
  struct Impl;
  explicit HttpTransport(std::unique_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_HTTP_TRANSPORT_H_

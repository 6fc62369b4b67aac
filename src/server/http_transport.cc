#include "server/http_transport.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/response_head.h"

namespace mg::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using beast::error_code;

constexpr size_t kReadChunk = 16 * 1024;
// After refusing a request whose body is still arriving, the server stops sending and reads (and
// drops) what the client is still sending for this long, so that closing the socket with unread
// data (which makes the kernel send a reset) does not destroy the answer before the client reads
// it. Memory stays one small buffer; time is capped.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 8 * 1024 * 1024;

// Header names and codings are ASCII tokens (RFC 9110): folded by hand, not by std::tolower, a
// library call per byte that also answers to the locale; every request compares several.
unsigned char FoldAscii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + ('a' - 'A')) : u;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return FoldAscii(x) == FoldAscii(y);
         });
}

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; in a query '+' is also a space. nullopt for a '%' without two hex digits.
std::optional<std::string> Decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexDigit(text[i + 1]);
      const int low = HexDigit(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Splits the target into a decoded path and query parameters. Errors: a message for a 400.
Status ParseTarget(HttpRequest& request) {
  std::string_view target = request.target;
  if (target.empty() || target.front() != '/') {
    return InvalidArgument(fmt::format("request target '{}': expected a path starting with '/'",
                                       target.substr(0, 100)));
  }
  std::string_view query;
  if (const size_t question = target.find('?'); question != std::string_view::npos) {
    query = target.substr(question + 1);
    target = target.substr(0, question);
  }
  auto path = Decode(target, /*plus_is_space=*/false);
  if (!path) return InvalidArgument("request path: a '%' not followed by two hex digits");
  request.path = std::move(*path);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    auto key = Decode(pair.substr(0, equals), true);
    auto value = Decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!key || !value) {
      return InvalidArgument("query string: a '%' not followed by two hex digits");
    }
    request.query.emplace(std::move(*key), std::move(*value));
  }
  return {};
}

// Inflates a gzip (`gzip`) or zlib (`deflate`, RFC 9110) body, never holding more than
// limit + 1 bytes. Errors: kInvalidArgument for data that is not what it claims (a 400), or when
// the output would pass `limit`, in which case `too_large` is also set (a 413).
Result<std::string> Inflate(std::string_view compressed, bool gzip, size_t limit, bool& too_large) {
  too_large = false;
  z_stream stream{};
  if (inflateInit2(&stream, gzip ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) {
    return Error{ErrorCode::kInternal, "zlib: inflateInit2 failed"};
  }
  struct End {
    z_stream* s;
    ~End() { inflateEnd(s); }
  } end{&stream};
  std::string out;
  // Never more than limit + 1 bytes, so a bomb costs at most that much memory.
  out.resize(std::min<size_t>(limit + 1, std::max<size_t>(4 * compressed.size(), 4096)));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  size_t produced = 0;
  while (true) {
    if (produced == out.size()) {
      if (out.size() > limit) {
        too_large = true;
        return Error{ErrorCode::kInvalidArgument, "too large"};
      }
      out.resize(std::min(limit + 1, out.size() * 2));
    }
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(out.size() - produced);
    const int rc = inflate(&stream, Z_NO_FLUSH);
    produced = out.size() - stream.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) {
      return InvalidArgument(
          fmt::format("Content-Encoding {}: the body ends before the {} data "
                      "does",
                      gzip ? "gzip" : "deflate", gzip ? "gzip" : "zlib"));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return InvalidArgument(fmt::format("Content-Encoding {}: the body is not valid {} data",
                                         gzip ? "gzip" : "deflate", gzip ? "gzip" : "zlib"));
    }
  }
  if (produced > limit) {
    too_large = true;
    return Error{ErrorCode::kInvalidArgument, "too large"};
  }
  if (stream.avail_in != 0) {
    return InvalidArgument(fmt::format("Content-Encoding {}: data follows the end of the {} stream",
                                       gzip ? "gzip" : "deflate", gzip ? "gzip" : "zlib"));
  }
  out.resize(produced);
  return out;
}

// How many connections are open, in total and per client address.
class ConnectionCounts {
 public:
  ConnectionCounts(size_t max_total, size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Takes a slot for `address`, or says why not (the slot is not taken then).
  std::optional<std::string> TryAdd(const std::string& address) {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) {
      return fmt::format("the server has its maximum of {} connections open; try again shortly",
                         max_total_);
    }
    size_t& mine = per_address_[address];
    if (mine >= max_per_address_) {
      return fmt::format("{} already has {} connections open, the most one address may have",
                         address, max_per_address_);
    }
    ++mine;
    ++total_;
    return std::nullopt;
  }
  void Remove(const std::string& address) {
    std::lock_guard lock(mutex_);
    --total_;
    if (auto it = per_address_.find(address); it != per_address_.end() && --it->second == 0) {
      per_address_.erase(it);
    }
  }

 private:
  const size_t max_total_;
  const size_t max_per_address_;
  std::mutex mutex_;
  size_t total_ = 0;
  std::unordered_map<std::string, size_t> per_address_;
};

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return FoldAscii(x) < FoldAscii(y); });
}

const std::string& HttpRequest::Header(std::string_view name) const {
  static const std::string kEmpty;
  const auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

void HttpResponse::SetContent(std::string content, std::string_view content_type) {
  body = std::move(content);
  SetHeader("Content-Type", std::string(content_type));
}

void HttpResponse::SetHeader(std::string_view name, std::string value) {
  const auto [first, last] = headers.equal_range(name);
  headers.erase(first, last);
  headers.emplace(std::string(name), std::move(value));
}

struct HttpTransport::Impl {
  Impl(HttpTransportOptions o, HttpHandler h, HttpErrorRenderer r)
      : options(std::move(o)),
        handler(std::move(h)),
        render_error(std::move(r)),
        head_writer(options.default_headers),
        counts(options.max_connections, options.max_connections_per_address),
        workers(std::max<size_t>(options.worker_threads, 1)) {
    // Concurrency hint 1: each loop is run by one thread, so its scheduler never signals another
    // (posts from the worker threads still take its lock, as they must).
    for (size_t i = 0; i < std::max<size_t>(options.io_threads, 1); ++i) {
      loops.push_back(std::make_unique<net::io_context>(1));
    }
  }

  class Session;
  struct Listener;
  void Accept(Listener& listener);
  void OnAccept(tcp::socket socket);
  // The loop the next connection lives on: each in turn.
  net::io_context& NextLoop() {
    return *loops[next_loop.fetch_add(1, std::memory_order_relaxed) % loops.size()];
  }

  const HttpTransportOptions options;
  const HttpHandler handler;
  const HttpErrorRenderer render_error;
  const ResponseHeadWriter head_writer;  // Writes options.default_headers into answers.
  ConnectionCounts counts;
  // Declared after what sessions use, so that handlers still queued when a loop is destroyed
  // (each holding a session) find the counts alive.
  //
  // One event loop per I/O thread, and each connection on one loop for its whole life: its
  // handlers never run on two threads at once without needing a strand, and finishing an
  // operation never wakes another thread. (One context shared by the I/O threads, with a strand
  // per connection, cost a plan request about a tenth of its CPU time in the scheduler's lock, the
  // strands and thread wake-ups: issue 20.) loops[0] is run by Run()'s caller and holds the
  // acceptors.
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::atomic<size_t> next_loop = 0;
  net::thread_pool workers;
  // One per Bind() (serve --lan listens on loopback and on a local-network address); a deque so
  // that the accept loops can hold references while more are added before Run().
  struct Listener {
    explicit Listener(tcp::acceptor a) : acceptor(std::move(a)) {}
    tcp::acceptor acceptor;
    std::optional<net::steady_timer> retry;
  };
  std::deque<Listener> listeners;
  std::atomic<bool> stopped = false;
};

// One connection: reads a request, has a worker answer it, writes the answer, and again while
// keep-alive allows. All socket work runs on the thread of the connection's loop.
class HttpTransport::Impl::Session : public std::enable_shared_from_this<Session> {
  // What a deadline is running for: waiting for a request to start, receiving one, writing an
  // answer, or lingering before the close.
  enum class Phase { kIdle, kRequest, kWrite, kLinger };

 public:
  Session(Impl& impl, tcp::socket socket, std::string address, bool counted)
      : impl_(impl),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        buffer_(impl.options.max_header_bytes + 2 * kReadChunk),
        address_(std::move(address)),
        counted_(counted) {}
  ~Session() {
    if (counted_) impl_.counts.Remove(address_);
  }

  void Start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // Answers 503 before reading anything, and closes.
  void Refuse(std::string message) {
    net::dispatch(socket_.get_executor(),
                  [self = shared_from_this(), message = std::move(message)] {
                    self->Fail(503, message, /*linger=*/false);
                  });
  }

 private:
  void WaitForRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(impl_.options.max_header_bytes));
    parser_->body_limit(impl_.options.max_body_bytes);
    if (buffer_.size() > 0) return ReadHeader();  // The next request has begun arriving.
    Arm(impl_.options.idle_timeout, Phase::kIdle);
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              if (ec) return self->Close();  // Idle too long, or gone.
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  // The request's clock starts at its first byte and covers its header and body.
  void ReadHeader() {
    Arm(impl_.options.request_timeout, Phase::kRequest);
    // The header has usually arrived whole with the read that started the request: parse it
    // here. Beast's async_read_header would parse the same bytes and then, having read nothing,
    // post its completion through the loop (a queued handler and an allocation per request).
    if (buffer_.size() > 0) {
      const error_code ec = ParseBuffered(/*eager=*/false);  // As async_read_header.
      if (ec ? ec != http::error::need_more : parser_->is_header_done()) return OnHeader(ec);
    }
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  // A read that failed: answered when the client broke a limit or sent something malformed;
  // otherwise (it left, or stayed idle too long) the connection is simply closed.
  void AnswerReadError(error_code ec) {
    if (ec == http::error::header_limit) {
      Fail(431,
           fmt::format("request line and headers over {} bytes", impl_.options.max_header_bytes));
    } else if (ec == http::error::body_limit) {
      Fail(413, fmt::format("request body over {} bytes", impl_.options.max_body_bytes));
    } else if (expired_ == Phase::kRequest) {
      Fail(408, fmt::format("the request was not complete within {} ms of its first byte",
                            impl_.options.request_timeout.count()));
    } else if (expired_ || ec == http::error::end_of_stream || ec == net::error::eof ||
               ec == net::error::connection_reset || ec == net::error::operation_aborted ||
               ec == net::error::broken_pipe) {
      Close();
    } else {
      Fail(400, fmt::format("malformed HTTP request ({})", ec.message()));
    }
  }

  void OnHeader(error_code ec) {
    if (ec) return AnswerReadError(ec);
    auto& header = parser_->get();
    if (const auto te = header.find(http::field::transfer_encoding);
        te != header.end() && !EqualsIgnoringCase(Trim(View(te->value())), "chunked")) {
      return Fail(501, fmt::format("Transfer-Encoding '{}' is not supported; send the body as is "
                                   "or chunked",
                                   View(te->value()).substr(0, 100)));
    }
    if (const auto ce = header.find(http::field::content_encoding); ce != header.end()) {
      const std::string_view coding = Trim(View(ce->value()));
      if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
        coding_ = Coding::kGzip;
      } else if (EqualsIgnoringCase(coding, "deflate")) {
        coding_ = Coding::kDeflate;
      } else if (!coding.empty() && !EqualsIgnoringCase(coding, "identity")) {
        return Fail(415, fmt::format("Content-Encoding '{}' is not supported; use gzip, deflate "
                                     "or none",
                                     coding.substr(0, 100)));
      }
    }
    if (parser_->is_done()) return OnRequest();
    const auto expect = header.find(http::field::expect);
    if (expect != header.end() && EqualsIgnoringCase(Trim(View(expect->value())), "100-continue")) {
      continue_.emplace(http::status::continue_, header.version());
      return http::async_write(socket_, *continue_,
                               [self = shared_from_this()](error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  // Feeds the parser what the buffer holds and drops what it used. Not eager: it stops at the
  // end of the header; eager: it goes on into the body, as far as the bytes go. need_more means
  // the rest has not arrived.
  error_code ParseBuffered(bool eager) {
    parser_->eager(eager);
    error_code ec;
    buffer_.consume(parser_->put(buffer_.data(), ec));
    return ec;
  }

  void ReadBody() {
    // As in ReadHeader: a body that came with the header is parsed without a read operation.
    if (buffer_.size() > 0) {
      const error_code ec = ParseBuffered(/*eager=*/true);  // As async_read.
      if (ec && ec != http::error::need_more) return AnswerReadError(ec);
      if (parser_->is_done()) return OnRequest();
    }
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->AnswerReadError(ec);
                       self->OnRequest();
                     });
  }

  void OnRequest() {
    auto message = parser_->release();
    HttpRequest request;
    request.method = std::string(View(message.method_string()));
    request.target = std::string(View(message.target()));
    for (const auto& field : message) {
      request.headers.emplace(View(field.name_string()), View(field.value()));
    }
    request.remote_address = address_;
    request.received = std::chrono::steady_clock::now();
    request.body = std::move(message.body());
    if (Status parsed = ParseTarget(request); !parsed.ok()) {
      return Fail(400, parsed.error().message);
    }
    if (coding_ != Coding::kIdentity) {
      bool too_large = false;
      auto inflated =
          Inflate(request.body, coding_ == Coding::kGzip, impl_.options.max_body_bytes, too_large);
      if (too_large) {
        return Fail(413, fmt::format("request body inflates to over {} bytes",
                                     impl_.options.max_body_bytes));
      }
      if (!inflated.ok()) return Fail(400, inflated.error().message);
      request.body = std::move(*inflated);
    }
    keep_alive_ = message.keep_alive() && ++requests_ < impl_.options.max_requests_per_connection &&
                  !impl_.stopped.load(std::memory_order_relaxed);
    head_request_ = message.method() == http::verb::head;
    version_ = message.version();
    // Nothing is read while the request is answered: one request at a time per connection, so
    // the pool's queue never holds more than one job per open connection.
    Disarm();
    if (impl_.options.runs_inline && impl_.options.runs_inline(request)) {
      return Write(Answer(request), /*linger=*/false);
    }
    net::post(impl_.workers, [self = shared_from_this(), request = std::move(request)]() mutable {
      HttpResponse response = self->Answer(request);
      net::dispatch(self->socket_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response), /*linger=*/false);
      });
    });
  }

  HttpResponse Answer(HttpRequest& request) {
    HttpResponse response;
    try {
      impl_.handler(request, response);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mgadvisor: handler threw: %s\n", e.what());
      response = HttpResponse{};
      impl_.render_error(500, "internal error", response);
    }
    return response;
  }

  // Refuses the request with the transport's own error, then closes the connection.
  void Fail(int status, std::string_view message, bool linger = true) {
    HttpResponse response;
    impl_.render_error(status, message, response);
    keep_alive_ = false;
    head_request_ = false;
    Write(std::move(response), linger);
  }

  void Write(HttpResponse response, bool linger) {
    Arm(impl_.options.write_timeout, Phase::kWrite);
    if (impl_.head_writer.Write(response.status, response.headers, version_, keep_alive_,
                                response.body.size(), head_)) {
      // The usual answer: its head written here, sent with the body in one system call.
      body_ = std::move(response.body);
      if (head_request_) body_.clear();  // Content-Length stays that of the GET.
      const std::array<net::const_buffer, 2> buffers = {net::buffer(head_), net::buffer(body_)};
      return net::async_write(socket_, buffers,
                              [self = shared_from_this(), linger](error_code ec, size_t) {
                                self->body_ = std::string();  // Idle connections hold none.
                                self->AfterWrite(ec, linger);
                              });
    }
    response_.emplace(static_cast<http::status>(response.status), version_);
    for (const auto& [name, value] : response.headers) response_->insert(name, value);
    for (const auto& [name, value] : impl_.options.default_headers) {
      if (response.headers.find(name) == response.headers.end()) response_->insert(name, value);
    }
    response_->body() = std::move(response.body);
    response_->keep_alive(keep_alive_);
    response_->prepare_payload();
    if (head_request_) response_->body().clear();  // Content-Length stays that of the GET.
    http::async_write(socket_, *response_,
                      [self = shared_from_this(), linger](error_code ec, size_t) {
                        self->response_.reset();
                        self->AfterWrite(ec, linger);
                      });
  }

  void AfterWrite(error_code ec, bool linger) {
    if (ec) return Close();
    if (!keep_alive_) return linger ? Linger() : Close();
    coding_ = Coding::kIdentity;
    WaitForRequest();
  }

  // Stops sending, then drops what the client still sends for a short while before closing.
  void Linger() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    Arm(kLingerTime, Phase::kLinger);
    buffer_.consume(buffer_.size());
    DrainSome();
  }
  void DrainSome() {
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kLingerBytes) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    error_code ignored;
    closed_ = true;
    Disarm();
    timer_.cancel();  // Its pending wait holds this session.
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  enum class Coding { kIdentity, kGzip, kDeflate };

  // Sets the deadline of `phase`, replacing the one before. The timer itself is moved only when
  // the new deadline is earlier than the one it is set for: moving it costs a cancelled wait and
  // often a system call, and most requests only push the deadline later. A timer that fires
  // early finds the later deadline and waits again.
  void Arm(std::chrono::steady_clock::duration timeout, Phase phase) {
    expired_.reset();
    phase_ = phase;
    deadline_ = std::chrono::steady_clock::now() + timeout;
    if (waits_ == 0 || deadline_ < timer_.expiry()) StartTimer();
  }
  // No deadline while a worker has the request; a pending wait will find nothing to do.
  void Disarm() { phase_.reset(); }
  void StartTimer() {
    ++waits_;
    timer_.expires_at(deadline_);  // A wait still pending completes with operation_aborted.
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      --self->waits_;
      // Cancelled, superseded by a newer wait, or nothing to time: done.
      if (ec || self->waits_ > 0 || !self->phase_ || self->closed_) return;
      if (std::chrono::steady_clock::now() < self->deadline_) return self->StartTimer();
      self->expired_ = self->phase_;
      error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  Impl& impl_;
  tcp::socket socket_;
  // One deadline at a time (see Phase); on expiry it cancels the socket's pending operation, which
  // then completes with operation_aborted and `expired_` says why.
  net::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
  std::optional<Phase> phase_;    // What deadline_ is for; none while a worker has the request.
  std::optional<Phase> expired_;  // Set when the deadline of this phase passed.
  int waits_ = 0;                 // Timer waits not yet completed.
  bool closed_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  // An answer being written: its head and body (the usual way), or Beast's message.
  std::string head_;
  std::string body_;
  std::optional<http::response<http::string_body>> response_;
  const std::string address_;
  const bool counted_;
  Coding coding_ = Coding::kIdentity;
  size_t requests_ = 0;
  size_t lingered_ = 0;
  bool keep_alive_ = false;
  bool head_request_ = false;  // A HEAD request: the answer goes without its body.
  unsigned version_ = 11;
};

void HttpTransport::Impl::Accept(Listener& listener) {
  listener.acceptor.async_accept(
      NextLoop().get_executor(), [this, &listener](error_code ec, tcp::socket socket) {
        if (stopped || ec == net::error::operation_aborted) return;
        if (ec) {
          // Out of file descriptors or similar: wait a moment rather than spin.
          listener.retry.emplace(*loops[0], std::chrono::milliseconds(50));
          listener.retry->async_wait([this, &listener](error_code) {
            if (!stopped) Accept(listener);
          });
          return;
        }
        OnAccept(std::move(socket));
        Accept(listener);
      });
}

void HttpTransport::Impl::OnAccept(tcp::socket socket) {
  error_code ec;
  // Without it, small responses wait for the peer's delayed ACK (~40 ms each).
  socket.set_option(tcp::no_delay(true), ec);
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;  // Already gone.
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  std::string name = address.to_string();
  auto refused = counts.TryAdd(name);
  auto session =
      std::make_shared<Session>(*this, std::move(socket), std::move(name), !refused.has_value());
  if (refused) {
    session->Refuse(std::move(*refused));
  } else {
    session->Start();
  }
}

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpTransport::~HttpTransport() {
  Stop();
  impl_->workers.join();
}

std::unique_ptr<HttpTransport> HttpTransport::Create(HttpTransportOptions options,
                                                     HttpHandler handler,
                                                     HttpErrorRenderer render_error) {
  return std::unique_ptr<HttpTransport>(new HttpTransport(
      std::make_unique<Impl>(std::move(options), std::move(handler), std::move(render_error))));
}

Result<int> HttpTransport::Bind(const std::string& host, int port) {
  const std::string where =
      port == 0 ? fmt::format("{} (any port)", host) : fmt::format("{}:{}", host, port);
  error_code ec;
  tcp::resolver resolver(*impl_->loops[0]);
  const auto endpoints = resolver.resolve(
      host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return IoError(fmt::format("cannot listen on {}: {}", where, ec ? ec.message() : "no address"));
  }
  // "localhost" may resolve to ::1 and 127.0.0.1; IPv4 first, as people type 127.0.0.1.
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  for (const auto& entry : endpoints) {
    if (entry.endpoint().address().is_v4()) {
      endpoint = entry.endpoint();
      break;
    }
  }
  tcp::acceptor acceptor(*impl_->loops[0]);
  // SO_REUSEADDR only lets a restarted server bind while old connections linger in TIME_WAIT;
  // it does not let two servers listen on one port. SO_REUSEPORT (which would) is never set.
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) {
    impl_->listeners.emplace_back(std::move(acceptor));
    return static_cast<int>(impl_->listeners.back().acceptor.local_endpoint().port());
  }
  if (ec == net::error::address_in_use) {
    return IoError(fmt::format(
        "cannot listen on {}: the address is in use (another program, perhaps another mgadvisor "
        "serve, is listening there); stop it or try --port with another number",
        where));
  }
  return IoError(
      fmt::format("cannot listen on {}: {}; try --port with another number", where, ec.message()));
}

Status HttpTransport::Run() {
  if (impl_->listeners.empty()) {
    return Error{ErrorCode::kInternal, "HttpTransport::Run before Bind"};
  }
  for (auto& listener : impl_->listeners) {
    net::post(*impl_->loops[0], [impl = impl_.get(), &listener] { impl->Accept(listener); });
  }
  // A loop with no connection yet has nothing to wait for; these keep each running until Stop().
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  for (auto& loop : impl_->loops) keep_running.push_back(net::make_work_guard(*loop));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->loops.size(); ++i) {
    threads.emplace_back([loop = impl_->loops[i].get()] { loop->run(); });
  }
  impl_->loops[0]->run();
  for (auto& thread : threads) thread.join();
  error_code ignored;
  // Refuse connections from now on, not leave them waiting.
  for (auto& listener : impl_->listeners) listener.acceptor.close(ignored);
  return {};
}

void HttpTransport::Stop() {
  impl_->stopped = true;
  // Closing the acceptor on its own would race the I/O threads; stopping the loops ends Run()
  // and every pending operation with it.
  for (auto& loop : impl_->loops) loop->stop();
}

}  // namespace mg::server

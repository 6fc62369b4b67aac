// ResponseHeadWriter against Boost.Beast: for every answer it writes, the head and body are the
// bytes Beast's serializer writes for the message the transport built before (handler headers,
// then the defaults it did not set, keep_alive(), prepare_payload()); for the answers Beast
// must rework, it declines.
#include "server/response_head.h"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace mg::server {
namespace {

namespace http = boost::beast::http;

// What the transport wrote before ResponseHeadWriter, serialized by Beast.
std::string BeastBytes(int status, const HttpHeaders& headers, const HttpHeaders& defaults,
                       unsigned version, bool keep_alive, bool head_request, std::string body) {
  http::response<http::string_body> message(static_cast<http::status>(status), version);
  for (const auto& [name, value] : headers) message.insert(name, value);
  for (const auto& [name, value] : defaults) {
    if (headers.find(name) == headers.end()) message.insert(name, value);
  }
  message.body() = std::move(body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  if (head_request) message.body().clear();
  std::ostringstream out;
  out << message;
  return out.str();
}

const HttpHeaders kSecurityDefaults = {
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
};

TEST(ResponseHeadTest, WritesTheBytesBeastWritesForEveryOrdinaryAnswer) {
  const std::vector<int> statuses = {200, 201, 303, 400, 401, 403, 404, 405, 408, 409,
                                     413, 415, 422, 429, 431, 500, 501, 503, 299, 599};
  const std::vector<HttpHeaders> header_sets = {
      {},
      {{"Content-Type", "application/json"}},
      {{"content-type", "text/html; charset=utf-8"}, {"Location", "/journal"}},
      {{"Set-Cookie", "a=1; HttpOnly"}, {"Set-Cookie", "b=2; Path=/"}, {"Vary", "Cookie"}},
      {{"X-Frame-Options", "SAMEORIGIN"}, {"Content-Type", "text/csv"}},  // Overrides a default.
      {{"x-frame-options", "SAMEORIGIN"}, {"retry-after", "3"}},          // In other case.
      {{"Content-Disposition", "attachment; filename=\"journal.csv\""}, {"ETag", ""}},
  };
  const std::vector<HttpHeaders> default_sets = {{}, kSecurityDefaults};
  const std::vector<std::string> bodies = {"", "{}", std::string(16543, 'x')};
  int compared = 0;
  for (const int status : statuses) {
    for (const HttpHeaders& headers : header_sets) {
      for (const HttpHeaders& defaults : default_sets) {
        const ResponseHeadWriter writer(defaults);
        for (const unsigned version : {10u, 11u}) {
          for (const bool keep_alive : {false, true}) {
            for (const bool head_request : {false, true}) {
              for (const std::string& body : bodies) {
                std::string head;
                ASSERT_TRUE(writer.Write(status, headers, version, keep_alive, body.size(), head));
                const std::string sent = head + (head_request ? "" : body);
                ASSERT_EQ(sent, BeastBytes(status, headers, defaults, version, keep_alive,
                                           head_request, body))
                    << "status " << status << ", HTTP/" << version / 10 << "." << version % 10
                    << (keep_alive ? ", keep-alive" : ", close") << (head_request ? ", HEAD" : "");
                ++compared;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 20 * 7 * 2 * 2 * 2 * 2 * 3);
}

TEST(ResponseHeadTest, LeavesToBeastTheAnswersItWouldRework) {
  const ResponseHeadWriter writer(kSecurityDefaults);
  std::string head;
  const HttpHeaders json = {{"Content-Type", "application/json"}};
  // No Content-Length on 1xx, 204 and 304, and Beast refuses a body with them; a status that is
  // not three digits is written as Beast writes it.
  for (const int status : {0, 99, 100, 101, 204, 304, 1000}) {
    EXPECT_FALSE(writer.Write(status, {}, 11, true, 0, head)) << status;
  }
  for (const unsigned version : {9u, 20u}) {
    EXPECT_FALSE(writer.Write(200, json, version, true, 2, head)) << version;
  }
  // Fields Beast sets itself, whose values it merges or replaces, and values it trims.
  for (const HttpHeaders& headers : std::vector<HttpHeaders>{
           {{"Connection", "upgrade"}},
           {{"content-length", "5"}},
           {{"Transfer-Encoding", "chunked"}},
           {{"Content-Type", " application/json"}},
           {{"Content-Type", "application/json\t"}},
       }) {
    EXPECT_FALSE(writer.Write(200, headers, 11, true, 2, head)) << headers.begin()->first;
  }
  const ResponseHeadWriter padded_default(HttpHeaders{{"X-Frame-Options", "DENY "}});
  EXPECT_FALSE(padded_default.Write(200, json, 11, true, 2, head));
}

}  // namespace
}  // namespace mg::server

// The status line and header block of an answer, written straight into one string: the bytes
// Boost.Beast's serializer writes for the same response, without building Beast's field list
// (an allocation per header) and running its serializer for every answer. The transport sends
// the head and the body together in one system call (issue 20: on the plan route Beast's
// response path was ~6 % of the server's instructions).
//
// Only the ordinary answers take this path; for anything whose header block Beast would rework
// (a handler's own Connection, Content-Length or Transfer-Encoding, a value with surrounding
// blanks that Beast trims, a 1xx/204/304 status or one outside 100-999, an HTTP version other
// than 1.0 and 1.1) ResponseHeadWriter::Write declines and the transport serializes with Beast
// as before. response_head_test compares the two byte for byte.
#ifndef MGADVISOR_SERVER_RESPONSE_HEAD_H_
#define MGADVISOR_SERVER_RESPONSE_HEAD_H_

#include <cstddef>
#include <string>

#include "server/http_transport.h"

namespace mg::server {

// Writes heads for one transport: the default headers (sent when a handler set no header of
// that name) are checked and written out once, here, instead of for every answer.
class ResponseHeadWriter {
 public:
  explicit ResponseHeadWriter(const HttpHeaders& defaults);

  // Writes the status line and headers of an answer into `out` (replacing what it held) and
  // returns true; returns false, leaving `out` unspecified, when the answer is one Beast must
  // serialize. `version` is 10 or 11 (HTTP/1.0, 1.1); `content_length` is the body's size (for
  // HEAD, that of the GET's body).
  bool Write(int status, const HttpHeaders& headers, unsigned version, bool keep_alive,
             size_t content_length, std::string& out) const;

 private:
  HttpHeaders defaults_;
  std::string default_lines_;  // "Name: value\r\n" for each default, in order.
  bool defaults_reworked_;     // A default Beast would rework: every answer goes through Beast.
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_RESPONSE_HEAD_H_

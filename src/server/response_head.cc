#include "server/response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <string_view>

namespace mg::server {
namespace {

namespace http = boost::beast::http;

bool SameName(std::string_view a, std::string_view b) {
  const CaseInsensitiveLess less;
  return !less(a, b) && !less(b, a);
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Headers Beast would write other than as given: the ones it sets itself, and values it trims.
bool BeastWouldRework(const HttpHeaders& headers) {
  for (const auto& [name, value] : headers) {
    if (SameName(name, "connection") || SameName(name, "content-length") ||
        SameName(name, "transfer-encoding")) {
      return true;
    }
    if (!value.empty() && (IsBlank(value.front()) || IsBlank(value.back()))) return true;
  }
  return false;
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

ResponseHeadWriter::ResponseHeadWriter(const HttpHeaders& defaults)
    : defaults_(defaults), defaults_reworked_(BeastWouldRework(defaults)) {
  for (const auto& [name, value] : defaults) AppendField(default_lines_, name, value);
}

bool ResponseHeadWriter::Write(int status, const HttpHeaders& headers, unsigned version,
                               bool keep_alive, size_t content_length, std::string& out) const {
  // Beast leaves Content-Length out of these and refuses a body with them; and it writes any
  // status as three digits, so one outside 100-999 stays its business.
  if (status < 200 || status > 999 || status == 204 || status == 304) return false;
  if (version != 10 && version != 11) return false;
  if (defaults_reworked_ || BeastWouldRework(headers)) return false;

  out.clear();
  // "HTTP/1.1 200 OK": the reason is Beast's own table's.
  out.append(version == 11 ? "HTTP/1.1 " : "HTTP/1.0 ");
  char digits[24];
  const auto number = [&digits](size_t n) {
    const char* end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    return std::string_view(digits, static_cast<size_t>(end - digits));
  };
  out.append(number(static_cast<size_t>(status))).append(" ");
  const auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  out.append(reason.data(), reason.size()).append("\r\n");
  bool overrides_a_default = false;
  for (const auto& [name, value] : headers) {
    AppendField(out, name, value);
    overrides_a_default = overrides_a_default || defaults_.contains(name);
  }
  if (!overrides_a_default) {
    out.append(default_lines_);
  } else {
    for (const auto& [name, value] : defaults_) {
      if (!headers.contains(name)) AppendField(out, name, value);
    }
  }
  // As Beast's keep_alive(): HTTP/1.1 says when it closes, HTTP/1.0 when it stays open.
  if (version == 11 && !keep_alive) AppendField(out, "Connection", "close");
  if (version == 10 && keep_alive) AppendField(out, "Connection", "keep-alive");
  AppendField(out, "Content-Length", number(content_length));
  out.append("\r\n");
  return true;
}

}  // namespace mg::server

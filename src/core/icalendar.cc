#include "core/icalendar.h"

namespace mg {
namespace {

// RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
constexpr size_t kMaxLineOctets = 75;

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string EscapeICalendarText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
      case ';':
      case ',':
        out += '\\';
        out += c;
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FoldICalendarLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / kMaxLineOctets * 3 + 2);
  // The first physical line holds 75 octets; each continuation starts with a space, so it holds
  // 74 more.
  size_t room = kMaxLineOctets;
  while (line.size() > room) {
    size_t cut = room;
    // Back up to the start of a UTF-8 sequence (at most 3 continuation bytes), so a character is
    // never split across two lines.
    while (cut > 0 && IsContinuationByte(static_cast<unsigned char>(line[cut])) && room - cut < 3) {
      --cut;
    }
    if (cut == 0) cut = room;  // Not UTF-8 at all: fold at the octet limit.
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    room = kMaxLineOctets - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

ICalendarWriter::ICalendarWriter(std::string_view prodid) {
  Begin("VCALENDAR");
  Raw("VERSION", "2.0");
  Raw("PRODID", prodid);
  Raw("CALSCALE", "GREGORIAN");
}

void ICalendarWriter::Begin(std::string_view component) { Raw("BEGIN", component); }

void ICalendarWriter::End(std::string_view component) { Raw("END", component); }

void ICalendarWriter::Raw(std::string_view name, std::string_view value) {
  std::string line(name);
  line += ':';
  line.append(value);
  out_ += FoldICalendarLine(line);
}

void ICalendarWriter::Text(std::string_view name, std::string_view text) {
  Raw(name, EscapeICalendarText(text));
}

std::string ICalendarWriter::Finish() && {
  End("VCALENDAR");
  return std::move(out_);
}

}  // namespace mg

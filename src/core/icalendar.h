// Writing iCalendar (RFC 5545) text: the content-line rules every calendar file must follow, kept
// in one place so the operations that build calendars (ops/calendar.h) only say what the events
// are. Lines end in CRLF; a line longer than 75 octets is folded (CRLF and one space) without
// splitting a UTF-8 sequence (RFC 5545 3.1); TEXT values are escaped (3.3.11).
//
//   ICalendarWriter out("-//mgadvisor//EN");
//   out.Begin("VEVENT");
//   out.Raw("UID", "dose-1@mgadvisor");
//   out.Text("SUMMARY", "Magnesium, 100 mg; with food");
//   out.End("VEVENT");
//   std::string ics = std::move(out).Finish();
#ifndef MGADVISOR_CORE_ICALENDAR_H_
#define MGADVISOR_CORE_ICALENDAR_H_

#include <string>
#include <string_view>

namespace mg {

// A TEXT value escaped: backslash, semicolon and comma get a backslash, a newline becomes "\n";
// a CR is dropped (a CRLF in the input is one newline).
std::string EscapeICalendarText(std::string_view text);

// One content line, CRLF-terminated, folded so that no physical line exceeds 75 octets (the CRLF
// not counted). A fold never falls inside a UTF-8 sequence; bytes that are not UTF-8 (the callers
// validate text at the input boundary) are treated as single octets.
std::string FoldICalendarLine(std::string_view line);

// Builds one VCALENDAR object (VERSION 2.0, CALSCALE GREGORIAN, the given PRODID). The caller
// nests components with Begin/End; the writer does not check the nesting.
class ICalendarWriter {
 public:
  explicit ICalendarWriter(std::string_view prodid);

  void Begin(std::string_view component);
  void End(std::string_view component);
  // NAME[;PARAMS]:VALUE with the value written as given (dates, rules, UIDs, durations).
  void Raw(std::string_view name, std::string_view value);
  // NAME:VALUE with the value escaped as TEXT.
  void Text(std::string_view name, std::string_view text);

  // The object, END:VCALENDAR included. The writer is spent.
  std::string Finish() &&;

 private:
  std::string out_;
};

}  // namespace mg

#endif  // MGADVISOR_CORE_ICALENDAR_H_

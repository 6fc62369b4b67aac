// The HTTP API without sockets: the first byte picks a route, the rest is what a client controls
// there — the JSON body, the query string, or the {placeholder} of the path — and the handler the
// server would call answers it. Journal routes run on a fresh in-memory journal; after a write
// the journal is read back through the read routes, so what one request stores must not break
// another. An exception escaping a handler is a finding: the server would answer 500.
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz/fuzz_util.h"
#include "journal/journal.h"
#include "journal/sqlite_store.h"
#include "server/handlers.h"

namespace {

using namespace mg;
using server::ApiRequest;

enum class Input { kBody, kQuery, kPath };
struct Route {
  server::Handler handler;
  Input input;
  bool journal;
};

constexpr Route kRoutes[] = {
    {server::HandlePlan, Input::kBody, false},
    {server::HandleElemental, Input::kBody, false},
    {server::HandleIntakeAnalyze, Input::kBody, false},
    {server::HandlePutProfile, Input::kBody, true},
    {server::HandleAddEntry, Input::kBody, true},
    {server::HandleLogFood, Input::kBody, true},
    {server::HandleImport, Input::kBody, true},
    {server::HandleCreateTrial, Input::kBody, true},
    {server::HandlePlan, Input::kQuery, false},  // ?format=
    {server::HandleDri, Input::kQuery, false},
    {server::HandleFoodSearch, Input::kQuery, false},
    {server::HandleListEntries, Input::kQuery, true},
    {server::HandleIntake, Input::kQuery, true},
    {server::HandleExplain, Input::kPath, false},
    {server::HandleKbList, Input::kPath, false},
    {server::HandleDeleteEntry, Input::kPath, true},
};
constexpr server::Handler kReadBack[] = {
    server::HandleGetProfile, server::HandleListEntries,  server::HandleIntake,
    server::HandleExport,     server::HandleCurrentTrial, server::HandleTrialReport,
};

constexpr char kProfile[] = R"({"age": 45, "sex": "female", "complaints": ["restless legs"]})";

// "a=1&b=2" as the server hands it over (no percent-decoding: the fuzzer writes raw bytes).
void ParseQuery(std::string_view text, ApiRequest& request) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const size_t eq = pair.find('=');
    request.query.emplace(std::string(pair.substr(0, eq)),
                          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The food store a person imported must not leak in: the built-in table only.
  setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-fuzz", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const server::ApiState* state =
      fuzz::Loaded(server::ApiState::Load(server::ServerOptions{})).release();
  static const journal::FixedClock clock(std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(2027), std::chrono::month(1), std::chrono::day(1))));
  if (size == 0) return 0;
  const Route& route = kRoutes[data[0] % std::size(kRoutes)];
  const std::string_view input = fuzz::AsText(data + 1, size - 1);

  ApiRequest request;
  request.clock = &clock;
  switch (route.input) {
    case Input::kBody:
      request.body = std::string(input);
      break;
    case Input::kQuery:
      ParseQuery(input, request);
      break;
    case Input::kPath:
      request.path_argument = std::string(input);
      break;
  }
  std::unique_ptr<journal::Store> store;
  if (route.journal) {
    store = fuzz::Loaded(journal::OpenSqliteStore(":memory:", clock));
    // A saved profile, so trials, intake targets and read-backs have something to work from.
    if (!store->SetProfile(kProfile).ok()) fuzz::Broken("cannot save the profile");
    request.journal = store.get();
  }
  auto answer = route.handler(*state, request);
  if (!answer.ok()) {
    fuzz::Check(answer.error().code != ErrorCode::kInternal, answer.error().message);
    return 0;
  }
  if (store) {
    for (const server::Handler read : kReadBack) {
      ApiRequest again;
      again.clock = &clock;
      again.journal = store.get();
      auto read_answer = read(*state, again);
      if (read_answer.ok()) continue;
      const ErrorCode code = read_answer.error().code;
      fuzz::Check(code != ErrorCode::kInternal && code != ErrorCode::kDataError &&
                      code != ErrorCode::kIoError,
                  "what was stored breaks a read: " + read_answer.error().message);
    }
  }
  return 0;
}

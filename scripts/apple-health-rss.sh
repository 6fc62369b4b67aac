#!/usr/bin/env bash
# Apple Health import memory (issue 18): peak resident memory of
# `mgadvisor journal import --format apple-health` on a small and a large generated export.xml
# (Apple's header, then per day ~240 heart-rate and ~40 step records, 3 dietary magnesium
# records from two apps and 6 sleep records from a watch and a phone). The reader streams the
# file, so the peak should be the same for 2 MB and 200 MB; the journal it writes grows with
# the days (one entry per night and per app-day), which is the rest of the difference.
#
#   scripts/apple-health-rss.sh [path/to/mgadvisor]   # default: build/release/src/cli/mgadvisor
#   LARGE_DAYS=1826 SMALL_DAYS=18 scripts/apple-health-rss.sh ...
#
# Prints one line per file: days, bytes, records, entries added, peak RSS (KiB, GNU time's %M)
# and elapsed seconds. Nothing is asserted: a failed import stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/release/src/cli/mgadvisor}
[ -x "$BIN" ] || { echo "apple-health-rss: $BIN is not an executable" >&2; exit 1; }
BIN=$(realpath "$BIN")
[ -x /usr/bin/time ] || { echo "apple-health-rss: needs GNU time (apt-get install time)" >&2; exit 1; }

WORK=$(mktemp -d -t mg-apple-rss.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

generate() {  # generate DAYS FILE: days ending 2026-11-22, in -0800.
  python3 - "$1" "$2" <<'PY'
import datetime, sys
days, path = int(sys.argv[1]), sys.argv[2]
end = datetime.date(2026, 11, 22)
W = 'sourceName="Apple Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x2836a1b30&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;"'
with open(path, "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n'
            '<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n'
            '<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n]>\n<HealthData locale="en_US">\n'
            ' <ExportDate value="2026-11-23 07:00:00 -0800"/>\n'
            ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1971-04-02" '
            'HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n')
    for n in range(days):
        d = end - datetime.timedelta(days=days - 1 - n)
        e = d - datetime.timedelta(days=1)
        t = lambda h, m, s=0: f"{d} {h:02d}:{m:02d}:{s:02d} -0800"
        out = []
        for i in range(240):
            h, m = divmod(i * 1440 // 240, 60)
            out.append(f' <Record type="HKQuantityTypeIdentifierHeartRate" {W} unit="count/min" '
                       f'creationDate="{t(h, m, 5)}" startDate="{t(h, m)}" endDate="{t(h, m)}" value="{60 + i % 30}">\n'
                       f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n </Record>\n')
        for i in range(40):
            h, m = divmod(420 + i * 20, 60)
            out.append(f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" '
                       f'creationDate="{t(h, m, 30)}" startDate="{t(h, m)}" endDate="{t(h, m + 9 if m < 50 else m)}" value="{200 + i}"/>\n')
        for src, h, v in (("Cronometer", 8, 120), ("Cronometer", 19, 95.5), ("MyFitnessPal", 12, 60)):
            out.append(f' <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="{src}" unit="mg" '
                       f'startDate="{t(h, 0)}" endDate="{t(h, 0)}" value="{v}"/>\n')
        for src, a, b, v in (("Phone", f"{e} 22:30:00", f"{d} 06:45:00", "InBed"),
                             ("Apple Watch", f"{e} 23:00:00", f"{d} 02:00:00", "AsleepCore"),
                             ("Apple Watch", f"{d} 02:00:00", f"{d} 03:00:00", "AsleepDeep"),
                             ("Apple Watch", f"{d} 03:00:00", f"{d} 03:10:00", "Awake"),
                             ("Apple Watch", f"{d} 03:10:00", f"{d} 06:30:00", "AsleepREM"),
                             ("Phone", f"{e} 23:15:00", f"{d} 06:40:00", "AsleepUnspecified")):
            out.append(f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{src}" '
                       f'startDate="{a} -0800" endDate="{b} -0800" value="HKCategoryValueSleepAnalysis{v}"/>\n')
        f.write("".join(out))
    f.write("</HealthData>\n")
PY
}

echo "days bytes records added peak_rss_kib seconds"
for days in "${SMALL_DAYS:-18}" "${LARGE_DAYS:-1826}"; do
  file="$WORK/export-$days.xml"
  generate "$days" "$file"
  rm -f "$WORK/journal.db"*
  MGADVISOR_TODAY=2026-11-23 /usr/bin/time -f "%M %e" -o "$WORK/time" \
    "$BIN" journal import --format apple-health "$file" --json --db "$WORK/journal.db" >"$WORK/out.json"
  read -r rss secs <"$WORK/time"
  python3 - "$days" "$(stat -c %s "$file")" "$rss" "$secs" "$WORK/out.json" <<'PY'
import json, sys
days, size, rss, secs, out = sys.argv[1:]
r = json.load(open(out))
print(days, size, r["records"], r["added"], rss, secs)
PY
done

-- wrk script for scripts/bench-server.sh: one request shape per run, and one machine-readable
-- result line at the end so the script never scrapes wrk's human-readable output.
--
-- Environment (read in every wrk thread, each has its own Lua state):
--   MG_BENCH_BODY_FILE  when set, every request is a POST of this file's bytes as JSON
--                       (POST /api/plan); otherwise a plain GET of the URL given to wrk.
--
-- No response() hook on purpose: defining one makes wrk parse every header and body in Lua,
-- which would slow the load generator that shares the machine with the server. wrk itself counts
-- responses with a status >= 400 (summary.errors.status, "Non-2xx or 3xx responses").

local body_file = os.getenv("MG_BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"), "MG_BENCH_BODY_FILE: cannot open " .. body_file)
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

-- Prints one line: MGBENCH {json}. Latency figures are in microseconds, duration too.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'MGBENCH {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end

-- wrk script for bench/http.py: send the role's session cookie and the proxy's
-- X-Forwarded-Proto (production settings redirect plain HTTP), count non-2xx answers,
-- and print one JSON line the bench parses.
local cookie = os.getenv("WRK_COOKIE") or ""

wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Language"] = "ko"
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + (thread:get("bad") or 0)
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "errors": %d, "not_ok": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    not_ok,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end

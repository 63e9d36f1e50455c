-- wrk load for the security checks: reads (unit list, own account, health) and writes (new
-- units) through the JSON API with a bearer token from WRK_TOKEN. One request in WRK_WRITE_EVERY
-- (default 8) is a write; a write's 409 (code taken) counts as an answer like any other.
local token = os.getenv("WRK_TOKEN") or ""
local every = tonumber(os.getenv("WRK_WRITE_EVERY") or "8")
local counter = 0
local tag = 0

setup = function(thread)
  tag = tag + 1
  thread:set("tag", tag)
end

init = function(args)
  math.randomseed(os.time() + (tag or 0) * 7919)
  wrk.headers["Authorization"] = "Bearer " .. token
end

request = function()
  counter = counter + 1
  local r = counter % every
  if r == 0 then
    local body = string.format('{"code":"WRK-%d-%d","name":"wrk %d","kind":"pilot","parent":"03"}',
      math.random(1, 1000000000), counter, counter)
    -- wrk.format takes these headers instead of wrk.headers, not with them.
    return wrk.format("POST", "/api/v1/units",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  elseif r % 3 == 0 then
    return wrk.format("GET", "/api/v1/me")
  elseif r % 3 == 1 then
    return wrk.format("GET", "/api/v1/units/03")
  end
  return wrk.format("GET", "/healthz")
end

done = function(summary, latency, requests)
  io.write(string.format("WRK-JSON {\"requests\":%d,\"bytes\":%d,\"connect_errors\":%d,\"read_errors\":%d," ..
    "\"write_errors\":%d,\"status_errors\":%d,\"timeouts\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p99_us\":%d}\n",
    summary.requests, summary.bytes, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end

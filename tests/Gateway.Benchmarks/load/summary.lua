-- Shared by every scenario: per-thread counters of failed answers, and a JSON summary line
-- written to $SUMMARY when wrk is done. A GraphQL error inside a 200 is a failure too.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function count_response(status, body)
  if status ~= 200 then
    non200 = (non200 or 0) + 1
  elseif expect_errors_field and body and string.find(body, '"errors"', 1, true) then
    graphql_errors = (graphql_errors or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad_status, bad_graphql = 0, 0
  for _, thread in ipairs(threads) do
    bad_status = bad_status + (thread:get("non200") or 0)
    bad_graphql = bad_graphql + (thread:get("graphql_errors") or 0)
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local line = string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"socket_errors":%d,"non200":%d,"graphql_errors":%d,"errors":%d}',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    socket_errors, bad_status, bad_graphql, socket_errors + bad_status + bad_graphql)
  local path = os.getenv("SUMMARY")
  if path then
    local file = assert(io.open(path, "w"))
    file:write(line, "\n")
    file:close()
  end
  io.write(line, "\n")
end

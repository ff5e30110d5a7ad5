-- COLD: every request a window nobody has asked for. Each request is sent for a caller never
-- seen before (a fresh token), so no cache level can answer it: the gateway calls the upstream
-- for its block. $TARGET=gateway sends the GraphQL page; $TARGET=direct asks the emulator for
-- the same window (offset 0, limit 10) itself, or with $DIRECT_LIMIT=100 the whole aligned block
-- the gateway fetches for it. $JITTER_MS=N makes each request wait 0..N ms before it is sent
-- (not counted in its latency), so that the connections do not stay in step.
dofile(os.getenv("LOAD_DIR") .. "/summary.lua")

local target = os.getenv("TARGET") or "gateway"
local run = os.getenv("RUN_ID") or tostring(os.time())
local direct_limit = os.getenv("DIRECT_LIMIT") or "10"
local jitter = tonumber(os.getenv("JITTER_MS") or "0")
local counter = 0
local prefix = ""
local query = '{"query":"{ qualityTaskInstances(projectId: \\"cold-project\\", first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name taskId taskType runStatus notifyStatus startTime endTime } } } }"}'

function init(args)
  prefix = "cold-" .. target .. "-" .. run .. "-" .. tostring(thread_id or 1) .. "-"
  expect_errors_field = target == "gateway"
end

function request()
  counter = counter + 1
  local token = prefix .. counter
  if target == "direct" then
    return wrk.format("GET", "/v2/cold-project/quality/instances?offset=0&limit=" .. direct_limit, { ["X-Auth-Token"] = token, ["workspace"] = "ws-cold" })
  end
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json",
    ["X-Auth-Token"] = token,
    ["workspace"] = "ws-cold",
  }, query)
end

function response(status, headers, body)
  count_response(status, body)
end

if jitter > 0 then
  function delay()
    return math.random(0, jitter)
  end
end

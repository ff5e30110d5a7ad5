-- Replays a prepared list of GraphQL POSTs, in order, round and round: one line per request,
-- "token<TAB>workspace<TAB>JSON body" ($REQUESTS). HOT is a list of one; BROWSE is every
-- user's walk through their pages, interleaved so that each user pages forward in order.
dofile(os.getenv("LOAD_DIR") .. "/summary.lua")

expect_errors_field = true
local requests = {}

-- ONE_PASS=1 (with one thread and one connection) sends the list exactly once, in order:
-- the cold first pass of every user's walk.
local one_pass = os.getenv("ONE_PASS") == "1"

function init(args)
  for line in io.lines(os.getenv("REQUESTS")) do
    local token, workspace, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if token then
      table.insert(requests, wrk.format("POST", "/graphql", {
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/graphql-response+json",
        ["X-Auth-Token"] = token,
        ["workspace"] = workspace,
      }, body))
    end
  end
  assert(#requests > 0, "no requests in " .. os.getenv("REQUESTS"))
  -- Threads start at different places in the list, so they do not march in lockstep.
  next_index = one_pass and 1 or ((thread_id or 1) * 7919) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

local answered = 0

function response(status, headers, body)
  count_response(status, body)
  answered = answered + 1
  if one_pass and answered >= #requests then
    wrk.thread:stop()
  end
end

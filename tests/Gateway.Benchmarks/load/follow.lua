-- FOLLOW: virtual users who follow the real endCursor of each answer. A visit is a caller
-- (one of $TOKENS tokens x 3 workspaces, named after $RUN_ID so that every run starts cold), a
-- filter (one of five) and a walk of 1..20 pages of 10; when it ends, the user starts another.
-- Distinct requests: the next page's cursor is only known once the previous answer is read.
--
-- wrk does not say which connection an answer came in on, so each thread keeps one user per
-- connection and the query aliases the field with the user's slot ("u7: qualityTaskInstances"):
-- the answer names its user. The text differs only in the alias (one document per slot, as
-- an application has a handful); cursor and filter travel as variables.
dofile(os.getenv("LOAD_DIR") .. "/summary.lua")

expect_errors_field = true
local run = os.getenv("RUN_ID") or tostring(os.time())
local tokens = tonumber(os.getenv("TOKENS") or "20")
local project = os.getenv("PROJECT") or "follow-project"
local max_pages = tonumber(os.getenv("MAX_PAGES") or "20")
local filters = {
  'null',
  '{"runStatus":{"eq":"FAILED"}}',
  '{"taskType":{"eq":"QUALITY_TASK"}}',
  '{"notifyStatus":{"eq":"SUCCESS"}}',
  '{"runStatus":{"eq":"SUCCESS"}}',
}

local users = {}   -- slot -> { token, workspace, filter, pages_left, after, query }
local ready = {}   -- slots whose next request can be sent (one per idle connection)

local function new_visit(user)
  user.token = run .. "-token-" .. math.random(tokens)
  user.workspace = "ws-" .. string.char(96 + math.random(3))
  user.filter = filters[math.random(#filters)]
  user.pages_left = math.random(max_pages)
  user.after = nil
end

function init(args)
  math.randomseed((thread_id or 1) * 7919 + (tonumber(os.getenv("SEED") or "1")))
  local slots = tonumber(os.getenv("SLOTS") or "32")
  for slot = 1, slots do
    local user = {
      query = 'query Follow($after: String, $where: QualityTaskInstanceFilterInput) { u' .. slot
        .. ': qualityTaskInstances(projectId: \\"' .. project .. '\\", first: 10, after: $after, where: $where)'
        .. ' { totalCount pageInfo { hasNextPage endCursor } nodes { id name taskId taskType runStatus notifyStatus startTime endTime } } }',
    }
    new_visit(user)
    users[slot] = user
    table.insert(ready, slot)
  end
end

function request()
  -- Never empty while SLOTS >= connections per thread: each connection has at most one
  -- request in flight. Should an answer ever not name its user, a fresh slot is made.
  local slot = table.remove(ready)
  if not slot then
    slot = #users + 1
    users[slot] = { query = users[1].query:gsub("u1:", "u" .. slot .. ":", 1) }
    new_visit(users[slot])
  end
  local user = users[slot]
  local after = user.after and ('"' .. user.after .. '"') or "null"
  local body = '{"query":"' .. user.query .. '","variables":{"after":' .. after .. ',"where":' .. user.filter .. '}}'
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json",
    ["X-Auth-Token"] = user.token,
    ["workspace"] = user.workspace,
  }, body)
end

function response(status, headers, body)
  count_response(status, body)
  local slot = body and tonumber(body:match('"u(%d+)":'))
  local user = slot and users[slot]
  if not user then
    return
  end
  local cursor = body:match('"endCursor":"([^"]*)"')
  user.pages_left = user.pages_left - 1
  if status == 200 and cursor and user.pages_left > 0 and body:find('"hasNextPage":true', 1, true) then
    user.after = cursor
  else
    new_visit(user)
  end
  table.insert(ready, slot)
end

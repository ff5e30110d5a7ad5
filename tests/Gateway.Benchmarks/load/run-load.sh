#!/usr/bin/env bash
# The load scenarios (HOT, START, BROWSE, RETURN, COLD, FOLLOW) against the published Release gateway, with a real
# redis-server and the standalone emulator at 20 ms latency, all on loopback, plus the two
# references measured in the same run: the ceiling endpoint (HOT) and the emulator called
# directly (COLD). Every wrk run is bounded in time; every process started here is stopped
# here, by PID. Writes tests/Gateway.Benchmarks/results/ (JSON, markdown table, PNG chart).
#
#   tests/Gateway.Benchmarks/load/run-load.sh            # about 4 minutes
#   DURATION=30 ROUNDS=3 tests/Gateway.Benchmarks/load/run-load.sh
#   SCENARIOS="hot start follow" tests/Gateway.Benchmarks/load/run-load.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT="$PWD"
export LOAD_DIR="$ROOT/tests/Gateway.Benchmarks/load"
RESULTS="${RESULTS:-$ROOT/tests/Gateway.Benchmarks/results}"
DURATION="${DURATION:-15}"            # seconds of each measured wrk run
WARMUP="${WARMUP:-3}"                 # seconds of load before each measured run
ROUNDS="${ROUNDS:-2}"                 # HOT and ceiling alternate this often; the best round counts
CONNECTIONS="${CONNECTIONS:-64}"      # HOT and BROWSE
COLD_CONNECTIONS="${COLD_CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
LATENCY_MS="${LATENCY_MS:-20}"
CURSOR_SECRET="load-test-cursor-secret-not-for-production"
SCENARIOS="${SCENARIOS:-hot start browse return cold follow}"
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }

# --- tools, from Debian ------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
/usr/bin/python3 -c "import matplotlib" >/dev/null 2>&1 || missing+=(python3-matplotlib)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work="$(mktemp -d /tmp/gateway-load.XXXXXX)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# dotnet-counters reads the gateway's own meters during COLD (where a cold block's time goes).
counters="$(command -v dotnet-counters || true)"
if [ -z "$counters" ]; then
  echo "== installing dotnet-counters (NuGet tool, into $work/tools)"
  dotnet tool install dotnet-counters --version 10.0.750501 --tool-path "$work/tools" >/dev/null
  counters="$work/tools/dotnet-counters"
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

wait_for() { # url, what
  for _ in $(seq 1 150); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "$2 did not come up at $1" >&2
  exit 1
}

start() { # log name, command...
  local name="$1"; shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$work/$name.pid"
}

stop() { # name
  local pid; pid="$(cat "$work/$1.pid")"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "== publish (Release)"
dotnet publish src/Gateway/Gateway.csproj -c Release -o "$work/gateway" --nologo -v quiet
dotnet publish src/QualityApi.Emulator/QualityApi.Emulator.csproj -c Release -o "$work/emulator" --nologo -v quiet
dotnet build tests/Gateway.Benchmarks/Gateway.Benchmarks.csproj -c Release -o "$work/bench" --nologo -v quiet

redis_port="$(free_port)"; emulator_port="$(free_port)"; gateway_port="$(free_port)"; ceiling_port="$(free_port)"; plan_port="$(free_port)"; memory_port="$(free_port)"
emulator="http://127.0.0.1:$emulator_port"
gateway="http://127.0.0.1:$gateway_port"
ceiling="http://127.0.0.1:$ceiling_port"

echo "== redis-server :$redis_port, emulator :$emulator_port (${LATENCY_MS} ms), gateway :$gateway_port"
start redis redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --maxmemory 512mb --maxmemory-policy allkeys-lru
start emulator dotnet "$work/emulator/QualityApi.Emulator.dll" --urls "$emulator" --Emulator:LatencyMilliseconds="$LATENCY_MS"
# The per-caller upstream budget (40 calls per 10 s) would throttle a load test, which is not
# what it measures: it is raised here, and only here.
start gateway dotnet "$work/gateway/Gateway.dll" --urls "$gateway" \
  --Upstream:BaseUrl="$emulator/" --Redis:Configuration="127.0.0.1:$redis_port" \
  --Paging:CursorSecret="$CURSOR_SECRET" --Upstream:Budget:PermitLimit=1000000 \
  --Logging:LogLevel:Default=Warning
wait_for "$emulator/_emulator/stats" emulator
wait_for "$gateway/health/live" gateway
gateway_pid="$(cat "$work/gateway.pid")"

upstream_calls() { curl -s "$emulator/_emulator/stats" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["listCalls"])'; }
reset_upstream() { curl -s -X POST "$emulator/_emulator/reset" >/dev/null; }

# wrk <name> <url> <script> <connections> <seconds> [threads]: a warm-up, then the measured run.
measure() {
  local name="$1" url="$2" script="$3" connections="$4" seconds="$5" threads="${6:-$THREADS}"
  if [ "$WARMUP" -gt 0 ] && [ -z "${NO_WARMUP:-}" ]; then
    # Its own RUN_ID: COLD's callers must not be warmed by the warm-up.
    RUN_ID="${RUN_ID:-run}-warm-up" SUMMARY="$work/warmup.json" wrk -t"$threads" -c"$connections" -d"${WARMUP}s" -s "$LOAD_DIR/$script" "$url" >/dev/null
  fi
  if [ -n "${RESET_BEFORE_MEASURE:-}" ]; then reset_upstream; fi
  SUMMARY="$work/$name.json" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$LOAD_DIR/$script" "$url" >"$work/$name.wrk.txt"
  echo "   $name: $(cat "$work/$name.json")"
}

post() { # token workspace body-file -> response body on stdout
  curl -s "$gateway/graphql" -H 'Content-Type: application/json' -H 'Accept: application/graphql-response+json' \
    -H "X-Auth-Token: $1" -H "workspace: $2" --data-binary @"$3"
}

# --- HOT: one first page, every field, from many connections --------------------------------
if want hot || want start; then
echo "== HOT"
hot_query='{ qualityTaskInstances(projectId: \"hot-project\", first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name taskId taskType runStatus notifyStatus startTime endTime } } } }'
printf '{"query":"%s"}' "$hot_query" >"$work/hot-body.json"
printf 'hot-token\tws-hot\t%s\n' "$(cat "$work/hot-body.json")" >"$work/hot.requests"
post hot-token ws-hot "$work/hot-body.json" >"$work/hot-response.json"
if grep -q '"errors"' "$work/hot-response.json"; then echo "HOT answers with errors: $(cat "$work/hot-response.json")" >&2; exit 1; fi
# The ceiling answers with the gateway's own bytes and media type.
start ceiling dotnet "$work/bench/Gateway.Benchmarks.dll" ceiling "$ceiling" "$work/hot-response.json" "application/graphql-response+json; charset=utf-8"
wait_for "$ceiling/" ceiling
for round in $(seq 1 "$ROUNDS"); do
  REQUESTS="$work/hot.requests" measure "ceiling-$round" "$ceiling" replay.lua "$CONNECTIONS" "$DURATION"
  reset_upstream
  REQUESTS="$work/hot.requests" measure "hot-$round" "$gateway" replay.lua "$CONNECTIONS" "$DURATION"
  echo "$(upstream_calls)" >"$work/hot-$round.upstream"
done
if want start; then
  . "$LOAD_DIR/fresh-start.sh"
  start_scenarios
fi
stop ceiling
fi

# --- BROWSE: 60 users paging forward with real cursors --------------------------------------
if want browse; then
echo "== BROWSE (request list from a throwaway gateway on the embedded emulator)"
start plan dotnet "$work/gateway/Gateway.dll" --urls "http://127.0.0.1:$plan_port" --Upstream:UseEmulator=true --Paging:CursorSecret="$CURSOR_SECRET" \
  --Upstream:Budget:PermitLimit=1000000 --Logging:LogLevel:Default=Warning
wait_for "http://127.0.0.1:$plan_port/health/live" "planning gateway"
dotnet "$work/bench/Gateway.Benchmarks.dll" prepare-browse "http://127.0.0.1:$plan_port/graphql" "$work/browse.requests"
stop plan
browse_requests="$(wc -l <"$work/browse.requests")"
# First pass, cold, in order, one request at a time: what the walks cost the upstream.
reset_upstream
ONE_PASS=1 NO_WARMUP=1 REQUESTS="$work/browse.requests" measure browse-pass "$gateway" replay.lua 1 20 1
echo "$(upstream_calls)" >"$work/browse-pass.upstream"
# Then the same users keep browsing (walk, start over) from many connections.
reset_upstream
NO_WARMUP=1 REQUESTS="$work/browse.requests" measure browse "$gateway" replay.lua "$CONNECTIONS" "$DURATION"
echo "$(upstream_calls)" >"$work/browse.upstream"
if want return; then
  . "$LOAD_DIR/fresh-start.sh"
  . "$LOAD_DIR/returning.sh"
  return_scenarios
fi
fi

# --- COLD: every request a window no cache holds --------------------------------------------
if want cold; then
echo "== COLD"
reset_upstream
NO_WARMUP=1 TARGET=direct RUN_ID="$RANDOM" measure cold-direct "$emulator" cold.lua "$COLD_CONNECTIONS" "$DURATION"
echo "$(upstream_calls)" >"$work/cold-direct.upstream"
# The whole 100-item block the gateway fetches for the 10-item page, asked for right after: what
# the block's size costs the upstream and the wire.
NO_WARMUP=1 TARGET=direct DIRECT_LIMIT=100 RUN_ID="$RANDOM" measure cold-direct-block "$emulator" cold.lua "$COLD_CONNECTIONS" "$DURATION"
# Warmed exactly like the memory-only reference below (the same cold workload, other callers,
# for twice the run), so that the difference between the two is Redis, not the JIT.
WARMUP=$((DURATION * 2)) TARGET=gateway RUN_ID="$RANDOM" RESET_BEFORE_MEASURE=1 measure cold "$gateway" cold.lua "$COLD_CONNECTIONS" "$DURATION"
echo "$(upstream_calls)" >"$work/cold.upstream"
# The peak of the scenarios themselves, before a listener attaches for the breakdown below.
peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$gateway_pid/status")"
# Where the time goes: the same load again, with dotnet-counters reading the gateway's step
# histogram and HttpClient's and Kestrel's request durations (a run of its own, so that the
# listener does not weigh on the numbers above).
counted=$((DURATION + 4))
start cold-counters "$counters" collect -p "$gateway_pid" --refresh-interval 1 --format csv -o "$work/cold-steps.csv" \
  --counters QualityGateway,System.Net.Http,Microsoft.AspNetCore.Hosting --maxHistograms 50 \
  --duration "$(printf '00:%02d:%02d:%02d' $((counted / 3600)) $((counted % 3600 / 60)) $((counted % 60)))"
sleep 2
kill -0 "$(cat "$work/cold-counters.pid")" 2>/dev/null || { echo "dotnet-counters did not attach: $(cat "$work/cold-counters.log")" >&2; exit 1; }
NO_WARMUP=1 TARGET=gateway RUN_ID="$RANDOM" measure cold-steps "$gateway" cold.lua "$COLD_CONNECTIONS" "$DURATION"
wait "$(cat "$work/cold-counters.pid")" || true   # ends by itself (--duration), having written everything
# What the replicas' coordination in Redis costs: the same load on a gateway without Redis
# (memory only: no shared cache, claim or budget), warmed up longer since it starts cold.
start gateway-memory dotnet "$work/gateway/Gateway.dll" --urls "http://127.0.0.1:$memory_port" \
  --Upstream:BaseUrl="$emulator/" --Redis:Configuration= --Paging:CursorSecret="$CURSOR_SECRET" \
  --Upstream:Budget:PermitLimit=1000000 --Logging:LogLevel:Default=Warning
wait_for "http://127.0.0.1:$memory_port/health/live" "memory-only gateway"
WARMUP=$((DURATION * 2)) TARGET=gateway RUN_ID="$RANDOM" RESET_BEFORE_MEASURE=1 measure cold-memory "http://127.0.0.1:$memory_port" cold.lua "$COLD_CONNECTIONS" "$DURATION"
echo "$(upstream_calls)" >"$work/cold-memory.upstream"
# What the gap above is made of (both gateways are warm by now): the three targets again with
# 0..20 ms of think time before each request. With wrk's closed loop and the emulator's fixed
# latency, all connections send at once and their cold requests queue for the two cores
# together; the think time lets them drift apart, as real visitors are.
for target in direct memory redis; do
  case "$target" in direct) url="$emulator"; kind=direct ;; memory) url="http://127.0.0.1:$memory_port"; kind=gateway ;; redis) url="$gateway"; kind=gateway ;; esac
  NO_WARMUP=1 TARGET="$kind" JITTER_MS=20 RUN_ID="$RANDOM" measure "cold-jitter-$target" "$url" cold.lua "$COLD_CONNECTIONS" "$DURATION"
done
stop gateway-memory
fi
# The peak of the scenarios above, before FOLLOW's own gateways (measured on their own).
peak_kb="${peak_kb:-$(awk '/VmHWM/ {print $2}' "/proc/$gateway_pid/status")}"

if want follow; then
  . "$LOAD_DIR/fresh-start.sh"
  follow_scenarios
fi

# --- machine, report ------------------------------------------------------------------------
mkdir -p "$RESULTS"
/usr/bin/python3 "$LOAD_DIR/report.py" "$work" "$RESULTS" \
  --scenarios "$SCENARIOS" --follow-first "${FOLLOW_FIRST:-15}" --follow-warmup "${FOLLOW_WARMUP:-30}" --start-seconds "${START_SECONDS:-3}" --head-running "${HEAD_RUNNING:-30}" \
  --return-ttl "${RETURN_TTL:-10}" --return-visit "${RETURN_VISIT:-5}" \
  --rounds "$ROUNDS" --peak-kb "$peak_kb" --browse-requests "${browse_requests:-0}" \
  --duration "$DURATION" --connections "$CONNECTIONS" --cold-connections "$COLD_CONNECTIONS" --threads "$THREADS" --latency-ms "$LATENCY_MS" \
  --dotnet "$(dotnet --version)" --wrk "$(wrk -v 2>&1 | head -1)" --redis "$(redis-server --version)" \
  --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" --cores "$(nproc)" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

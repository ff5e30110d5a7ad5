# Sourced by run-load.sh (its helpers: start, stop, wait_for, measure, free_port, $work...):
# the scenarios about a replica's first seconds and about users who follow cursors.
#
# START: a fresh gateway (what the publish ships: ReadyToRun and the warm-up pass), timed from
# its spawn to /health/ready, then HOT from 64 connections for its first START_SECONDS,
# against the ceiling measured right before. With COMPARE_START=1 the same for a gateway
# without the warm-up pass and for one published without ReadyToRun as well (the "before").
#
# FOLLOW: users who follow the real endCursor of each answer (follow.lua), response reuse off.
# For each shape of the upstream's list (unfinished runs spread over history, the emulator's
# default; or only among the newest 30, Emulator:RunningOnlyInNewest) a warm "peer" replica
# is loaded for FOLLOW_WARMUP s, which also fills Redis the way the rest of a cluster would,
# and measured for DURATION s (steady state); then a fresh replica is started on the same
# Redis and measured over its first FOLLOW_FIRST s with the same users; /proc gives their CPU
# per request. dotnet-counters reads the JIT (methods compiled, time in the JIT), the GC's
# pauses and Kestrel's own p99 in a second run of each (the peer again, another fresh replica),
# since attached it slows the process it reads.
START_SECONDS="${START_SECONDS:-3}"
FOLLOW_FIRST="${FOLLOW_FIRST:-15}"
FOLLOW_WARMUP="${FOLLOW_WARMUP:-30}"
HEAD_RUNNING="${HEAD_RUNNING:-30}"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now_s() { date +%s.%N; }

# gateway_fresh <name> <dir> <emulator url> [extra args...]: starts it and writes
# $work/<name>.ready_ms (spawn to the first 200 from /health/ready, polled every 20 ms).
gateway_fresh() {
  local name="$1" dir="$2" upstream="$3"; shift 3
  local port; port="$(free_port)"
  echo "http://127.0.0.1:$port" >"$work/$name.url"
  local t0; t0="$(date +%s%N)"
  start "$name" dotnet "$dir/Gateway.dll" --urls "http://127.0.0.1:$port" \
    --Upstream:BaseUrl="$upstream/" --Redis:Configuration="127.0.0.1:$redis_port" \
    --Paging:CursorSecret="$CURSOR_SECRET" --Upstream:Budget:PermitLimit=1000000 \
    --Logging:LogLevel:Default=Warning "$@"
  for _ in $(seq 1 1500); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then
      echo $((($(date +%s%N) - t0) / 1000000)) >"$work/$name.ready_ms"
      return 0
    fi
    sleep 0.02
  done
  echo "$name did not turn ready within 30 s: $(tail -5 "$work/$name.log")" >&2
  exit 1
}

# counters_on <name> <pid> <seconds>: dotnet-counters on the process's JIT, CPU and GC pauses,
# and Kestrel's own request duration (where a client's p99 is spent: in the process or in the
# queue for a core), for that long. It ends by itself (--duration): stopped with a signal, it
# loses what it had not written.
counters_on() {
  start "$1-counters" "$counters" collect -p "$2" --refresh-interval 1 --format csv -o "$work/$1-jit.csv" --maxHistograms 20 \
    --counters 'System.Runtime[dotnet.jit.compiled_methods,dotnet.jit.compilation.time,dotnet.process.cpu.time,dotnet.gc.pause.time],Microsoft.AspNetCore.Hosting[http.server.request.duration]' \
    --duration "$(printf '00:%02d:%02d:%02d' $(($3 / 3600)) $(($3 % 3600 / 60)) $(($3 % 60)))"
  sleep 1
}
counters_done() { wait "$(cat "$work/$1-counters.pid")" || true; }

# measured <name> <pid> <wrk args...>: a wrk run with the process's CPU and the wall-clock window recorded.
measured() {
  local name="$1" pid="$2"; shift 2
  local before; before="$(cpu_ticks "$pid")"
  local from; from="$(now_s)"
  SUMMARY="$work/$name.json" wrk --timeout 10s "$@" >"$work/$name.wrk.txt"
  printf '{"from": %s, "to": %s, "cpu_ticks": %s, "ticks_per_s": %s}\n' "$from" "$(now_s)" $(($(cpu_ticks "$pid") - before)) "$(getconf CLK_TCK)" >"$work/$name.window.json"
  echo "   $name: $(cat "$work/$name.json")"
}

start_scenarios() {
  echo "== START (fresh replica: start-up to ready, then HOT over its first ${START_SECONDS} s)"
  local variants=(shipped)
  if [ -n "${COMPARE_START:-}" ]; then
    dotnet publish src/Gateway/Gateway.csproj -c Release -p:PublishReadyToRun=false -o "$work/gateway-jit" --nologo -v quiet
    variants+=(no-warmup jit-only)
  fi
  for variant in "${variants[@]}"; do
    local dir="$work/gateway" extra=()
    case "$variant" in
      no-warmup) extra=(--Warmup:Enabled=false) ;;
      jit-only) dir="$work/gateway-jit"; extra=(--Warmup:Enabled=false) ;;
    esac
    REQUESTS="$work/hot.requests" NO_WARMUP=1 measure "start-ceiling-$variant" "$ceiling" replay.lua "$CONNECTIONS" "$START_SECONDS"
    gateway_fresh "start-$variant" "$dir" "$emulator" "${extra[@]}"
    REQUESTS="$work/hot.requests" NO_WARMUP=1 measure "start-hot-$variant" "$(cat "$work/start-$variant.url")" replay.lua "$CONNECTIONS" "$START_SECONDS"
    echo "   start-$variant: ready after $(cat "$work/start-$variant.ready_ms") ms"
    stop "start-$variant"
  done
  echo "${variants[*]}" >"$work/start.variants"
}

follow_scenarios() {
  local head_port; head_port="$(free_port)"
  start emulator-head dotnet "$work/emulator/QualityApi.Emulator.dll" --urls "http://127.0.0.1:$head_port" \
    --Emulator:LatencyMilliseconds="$LATENCY_MS" --Emulator:RunningOnlyInNewest="$HEAD_RUNNING"
  wait_for "http://127.0.0.1:$head_port/_emulator/stats" "emulator (head-only shape)"
  for shape in spread head; do
    local upstream="$emulator"
    if [ "$shape" = head ]; then upstream="http://127.0.0.1:$head_port"; fi
    echo "== FOLLOW ($shape): cursor-following users, response reuse off"
    local users="follow-$shape-$RANDOM"
    gateway_fresh "peer-$shape" "$work/gateway" "$upstream" --Http:ResponseTtl=00:00:00
    local peer; peer="$(cat "$work/peer-$shape.pid")"
    RUN_ID="$users" SUMMARY="$work/warmup.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${FOLLOW_WARMUP}s" -s "$LOAD_DIR/follow.lua" "$(cat "$work/peer-$shape.url")" >/dev/null
    curl -s -X POST "$upstream/_emulator/reset" >/dev/null
    RUN_ID="$users" measured "follow-$shape-steady" "$peer" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$LOAD_DIR/follow.lua" "$(cat "$work/peer-$shape.url")"
    curl -s "$upstream/_emulator/stats" >"$work/follow-$shape-steady.stats"
    # Where the time goes, in a run of its own: attached, dotnet-counters cost this gateway 19
    # and 34 % of its throughput and added 7 and 11 ms to the clients' p99 in two alternating
    # pairs (2026-12-02, docs/performance.md), so the run above, without it, is the headline.
    counters_on "peer-$shape" "$peer" $((DURATION + 3))
    RUN_ID="$users" measured "follow-$shape-steady-observed" "$peer" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$LOAD_DIR/follow.lua" "$(cat "$work/peer-$shape.url")"
    counters_done "peer-$shape"
    stop "peer-$shape"

    # The fresh replica, measured from ready; then another one, the same way, with the counters.
    gateway_fresh "fresh-$shape" "$work/gateway" "$upstream" --Http:ResponseTtl=00:00:00
    local fresh; fresh="$(cat "$work/fresh-$shape.pid")"
    curl -s -X POST "$upstream/_emulator/reset" >/dev/null
    RUN_ID="$users" measured "follow-$shape-first" "$fresh" -t"$THREADS" -c"$CONNECTIONS" -d"${FOLLOW_FIRST}s" -s "$LOAD_DIR/follow.lua" "$(cat "$work/fresh-$shape.url")"
    curl -s "$upstream/_emulator/stats" >"$work/follow-$shape-first.stats"
    stop "fresh-$shape"
    gateway_fresh "fresh-observed-$shape" "$work/gateway" "$upstream" --Http:ResponseTtl=00:00:00
    local observed; observed="$(cat "$work/fresh-observed-$shape.pid")"
    counters_on "fresh-observed-$shape" "$observed" $((FOLLOW_FIRST + 3))
    RUN_ID="$users" measured "follow-$shape-first-observed" "$observed" -t"$THREADS" -c"$CONNECTIONS" -d"${FOLLOW_FIRST}s" -s "$LOAD_DIR/follow.lua" "$(cat "$work/fresh-observed-$shape.url")"
    counters_done "fresh-observed-$shape"
    stop "fresh-observed-$shape"
  done
  stop emulator-head

  # The same users against the main gateway, with its defaults (response reuse on): how much
  # reuse answers when nobody sends the same request twice.
  RUN_ID="follow-defaults-$RANDOM" NO_WARMUP=1 measure follow-defaults "$gateway" follow.lua "$CONNECTIONS" "$DURATION"
}

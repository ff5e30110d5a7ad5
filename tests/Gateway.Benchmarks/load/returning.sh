# Sourced by run-load.sh (its helpers and the BROWSE request list): RETURN, users who come back
# after the TTL. Two gateways with a short Cache:Ttl (RETURN_TTL s), each with its own Redis key
# prefix so that neither sees the other's (or BROWSE's) blocks: one with stale-while-revalidate
# (Cache:StaleTtl, the default), one without (Cache:StaleTtl=0, how it was before). Each: the
# BROWSE users page for RETURN_VISIT s, go away for RETURN_TTL + 1 s (so every block is past
# its TTL), then come back: each user's walk once, one request at a time, is the measured run.
RETURN_TTL="${RETURN_TTL:-10}"
RETURN_VISIT="${RETURN_VISIT:-5}"

return_scenarios() {
  echo "== RETURN (users back after the ${RETURN_TTL} s TTL)"
  # The realistic list shape (unfinished runs only among the newest HEAD_RUNNING): with runs
  # spread over all of history nearly every block is volatile, and a volatile block's own
  # short stale bound (Cache:VolatileStaleTtl, 5 s) is over long before the user is back.
  local head_port; head_port="$(free_port)"
  local upstream="http://127.0.0.1:$head_port"
  start emulator-return dotnet "$work/emulator/QualityApi.Emulator.dll" --urls "$upstream" \
    --Emulator:LatencyMilliseconds="$LATENCY_MS" --Emulator:RunningOnlyInNewest="${HEAD_RUNNING:-30}"
  wait_for "$upstream/_emulator/stats" "emulator (RETURN, head-only shape)"
  # BROWSE's walks, their cursors made on the same shape of data.
  local plan; plan="$(free_port)"
  start return-plan dotnet "$work/gateway/Gateway.dll" --urls "http://127.0.0.1:$plan" --Upstream:UseEmulator=true \
    --Emulator:RunningOnlyInNewest="${HEAD_RUNNING:-30}" --Paging:CursorSecret="$CURSOR_SECRET" \
    --Upstream:Budget:PermitLimit=1000000 --Logging:LogLevel:Default=Warning
  wait_for "http://127.0.0.1:$plan/health/live" "RETURN planning gateway"
  dotnet "$work/bench/Gateway.Benchmarks.dll" prepare-browse "http://127.0.0.1:$plan/graphql" "$work/return.requests"
  stop return-plan
  for variant in swr no-swr; do
    local extra=(--Cache:StaleTtl=00:05:00)
    if [ "$variant" = no-swr ]; then extra=(--Cache:StaleTtl=00:00:00); fi
    gateway_fresh "return-$variant" "$work/gateway" "$upstream" --Redis:InstanceName="return-$variant-$RANDOM:" \
      --Cache:Ttl="00:00:$(printf '%02d' "$RETURN_TTL")" --Cache:VolatileTtl=00:00:05 --Cache:LocalTtl=00:00:05 "${extra[@]}"
    local url; url="$(cat "$work/return-$variant.url")"
    REQUESTS="$work/return.requests" SUMMARY="$work/return-$variant-visit.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${RETURN_VISIT}s" -s "$LOAD_DIR/replay.lua" "$url" >/dev/null
    # Away: the one wait of the script that is meant as one (the TTL runs on the clock).
    sleep $((RETURN_TTL + 1))
    curl -s -X POST "$upstream/_emulator/reset" >/dev/null
    # Back: every user's walk once, in order, one request at a time (like BROWSE's first
    # pass), so each answer is a user's first look at a block since the TTL ran out.
    ONE_PASS=1 NO_WARMUP=1 REQUESTS="$work/return.requests" measure "return-$variant" "$url" replay.lua 1 30 1
    curl -s "$upstream/_emulator/stats" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["listCalls"])' >"$work/return-$variant.upstream"
    stop "return-$variant"
  done
  stop emulator-return
}

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
  for variant in swr no-swr; do
    local extra=(--Cache:StaleTtl=00:05:00)
    if [ "$variant" = no-swr ]; then extra=(--Cache:StaleTtl=00:00:00); fi
    gateway_fresh "return-$variant" "$work/gateway" "$emulator" --Redis:InstanceName="return-$variant-$RANDOM:" \
      --Cache:Ttl="00:00:$(printf '%02d' "$RETURN_TTL")" --Cache:VolatileTtl=00:00:05 --Cache:LocalTtl=00:00:05 "${extra[@]}"
    local url; url="$(cat "$work/return-$variant.url")"
    REQUESTS="$work/browse.requests" SUMMARY="$work/return-$variant-visit.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${RETURN_VISIT}s" -s "$LOAD_DIR/replay.lua" "$url" >/dev/null
    # Away: the one wait of the script that is meant as one (the TTL runs on the clock).
    sleep $((RETURN_TTL + 1))
    reset_upstream
    # Back: every user's walk once, in order, one request at a time (like BROWSE's first
    # pass), so each answer is a user's first look at a block since the TTL ran out.
    ONE_PASS=1 NO_WARMUP=1 REQUESTS="$work/browse.requests" measure "return-$variant" "$url" replay.lua 1 30 1
    echo "$(upstream_calls)" >"$work/return-$variant.upstream"
    stop "return-$variant"
  done
}

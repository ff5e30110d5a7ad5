"""The COLD breakdown of run-load.sh's report: where a cold request's time goes inside the
gateway (its own step meters, read by dotnet-counters), and what the gap to the direct call is
made of outside it (the block's size, and the connections' lockstep), all from the same run."""
import csv
import json
import os
import statistics


def _load(work, name):
    path = os.path.join(work, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def steps(work):
    """Median over the run's 1 s intervals of each p50 dotnet-counters read during COLD: the
    gateway's cold-block steps, the upstream call as HttpClient saw it, the request as Kestrel saw it."""
    path = os.path.join(work, "cold-steps.csv")
    if not os.path.exists(path):
        return None
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            name = row["Counter Name"]
            if "Percentile=50" not in name:
                continue
            if name.startswith("gateway.cache.cold_block.step.duration"):
                key = name.split("step=")[1].split(";")[0].rstrip("]")
            elif name.startswith("http.client.request.duration") and "status_code=200" in name:
                key = "http_client"
            elif name.startswith("http.server.request.duration") and "http.route=/graphql" in name:
                key = "http_server"
            else:
                continue
            series.setdefault(key, []).append(1000.0 * float(row["Mean/Increment"]))
    # No "budget" step when the claim took the permit in its own round trip (the usual case).
    missing = {"lookup", "claim", "upstream", "publish", "http_client", "http_server"} - series.keys()
    if missing:
        raise SystemExit(f"dotnet-counters recorded no {', '.join(sorted(missing))} during COLD ({path})")
    return {key: statistics.median(values) for key, values in series.items()}


def parts(work):
    """The references run after COLD: the whole block asked for directly, and the three targets
    with 0..20 ms of think time before each request (None when COLD was not run)."""
    block = _load(work, "cold-direct-block")
    jitter = {target: _load(work, f"cold-jitter-{target}") for target in ("direct", "memory", "redis")}
    if block is None or None in jitter.values():
        return None
    return {"direct_block": block, "jitter": jitter}


def lines(cold_steps, cold_parts, cold_direct, cold_memory, row):
    out = []
    if cold_parts:
        jitter = cold_parts["jitter"]
        block = cold_parts["direct_block"]
        out += [
            "",
            "What the COLD gap is made of outside the gateway's code (same run): the emulator asked"
            " directly for the 100-item block the gateway fetches for a 10-item page (right after the"
            " direct call above), and the three targets again, warm, with 0..20 ms of think time before"
            " each request, so that the connections do not all send at once:",
            "",
            "| COLD reference | requests/s | ratio | p50 ms | p99 ms | errors | upstream calls per 1,000 |",
            "|---|---:|---:|---:|---:|---:|---:|",
            row("emulator called directly for the whole block (limit 100)", block, None, upstream=False),
            row("with think time: emulator called directly", jitter["direct"], None, upstream=False),
            row("with think time: gateway without Redis vs direct", jitter["memory"], jitter["direct"], upstream=False),
            row("with think time: gateway with Redis vs direct", jitter["redis"], jitter["direct"], upstream=False),
            "",
            "| Part of the COLD p50 gap | ms |",
            "|---|---:|",
            f"| memory only minus direct, as measured above | {cold_memory['p50_ms'] - cold_direct['p50_ms']:.2f} |",
            f"| of which the block's size: direct at limit 100 minus direct at limit 10 | {block['p50_ms'] - cold_direct['p50_ms']:.2f} |",
            f"| with think time: memory only minus direct | {jitter['memory']['p50_ms'] - jitter['direct']['p50_ms']:.2f} |",
            f"| with think time: Redis minus memory only | {jitter['redis']['p50_ms'] - jitter['memory']['p50_ms']:.2f} |",
        ]
    if cold_steps:
        s = cold_steps
        out += [
            "",
            "Where a COLD request's time goes (the gateway's own meters, read by dotnet-counters during a second COLD run;"
            " each value is the median of the per-second p50s, so the parts need not add up exactly):",
            "",
            "| Step | p50 ms |",
            "|---|---:|",
            f"| request as Kestrel saw it (`http.server.request.duration`) | {s['http_server']:.2f} |",
            f"| lookup: memory, until the block is known to be missing there (Redis is looked at by the claim) | {s['lookup']:.2f} |",
            f"| claim: one Redis round trip: the block looked up in Redis, claimed, and a permit taken from the caller's budget | {s['claim']:.2f} |",
            f"| budget: a permit waited for separately (only when the window was full at the claim) | {s.get('budget', 0.0):.2f} |",
            f"| upstream: the call through the resilience pipeline, as the gateway timed it | {s['upstream']:.2f} |",
            f"| (the same call as HttpClient timed it / the emulator called directly by wrk) | {s['http_client']:.2f} / {cold_direct['p50_ms']:.2f} |",
            f"| publish: the block and its instances written to Redis, after the answer (not part of the request) | {s['publish']:.2f} |",
            f"| the rest: HTTP parsing, GraphQL, cursors, response writing (request minus the steps) | {s['http_server'] - sum(s.get(k, 0.0) for k in ('lookup', 'claim', 'budget', 'upstream')):.2f} |",
        ]
    return out

"""Turns one run of run-load.sh into results/: load-results.json, load-results.md (the table
docs/performance.md quotes) and load-chart.png. Every ratio compares numbers measured in the same run."""
import argparse
import csv
import datetime
import json
import os
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("work")
parser.add_argument("results")
for name in ["rounds", "peak-kb", "browse-requests", "duration", "connections", "cold-connections", "threads", "latency-ms"]:
    parser.add_argument("--" + name, type=int, required=True)
for name in ["dotnet", "wrk", "redis", "cpu", "cores", "commit"]:
    parser.add_argument("--" + name, required=True)
args = parser.parse_args()


def load(name):
    with open(os.path.join(args.work, name + ".json")) as f:
        return json.load(f)


def calls(name):
    with open(os.path.join(args.work, name + ".upstream")) as f:
        return int(f.read().strip())


def best(prefix):
    rounds = [(load(f"{prefix}-{r}"), r) for r in range(1, args.rounds + 1)]
    return max(rounds, key=lambda pair: pair[0]["rps"])


ceiling, _ = best("ceiling")
hot, hot_round = best("hot")
hot["upstream_calls"] = calls(f"hot-{hot_round}")
browse_pass = load("browse-pass")
browse_pass["upstream_calls"] = calls("browse-pass")
browse = load("browse")
browse["upstream_calls"] = calls("browse")
cold_direct = load("cold-direct")
cold = load("cold")
cold["upstream_calls"] = calls("cold")
cold_memory = load("cold-memory")
cold_memory["upstream_calls"] = calls("cold-memory")


def per_thousand(run):
    return 1000.0 * run["upstream_calls"] / run["requests"] if run["requests"] else 0.0


def cold_steps():
    """Median over the run's 1 s intervals of each p50 dotnet-counters read during COLD: the
    gateway's cold-block steps, the upstream call as HttpClient saw it, the request as Kestrel saw it."""
    path = os.path.join(args.work, "cold-steps.csv")
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
    missing = {"lookup", "claim", "budget", "upstream", "publish", "http_client", "http_server"} - series.keys()
    if missing:
        raise SystemExit(f"dotnet-counters recorded no {', '.join(sorted(missing))} during COLD ({path})")
    return {key: statistics.median(values) for key, values in series.items()}


steps = cold_steps()
targets = {
    "hot_throughput_ratio": {"value": hot["rps"] / ceiling["rps"], "target": ">= 0.6"},
    "cold_added_p50_ms": {"value": cold["p50_ms"] - cold_direct["p50_ms"], "target": "<= 1.0"},
    "cold_added_p50_ms_without_redis": {"value": cold_memory["p50_ms"] - cold_direct["p50_ms"], "target": "(reference: no coordination)"},
    "browse_upstream_calls_per_10_pages": {"value": 10 * browse["upstream_calls"] / browse["requests"], "target": "<= 1.0"},
    "browse_first_pass_upstream_calls_per_10_pages": {"value": 10 * browse_pass["upstream_calls"] / browse_pass["requests"], "target": "(structural, see docs/performance.md)"},
    "peak_working_set_mb": {"value": args.peak_kb / 1024.0, "target": "< 250"},
}
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": {"cpu": args.cpu, "cores": args.cores, "dotnet": args.dotnet, "wrk": args.wrk, "redis": args.redis, "commit": args.commit},
    "settings": {"duration_s": args.duration, "connections": args.connections, "cold_connections": args.cold_connections,
                 "wrk_threads": args.threads, "emulator_latency_ms": args.latency_ms, "rounds": args.rounds,
                 "browse_requests_per_pass": args.browse_requests},
    "runs": {"ceiling": ceiling, "hot": hot, "browse_first_pass": browse_pass, "browse": browse, "cold_direct": cold_direct, "cold": cold,
             "cold_memory_only": cold_memory},
    "cold_steps_p50_ms": steps,
    "targets": targets,
}
os.makedirs(args.results, exist_ok=True)
with open(os.path.join(args.results, "load-results.json"), "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")


def row(name, run, reference, upstream=True, rate=True):
    ratio = f"{run['rps'] / reference['rps']:.2f}" if reference else ""
    rps = f"{run['rps']:,.0f}" if rate else "n/a (one at a time)"
    thousand = f"{per_thousand(run):.1f}" if upstream and "upstream_calls" in run else "n/a"
    return f"| {name} | {rps} | {ratio} | {run['p50_ms']:.2f} | {run['p99_ms']:.2f} | {run['errors']} | {thousand} |"


lines = [
    f"Run of {result['date']} on {args.cores} cores ({args.cpu}), .NET SDK {args.dotnet}, {args.wrk.split(' [')[0]}, {args.redis.split(' sha=')[0]}, commit {args.commit}.",
    f"wrk {args.threads} threads; HOT and BROWSE {args.connections} connections, COLD {args.cold_connections}; {args.duration} s per run"
    f" (HOT and ceiling: best of {args.rounds} alternating rounds); emulator latency {args.latency_ms} ms.",
    "",
    "| Scenario | requests/s | ratio | p50 ms | p99 ms | errors | upstream calls per 1,000 |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("ceiling (fixed bytes, plain Kestrel)", ceiling, ceiling, upstream=False),
    row("HOT (gateway) vs ceiling", hot, ceiling),
    row("BROWSE, first pass (1 connection, cold)", browse_pass, None, rate=False),
    row("BROWSE (gateway)", browse, None),
    row("COLD, emulator called directly", cold_direct, None, upstream=False),
    row("COLD (gateway) vs direct", cold, cold_direct),
    row("COLD, gateway without Redis (memory only) vs direct", cold_memory, cold_direct),
    "",
    "| Target | Measured | Goal |",
    "|---|---:|---|",
    f"| HOT throughput / ceiling | {targets['hot_throughput_ratio']['value']:.2f} | >= 0.6 |",
    f"| COLD p50 added over the direct call | {targets['cold_added_p50_ms']['value']:.2f} ms | <= 1 ms |",
    f"| (the same without Redis: no shared cache, claim or budget) | {targets['cold_added_p50_ms_without_redis']['value']:.2f} ms | (reference) |",
    f"| BROWSE upstream calls per 10 page requests | {targets['browse_upstream_calls_per_10_pages']['value']:.3f} | <= 1 |",
    f"| BROWSE, first cold pass only | {targets['browse_first_pass_upstream_calls_per_10_pages']['value']:.2f} | (see docs/performance.md) |",
    f"| Peak working set of the gateway (VmHWM) | {targets['peak_working_set_mb']['value']:.0f} MB | < 250 MB |",
    "",
    "Where a COLD request's time goes (the gateway's own meters, read by dotnet-counters during a second COLD run;"
    " each value is the median of the per-second p50s, so the parts need not add up exactly):",
    "",
    "| Step | p50 ms |",
    "|---|---:|",
    f"| request as Kestrel saw it (`http.server.request.duration`) | {steps['http_server']:.2f} |",
    f"| lookup: memory, then Redis, until the block is known to be missing | {steps['lookup']:.2f} |",
    f"| claim: the single-flight claim in Redis | {steps['claim']:.2f} |",
    f"| budget: a permit from the caller's upstream budget in Redis | {steps['budget']:.2f} |",
    f"| upstream: the call through the resilience pipeline, as the gateway timed it | {steps['upstream']:.2f} |",
    f"| (the same call as HttpClient timed it / the emulator called directly by wrk) | {steps['http_client']:.2f} / {cold_direct['p50_ms']:.2f} |",
    f"| publish: the block and its instances written to memory and Redis | {steps['publish']:.2f} |",
    f"| the rest: HTTP parsing, GraphQL, cursors, response writing (request minus the steps) | {steps['http_server'] - sum(steps[k] for k in ('lookup', 'claim', 'budget', 'upstream', 'publish')):.2f} |",
]
with open(os.path.join(args.results, "load-results.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))

# The chart: throughput against each scenario's reference, and latency percentiles.
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
names = ["ceiling", "HOT", "BROWSE", "COLD\ndirect", "COLD", "COLD\nno Redis"]
runs = [ceiling, hot, browse, cold_direct, cold, cold_memory]
colors = ["#9e9e9e", "#1f77b4", "#2ca02c", "#9e9e9e", "#d62728", "#e377c2"]
bars = left.bar(names, [r["rps"] for r in runs], color=colors)
for bar, run in zip(bars, runs):
    left.annotate(f"{run['rps']:,.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=9)
left.set_title(f"requests/s (HOT = {targets['hot_throughput_ratio']['value']:.2f} x ceiling)")
left.set_ylabel("requests/s")
width = 0.38
positions = range(len(runs))
p50 = right.bar([p - width / 2 for p in positions], [r["p50_ms"] for r in runs], width, label="p50", color="#1f77b4")
p99 = right.bar([p + width / 2 for p in positions], [r["p99_ms"] for r in runs], width, label="p99", color="#ff7f0e")
for bar in list(p50) + list(p99):
    right.annotate(f"{bar.get_height():.1f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8)
right.set_xticks(list(positions))
right.set_xticklabels(names)
right.set_yscale("log")
right.set_ylabel("ms (log scale)")
right.set_title(f"latency (COLD adds {targets['cold_added_p50_ms']['value']:.2f} ms at p50)")
right.legend()
fig.suptitle(f"Quality gateway load scenarios, {result['date']}, {args.cores} cores, .NET {args.dotnet}, emulator {args.latency_ms} ms", fontsize=11)
fig.tight_layout()
fig.savefig(os.path.join(args.results, "load-chart.png"), dpi=100)

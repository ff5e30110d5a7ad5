"""Turns one run of run-load.sh into results/: load-results.json, load-results.md (the table
docs/performance.md quotes) and load-chart.png. Every ratio compares numbers measured in the same run."""
import argparse
import datetime
import json
import os

import matplotlib

import report_cold
import report_fresh

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("work")
parser.add_argument("results")
for name in ["rounds", "peak-kb", "duration", "connections", "cold-connections", "threads", "latency-ms",
             "follow-first", "follow-warmup", "start-seconds", "head-running", "return-ttl", "return-visit"]:
    parser.add_argument("--" + name, type=int, required=True)
parser.add_argument("--browse-requests", type=int, default=0)
parser.add_argument("--scenarios", default="hot start browse cold follow")
for name in ["dotnet", "wrk", "redis", "cpu", "cores", "commit"]:
    parser.add_argument("--" + name, required=True)
args = parser.parse_args()


scenarios = args.scenarios.split()


def load(name, upstream=False):
    """One wrk run's summary (None when its scenario was not run), with its upstream calls."""
    path = os.path.join(args.work, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        run = json.load(f)
    if upstream:
        with open(os.path.join(args.work, name + ".upstream")) as f:
            run["upstream_calls"] = int(f.read().strip())
    return run


def best(prefix):
    rounds = [load(f"{prefix}-{r}", upstream=prefix == "hot") for r in range(1, args.rounds + 1)]
    rounds = [run for run in rounds if run]
    return max(rounds, key=lambda run: run["rps"]) if rounds else None


ceiling = best("ceiling")
hot = best("hot")
browse_pass = load("browse-pass", upstream=True)
browse = load("browse", upstream=True)
cold_direct = load("cold-direct")
cold = load("cold", upstream=True)
cold_memory = load("cold-memory", upstream=True)
follow_runs = report_fresh.follow(args.work)
start_runs = report_fresh.start(args.work)
follow_defaults = load("follow-defaults")
return_runs = report_fresh.returning(args.work)


def per_thousand(run):
    return 1000.0 * run["upstream_calls"] / run["requests"] if run["requests"] else 0.0


steps = report_cold.steps(args.work)
cold_parts = report_cold.parts(args.work)
targets = {"peak_working_set_mb": {"value": args.peak_kb / 1024.0, "target": "< 250"}}
if hot:
    targets["hot_throughput_ratio"] = {"value": hot["rps"] / ceiling["rps"], "target": ">= 0.6"}
if cold:
    targets["cold_added_p50_ms"] = {"value": cold["p50_ms"] - cold_direct["p50_ms"], "target": "<= 1.0"}
    targets["cold_added_p50_ms_without_redis"] = {"value": cold_memory["p50_ms"] - cold_direct["p50_ms"], "target": "<= 1.5"}
    targets["cold_redis_over_memory_p50_ms"] = {"value": cold["p50_ms"] - cold_memory["p50_ms"], "target": "<= 0.5"}
if browse:
    targets["browse_upstream_calls_per_10_pages"] = {"value": 10 * browse["upstream_calls"] / browse["requests"], "target": "<= 1.0"}
    targets["browse_first_pass_upstream_calls_per_10_pages"] = {"value": 10 * browse_pass["upstream_calls"] / browse_pass["requests"], "target": "(structural, see docs/performance.md)"}
if "shipped" in start_runs:
    targets["hot_first_seconds_ratio"] = {"value": start_runs["shipped"]["ratio"], "target": ">= 0.6"}
    targets["start_to_ready_ms"] = {"value": start_runs["shipped"]["ready_ms"], "target": "< 3000"}
if "swr" in return_runs and browse:
    targets["return_p50_over_browse_ms"] = {"value": return_runs["swr"]["p50_ms"] - browse["p50_ms"], "target": "close to 0"}
if "swr" in return_runs and "no-swr" in return_runs:
    targets["return_upstream_calls_per_1000_swr_vs_without"] = {
        "value": per_thousand(return_runs["swr"]) - per_thousand(return_runs["no-swr"]), "target": "<= 0"}
for shape, runs in follow_runs.items():
    targets[f"follow_{shape}_first_to_steady"] = {"value": runs["first_to_steady"], "target": ">= 0.8"}
    targets[f"follow_{shape}_steady_rps"] = {"value": runs["steady"]["rps"], "target": ">= 4000"}
    targets[f"follow_{shape}_steady_p99_ms"] = {"value": runs["steady"]["p99_ms"], "target": "< 20"}
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": {"cpu": args.cpu, "cores": args.cores, "dotnet": args.dotnet, "wrk": args.wrk, "redis": args.redis, "commit": args.commit},
    "settings": {"duration_s": args.duration, "connections": args.connections, "cold_connections": args.cold_connections,
                 "wrk_threads": args.threads, "emulator_latency_ms": args.latency_ms, "rounds": args.rounds,
                 "browse_requests_per_pass": args.browse_requests},
    "scenarios": scenarios,
    "runs": {"ceiling": ceiling, "hot": hot, "browse_first_pass": browse_pass, "browse": browse, "cold_direct": cold_direct, "cold": cold,
             "cold_memory_only": cold_memory, "follow_defaults": follow_defaults},
    "start": start_runs,
    "follow": follow_runs,
    "return": return_runs,
    "cold_steps_p50_ms": steps,
    "cold_parts": cold_parts,
    "targets": targets,
}
os.makedirs(args.results, exist_ok=True)
with open(os.path.join(args.results, "load-results.json"), "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")


def row(name, run, reference, upstream=True, rate=True):
    if run is None:
        return None
    ratio = f"{run['rps'] / reference['rps']:.2f}" if reference else ""
    rps = f"{run['rps']:,.0f}" if rate else "n/a (one at a time)"
    thousand = f"{per_thousand(run):.1f}" if upstream and "upstream_calls" in run else "n/a"
    return f"| {name} | {rps} | {ratio} | {run['p50_ms']:.2f} | {run['p99_ms']:.2f} | {run['errors']} | {thousand} |"


def target(key, text, unit="", digits=2):
    return f"| {text} | {targets[key]['value']:,.{digits}f}{unit} | {targets[key]['target']} |" if key in targets else None


lines = [
    f"Run of {result['date']} on {args.cores} cores ({args.cpu}), .NET SDK {args.dotnet}, {args.wrk.split(' [')[0]}, {args.redis.split(' sha=')[0]}, commit {args.commit}.",
    f"Scenarios: {' '.join(scenarios)}. wrk {args.threads} threads; HOT, BROWSE and FOLLOW {args.connections} connections, COLD {args.cold_connections}; {args.duration} s per run"
    f" (HOT and ceiling: best of {args.rounds} alternating rounds, each after {3 if hot else 0} s of warm-up load); emulator latency {args.latency_ms} ms.",
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
    target("hot_throughput_ratio", "HOT throughput / ceiling"),
    target("hot_first_seconds_ratio", f"HOT over the first {args.start_seconds} s of a fresh replica / ceiling"),
    target("start_to_ready_ms", "start-up to ready (fresh replica)", " ms", 0),
    target("follow_spread_steady_rps", "FOLLOW steady state, requests/s (unfinished runs spread)", "", 0),
    target("follow_spread_steady_p99_ms", "FOLLOW steady state, p99 (spread)", " ms"),
    target("follow_spread_first_to_steady", f"FOLLOW first {args.follow_first} s of a fresh replica / steady state (spread)"),
    target("follow_head_steady_rps", "FOLLOW steady state, requests/s (unfinished runs at the head only)", "", 0),
    target("follow_head_steady_p99_ms", "FOLLOW steady state, p99 (head only)", " ms"),
    target("follow_head_first_to_steady", f"FOLLOW first {args.follow_first} s of a fresh replica / steady state (head only)"),
    target("return_p50_over_browse_ms", "RETURN p50 (users back after the TTL) minus BROWSE p50", " ms"),
    target("return_upstream_calls_per_1000_swr_vs_without", "RETURN upstream calls per 1,000, with minus without stale-while-revalidate", "", 1),
    target("cold_added_p50_ms", "COLD p50 added over the direct call", " ms"),
    target("cold_added_p50_ms_without_redis", "COLD p50 added over the direct call without Redis (no shared cache, claim or budget)", " ms"),
    target("cold_redis_over_memory_p50_ms", "COLD p50 with Redis minus without (the coordination's cost)", " ms"),
    target("browse_upstream_calls_per_10_pages", "BROWSE upstream calls per 10 page requests", "", 3),
    target("browse_first_pass_upstream_calls_per_10_pages", "BROWSE, first cold pass only"),
    target("peak_working_set_mb", "Peak working set of the main gateway (VmHWM)", " MB", 0),
]
lines += report_fresh.lines(follow_runs, start_runs, follow_defaults, return_runs, browse, args)
lines += report_cold.lines(steps, cold_parts, cold_direct, cold_memory, row)
lines = [line for line in lines if line is not None]
with open(os.path.join(args.results, "load-results.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))

# The chart: throughput against each scenario's reference, and latency percentiles.
fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.8))
chart = [("ceiling", ceiling, "#9e9e9e"), ("HOT", hot, "#1f77b4"), ("BROWSE", browse, "#2ca02c"),
         ("FOLLOW\nsteady", follow_runs.get("head", follow_runs.get("spread", {})).get("steady"), "#17becf"),
         ("FOLLOW\nfresh", follow_runs.get("head", follow_runs.get("spread", {})).get("first"), "#bcbd22"),
         ("COLD\ndirect", cold_direct, "#9e9e9e"), ("COLD", cold, "#d62728"), ("COLD\nno Redis", cold_memory, "#e377c2")]
chart = [entry for entry in chart if entry[1]]
names = [entry[0] for entry in chart]
runs = [entry[1] for entry in chart]
colors = [entry[2] for entry in chart]
bars = left.bar(names, [r["rps"] for r in runs], color=colors)
for bar, run in zip(bars, runs):
    left.annotate(f"{run['rps']:,.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=9)
left.set_title(f"requests/s (HOT = {targets['hot_throughput_ratio']['value']:.2f} x ceiling)" if hot else "requests/s")
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
right.set_title(f"latency (COLD adds {targets['cold_added_p50_ms']['value']:.2f} ms at p50)" if cold else "latency")
right.legend()
fig.suptitle(f"Quality gateway load scenarios, {result['date']}, {args.cores} cores, .NET {args.dotnet}, emulator {args.latency_ms} ms", fontsize=11)
fig.tight_layout()
fig.savefig(os.path.join(args.results, "load-chart.png"), dpi=100)

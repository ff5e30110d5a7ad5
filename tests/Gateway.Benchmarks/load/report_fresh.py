"""The START and FOLLOW rows of run-load.sh's report (see fresh-start.sh): a fresh replica's
start-up and first seconds against the same run's references (the ceiling measured right
before it; a warm peer replica serving the same users), and where the CPU went (the JIT)."""
import csv
import datetime
import json
import os
import statistics


def _load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _counters(work, process, window):
    """From dotnet-counters' 1 s rows within the window (a row at T covers the second before T):
    methods the JIT compiled and seconds it spent, per second; milliseconds of GC pause per
    second; and the median of Kestrel's per-second p99 of /graphql requests, in ms (the time
    inside the process, against the client's p99, which adds the wait for a core)."""
    path = os.path.join(work, process + "-jit.csv")
    if not os.path.exists(path):
        return {"jit_methods_per_s": float("nan"), "jit_seconds_per_s": float("nan"), "gc_pause_ms_per_s": float("nan"), "server_p99_ms": float("nan")}
    methods = seconds = paused = 0.0
    server_p99 = []
    with open(path) as f:
        for row in csv.DictReader(f):
            stamp = datetime.datetime.strptime(row["Timestamp"], "%m/%d/%Y %H:%M:%S").astimezone().timestamp()
            if not (window["from"] < stamp <= window["to"] + 0.999):
                continue
            name = row["Counter Name"]
            if name.startswith("dotnet.jit.compiled_methods"):
                methods += float(row["Mean/Increment"])
            elif name.startswith("dotnet.jit.compilation.time"):
                seconds += float(row["Mean/Increment"])
            elif name.startswith("dotnet.gc.pause.time"):
                paused += float(row["Mean/Increment"])
            elif name.startswith("http.server.request.duration") and "http.route=/graphql" in name and "Percentile=99" in name:
                server_p99.append(1000.0 * float(row["Mean/Increment"]))
    length = window["to"] - window["from"]
    return {
        "jit_methods_per_s": methods / length,
        "jit_seconds_per_s": seconds / length,
        "gc_pause_ms_per_s": 1000.0 * paused / length,
        "server_p99_ms": statistics.median(server_p99) if server_p99 else float("nan"),
    }


def follow(work, shapes=("spread", "head")):
    """{shape: {"steady": run, "first": run}} with throughput, latency, CPU and JIT per run."""
    result = {}
    for shape in shapes:
        runs = {}
        for phase, process, observed in (("steady", f"peer-{shape}", f"peer-{shape}"), ("first", f"fresh-{shape}", f"fresh-observed-{shape}")):
            run = _load(work, f"follow-{shape}-{phase}.json")
            window = _load(work, f"follow-{shape}-{phase}.window.json")
            if run is None or window is None:
                break
            cpu_s = window["cpu_ticks"] / window["ticks_per_s"]
            run["cpu_ms_per_request"] = 1000.0 * cpu_s / run["requests"] if run["requests"] else 0.0
            run["cpu_cores"] = cpu_s / (window["to"] - window["from"])
            # The counters' own run: the same users, with dotnet-counters attached.
            observed_window = _load(work, f"follow-{shape}-{phase}-observed.window.json")
            run.update(_counters(work, observed, observed_window) if observed_window else _counters(work, "(none)", window))
            observed_run = _load(work, f"follow-{shape}-{phase}-observed.json")
            run["observed_rps"] = observed_run["rps"] if observed_run else float("nan")
            run["observed_p99_ms"] = observed_run["p99_ms"] if observed_run else float("nan")
            stats = _load(work, f"follow-{shape}-{phase}.stats") or {}
            run["upstream_calls"] = stats.get("listCalls", 0)
            run["ready_ms"] = int(open(os.path.join(work, process + ".ready_ms")).read()) if phase == "first" else None
            runs[phase] = run
        if len(runs) == 2:
            runs["first_to_steady"] = runs["first"]["rps"] / runs["steady"]["rps"]
            result[shape] = runs
    return result


def start(work):
    """{variant: {"ready_ms", "hot", "ceiling", "ratio"}} for each fresh start measured."""
    path = os.path.join(work, "start.variants")
    if not os.path.exists(path):
        return {}
    result = {}
    for variant in open(path).read().split():
        hot = _load(work, f"start-hot-{variant}.json")
        ceiling = _load(work, f"start-ceiling-{variant}.json")
        ready = int(open(os.path.join(work, f"start-{variant}.ready_ms")).read())
        result[variant] = {"ready_ms": ready, "hot": hot, "ceiling": ceiling, "ratio": hot["rps"] / ceiling["rps"]}
    return result


def returning(work):
    """{variant: run} for RETURN with and without stale-while-revalidate, with upstream calls."""
    result = {}
    for variant in ("swr", "no-swr"):
        run = _load(work, f"return-{variant}.json")
        if run is None:
            continue
        with open(os.path.join(work, f"return-{variant}.upstream")) as f:
            run["upstream_calls"] = int(f.read().strip())
        result[variant] = run
    return result


START_NAMES = {
    "shipped": "as published (ReadyToRun, warm-up pass)",
    "no-warmup": "ReadyToRun, no warm-up pass (`Warmup:Enabled=false`)",
    "jit-only": "no ReadyToRun, no warm-up pass (before issue 13)",
}


def lines(follow_runs, start_runs, defaults, return_runs, browse, args):
    out = []
    if return_runs:
        out += [
            "",
            f"RETURN: the BROWSE users page for {args.return_visit} s (64 connections), leave for {args.return_ttl + 1} s (every block past a {args.return_ttl} s `Cache:Ttl`), come back:"
            " each user's walk once, in order, on one connection (like BROWSE's first pass); one gateway with stale-while-revalidate (`Cache:StaleTtl` 5 min),"
            " one without (`0`, as before), each with its own Redis prefix; p50 against BROWSE (64 connections, warm) in the same run:",
            "",
            "| RETURN | requests/s | p50 ms | p99 ms | p50 minus BROWSE's | errors | upstream calls per 1,000 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for variant, label in (("swr", "with stale-while-revalidate"), ("no-swr", "without (`Cache:StaleTtl=0`)")):
            if variant in return_runs:
                run = return_runs[variant]
                versus = f"{run['p50_ms'] - browse['p50_ms']:+.2f} ms" if browse else ""
                calls = 1000.0 * run["upstream_calls"] / run["requests"] if run["requests"] else 0.0
                out.append(f"| {label} | {run['rps']:,.0f} | {run['p50_ms']:.2f} | {run['p99_ms']:.2f} | {versus} | {run['errors']} | {calls:.1f} |")
    if start_runs:
        out += [
            "",
            f"A fresh replica (started cold, Redis and the emulator already up): start-up to ready, then HOT from {args.connections} connections"
            f" over its first {args.start_seconds} s, against the ceiling measured for {args.start_seconds} s right before it:",
            "",
            "| Start | start-up to ready ms | HOT first s requests/s | ceiling requests/s | ratio | p99 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for variant, run in start_runs.items():
            out.append(f"| {START_NAMES.get(variant, variant)} | {run['ready_ms']:,} | {run['hot']['rps']:,.0f} | {run['ceiling']['rps']:,.0f} | {run['ratio']:.2f} | {run['hot']['p99_ms']:.2f} |")
    if follow_runs:
        out += [
            "",
            f"FOLLOW: {args.connections} users following real cursors (20 tokens x 3 workspaces x 5 filters x 1..20 pages, new visits all the time), response reuse off."
            f" Steady state: a peer replica after {args.follow_warmup} s of the same load, measured {args.duration} s; first seconds: a replica started fresh on the same Redis,"
            f" measured over its first {args.follow_first} s after ready. Shapes: unfinished runs spread over history (the emulator's default) or only among the newest {args.head_running}."
            " Throughput, latency and CPU are from runs without dotnet-counters; JIT, GC and Kestrel's own p99 from a second run of each with it attached (the peer again, another"
            " fresh replica), whose own requests/s and client p99 are shown next to them: attached, it slows the process it reads. The JIT's time counter is wall time, so on a"
            " machine where threads wait for a core it can exceed CPU time; Kestrel's p99 is the median of its per-second p99s, the time a request spent inside the process:",
            "",
            "| FOLLOW | requests/s | ratio | p50 ms | p99 ms | errors | CPU ms per request | cores busy | upstream calls per 1,000 | observed: requests/s | p99 ms | p99 inside the process ms | GC pause ms/s | JIT methods/s | JIT s/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for shape, runs in follow_runs.items():
            for phase, label, ratio in (("steady", "steady state (warm peer)", ""), ("first", f"first {args.follow_first} s of a fresh replica vs steady", f"{runs['first_to_steady']:.2f}")):
                run = runs[phase]
                calls = 1000.0 * run["upstream_calls"] / run["requests"] if run["requests"] else 0.0
                out.append(f"| {shape}, {label} | {run['rps']:,.0f} | {ratio} | {run['p50_ms']:.2f} | {run['p99_ms']:.2f} | {run['errors']} | {run['cpu_ms_per_request']:.3f} | {run['cpu_cores']:.2f} | {calls:.1f}"
                           f" | {run['observed_rps']:,.0f} | {run['observed_p99_ms']:.2f} | {run['server_p99_ms']:.2f} | {run['gc_pause_ms_per_s']:.1f} | {run['jit_methods_per_s']:,.0f} | {run['jit_seconds_per_s']:.2f} |")
    if defaults:
        out += ["", f"FOLLOW against the main gateway with its defaults (response reuse on), {args.duration} s: {defaults['rps']:,.0f} requests/s, p50 {defaults['p50_ms']:.2f} ms, p99 {defaults['p99_ms']:.2f} ms, {defaults['errors']} errors."]
    return out

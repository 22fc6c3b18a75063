#!/usr/bin/env python3
"""Turns the raw results of scripts/bench/run into the rows of BENCHMARKS.md's results table.

Usage: report.py BENCHMARK FOLDER
Each benchmark of the run wrote JSON lines (one line per repetition) into FOLDER; this prints one Markdown row
per figure: | benchmark | figure (median of the repetitions) | goal | pass/miss |. Without goals (--smoke) the
last column says "smoke".
"""
import json
import statistics
import sys
from pathlib import Path


def lines(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def median(values) -> float:
    return statistics.median_high(list(values))


def meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text())


def dig(record: dict, dotted: str):
    for key in dotted.split("."):
        record = record[key]
    return record


class Table:
    def __init__(self, smoke: bool):
        self.smoke = smoke

    def row(self, benchmark: str, figure: str, goal: str = "", passed=None) -> None:
        verdict = "smoke" if self.smoke else ("" if passed is None else ("pass" if passed else "**miss**"))
        print(f"| {benchmark} | {figure} | {goal} | {verdict} |")


def render(folder: Path, table: Table) -> None:
    runs = lines(folder, "render")
    small, large = runs[0]["small"], runs[0]["large"]
    table.row("render: tree size", f"{small['deployments']:,} deployments / {small['rows']:,} rows vs "
              f"{large['deployments']:,} / {large['rows']:,}, fully expanded", "", None)
    names = {"frame": "frame, clock only", "move": "cursor move + frame", "page": "page down/up + frame",
             "toggle": "toggle a deployment + frame",
             "merge": "merge a refresh of every deployment, as polling gets it (one page changed) + frame",
             "merge_fresh": "merge a refresh of every deployment, every page decoded afresh + frame"}
    for key, label in names.items():
        s = median(dig(run, f"small.{key}.median_us") for run in runs)
        big = median(dig(run, f"large.{key}.median_us") for run in runs)
        ratio = median(run["ratio"][key] for run in runs)
        table.row(f"render: {label}", f"{s:,.1f} µs → {big:,.1f} µs, ratio {ratio:.2f}×", "ratio ≤ 1.5×",
                  ratio <= 1.5)
    limits = {"move": 1_000, "page": 1_000, "toggle": 1_000, "merge": 50_000, "merge_fresh": 50_000}
    for key, limit in limits.items():
        big = median(dig(run, f"large.{key}.median_us") for run in runs)
        table.row(f"render: {names[key]}, at {large['deployments']:,} deployments", f"{big / 1000:,.2f} ms",
                  f"≤ {limit / 1000:g} ms", big <= limit)
    s = median(dig(run, "small.merge_unchanged.median_us") for run in runs)
    big = median(dig(run, "large.merge_unchanged.median_us") for run in runs)
    table.row("render: merge a refresh, nothing changed (every page the last one's) + frame",
              f"{s:,.1f} µs → {big:,.1f} µs, ratio {big / s:.2f}×", "", None)
    # Not among the operations: a filter has to look at the nodes it may show, so no ratio goal.
    for key, label in [("filter", "a key typed on into the / filter (`svc-1` → `svc-11`) + frame"),
                       ("filter_widen", "backspace in the / filter (`svc-11` → `svc-1`: every node matched) + frame")]:
        s = median(dig(run, f"small.{key}.median_us") for run in runs)
        big = median(dig(run, f"large.{key}.median_us") for run in runs)
        table.row(f"render: {label}", f"{s:,.1f} µs → {big / 1000:,.1f} ms, ratio {big / s:.0f}×", "", None)
    s = median(run["small"]["resident_bytes"] for run in runs) / 2**20
    big = median(run["large"]["resident_bytes"] for run in runs) / 2**20
    tree = median(run["large"]["tree_bytes"] for run in runs) / 2**20
    ratio = median(run["ratio"]["resident"] for run in runs)
    # The ratio goal is for operations; memory follows the data, so its ratio is shown without a verdict.
    table.row("render: resident memory (VmRSS)",
              f"{s:.1f} MiB → {big:.1f} MiB (large tree adds {tree:.1f} MiB), ratio {ratio:.2f}×", "", None)
    table.row(f"render: resident memory with {large['deployments']:,} deployments",
              f"{big * 2**20 / 1e6:.1f} MB ({big:.1f} MiB)", "≤ 150 MB", big * 2**20 <= 150e6)


def paint(folder: Path, table: Table) -> None:
    runs = lines(folder, "paint")
    table.row("paint: first full draw", f"{median(r['first_draw_bytes'] for r in runs):,.0f} bytes")
    table.row("paint: cursor move", f"{median(r['move_bytes_median'] for r in runs):,.0f} bytes "
              f"(max {median(r['move_bytes_max'] for r in runs):,.0f})")
    per_refresh = median(r["idle_bytes_per_refresh"] for r in runs)
    changed = sorted({line for r in runs for line in r["idle_changed_lines"]})
    table.row("paint: idle refresh, nothing changed", f"{per_refresh:,.1f} bytes per refresh; screen lines changed: "
              f"{changed or 'none'}; sample `{runs[-1]['idle_sample'][:80]}`", "only the clock (line 0)",
              set(changed) <= {0})


SITUATIONS = {"tree": "as opened", "help": "help overlay open (?)", "follow": "follow mode (f)",
              "still": "last row (End), nothing running on screen"}


def idle(folder: Path, table: Table) -> None:
    runs = lines(folder, "idle")
    about = meta(folder)
    for situation, label in SITUATIONS.items():
        if situation not in runs[0]:
            continue
        cpu = median(r[situation]["cpu_percent"] for r in runs)
        written = median(r[situation]["bytes_per_second"] for r in runs)
        table.row(f"idle ({len(runs)} run{'s' * (len(runs) != 1)}): {about['deployments']:,} deployments, {about['interval']} s refresh, {label}",
                  f"{cpu:.2f} % of a core ({written:,.0f} bytes/s to the terminal)", "≤ 1 %",
                  cpu <= 1)


def start(folder: Path, table: Table) -> None:
    result = json.loads((folder / "start.json").read_text())["results"][0]
    wall = result["median"] * 1000
    deployments = meta(folder)["deployments"]
    pages = -(-deployments // 100)
    table.row(f"start: `kprov tree`, {deployments:,} deployments ({pages} page{'s' * (pages != 1)} of 100)",
              f"{wall:.0f} ms median wall ({len(result['times'])} runs; user {result['user'] * 1000:.0f} ms, "
              f"system {result['system'] * 1000:.0f} ms mean)", "≤ 300 ms", wall <= 300)


def load(folder: Path, name: str) -> tuple[float, float, float]:
    runs = lines(folder, name)
    return (median(r["calls_per_second"] for r in runs), median(r["p50_ms"] for r in runs),
            median(r["p99_ms"] for r in runs))


def cpu(folder: Path, name: str, key: str, unit: str) -> str:
    """'; N µs CPU per <unit>' from the median of `key` over the runs, or '' when they did not measure it."""
    runs = [r for r in lines(folder, name) if key in r]
    return f"; {median(r[key] for r in runs):,.0f} µs CPU per {unit}" if runs else ""


def client(folder: Path, table: Table) -> None:
    figures = {}
    for tool, label in [("kprov", "kprov KoyebClient"), ("sdk", "Koyeb Python SDK"), ("wrk", "wrk")]:
        figures[tool] = load(folder, f"client-{tool}")
        rate, p50, p99 = figures[tool]
        table.row(f"client: {label}, 16 in flight", f"{rate:,.0f} calls/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms"
                  + cpu(folder, f"client-{tool}", "cpu_us_per_call", "call"))
    kprov, sdk, wrk = figures["kprov"][0], figures["sdk"][0], figures["wrk"][0]
    table.row("client: kprov vs Python SDK", f"{kprov / sdk:.1f}×", "≥ 3×", kprov / sdk >= 3)
    table.row("client: kprov vs wrk", f"{100 * kprov / wrk:.0f} %", "≥ 50 %", kprov / wrk >= 0.5)


def adapter(folder: Path, table: Table) -> None:
    labels = {"sim": "straight at the simulator", "serve": "through `kprov serve` (REST)",
              "nginx": "through nginx proxy_pass (keep-alive)"}
    loaded, single = {}, {}
    for name, label in labels.items():
        loaded[name] = load(folder, f"adapter-{name}-c16")
        single[name] = load(folder, f"adapter-{name}-c1")
        table.row(f"adapter: PATCH step {label}",
                  f"{loaded[name][0]:,.0f} req/s at 16 connections; p50 {single[name][1]:.3f} ms at 1 connection"
                  + cpu(folder, f"adapter-{name}-c16", "server_cpu_us_per_request", "request"))
    added = single["serve"][1] - single["sim"][1]
    table.row("adapter: p50 added by `kprov serve` (1 connection)", f"{added:.3f} ms", "≤ 0.3 ms", added <= 0.3)
    share = loaded["serve"][0] / loaded["nginx"][0]
    table.row("adapter: `kprov serve` vs nginx proxy throughput", f"{100 * share:.0f} %", "≥ 80 %", share >= 0.8)


def simulator(folder: Path, table: Table) -> None:
    sim, nginx = load(folder, "sim-get")[0], load(folder, "nginx-static")[0]
    table.row("simulator: GET /v1/deployments/{id}",
              f"{sim:,.0f} req/s" + cpu(folder, "sim-get", "server_cpu_us_per_request", "request"))
    table.row("nginx: the same JSON as a static file",
              f"{nginx:,.0f} req/s" + cpu(folder, "nginx-static", "server_cpu_us_per_request", "request"))
    table.row("simulator vs nginx static", f"{100 * sim / nginx:.0f} %", "≥ 50 %", sim / nginx >= 0.5)


REPORTS = {"render": render, "paint": paint, "idle": idle, "start": start, "client": client, "adapter": adapter,
           "sim": simulator}

if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in REPORTS:
        sys.exit(f"usage: report.py {{{','.join(REPORTS)}}} FOLDER [--smoke]")
    REPORTS[sys.argv[1]](Path(sys.argv[2]), Table(smoke=sys.argv[3:] == ["--smoke"]))

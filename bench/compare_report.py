#!/usr/bin/env python3
"""Turns the eddy-bench reports of one bench/compare.sh run into a Markdown table with ratios.

    compare_report.py RAW_DIR OUT_PREFIX --seconds S --fill N --eddy-bin PATH --peers DIR

RAW_DIR holds <server>-<workload>.json (eddy-bench --json) and <server>-{idle,peak}-rss-kib. Writes
OUT_PREFIX.md (machine, versions, table) and OUT_PREFIX.json (the same figures plus every raw report) and
prints the Markdown. Ratios are eddy / peer: above 1 means eddy does more for throughput rows, below 1
means eddy is lower (better) for latency, start-up and memory rows; "1/N" is a ratio below 0.1.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

SERVERS = ["kinesalite", "kinesis-mock", "eddy-always", "eddy-none"]
HEADERS = {"kinesalite": "kinesalite", "kinesis-mock": "kinesis-mock", "eddy-always": "eddy `--sync=always`",
           "eddy-none": "eddy `--sync=none`"}
PEERS = ["kinesalite", "kinesis-mock"]
EDDYS = ["eddy-always", "eddy-none"]


def load(raw: Path, server: str, workload: str):
    p = raw / f"{server}-{workload}.json"
    return json.loads(p.read_text()) if p.exists() else None


def kib(raw: Path, server: str, what: str):
    p = raw / f"{server}-{what}-rss-kib"
    try:
        return int(p.read_text().strip()) / 1024
    except (OSError, ValueError):
        return None


# Each row: label, unit, how to get the value from a server's reports, and whether higher is better
# (None: a count for context, with no ratio).
def rows(seconds: float, fill: int):
    def ok(r):
        return r is not None and r.get("ok") and r.get("records", 0) > 0

    def metric(workload, fn):
        return lambda reps: fn(reps[workload]) if ok(reps.get(workload)) else None

    def cpu_per_million(r):
        s = r.get("server") or {}
        return s.get("cpu_s", 0) / r["records"] * 1e6 if r["records"] else None

    return [
        ("PutRecords throughput (500 × 100 B, 8 in flight, 4 shards)", "records/s",
         metric("put-records", lambda r: r["records_per_s"]), True),
        ("PutRecords call latency p50", "ms", metric("put-records", lambda r: r["latency_ms"]["p50"]), False),
        ("PutRecords call latency p99", "ms", metric("put-records", lambda r: r["latency_ms"]["p99"]), False),
        ("server CPU per million records put", "s", metric("put-records", cpu_per_million), False),
        ("PutRecord latency p50 (one call at a time)", "ms", metric("put-record", lambda r: r["latency_ms"]["p50"]), False),
        ("PutRecord latency p90", "ms", metric("put-record", lambda r: r["latency_ms"]["p90"]), False),
        ("PutRecord latency p99", "ms", metric("put-record", lambda r: r["latency_ms"]["p99"]), False),
        ("PutRecord calls/s (one at a time)", "calls/s", metric("put-record", lambda r: r["requests_per_s"]), True),
        (f"GetRecords drain (Limit 10000, 4 shards; fill ≤ {fill:,} records or {seconds:g} s)", "records/s",
         metric("get-records", lambda r: r["records_per_s"]), True),
        ("records drained (what the fill wrote)", "records", metric("get-records", lambda r: r["records"]), None),
        ("put → SubscribeToShard event p50", "ms", metric("subscribe", lambda r: r["latency_ms"]["p50"]), False),
        ("put → SubscribeToShard event p99", "ms", metric("subscribe", lambda r: r["latency_ms"]["p99"]), False),
        ("put → event samples (one record in flight)", "records", metric("subscribe", lambda r: r["records"]), None),
        ("start to first ListStreams", "ms",
         lambda reps: reps["ready"]["ready_ms"] if reps.get("ready") and reps["ready"].get("ok") else None, False),
        ("idle RSS (1 s after start)", "MiB", lambda reps: reps.get("idle_rss_mib"), False),
        ("peak RSS over the whole run (VmHWM)", "MiB", lambda reps: reps.get("peak_rss_mib"), False),
    ]


def fmt(v, unit):
    if v is None:
        return "n/a"
    if unit in ("records/s", "calls/s", "records"):
        return f"{v:,.0f}"
    if unit == "ms":
        return f"{v:.2f}" if v < 100 else f"{v:,.0f}"
    return f"{v:.1f}" if v < 1000 else f"{v:,.0f}"


def ratio(a, b):
    if a is None or b is None or b == 0 or a == 0:
        return "n/a"
    r = a / b
    if r < 0.1:
        return f"1/{1 / r:,.0f}" if 1 / r >= 10 else f"1/{1 / r:.1f}"  # eddy's figure is that fraction of the peer's
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def sh(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(eddy_bin: str, peers: Path) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = next((int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                    if l.startswith("MemTotal")), 0)

    def npm_version(pkg):
        try:
            return json.loads((peers / "node_modules" / pkg / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            return "?"

    repo = Path(__file__).resolve().parents[1]
    commit = sh(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"])
    dirty = sh(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": sh(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "node": sh(["node", "--version"]),
        "kinesalite": npm_version("kinesalite"),
        "kinesis-local (kinesis-mock)": npm_version("kinesis-local"),
        "eddy": commit + (" (with uncommitted changes)" if dirty else ""),
        "eddy_bin": eddy_bin,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("out")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--fill", type=int, default=1000000)
    ap.add_argument("--eddy-bin", default="")
    ap.add_argument("--peers", default="bench/peers")
    a = ap.parse_args()
    raw = Path(a.raw)

    reports = {}
    for s in SERVERS:
        reps = {w: load(raw, s, w) for w in ("ready", "put-records", "put-record", "get-records", "subscribe")}
        reps["idle_rss_mib"] = kib(raw, s, "idle")
        reps["peak_rss_mib"] = kib(raw, s, "peak")
        reports[s] = reps

    table_rows = []
    lines = []
    head = ["figure", "unit"] + [HEADERS[s] for s in SERVERS] + [
        f"{e.replace('eddy-', '')} ÷ {p}" for e in EDDYS for p in PEERS]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for label, unit, get, higher_better in rows(a.seconds, a.fill):
        vals = {s: get(reports[s]) for s in SERVERS}
        cells = [label, unit] + [fmt(vals[s], unit) for s in SERVERS] + [
            ratio(vals[e], vals[p]) if higher_better is not None else "" for e in EDDYS for p in PEERS]
        lines.append("| " + " | ".join(cells) + " |")
        table_rows.append({"figure": label, "unit": unit, "higher_is_better": higher_better, "values": vals})

    errors = []
    for s in SERVERS:
        for w in ("put-records", "put-record", "get-records", "subscribe"):
            r = reports[s].get(w)
            if r is None:
                if not (s == "kinesalite" and w == "subscribe"):
                    errors.append(f"{s} {w}: no report")
                continue
            if not r.get("ok"):
                errors.append(f"{s} {w}: {r.get('fatal')}")
            elif r["errors"]["total"]:
                detail = "; ".join(f"{k}: {v}" for unit in ("requests", "records") for k, v in r["errors"][unit].items())
                errors.append(f"{s} {w}: {r['errors']['total']} errors ({detail})")

    m = machine(a.eddy_bin, Path(a.peers))
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = [f"# eddy vs kinesalite vs kinesis-mock, {when}", "",
          f"`bench/compare.sh {a.seconds:g}`: every server on 127.0.0.1, the load generator (eddy-bench, "
          "keep-alive HTTP/1.1, JSON, SigV4-signed) on the same machine. Ratios are eddy ÷ peer: above 1 is more "
          "throughput; for latency, start-up and memory, below 1 is better for eddy (1/N: eddy's figure is 1/N of the "
          "peer's). kinesalite has no SubscribeToShard.", "",
          "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items() if k != "eddy_bin"), ""]
    md += lines
    md += ["", "Errors: " + ("none" if not errors else ""), *[f"- {e}" for e in errors]]
    text = "\n".join(md) + "\n"
    Path(a.out + ".md").write_text(text)
    Path(a.out + ".json").write_text(json.dumps(
        {"when": when, "seconds": a.seconds, "fill": a.fill, "machine": m, "rows": table_rows, "errors": errors,
         "reports": reports}, indent=2) + "\n")
    print(text)


if __name__ == "__main__":
    main()

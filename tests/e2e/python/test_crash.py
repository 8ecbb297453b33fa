"""Crash consistency: kill -9 under concurrent PutRecords load loses no acknowledged record.

Each cycle runs concurrent PutRecords load (several threads, each with its own boto3 client, batches of
1-50 records with unique payloads over many partition keys, a 4-shard stream), kills eddy with SIGKILL
after a random delay while requests are in flight, restarts it on the same data directory and reads every
shard from TRIM_HORIZON. Then:

* every acknowledged record is there exactly once, on the shard and with the sequence number its
  acknowledgement named, with its partition key and data;
* a record whose request failed (in flight at the kill) may or may not be there, but at most once, and
  once seen after a restart it must stay (with the same sequence number) in every later cycle;
* nothing is there that was never sent; every record sits on the shard its partition key hashes to;
* each shard's sequence numbers rise strictly, and within one producer thread a shard's acknowledged
  numbers rise in the order the records were sent.

Cycles share the data directory, so records of earlier cycles must survive later crashes too. The seed
is printed (and repeated in every failure); EDDY_CRASH_SEED reruns one.

Standalone, for longer runs (the bench script):

    python3 tests/e2e/python/test_crash.py --cycles 20 [--seed N] [--sync always|none] [--threads 4]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pytest

if __name__ == "__main__":  # standalone: make the sibling helper importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from eddy_e2e import ACCESS_KEY, DEFAULT_REGION, SECRET_KEY, SEQUENCE_NUMBER, EddyProcess, shard_id  # noqa: E402

SHARDS = 4
THREADS = 4
PARTITION_KEYS = [f"pk-{i}" for i in range(32)] + ["ключ", "🙂", "k" * 256]
FIRST_ACK_TIMEOUT_S = 20.0
JOIN_TIMEOUT_S = 60.0


_session = boto3.session.Session()  # one session: its clients share the loaded service model


def make_client(endpoint: str):
    """Like eddy_e2e.make_client (no retries), but cheap to call repeatedly. Main thread only."""
    return _session.client(
        "kinesis", endpoint_url=endpoint, region_name=DEFAULT_REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30))


def md5_hash(key: str) -> int:
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


@dataclass
class Sent:
    data: bytes
    partition_key: str
    thread: int
    order: int  # submission order within the thread, over all cycles


@dataclass
class Ledger:
    """What the producers know, accumulated over every cycle."""

    acked: dict[bytes, tuple[Sent, str, str]] = field(default_factory=dict)  # data -> (sent, shard, seq)
    unacked: dict[bytes, Sent] = field(default_factory=dict)  # request failed: may or may not be stored
    durable_unacked: dict[bytes, tuple[str, str]] = field(default_factory=dict)  # seen after a restart


class Producer(threading.Thread):
    """PutRecords in a loop until told to stop or a request fails."""

    def __init__(self, client, stream: str, cycle: int, index: int, seed: int, stop: threading.Event,
                 killed: threading.Event, first_ack: threading.Event, order_base: int):
        super().__init__(name=f"producer-{index}", daemon=True)
        self.client, self.stream, self.cycle, self.index = client, stream, cycle, index
        self.rng = random.Random(seed)
        self.stop, self.killed, self.first_ack = stop, killed, first_ack
        self.order = order_base
        self.acked: list[tuple[Sent, str, str]] = []
        self.unacked: list[Sent] = []
        self.errors: list[str] = []  # failures before the kill: bugs
        self.requests = 0

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            batch = []
            for _ in range(self.rng.randint(1, 50)):
                tag = f"c{self.cycle}-t{self.index}-n{n}|".encode()
                n += 1
                self.order += 1
                batch.append(Sent(tag + self.rng.randbytes(self.rng.randint(0, 120)),
                                  self.rng.choice(PARTITION_KEYS), self.index, self.order))
            try:
                r = self.client.put_records(
                    StreamName=self.stream, Records=[{"Data": s.data, "PartitionKey": s.partition_key} for s in batch])
            except Exception as e:  # noqa: BLE001 - any failure leaves the batch unacknowledged
                self.unacked += batch
                if not self.killed.is_set():
                    self.errors.append(f"PutRecords of {len(batch)} records failed before the kill: {e!r}")
                return
            self.requests += 1
            if len(r["Records"]) != len(batch):
                self.errors.append(f"PutRecords of {len(batch)} records answered {len(r['Records'])} results")
                self.unacked += batch
                return
            for s, res in zip(batch, r["Records"]):
                if "SequenceNumber" in res and "ErrorCode" not in res:
                    self.acked.append((s, res["ShardId"], res["SequenceNumber"]))
                else:
                    self.unacked.append(s)
                    self.errors.append(f"record failed without a crash: {res}")
            self.first_ack.set()


def read_everything(client, stream: str, shards: list[dict]) -> dict[str, list[dict]]:
    out = {}
    for s in shards:
        sid = s["ShardId"]
        it = client.get_shard_iterator(StreamName=stream, ShardId=sid, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs: list[dict] = []
        while True:
            r = client.get_records(ShardIterator=it, Limit=10000)
            it = r["NextShardIterator"]
            if not r["Records"]:
                break
            recs += r["Records"]
        out[sid] = recs
    return out


def check(ledger: Ledger, stored: dict[str, list[dict]], shards: list[dict]) -> tuple[list[str], dict]:
    """Compares what is stored with what the producers know; returns problems and counts."""
    problems: list[str] = []
    ranges = [(s["ShardId"], int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
              for s in shards]
    start_seq = {s["ShardId"]: int(s["SequenceNumberRange"]["StartingSequenceNumber"]) for s in shards}

    def owner(pk: str) -> str:
        h = md5_hash(pk)
        return next(sid for sid, lo, hi in ranges if lo <= h <= hi)

    seen: dict[bytes, tuple[str, str, str]] = {}
    for sid, recs in stored.items():
        prev = start_seq[sid]
        for r in recs:
            seq, data, pk = r["SequenceNumber"], r["Data"], r["PartitionKey"]
            if not SEQUENCE_NUMBER.match(seq):
                problems.append(f"{sid}: malformed sequence number {seq}")
            elif int(seq) <= prev:
                problems.append(f"{sid}: sequence number {seq} does not rise (previous {prev})")
            else:
                prev = int(seq)
            if data in seen:
                problems.append(f"duplicate record {data[:40]!r}: at {seen[data][:2]} and at {(sid, seq)}")
            seen[data] = (sid, seq, pk)
            if owner(pk) != sid:
                problems.append(f"record {data[:40]!r} with key {pk!r} on {sid}, but the key hashes to {owner(pk)}")

    for data, (sent, sid, seq) in ledger.acked.items():
        got = seen.get(data)
        if got is None:
            problems.append(f"LOST acknowledged record {data[:40]!r} ({sid} {seq})")
        elif got != (sid, seq, sent.partition_key):
            problems.append(f"acknowledged record {data[:40]!r} acknowledged as {(sid, seq, sent.partition_key)} "
                            f"but stored as {got}")
    for data, where in ledger.durable_unacked.items():
        got = seen.get(data)
        if got is None or got[:2] != where:
            problems.append(f"record {data[:40]!r} (unacknowledged, but stored at {where} after an earlier restart) "
                            f"is now {got}")
    unacked_present = 0
    for data, (sid, seq, _) in seen.items():
        if data in ledger.acked:
            continue
        if data in ledger.unacked:
            unacked_present += 1
            ledger.durable_unacked.setdefault(data, (sid, seq))
        else:
            problems.append(f"record {data[:40]!r} at {sid} {seq} was never sent")

    # Within one producer, a shard's acknowledged numbers rise in submission order.
    by_thread_shard: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for sent, sid, seq in ledger.acked.values():
        by_thread_shard.setdefault((sent.thread, sid), []).append((sent.order, int(seq)))
    for (thread, sid), pairs in by_thread_shard.items():
        pairs.sort()
        for (o1, s1), (o2, s2) in zip(pairs, pairs[1:]):
            if s2 <= s1:
                problems.append(f"producer {thread} on {sid}: record sent #{o2} got {s2}, not above #{o1}'s {s1}")
                break
    stats = {"stored": len(seen), "acked_total": len(ledger.acked), "unacked_total": len(ledger.unacked),
             "unacked_present": unacked_present}
    return problems, stats


def run_crash_cycles(start: Callable[[], EddyProcess], cycles: int, seed: int, threads: int = THREADS,
                     log: Callable[[str], None] = print) -> list[dict]:
    """Runs `cycles` load/kill/restart/verify cycles on the instance `start()` returns (already running,
    with a data dir). Raises AssertionError naming the seed on the first cycle with a problem."""
    rng = random.Random(seed)
    p = start()
    stream = f"crash-{seed}"
    client = make_client(p.endpoint)
    client.create_stream(StreamName=stream, ShardCount=SHARDS)
    shards = client.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(i) for i in range(SHARDS)]
    ledger = Ledger()
    orders = [0] * threads
    results = []

    def fail(why: str) -> None:
        status = "running" if p.running else f"DEAD, exit status {p.proc.returncode}"
        raise AssertionError(f"[crash test seed={seed}] {why}\neddy: {status}\n"
                             f"--- eddy log ({p.log_path}) ---\n{p.logs()[-20000:]}")

    for cycle in range(cycles):
        stop, killed, first_ack = threading.Event(), threading.Event(), threading.Event()
        clients = [make_client(p.endpoint) for _ in range(threads)]
        producers = [Producer(clients[i], stream, cycle, i, rng.randrange(1 << 62), stop, killed, first_ack,
                              orders[i]) for i in range(threads)]
        t0 = time.monotonic()
        for pr in producers:
            pr.start()
        deadline = t0 + FIRST_ACK_TIMEOUT_S
        while not first_ack.wait(0.02):
            if time.monotonic() > deadline or not any(pr.is_alive() for pr in producers):
                stop.set()
                errs = [e for pr in producers for e in pr.errors]
                fail(f"cycle {cycle}: no PutRecords acknowledged; errors: {errs[:5]}")
        delay = rng.uniform(0.3, 1.5)
        # The kill time is the thing randomised here: nothing to poll for.
        time.sleep(delay)
        killed.set()
        was_running = p.running
        rc = p.kill9()
        stop.set()
        for pr in producers:
            pr.join(JOIN_TIMEOUT_S)
            if pr.is_alive():
                fail(f"cycle {cycle}: producer {pr.index} still running {JOIN_TIMEOUT_S}s after the kill")
        errors = [e for pr in producers for e in pr.errors]
        if not was_running or rc != -signal.SIGKILL:
            fail(f"cycle {cycle}: eddy was not alive at the kill (exit status {rc}); producer errors: {errors[:5]}")
        if errors:
            fail(f"cycle {cycle}: {len(errors)} failures before the kill, e.g. {errors[:5]}")
        new_acked = 0
        for pr in producers:
            orders[pr.index] = pr.order
            for sent, sid, seq in pr.acked:
                ledger.acked[sent.data] = (sent, sid, seq)
                new_acked += 1
            for sent in pr.unacked:
                ledger.unacked[sent.data] = sent
        load_s = time.monotonic() - t0

        p.start()  # same flags, same data directory
        client = make_client(p.endpoint)
        summary = client.describe_stream(StreamName=stream)["StreamDescription"]
        if summary["StreamStatus"] != "ACTIVE" or summary["Shards"] != shards:
            fail(f"cycle {cycle}: the stream changed across the crash: {summary}")
        stored = read_everything(client, stream, shards)
        problems, stats = check(ledger, stored, shards)
        stats.update(cycle=cycle, delay_s=round(delay, 3), load_s=round(load_s, 3), new_acked=new_acked,
                     in_flight=sum(1 for pr in producers if pr.unacked),
                     requests=sum(pr.requests for pr in producers))
        results.append(stats)
        log(f"cycle {cycle}: kill after {stats['delay_s']}s, {stats['requests']} requests, {new_acked} records "
            f"acknowledged ({stats['acked_total']} in all), {stats['in_flight']} requests cut off, "
            f"{stats['unacked_present']} unacknowledged records present, {stats['stored']} stored")
        if problems:
            fail(f"cycle {cycle}: {len(problems)} problems after the restart (stats {stats}):\n  "
                 + "\n  ".join(problems[:40]))
        if not p.running:
            fail(f"cycle {cycle}: eddy died while being read (exit status {p.proc.returncode})")
    return results


# ---- pytest -------------------------------------------------------------------------------------


def crash_seed() -> int:
    env = os.environ.get("EDDY_CRASH_SEED")
    return int(env) if env else random.SystemRandom().randrange(1 << 32)


@pytest.mark.parametrize("sync,cycles", [("always", 5), ("none", 2)], ids=["sync-always", "sync-none"])
def test_kill9_under_load_loses_no_acknowledged_record(eddy_factory, tmp_path, sync, cycles):
    """--sync=always promises fsync before the acknowledgement; --sync=none promises survival of kill -9
    (the OS has the data), which is all this test does to the process."""
    seed = crash_seed()
    print(f"crash test seed={seed} sync={sync} cycles={cycles} (rerun with EDDY_CRASH_SEED={seed})")
    data = tmp_path / "data"
    holder: dict = {}

    def start() -> EddyProcess:
        holder["p"] = eddy_factory(f"--sync={sync}", data_dir=data)
        return holder["p"]

    results = run_crash_cycles(start, cycles, seed)
    assert all(r["new_acked"] > 0 for r in results), results
    # Still a healthy server: a clean SIGTERM (checked by the fixture) and a restart keep everything.
    p = holder["p"]
    p.terminate_ok()
    p.start()
    client = make_client(p.endpoint)
    stream = f"crash-{seed}"
    shards = client.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]
    stored = read_everything(client, stream, shards)
    assert sum(len(v) for v in stored.values()) == results[-1]["stored"]


# ---- standalone ---------------------------------------------------------------------------------


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--sync", choices=["always", "none"], default="always")
    ap.add_argument("--threads", type=int, default=THREADS)
    ap.add_argument("--data-dir", default=None, help="default: a fresh temporary directory, removed on success")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else crash_seed()
    tmp = None
    if args.data_dir:
        data = Path(args.data_dir)
    else:
        tmp = tempfile.mkdtemp(prefix="eddy-crash-")
        data = Path(tmp) / "data"
    print(f"crash test: seed={seed} cycles={args.cycles} sync={args.sync} threads={args.threads} data={data}",
          flush=True)
    proc = EddyProcess(f"--sync={args.sync}", data_dir=data, log_dir=Path(tmp or data.parent))
    t0 = time.monotonic()
    try:
        results = run_crash_cycles(proc.start, args.cycles, seed, threads=args.threads,
                                   log=lambda s: print(s, flush=True))
        proc.terminate_ok()
    except BaseException as e:  # noqa: BLE001 - pytest.fail raises a BaseException subclass
        if proc.running:
            proc.proc.kill()
            proc.proc.wait()
        print(f"FAILED (seed={seed}, data dir kept at {data}):\n{e}", file=sys.stderr)
        return 1
    total = results[-1]["acked_total"] if results else 0
    print(f"OK: {args.cycles} cycles, {total} acknowledged records all present, "
          f"{time.monotonic() - t0:.1f}s (seed={seed})")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

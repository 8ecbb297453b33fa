"""The data plane through boto3 (HTTP/1.1) and the ``aws kinesis`` CLI: PutRecord, PutRecords,
GetShardIterator and GetRecords, successes and errors.

Routing is checked against our own MD5 of each partition key and the hash ranges DescribeStream
reports; sequence numbers against their documented shape (56 digits, "49" prefix, rising per shard);
every iterator type against the records it should land on; every error against AWS's exact text.

Every test makes its own streams (uuid names), so tests never depend on one another. The shared
module has its own in-memory eddy, checked after each test: if it died, the test fails with its
exit status and log, and a fresh instance serves the remaining tests.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from typing import Optional

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from eddy_e2e import (
    ACCESS_KEY,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    HASH_SPACE,
    EddyProcess,
    SECRET_KEY,
    SEQUENCE_NUMBER,
    arn_of,
    expected_ranges,
    fresh_account,
    make_client,
    restart,
    shard_id,
    unique_name,
)

MIB = 1 << 20
RECORD_KEYS = {"SequenceNumber", "ApproximateArrivalTimestamp", "Data", "PartitionKey"}


# ---- helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eddy(eddy_log_dir):
    """This module's own in-memory instance (overriding the session one), so that a server crash fails
    only the test that caused it: the instance is restarted for the tests after it."""
    p = EddyProcess("--in-memory", log_dir=eddy_log_dir).start()
    yield p
    if p.running:
        p.terminate_ok()


@pytest.fixture
def endpoint(eddy) -> str:
    return eddy.endpoint


_clients: dict = {}


def cached_client(endpoint: str, validate: bool = True):
    """One boto3 client per (endpoint, validation) for the module: building one costs ~0.3 s."""
    key = (endpoint, validate)
    if key not in _clients:
        _clients[key] = make_client(endpoint, validate=validate)
    return _clients[key]


@pytest.fixture
def kinesis(endpoint):
    return cached_client(endpoint)


@pytest.fixture
def raw_kinesis(endpoint):
    """Client-side validation off, so invalid input reaches eddy."""
    return cached_client(endpoint, validate=False)


@pytest.fixture(autouse=True)
def _server_survives(eddy):
    """A server that dies during a test is a bug in the server: fail the test with its exit status and
    log, then start a fresh instance for the next test."""
    yield
    if not eddy.running:
        rc = eddy.proc.wait()
        logs = eddy.logs()
        if eddy.proc.stdout:
            eddy.proc.stdout.close()
        restart(eddy)
        pytest.fail(f"eddy died during the test (exit status {rc}, signal {-rc if rc < 0 else 'none'})\n"
                    f"--- eddy log ---\n{logs}")


def expect_error(fn, code: str, message: Optional[str] = None, *, prefix: Optional[str] = None,
                 contains: Optional[str] = None, status: int = 400, **kwargs) -> str:
    """Calls fn(**kwargs), which must fail with `code` at `status`; returns the message."""
    with pytest.raises(ClientError) as e:
        fn(**kwargs)
    err = e.value.response
    msg = err["Error"].get("Message", "")
    assert err["Error"]["Code"] == code, err
    assert err["ResponseMetadata"]["HTTPStatusCode"] == status, err
    if message is not None:
        assert msg == message, err
    if prefix is not None:
        assert msg.startswith(prefix), err
    if contains is not None:
        assert contains in msg, err
    headers = err["ResponseMetadata"]["HTTPHeaders"]
    assert headers.get("x-amzn-requestid"), headers
    return msg


def not_found(name: str) -> str:
    return f"Stream {name} under account {DEFAULT_ACCOUNT} not found."


def md5_hash(key: str) -> int:
    """AWS's routing hash: MD5 of the key's UTF-8 bytes as a big-endian 128-bit integer."""
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


def create_stream(c, name: str, shards: int) -> list[dict]:
    c.create_stream(StreamName=name, ShardCount=shards)
    d = c.describe_stream(StreamName=name)["StreamDescription"]
    assert d["StreamStatus"] == "ACTIVE"
    return d["Shards"]


def ranges_of(shards: list[dict]) -> list[tuple[str, int, int]]:
    return [(s["ShardId"], int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
            for s in shards]


def owner(shards: list[dict], h: int) -> str:
    hits = [sid for sid, lo, hi in ranges_of(shards) if lo <= h <= hi]
    assert len(hits) == 1, (h, hits)
    return hits[0]


def starting_sequence_numbers(shards: list[dict]) -> dict[str, int]:
    return {s["ShardId"]: int(s["SequenceNumberRange"]["StartingSequenceNumber"]) for s in shards}


def iterator(c, name: str, shard: str, kind: str = "TRIM_HORIZON", **kw) -> str:
    it = c.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType=kind, **kw)["ShardIterator"]
    assert isinstance(it, str) and 1 <= len(it) <= 512, it
    return it


def drain(c, it: str, limit: Optional[int] = None) -> tuple[list[dict], str]:
    """GetRecords until a page comes back empty; returns every record and the iterator after them."""
    out = []
    while True:
        kw = {"Limit": limit} if limit else {}
        r = c.get_records(ShardIterator=it, **kw)
        assert "NextShardIterator" in r, r
        it = r["NextShardIterator"]
        if not r["Records"]:
            assert r["MillisBehindLatest"] == 0, r
            return out, it
        out += r["Records"]


def read_shard(c, name: str, shard: str, kind: str = "TRIM_HORIZON", **kw) -> list[dict]:
    return drain(c, iterator(c, name, shard, kind, **kw))[0]


def read_all(c, name: str, shards: list[dict]) -> dict[str, list[dict]]:
    return {s["ShardId"]: read_shard(c, name, s["ShardId"]) for s in shards}


def seqs(records: list[dict]) -> list[str]:
    return [r["SequenceNumber"] for r in records]


def datas(records: list[dict]) -> list[bytes]:
    return [r["Data"] for r in records]


def assert_increasing(numbers: list[str]) -> None:
    for s in numbers:
        assert SEQUENCE_NUMBER.match(s) and len(s) == 56, s
    ints = [int(s) for s in numbers]
    assert all(a < b for a, b in zip(ints, ints[1:])), numbers


def epoch_ms(t: dt.datetime) -> int:
    return round(t.timestamp() * 1000)


def ms_client(endpoint: str):
    """A boto3 client that sends timestamps with millisecond precision (boto3 truncates Kinesis
    timestamps to whole seconds by default)."""
    session = boto3.session.Session()

    def millis(serializer_kwargs, **_):
        serializer_kwargs["timestamp_precision"] = "millisecond"

    session._session.register("creating-serializer.kinesis", millis)
    return session.client(
        "kinesis", endpoint_url=endpoint, region_name=DEFAULT_REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30))


def wait_for_clock_past(ms: int) -> None:
    """Polls the wall clock (the server shares it) until it is strictly past `ms`."""
    while time.time() * 1000 <= ms + 1:
        time.sleep(0.001)


# ---- PutRecord ----------------------------------------------------------------------------------


def test_put_record_and_read_it_back(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 1)
    before = dt.datetime.now(dt.timezone.utc)
    r = kinesis.put_record(StreamName=stream_name, Data=b"hello", PartitionKey="pk")
    after = dt.datetime.now(dt.timezone.utc)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(r) - {"ResponseMetadata"} == {"ShardId", "SequenceNumber"}
    assert r["ShardId"] == shard_id(0)
    assert SEQUENCE_NUMBER.match(r["SequenceNumber"]) and len(r["SequenceNumber"]) == 56
    assert int(r["SequenceNumber"]) > starting_sequence_numbers(shards)[shard_id(0)]

    records = read_shard(kinesis, stream_name, shard_id(0))
    assert len(records) == 1
    rec = records[0]
    assert set(rec) == RECORD_KEYS
    assert rec["SequenceNumber"] == r["SequenceNumber"]
    assert rec["Data"] == b"hello"
    assert rec["PartitionKey"] == "pk"
    arrival = rec["ApproximateArrivalTimestamp"]
    assert before - dt.timedelta(seconds=2) <= arrival <= after + dt.timedelta(seconds=2)


def test_put_record_by_stream_arn(kinesis, stream_name):
    create_stream(kinesis, stream_name, 2)
    r = kinesis.put_record(StreamARN=arn_of(stream_name), Data=b"by-arn", PartitionKey="k")
    it = kinesis.get_shard_iterator(StreamARN=arn_of(stream_name), ShardId=r["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    got = kinesis.get_records(ShardIterator=it, StreamARN=arn_of(stream_name))["Records"]
    assert [(x["SequenceNumber"], x["Data"]) for x in got] == [(r["SequenceNumber"], b"by-arn")]


def test_all_256_byte_values_round_trip(kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    payloads = [bytes(range(256)), bytes(reversed(range(256))), bytes(range(256)) * 64, b"\x00", b"\xff" * 3]
    sent = [kinesis.put_record(StreamName=stream_name, Data=p, PartitionKey="bytes")["SequenceNumber"]
            for p in payloads]
    got = read_shard(kinesis, stream_name, shard_id(0))
    assert datas(got) == payloads
    assert seqs(got) == sent


def test_partition_key_lengths_1_and_256_and_unicode(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 4)
    keys = ["a", "k" * 256, "ключ", "鍵🙂", "tab\tand space", "🙂" * 64]
    for k in keys:
        r = kinesis.put_record(StreamName=stream_name, Data=k.encode(), PartitionKey=k)
        assert r["ShardId"] == owner(shards, md5_hash(k)), k
    got = {rec["PartitionKey"]: (sid, rec["Data"]) for sid, recs in read_all(kinesis, stream_name, shards).items()
           for rec in recs}
    assert got == {k: (owner(shards, md5_hash(k)), k.encode()) for k in keys}


# ---- routing ------------------------------------------------------------------------------------


def test_routing_by_md5_of_partition_key(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 7)  # 7 does not divide 2^128: uneven last range
    assert [(lo, hi) for _, lo, hi in ranges_of(shards)] == expected_ranges(7)
    rng = random.Random(7)
    keys = [f"key-{i}-{rng.random()}" for i in range(500)] + [f"ünï-{i}-☃" for i in range(60)]
    expected = {k: owner(shards, md5_hash(k)) for k in keys}
    assert len(set(expected.values())) == 7  # every shard gets some

    batch = kinesis.put_records(StreamName=stream_name,
                                Records=[{"Data": k.encode(), "PartitionKey": k} for k in keys[:500]])
    assert batch["FailedRecordCount"] == 0
    placed = {k: r["ShardId"] for k, r in zip(keys[:500], batch["Records"])}
    for k in keys[500:]:
        placed[k] = kinesis.put_record(StreamName=stream_name, Data=k.encode(), PartitionKey=k)["ShardId"]
    assert placed == expected

    stored = {}
    for sid, recs in read_all(kinesis, stream_name, shards).items():
        for rec in recs:
            assert rec["Data"] == rec["PartitionKey"].encode()
            stored[rec["PartitionKey"]] = sid
    assert stored == expected


def test_explicit_hash_key_at_range_edges(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 3)
    ranges = ranges_of(shards)
    # A partition key that on its own would go to shard 0, so the override is visible.
    pk = next(k for k in (f"p{i}" for i in range(1000)) if owner(shards, md5_hash(k)) == shard_id(0))
    cases = [(0, shard_id(0)), (HASH_SPACE - 1, shard_id(2))]
    for i, (sid, lo, hi) in enumerate(ranges):
        cases += [(lo, sid), (hi, sid)]
        if i + 1 < len(ranges):
            cases.append((hi + 1, ranges[i + 1][0]))
    for h, want in cases:
        r = kinesis.put_record(StreamName=stream_name, Data=str(h).encode(), PartitionKey=pk, ExplicitHashKey=str(h))
        assert r["ShardId"] == want, (h, r)
    batch = kinesis.put_records(StreamName=stream_name, Records=[
        {"Data": str(h).encode(), "PartitionKey": pk, "ExplicitHashKey": str(h)} for h, _ in cases])
    assert batch["FailedRecordCount"] == 0
    assert [r["ShardId"] for r in batch["Records"]] == [want for _, want in cases]
    # Stored where they were routed.
    got = read_all(kinesis, stream_name, shards)
    for sid, recs in got.items():
        assert sorted(int(r["Data"]) for r in recs) == sorted(2 * [h for h, want in cases if want == sid])


def test_explicit_hash_key_out_of_range(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 3)
    too_big = str(HASH_SPACE)
    msg = ("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
           f"Specified value was {too_big}")
    expect_error(raw_kinesis.put_record, "InvalidArgumentException", msg,
                 StreamName=stream_name, Data=b"x", PartitionKey="k", ExplicitHashKey=too_big)
    expect_error(raw_kinesis.put_records, "InvalidArgumentException", msg, StreamName=stream_name,
                 Records=[{"Data": b"ok", "PartitionKey": "k"},
                          {"Data": b"x", "PartitionKey": "k", "ExplicitHashKey": too_big}])
    # Nothing of the rejected batch was stored.
    for i in range(3):
        assert read_shard(raw_kinesis, stream_name, shard_id(i)) == []


# ---- sequence numbers ---------------------------------------------------------------------------


def test_sequence_numbers_rise_per_shard(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 4)
    start = starting_sequence_numbers(shards)
    rng = random.Random(4)
    appended: dict[str, list[str]] = {s["ShardId"]: [] for s in shards}
    for round_ in range(6):
        for i in range(10):
            r = kinesis.put_record(StreamName=stream_name, Data=b"x", PartitionKey=f"r{round_}-{i}")
            appended[r["ShardId"]].append(r["SequenceNumber"])
        b = kinesis.put_records(StreamName=stream_name, Records=[
            {"Data": b"y", "PartitionKey": f"b{round_}-{rng.random()}"} for _ in range(40)])
        for r in b["Records"]:
            appended[r["ShardId"]].append(r["SequenceNumber"])
    all_seqs = [s for v in appended.values() for s in v]
    assert len(set(all_seqs)) == len(all_seqs) == 300
    for sid, numbers in appended.items():
        assert numbers, sid
        assert_increasing(numbers)
        assert start[sid] < int(numbers[0])
        assert seqs(read_shard(kinesis, stream_name, sid)) == numbers


# ---- PutRecords ---------------------------------------------------------------------------------


def test_put_records_batches_of_500_read_back_in_order(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 4)
    rng = random.Random(500)
    expected: dict[str, list[tuple[str, str, bytes]]] = {s["ShardId"]: [] for s in shards}
    for b in range(3):
        entries = []
        for i in range(500):
            pk = f"pk-{rng.randrange(40)}"
            data = f"b{b}-r{i}-".encode() + rng.randbytes(rng.randrange(0, 64))
            entries.append({"Data": data, "PartitionKey": pk})
        r = kinesis.put_records(StreamName=stream_name, Records=entries)
        assert r["FailedRecordCount"] == 0
        assert len(r["Records"]) == 500
        for e, res in zip(entries, r["Records"]):
            assert set(res) == {"SequenceNumber", "ShardId"}, res
            assert res["ShardId"] == owner(shards, md5_hash(e["PartitionKey"]))
            expected[res["ShardId"]].append((res["SequenceNumber"], e["PartitionKey"], e["Data"]))
    for sid, want in expected.items():
        assert_increasing([s for s, _, _ in want])
        got = read_shard(kinesis, stream_name, sid)
        assert [(x["SequenceNumber"], x["PartitionKey"], x["Data"]) for x in got] == want


def test_put_records_results_in_request_order_across_shards(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 3)
    ranges = ranges_of(shards)
    order = [2, 0, 1, 1, 0, 2, 2, 0]
    r = kinesis.put_records(StreamName=stream_name, Records=[
        {"Data": str(i).encode(), "PartitionKey": "x", "ExplicitHashKey": str(ranges[s][1] + i)}
        for i, s in enumerate(order)])
    assert [x["ShardId"] for x in r["Records"]] == [shard_id(s) for s in order]
    for s in range(3):
        mine = [(x["SequenceNumber"], str(i).encode()) for i, x in enumerate(r["Records"]) if order[i] == s]
        got = read_shard(kinesis, stream_name, shard_id(s))
        assert [(g["SequenceNumber"], g["Data"]) for g in got] == mine


# ---- GetShardIterator types ---------------------------------------------------------------------


def put_n(c, name: str, n: int, prefix: str = "r", ehk: str = "0") -> list[str]:
    """n records on the shard holding hash key `ehk`; returns their sequence numbers."""
    r = c.put_records(StreamName=name, Records=[
        {"Data": f"{prefix}{i}".encode(), "PartitionKey": "p", "ExplicitHashKey": ehk} for i in range(n)])
    assert r["FailedRecordCount"] == 0
    return [x["SequenceNumber"] for x in r["Records"]]


def test_trim_horizon_reads_everything(kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    sent = put_n(kinesis, stream_name, 30)
    sent += [kinesis.put_record(StreamName=stream_name, Data=b"last", PartitionKey="p")["SequenceNumber"]]
    got = read_shard(kinesis, stream_name, shard_id(0), "TRIM_HORIZON")
    assert seqs(got) == sent
    assert datas(got) == [f"r{i}".encode() for i in range(30)] + [b"last"]


def test_latest_reads_only_new_records(kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    put_n(kinesis, stream_name, 5, "old")
    it = iterator(kinesis, stream_name, shard_id(0), "LATEST")
    r = kinesis.get_records(ShardIterator=it)
    assert r["Records"] == [] and r["MillisBehindLatest"] == 0
    new = put_n(kinesis, stream_name, 3, "new")
    got, _ = drain(kinesis, r["NextShardIterator"])
    assert seqs(got) == new
    assert datas(got) == [b"new0", b"new1", b"new2"]
    # The original LATEST iterator, too, is a fixed position: it sees the new ones.
    assert seqs(drain(kinesis, it)[0]) == new


def test_at_and_after_sequence_number(kinesis, stream_name):
    shards = create_stream(kinesis, stream_name, 2)
    sent = put_n(kinesis, stream_name, 10)
    for i in (0, 4, 9):
        got = read_shard(kinesis, stream_name, shard_id(0), "AT_SEQUENCE_NUMBER", StartingSequenceNumber=sent[i])
        assert seqs(got) == sent[i:]
        got = read_shard(kinesis, stream_name, shard_id(0), "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=sent[i])
        assert seqs(got) == sent[i + 1:]
    # The shard's own StartingSequenceNumber is below every record.
    start = shards[0]["SequenceNumberRange"]["StartingSequenceNumber"]
    assert seqs(read_shard(kinesis, stream_name, shard_id(0), "AT_SEQUENCE_NUMBER",
                           StartingSequenceNumber=start)) == sent
    assert seqs(read_shard(kinesis, stream_name, shard_id(0), "AFTER_SEQUENCE_NUMBER",
                           StartingSequenceNumber=start)) == sent
    # AFTER the last record: empty now, and the next record once it comes.
    it = iterator(kinesis, stream_name, shard_id(0), "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=sent[-1])
    got, it = drain(kinesis, it)
    assert got == []
    more = put_n(kinesis, stream_name, 2, "more")
    assert seqs(drain(kinesis, it)[0]) == more


def test_at_timestamp_whole_and_fractional_seconds(endpoint, kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    ms_c = ms_client(endpoint)
    first = put_n(kinesis, stream_name, 3, "a")
    a_arrival = epoch_ms(read_shard(kinesis, stream_name, shard_id(0))[-1]["ApproximateArrivalTimestamp"])
    # A whole second strictly after batch A: wait for the clock to pass it, then write batch B.
    whole = (a_arrival // 1000 + 1) * 1000
    wait_for_clock_past(whole)
    second = put_n(kinesis, stream_name, 3, "b")
    wait_for_clock_past(epoch_ms(read_shard(kinesis, stream_name, shard_id(0))[-1]["ApproximateArrivalTimestamp"]))
    third = put_n(kinesis, stream_name, 2, "c")
    everything = read_shard(kinesis, stream_name, shard_id(0))
    assert seqs(everything) == first + second + third
    arrivals = [epoch_ms(r["ApproximateArrivalTimestamp"]) for r in everything]
    assert arrivals == sorted(arrivals)
    b_arrival, c_arrival = arrivals[3], arrivals[6]
    assert a_arrival < whole <= b_arrival < c_arrival, arrivals

    def at(client, when: dt.datetime) -> list[str]:
        return seqs(read_shard(client, stream_name, shard_id(0), "AT_TIMESTAMP", Timestamp=when))

    utc = dt.timezone.utc
    # Whole seconds (boto3's default serialization sends an integer).
    assert at(kinesis, dt.datetime.fromtimestamp(whole / 1000, utc)) == second + third
    assert at(kinesis, dt.datetime.fromtimestamp(a_arrival // 1000 - 60, utc)) == first + second + third
    # Fractional seconds (milliseconds on the wire).
    def ms(v: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(v // 1000, utc) + dt.timedelta(milliseconds=v % 1000)

    assert at(ms_c, ms(a_arrival)) == first + second + third
    assert at(ms_c, ms(a_arrival + 1)) == second + third
    assert at(ms_c, ms(b_arrival)) == second + third
    assert at(ms_c, ms(b_arrival + 1)) == third
    assert at(ms_c, ms(c_arrival)) == third
    # After every record: nothing yet, then what arrives later.
    wait_for_clock_past(c_arrival)
    it = iterator(ms_c, stream_name, shard_id(0), "AT_TIMESTAMP", Timestamp=ms(c_arrival + 1))
    got, it = drain(kinesis, it)
    assert got == []
    later = put_n(kinesis, stream_name, 1, "d")
    assert seqs(drain(kinesis, it)[0]) == later


def test_empty_shard_then_records_arrive(kinesis, stream_name):
    create_stream(kinesis, stream_name, 2)
    its = {kind: iterator(kinesis, stream_name, shard_id(1), kind) for kind in ("TRIM_HORIZON", "LATEST")}
    its["AT_TIMESTAMP"] = iterator(kinesis, stream_name, shard_id(1), "AT_TIMESTAMP",
                                   Timestamp=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5))
    nexts = {}
    for kind, it in its.items():
        r = kinesis.get_records(ShardIterator=it)
        assert r["Records"] == [], kind
        assert r["MillisBehindLatest"] == 0, kind
        assert r["NextShardIterator"], kind
        # Empty again from the next iterator.
        r2 = kinesis.get_records(ShardIterator=r["NextShardIterator"])
        assert r2["Records"] == [] and r2["NextShardIterator"], kind
        nexts[kind] = r2["NextShardIterator"]
    sent = put_n(kinesis, stream_name, 4, ehk=str(HASH_SPACE - 1))
    for kind, it in nexts.items():
        assert seqs(drain(kinesis, it)[0]) == sent, kind


def test_limit_and_paging(kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    sent = put_n(kinesis, stream_name, 25)
    it = iterator(kinesis, stream_name, shard_id(0))
    pages = []
    for want in (10, 10, 5, 0, 0):
        r = kinesis.get_records(ShardIterator=it, Limit=10)
        assert len(r["Records"]) == want
        pages.append(seqs(r["Records"]))
        it = r["NextShardIterator"]
    assert sum(pages, []) == sent
    # Limit 1 steps one record at a time; the extremes of the range are accepted.
    got, _ = drain(kinesis, iterator(kinesis, stream_name, shard_id(0)), limit=1)
    assert seqs(got) == sent
    r = kinesis.get_records(ShardIterator=iterator(kinesis, stream_name, shard_id(0)), Limit=10000)
    assert seqs(r["Records"]) == sent


def test_limit_out_of_range(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    it = iterator(raw_kinesis, stream_name, shard_id(0))
    expect_error(raw_kinesis.get_records, "ValidationException", ShardIterator=it, Limit=0,
                 contains="Member must have value greater than or equal to 1")
    expect_error(raw_kinesis.get_records, "ValidationException", ShardIterator=it, Limit=10001,
                 contains="Member must have value less than or equal to 10000")


def test_millis_behind_latest(kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    sent = put_n(kinesis, stream_name, 3)
    r = kinesis.get_records(ShardIterator=iterator(kinesis, stream_name, shard_id(0)), Limit=1)
    assert seqs(r["Records"]) == sent[:1]
    assert isinstance(r["MillisBehindLatest"], int) and r["MillisBehindLatest"] >= 0
    r = kinesis.get_records(ShardIterator=r["NextShardIterator"])
    assert seqs(r["Records"]) == sent[1:]
    assert r["MillisBehindLatest"] == 0  # caught up
    r = kinesis.get_records(ShardIterator=r["NextShardIterator"])
    assert r["Records"] == [] and r["MillisBehindLatest"] == 0


def test_sequence_number_for_ordering(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    first = raw_kinesis.put_record(StreamName=stream_name, Data=b"1", PartitionKey="p")["SequenceNumber"]
    second = raw_kinesis.put_record(StreamName=stream_name, Data=b"2", PartitionKey="p",
                                    SequenceNumberForOrdering=first)["SequenceNumber"]
    third = raw_kinesis.put_record(StreamName=stream_name, Data=b"3", PartitionKey="p",
                                   SequenceNumberForOrdering=second)["SequenceNumber"]
    assert int(first) < int(second) < int(third)
    msg = expect_error(raw_kinesis.put_record, "InvalidArgumentException", prefix="ExclusiveMinimumSequenceNumber",
                       StreamName=stream_name, Data=b"x", PartitionKey="p", SequenceNumberForOrdering="12345")
    assert "12345" in msg
    assert seqs(read_shard(raw_kinesis, stream_name, shard_id(0))) == [first, second, third]


def test_iterator_is_short_for_the_longest_stream_name(kinesis):
    name = unique_name()
    name += "n" * (128 - len(name))
    create_stream(kinesis, name, 1)
    sent = put_n(kinesis, name, 1)
    for kind, kw in [("TRIM_HORIZON", {}), ("LATEST", {}), ("AT_SEQUENCE_NUMBER", {"StartingSequenceNumber": sent[0]}),
                     ("AFTER_SEQUENCE_NUMBER", {"StartingSequenceNumber": sent[0]}),
                     ("AT_TIMESTAMP", {"Timestamp": dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)})]:
        it = iterator(kinesis, name, shard_id(0), kind, **kw)  # asserts <= 512
        r = kinesis.get_records(ShardIterator=it)
        assert 1 <= len(r["NextShardIterator"]) <= 512


# ---- errors: streams, sizes, counts -------------------------------------------------------------


def test_missing_stream(raw_kinesis, stream_name):
    c = raw_kinesis
    for ident in ({"StreamName": stream_name}, {"StreamARN": arn_of(stream_name)}):
        expect_error(c.put_record, "ResourceNotFoundException", not_found(stream_name), **ident,
                     Data=b"x", PartitionKey="k")
        expect_error(c.put_records, "ResourceNotFoundException", not_found(stream_name), **ident,
                     Records=[{"Data": b"x", "PartitionKey": "k"}])
        expect_error(c.get_shard_iterator, "ResourceNotFoundException", not_found(stream_name), **ident,
                     ShardId=shard_id(0), ShardIteratorType="TRIM_HORIZON")


def test_partition_key_length_limits(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    key = "k" * 257
    expect_error(raw_kinesis.put_record, "ValidationException",
                 f"1 validation error detected: Value '{key}' at 'partitionKey' failed to satisfy constraint: "
                 "Member must have length less than or equal to 256",
                 StreamName=stream_name, Data=b"x", PartitionKey=key)
    expect_error(raw_kinesis.put_records, "ValidationException",
                 f"1 validation error detected: Value '{key}' at 'records.1.member.partitionKey' failed to satisfy "
                 "constraint: Member must have length less than or equal to 256",
                 StreamName=stream_name, Records=[{"Data": b"x", "PartitionKey": key}])
    expect_error(raw_kinesis.put_records, "ValidationException",
                 contains=f"Value '{key}' at 'records.2.member.partitionKey' failed to satisfy constraint: "
                          "Member must have length less than or equal to 256",
                 StreamName=stream_name, Records=[{"Data": b"x", "PartitionKey": "ok"},
                                                  {"Data": b"x", "PartitionKey": key}])
    expect_error(raw_kinesis.put_record, "ValidationException",
                 contains="at 'partitionKey' failed to satisfy constraint: Member must have length greater than or "
                          "equal to 1",
                 StreamName=stream_name, Data=b"x", PartitionKey="")
    assert read_shard(raw_kinesis, stream_name, shard_id(0)) == []


def test_put_records_count_limits(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    msg = expect_error(raw_kinesis.put_records, "ValidationException", prefix="1 validation error detected: Value ",
                       contains="at 'records' failed to satisfy constraint: "
                                "Member must have length less than or equal to 500",
                       StreamName=stream_name, Records=[{"Data": b"x", "PartitionKey": "k"}] * 501)
    assert msg.endswith("Member must have length less than or equal to 500"), msg[-200:]
    expect_error(raw_kinesis.put_records, "ValidationException",
                 "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 1",
                 StreamName=stream_name, Records=[])
    ok = raw_kinesis.put_records(StreamName=stream_name, Records=[{"Data": b"x", "PartitionKey": "k"}] * 500)
    assert ok["FailedRecordCount"] == 0 and len(ok["Records"]) == 500
    assert len(read_shard(raw_kinesis, stream_name, shard_id(0))) == 500


def test_too_many_records_error_does_not_echo_the_data(raw_kinesis, stream_name):
    """AWS renders each entry Java-style (a blob shows as ``java.nio.HeapByteBuffer[pos=0 lim=N cap=N]``),
    so the message grows with the record count, not with the bytes sent. Echoing every byte as a decimal
    list would turn a 0.7 MB request into a multi-megabyte error (and leak the internal document form)."""
    create_stream(raw_kinesis, stream_name, 1)
    msg = expect_error(raw_kinesis.put_records, "ValidationException",
                       contains="at 'records' failed to satisfy constraint: Member must have length less than or "
                                "equal to 500",
                       StreamName=stream_name, Records=[{"Data": b"x" * 1000, "PartitionKey": "k"}] * 501)
    assert '"subtype"' not in msg and '"bytes":[' not in msg, msg[:300]
    assert len(msg) < 256 * 1024, f"{len(msg)} characters of message for a {501 * 1000}-byte request"


def test_record_size_limits(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    c = raw_kinesis
    expect_error(c.put_record, "ValidationException",
                 "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at "
                 "'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
                 StreamName=stream_name, Data=b"x" * (MIB + 1), PartitionKey="k")
    expect_error(c.put_records, "ValidationException",
                 "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at "
                 "'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal "
                 "to 1048576",
                 StreamName=stream_name, Records=[{"Data": b"x" * (MIB + 1), "PartitionKey": "k"}])
    # Data + partition key over 1 MiB.
    expect_error(c.put_record, "InvalidArgumentException", StreamName=stream_name, Data=b"x" * MIB, PartitionKey="k")
    expect_error(c.put_records, "InvalidArgumentException", StreamName=stream_name,
                 Records=[{"Data": b"x" * MIB, "PartitionKey": "k"}])
    assert read_shard(c, stream_name, shard_id(0)) == []
    # Exactly 1 MiB together: stored and read back byte for byte.
    big = random.Random(1).randbytes(MIB - 1)
    seq = c.put_record(StreamName=stream_name, Data=big, PartitionKey="k")["SequenceNumber"]
    got = read_shard(c, stream_name, shard_id(0))
    assert seqs(got) == [seq]
    assert got[0]["Data"] == big


def test_put_records_total_size_limit(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 2)
    c = raw_kinesis
    # The request limit is 10 MiB since AWS raised it (with 10 MiB records) from 5 MiB.
    expect_error(c.put_records, "InvalidArgumentException", StreamName=stream_name,
                 Records=[{"Data": b"x" * 1_000_000, "PartitionKey": f"k{i}"} for i in range(11)])
    # One byte over 10 MiB counting the keys.
    expect_error(c.put_records, "InvalidArgumentException", StreamName=stream_name,
                 Records=[{"Data": b"y" * (MIB - 1), "PartitionKey": "k"} for _ in range(9)]
                 + [{"Data": b"y" * (MIB - 1), "PartitionKey": "kk"}])
    for i in range(2):
        assert read_shard(c, stream_name, shard_id(i)) == []
    # Exactly 10 MiB of data and keys is allowed.
    payloads = [bytes([65 + i]) * (MIB - 1) for i in range(10)]
    r = c.put_records(StreamName=stream_name, Records=[{"Data": p, "PartitionKey": "k"} for p in payloads])
    assert r["FailedRecordCount"] == 0
    sid = r["Records"][0]["ShardId"]
    assert datas(read_shard(c, stream_name, sid)) == payloads


def test_writes_to_deleting_stream(eddy_factory):
    p = eddy_factory("--delete-stream-ms", "600000")
    c = make_client(p.endpoint, validate=False)
    name = unique_name("del")
    create_stream(c, name, 1)
    c.put_record(StreamName=name, Data=b"before", PartitionKey="k")
    c.delete_stream(StreamName=name)
    assert c.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "DELETING"
    expect_error(c.put_record, "ResourceNotFoundException", not_found(name),
                 StreamName=name, Data=b"x", PartitionKey="k")
    expect_error(c.put_records, "ResourceNotFoundException", not_found(name),
                 StreamName=name, Records=[{"Data": b"x", "PartitionKey": "k"}])
    expect_error(c.put_record, "ResourceNotFoundException", not_found(name),
                 StreamARN=arn_of(name), Data=b"x", PartitionKey="k")


# ---- errors: GetShardIterator -------------------------------------------------------------------


def test_get_shard_iterator_unknown_shard(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 2)
    expect_error(raw_kinesis.get_shard_iterator, "ResourceNotFoundException",
                 f"Shard shardId-000000000009 in stream {stream_name} under account {DEFAULT_ACCOUNT} does not exist",
                 StreamName=stream_name, ShardId="shardId-000000000009", ShardIteratorType="TRIM_HORIZON")


MUST_EITHER = ("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or "
               "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ")


def test_starting_sequence_number_presence_rules(raw_kinesis, stream_name):
    shards = create_stream(raw_kinesis, stream_name, 1)
    seq = shards[0]["SequenceNumberRange"]["StartingSequenceNumber"]
    base = dict(StreamName=stream_name, ShardId=shard_id(0))
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        expect_error(raw_kinesis.get_shard_iterator, "InvalidArgumentException",
                     MUST_EITHER + f"{kind} and no StartingSequenceNumber.", **base, ShardIteratorType=kind)
    for kind in ("LATEST", "TRIM_HORIZON"):
        expect_error(raw_kinesis.get_shard_iterator, "InvalidArgumentException",
                     MUST_EITHER + f"{kind} and also a StartingSequenceNumber.", **base, ShardIteratorType=kind,
                     StartingSequenceNumber=seq)


def test_starting_sequence_number_from_elsewhere(raw_kinesis, stream_name):
    c = raw_kinesis
    shards = create_stream(c, stream_name, 2)
    other = unique_name("other")
    create_stream(c, other, 2)
    on_shard1 = c.put_record(StreamName=stream_name, Data=b"x", PartitionKey="k",
                             ExplicitHashKey=str(ranges_of(shards)[1][1]))
    assert on_shard1["ShardId"] == shard_id(1)
    from_other = c.put_record(StreamName=other, Data=b"x", PartitionKey="k", ExplicitHashKey="0")["SequenceNumber"]
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        base = dict(StreamName=stream_name, ShardId=shard_id(0), ShardIteratorType=kind)
        expect_error(c.get_shard_iterator, "InvalidArgumentException",
                     "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to "
                     "a shard with shardId-000000000000", **base, StartingSequenceNumber=on_shard1["SequenceNumber"])
        expect_error(c.get_shard_iterator, "InvalidArgumentException",
                     f"StartingSequenceNumber {from_other} used in GetShardIterator on shard shardId-000000000000 in "
                     f"stream {stream_name} under account {DEFAULT_ACCOUNT} is invalid because it did not come from "
                     "this stream.", **base, StartingSequenceNumber=from_other)
        expect_error(c.get_shard_iterator, "InvalidArgumentException",
                     f"StartingSequenceNumber 12345 used in GetShardIterator on shard shardId-000000000000 in stream "
                     f"{stream_name} under account {DEFAULT_ACCOUNT} is invalid.", **base,
                     StartingSequenceNumber="12345")
    # The other stream's shard StartingSequenceNumber is foreign too.
    other_start = c.describe_stream(StreamName=other)["StreamDescription"]["Shards"][0]["SequenceNumberRange"][
        "StartingSequenceNumber"]
    expect_error(c.get_shard_iterator, "InvalidArgumentException",
                 contains="is invalid because it did not come from this stream.", StreamName=stream_name,
                 ShardId=shard_id(0), ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=other_start)


def test_at_timestamp_errors(raw_kinesis, stream_name):
    create_stream(raw_kinesis, stream_name, 1)
    base = dict(StreamName=stream_name, ShardId=shard_id(0), ShardIteratorType="AT_TIMESTAMP")
    expect_error(raw_kinesis.get_shard_iterator, "InvalidArgumentException",
                 "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
                 "timestamp parameter.", **base)
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    msg = expect_error(raw_kinesis.get_shard_iterator, "InvalidArgumentException",
                       prefix="The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
                              "timestampInMillis: ", **base, Timestamp=future)
    assert str(int(future.timestamp()) * 1000) in msg


# ---- errors: GetRecords -------------------------------------------------------------------------


def test_garbage_and_tampered_iterators(raw_kinesis, stream_name):
    c = raw_kinesis
    create_stream(c, stream_name, 1)
    put_n(c, stream_name, 2)
    it = iterator(c, stream_name, shard_id(0))
    assert len(c.get_records(ShardIterator=it)["Records"]) == 2
    for garbage in ("garbage", "AAAA", "!!!!not base64!!!!", "A" * 200, it[:-8], it + "AAAA"):
        expect_error(c.get_records, "InvalidArgumentException", "Invalid ShardIterator.", ShardIterator=garbage)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    body = it.rstrip("=")
    # Every character but the last, whose low bits may be padding the decoder ignores.
    for i in range(len(body) - 1):
        ch = it[i]
        flipped = alphabet[(alphabet.index(ch) + 1) % 64] if ch in alphabet else "A"
        expect_error(c.get_records, "InvalidArgumentException", "Invalid ShardIterator.",
                     ShardIterator=it[:i] + flipped + it[i + 1:])
    # Still fine untouched.
    assert len(c.get_records(ShardIterator=it)["Records"]) == 2


def test_iterator_from_another_account_is_invalid(endpoint, kinesis, stream_name):
    create_stream(kinesis, stream_name, 1)
    it = iterator(kinesis, stream_name, shard_id(0))
    stranger = make_client(endpoint, access_key=fresh_account())
    expect_error(stranger.get_records, "InvalidArgumentException", "Invalid ShardIterator.", ShardIterator=it)
    elsewhere = make_client(endpoint, region="eu-west-1")
    expect_error(elsewhere.get_records, "InvalidArgumentException", "Invalid ShardIterator.", ShardIterator=it)


# ---- restarts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_iterators_and_sequence_numbers_survive_restart(eddy_factory, tmp_path, sig):
    p = eddy_factory(data_dir=tmp_path / "data")
    c = make_client(p.endpoint)
    name = unique_name("rs")
    shards = create_stream(c, name, 2)
    before = {sid: put_n(c, name, 5, "old", ehk=str(lo)) for sid, lo, _ in ranges_of(shards)}
    th = {sid: iterator(c, name, sid) for sid in before}
    after_second = iterator(c, name, shard_id(0), "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=before[shard_id(0)][1])
    latest = {sid: iterator(c, name, sid, "LATEST") for sid in before}
    if sig == signal.SIGTERM:
        p.terminate_ok()
    else:
        assert p.kill9() == -signal.SIGKILL
    restart(p)
    c = make_client(p.endpoint)
    for sid, sent in before.items():
        got, _ = drain(c, th[sid])  # an iterator issued before the restart
        assert seqs(got) == sent
        assert datas(got) == [f"old{i}".encode() for i in range(5)]
    assert seqs(drain(c, after_second)[0]) == before[shard_id(0)][2:]
    now = {sid: put_n(c, name, 3, "new", ehk=str(lo)) for sid, lo, _ in ranges_of(shards)}
    for sid in before:
        assert_increasing(before[sid] + now[sid])  # numbering carries on after the restart
        assert seqs(drain(c, latest[sid])[0]) == now[sid]
        assert seqs(read_shard(c, name, sid)) == before[sid] + now[sid]


# ---- the AWS CLI --------------------------------------------------------------------------------

AWS = shutil.which("aws")
needs_cli = pytest.mark.usefixtures("cli_installed")


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("aws-home-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": DEFAULT_REGION,
        "AWS_PAGER": "", "AWS_DEFAULT_OUTPUT": "json", "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
        "AWS_CONFIG_FILE": str(home / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "HOME": str(home),
    })
    return env


@pytest.fixture
def aws(endpoint, cli_env):
    def run(*args: str, check: bool = True):
        p = subprocess.run([AWS, "--endpoint-url", endpoint, "kinesis", *args], capture_output=True, text=True,
                           env=cli_env, timeout=120)
        if check:
            assert p.returncode == 0, f"aws kinesis {' '.join(args)} -> {p.returncode}\n{p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    return run


@pytest.fixture(scope="module")
def cli_v1(cli_env) -> bool:
    out = subprocess.run([AWS, "--version"], capture_output=True, text=True, env=cli_env, timeout=60)
    return (out.stdout + out.stderr).strip().startswith("aws-cli/1.")


def cli_blob(text: str, v1: bool) -> str:
    """What to pass as a blob argument: raw text in CLI v1, base64 in v2."""
    return text if v1 else base64.b64encode(text.encode()).decode()


@needs_cli
def test_cli_put_record_and_get_records(aws, kinesis, cli_v1):
    name = unique_name("cli")
    shards = create_stream(kinesis, name, 2)
    put = aws("put-record", "--stream-name", name, "--partition-key", "cli-key", "--data", cli_blob("hello cli", cli_v1))
    assert put["ShardId"] == owner(shards, md5_hash("cli-key"))
    assert SEQUENCE_NUMBER.match(put["SequenceNumber"])
    it = aws("get-shard-iterator", "--stream-name", name, "--shard-id", put["ShardId"],
             "--shard-iterator-type", "AT_SEQUENCE_NUMBER",
             "--starting-sequence-number", put["SequenceNumber"])["ShardIterator"]
    out = aws("get-records", "--shard-iterator", it)
    assert [r["SequenceNumber"] for r in out["Records"]] == [put["SequenceNumber"]]
    assert base64.b64decode(out["Records"][0]["Data"]) == b"hello cli"
    assert out["Records"][0]["PartitionKey"] == "cli-key"
    assert out["MillisBehindLatest"] == 0 and out["NextShardIterator"]
    # boto3 reads the same bytes.
    assert datas(read_shard(kinesis, name, put["ShardId"])) == [b"hello cli"]


@needs_cli
def test_cli_put_records_and_errors(aws, kinesis, cli_v1):
    name = unique_name("cli")
    create_stream(kinesis, name, 1)
    records = [{"Data": cli_blob(f"rec-{i}", cli_v1), "PartitionKey": f"k{i}"} for i in range(5)]
    out = aws("put-records", "--stream-name", name, "--records", json.dumps(records))
    assert out["FailedRecordCount"] == 0
    sent = [r["SequenceNumber"] for r in out["Records"]]
    assert_increasing(sent)
    got = read_shard(kinesis, name, shard_id(0))
    assert seqs(got) == sent
    assert datas(got) == [f"rec-{i}".encode() for i in range(5)]

    p = aws("get-shard-iterator", "--stream-name", name, "--shard-id", "shardId-000000000009",
            "--shard-iterator-type", "TRIM_HORIZON", check=False)
    assert p.returncode in (254, 255), p
    assert "ResourceNotFoundException" in p.stderr
    assert f"Shard shardId-000000000009 in stream {name} under account {DEFAULT_ACCOUNT} does not exist" in p.stderr
    missing = unique_name("cli")
    p = aws("put-record", "--stream-name", missing, "--partition-key", "k", "--data", cli_blob("x", cli_v1),
            check=False)
    assert p.returncode in (254, 255), p
    assert "ResourceNotFoundException" in p.stderr and not_found(missing) in p.stderr

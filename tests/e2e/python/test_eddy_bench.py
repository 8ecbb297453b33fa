"""eddy-bench (bench/loadgen) against a real eddy: what it reports must be what the stream then holds.

For every transport (keep-alive HTTP/1.1, multiplexed h2c, one h2c connection per call) and both body
formats (JSON, CBOR), a short put-records run's JSON report is checked against a full GetRecords read of
the stream by boto3 and must show no errors. get-records must read back exactly what it wrote, subscribe
must see an event for every record it put, and against ``eddy --auth sigv4`` its signatures must verify
(and a wrong secret must be refused, so the check is real).

The binary is EDDY_BENCH_BIN, else eddy-bench next to EDDY_BIN.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from eddy_e2e import EDDY_BIN, make_client, unique_name

BENCH_BIN = os.environ.get("EDDY_BENCH_BIN", str(Path(EDDY_BIN).parent / "eddy-bench"))


def run_bench(endpoint: str, workload: str, tmp_path: Path, *args: str, expect_rc: int = 0) -> dict:
    if not os.access(BENCH_BIN, os.X_OK):
        pytest.fail(f"eddy-bench not found: {BENCH_BIN} (set EDDY_BENCH_BIN)")
    report = tmp_path / f"{workload}-{unique_name('r')}.json"
    proc = subprocess.run([BENCH_BIN, workload, "--endpoint", endpoint, "--quiet", "--json", str(report), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == expect_rc, f"eddy-bench exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return json.loads(report.read_text())


def stored_records(kinesis, stream: str) -> list[bytes]:
    out = []
    for shard in kinesis.list_shards(StreamName=stream)["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            r = kinesis.get_records(ShardIterator=it, Limit=10000)
            out += [rec["Data"] for rec in r["Records"]]
            if not r["Records"]:
                break
            it = r.get("NextShardIterator")
    return out


def assert_clean(report: dict) -> None:
    assert report["ok"], report["fatal"]
    assert report["errors"]["total"] == 0, report["errors"]


@pytest.mark.parametrize("fmt", ["json", "cbor"])
@pytest.mark.parametrize("protocol", ["http1", "h2", "h2-per-call"])
def test_put_records_report_matches_the_stream(endpoint, kinesis, tmp_path, protocol, fmt):
    stream = unique_name("bench")
    # 1,234 = 12 full batches of 100 and a short one of 34: the last body must be cut to the count.
    report = run_bench(endpoint, "put-records", tmp_path, "--protocol", protocol, "--format", fmt, "--stream", stream,
                       "--shards", "3", "--batch", "100", "--payload", "64", "--inflight", "4", "--count", "1234")
    assert_clean(report)
    assert report["records"] == 1234
    assert report["requests"] == 13
    assert report["bytes"] == 1234 * 64
    assert report["latency_ms"]["count"] == 13
    data = stored_records(kinesis, stream)
    assert len(data) == 1234
    assert all(len(d) == 64 for d in data)


def test_put_record_counts_calls(endpoint, kinesis, tmp_path):
    stream = unique_name("bench")
    report = run_bench(endpoint, "put-record", tmp_path, "--protocol", "h2", "--stream", stream, "--count", "40")
    assert_clean(report)
    assert report["requests"] == report["records"] == 40
    assert len(stored_records(kinesis, stream)) == 40


def test_get_records_drains_what_it_filled(endpoint, tmp_path):
    report = run_bench(endpoint, "get-records", tmp_path, "--protocol", "h2", "--format", "cbor", "--shards", "4",
                       "--count", "5000", "--limit", "700")
    assert_clean(report)
    assert report["fill"]["records"] == 5000
    assert report["records"] == report["records_expected"] == 5000
    assert report["bytes"] == 5000 * 100
    assert report["shards_read"] == 4


@pytest.mark.parametrize("protocol", ["http1", "h2"])
def test_subscribe_sees_an_event_for_every_put(endpoint, tmp_path, protocol):
    report = run_bench(endpoint, "subscribe", tmp_path, "--protocol", protocol, "--count", "25")
    assert_clean(report)
    assert report["records"] == 25
    assert report["latency_ms"]["count"] == 25
    # The event cannot arrive before the put was sent, and its latency is bounded by the test's patience.
    assert 0 < report["latency_ms"]["p50"] < 1000


def test_signatures_verify_against_strict_sigv4(eddy_factory, tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text("AKIABENCH0000000000 benchsecret 111122223333\n")
    strict = eddy_factory("--auth", "sigv4", "--credentials-file", str(creds))
    for protocol in ("http1", "h2"):
        report = run_bench(strict.endpoint, "put-records", tmp_path, "--protocol", protocol, "--count", "1000",
                           "--access-key", "AKIABENCH0000000000", "--secret-key", "benchsecret")
        assert_clean(report)
        assert report["records"] == 1000
    refused = run_bench(strict.endpoint, "put-records", tmp_path, "--count", "10", "--access-key",
                        "AKIABENCH0000000000", "--secret-key", "wrong", expect_rc=3)
    assert "InvalidSignatureException" in refused["fatal"]

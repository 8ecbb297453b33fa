"""Fault injection (--fault-rate, --fault-types, --fault-ops, --fault-seed, --latency) seen by boto3's own
retry logic: injected errors are classified and retried as AWS's are, and PutRecords is throttled per record."""

from __future__ import annotations

import time
import urllib.request

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from eddy_e2e import ACCESS_KEY, DEFAULT_ACCOUNT, DEFAULT_REGION, SECRET_KEY, unique_name

import boto3


def retrying_client(endpoint: str, attempts: int):
    """A boto3 client with botocore's standard retry mode, as applications use it."""
    return boto3.session.Session().client(
        "kinesis", endpoint_url=endpoint, region_name=DEFAULT_REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": attempts, "mode": "standard"}))


def injected(endpoint: str, operation: str, kind: str) -> float:
    text = urllib.request.urlopen(f"{endpoint}/metrics").read().decode()
    series = f'eddy_faults_injected_total{{operation="{operation}",type="{kind}"}} '
    return next((float(line[len(series):]) for line in text.splitlines() if line.startswith(series)), 0.0)


@pytest.mark.parametrize("kind, status, error_type, message", [
    ("internal", 500, "InternalFailure", "Internal service failure."),
    ("unavailable", 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
    ("throttle", 400, "LimitExceededException", "Rate exceeded for account 000000000000."),
])
def test_every_fault_type_is_retried_by_botocore(eddy_factory, kind, status, error_type, message):
    e = eddy_factory("--fault-rate", "1", "--fault-types", kind, "--fault-ops", "ListStreams")
    k = retrying_client(e.endpoint, attempts=3)
    with pytest.raises(ClientError) as info:
        k.list_streams()
    err = info.value.response
    assert err["Error"]["Code"] == error_type
    assert err["Error"]["Message"] == message
    assert err["ResponseMetadata"]["HTTPStatusCode"] == status
    assert err["ResponseMetadata"]["RetryAttempts"] == 2, "botocore retried the injected error twice"
    assert injected(e.endpoint, "ListStreams", kind) == 3
    k.create_stream(StreamName=unique_name("f"), ShardCount=1)  # not in --fault-ops


def test_put_records_partial_failures_and_a_retry_of_the_failed_ones(eddy_factory):
    e = eddy_factory("--fault-rate", "0.3", "--fault-types", "throttle", "--fault-ops", "PutRecords",
                     "--fault-seed", "1234")
    k = retrying_client(e.endpoint, attempts=1)
    name = unique_name("f")
    k.create_stream(StreamName=name, ShardCount=1)
    k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.05})
    pending = [{"Data": f"r{i}".encode(), "PartitionKey": f"k{i}"} for i in range(300)]
    rounds = 0
    acked = []
    # What a producer does with partial failures: send the refused records again, until none is refused.
    while pending and rounds < 30:
        rounds += 1
        out = k.put_records(StreamName=name, Records=pending)
        refused = [r for r in out["Records"] if "ErrorCode" in r]
        assert out["FailedRecordCount"] == len(refused)
        for r in refused:
            assert r["ErrorCode"] == "ProvisionedThroughputExceededException"
            assert r["ErrorMessage"] == (f"Rate exceeded for shard shardId-000000000000 in stream {name} "
                                         f"under account {DEFAULT_ACCOUNT}.")
        acked += [p["Data"] for p, r in zip(pending, out["Records"]) if "SequenceNumber" in r]
        pending = [p for p, r in zip(pending, out["Records"]) if "ErrorCode" in r]
    assert not pending and rounds > 1
    it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    stored = [r["Data"] for r in k.get_records(ShardIterator=it, Limit=10000)["Records"]]
    assert stored == acked, "every acknowledged record was stored once, and no refused one"
    assert sorted(stored) == sorted(f"r{i}".encode() for i in range(300))


def test_the_same_seed_gives_the_same_faults(eddy_factory):
    def pattern() -> str:
        e = eddy_factory("--fault-rate", "0.5", "--fault-types", "internal", "--fault-ops", "DescribeLimits",
                         "--fault-seed", "77")
        k = retrying_client(e.endpoint, attempts=1)
        out = ""
        for _ in range(40):
            try:
                k.describe_limits()
                out += "."
            except ClientError:
                out += "x"
        e.stop()
        return out

    first = pattern()
    assert "x" in first and "." in first
    assert pattern() == first


def test_latency_is_added_to_the_named_operations(eddy_factory):
    e = eddy_factory("--latency", "200", "--fault-ops", "DescribeLimits")
    k = retrying_client(e.endpoint, attempts=1)
    started = time.monotonic()
    k.describe_limits()
    assert time.monotonic() - started >= 0.2
    assert injected(e.endpoint, "DescribeLimits", "latency") == 1

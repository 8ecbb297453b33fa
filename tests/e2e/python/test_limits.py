"""--enforce-limits seen through boto3: the per-shard write and read rates and the control-plane rates refuse
what AWS would, with AWS's types and texts; off by default."""

from __future__ import annotations

import urllib.request

import pytest
from botocore.exceptions import ClientError

from eddy_e2e import DEFAULT_ACCOUNT, make_client, unique_name


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    from eddy_e2e import EddyProcess
    p = EddyProcess("--in-memory", "--enforce-limits", log_dir=tmp_path_factory.mktemp("limits")).start()
    yield p
    p.terminate_ok()


def new_stream(k) -> str:
    name = unique_name("l")
    k.create_stream(StreamName=name, ShardCount=1)
    return name


def refused_total(endpoint: str, operation: str, limit: str) -> float:
    text = urllib.request.urlopen(f"{endpoint}/metrics").read().decode()
    series = f'eddy_limits_refused_total{{limit="{limit}",operation="{operation}"}} '
    return next((float(line[len(series):]) for line in text.splitlines() if line.startswith(series)), 0.0)


def test_put_records_past_a_thousand_records_per_second_are_refused_per_record(limited):
    k = make_client(limited.endpoint)
    name = new_stream(k)
    batch = [{"Data": b"x", "PartitionKey": f"k{i}"} for i in range(500)]
    results = []
    for _ in range(3):
        out = k.put_records(StreamName=name, Records=batch)
        results += out["Records"]
    failed = [r for r in results if "ErrorCode" in r]
    assert 400 <= len(failed) <= 500, len(failed)  # 1,500 in well under a second; the bucket holds 1,000
    assert all(r["ErrorCode"] == "ProvisionedThroughputExceededException" for r in failed)
    assert failed[0]["ErrorMessage"] == (f"Rate exceeded for shard shardId-000000000000 in stream {name} "
                                         f"under account {DEFAULT_ACCOUNT}.")
    assert refused_total(limited.endpoint, "PutRecords", "shard_write_records") >= len(failed)
    # Only the acknowledged records were stored.
    it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(k.get_records(ShardIterator=it, Limit=10000)["Records"]) == len(results) - len(failed)


def test_get_records_and_get_shard_iterator_five_per_second(limited):
    k = make_client(limited.endpoint)
    name = new_stream(k)
    codes = []
    for _ in range(7):
        try:
            k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="LATEST")
            codes.append("ok")
        except ClientError as e:
            codes.append(e.response["Error"]["Code"])
    assert codes[:5] == ["ok"] * 5 and "ProvisionedThroughputExceededException" in codes[5:]


def test_control_plane_rate(limited):
    k = make_client(limited.endpoint)
    codes = []
    for _ in range(12):
        try:
            k.describe_stream(StreamName="absent")
            codes.append("ResourceNotFoundException")
        except ClientError as e:
            codes.append(e.response["Error"]["Code"])
            if e.response["Error"]["Code"] == "LimitExceededException":
                assert e.response["Error"]["Message"] == f"Rate exceeded for stream absent under account {DEFAULT_ACCOUNT}."
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert codes[:10] == ["ResourceNotFoundException"] * 10  # DescribeStream: 10 per second
    assert "LimitExceededException" in codes[10:]


def test_limits_are_off_by_default(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    batch = [{"Data": b"x", "PartitionKey": f"k{i}"} for i in range(500)]
    for _ in range(4):
        assert kinesis.put_records(StreamName=stream_name, Records=batch)["FailedRecordCount"] == 0
    for _ in range(3):
        kinesis.describe_limits()

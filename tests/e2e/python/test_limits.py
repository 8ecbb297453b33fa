"""--enforce-limits seen through boto3: the per-shard write and read rates and the control-plane rates refuse
what AWS would, with AWS's types and texts; off by default."""

from __future__ import annotations

import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from eddy_e2e import DEFAULT_ACCOUNT, SLOWDOWN, EddyProcess, arn_of, make_client, unique_name


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
    for _ in range(5):
        out = k.put_records(StreamName=name, Records=batch)
        results += out["Records"]
    failed = [r for r in results if "ErrorCode" in r]
    # 2,500 records; the bucket holds 1,000 and refills 1,000 a second, so unless the five calls took 1.5 s,
    # some were refused. The first 1,000 always fit.
    assert all("SequenceNumber" in r for r in results[:1000])
    assert failed, "no record was refused"
    assert all(r["ErrorCode"] == "ProvisionedThroughputExceededException" for r in failed)
    assert failed[0]["ErrorMessage"] == (f"Rate exceeded for shard shardId-000000000000 in stream {name} "
                                         f"under account {DEFAULT_ACCOUNT}.")
    assert refused_total(limited.endpoint, "PutRecords", "shard_write_records") >= len(failed)
    # Only the acknowledged records were stored.
    it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(k.get_records(ShardIterator=it, Limit=10000)["Records"]) == len(results) - len(failed)


def test_get_shard_iterator_five_per_second(limited):
    k = make_client(limited.endpoint)
    name = new_stream(k)
    codes = []
    for _ in range(20):
        try:
            k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="LATEST")
            codes.append("ok")
        except ClientError as e:
            codes.append(e.response["Error"]["Code"])
    # A full bucket holds 5; 20 calls refill it only if each takes more than 200 ms.
    assert codes[:5] == ["ok"] * 5 and "ProvisionedThroughputExceededException" in codes[5:], codes


def test_control_plane_rate(limited):
    # DescribeLimits: once per second per account, so a second call right after the first is refused. (A rate
    # of 5 or 10 per second would make the test depend on how fast this machine makes calls.)
    k = make_client(limited.endpoint)
    k.describe_limits()
    with pytest.raises(ClientError) as info:
        for _ in range(3):
            k.describe_limits()
    err = info.value.response
    assert err["Error"]["Code"] == "LimitExceededException"
    assert err["Error"]["Message"] == f"Rate exceeded for account {DEFAULT_ACCOUNT}."
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert refused_total(limited.endpoint, "DescribeLimits", "control_plane_tps") >= 1


def test_limits_are_off_by_default(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    batch = [{"Data": b"x", "PartitionKey": f"k{i}"} for i in range(500)]
    for _ in range(4):
        assert kinesis.put_records(StreamName=stream_name, Records=batch)["FailedRecordCount"] == 0
    for _ in range(3):
        kinesis.describe_limits()


def seconds_to_receive_everything(endpoint: str, stream: str, consumer_arn: str, total: int) -> float:
    k = make_client(endpoint)
    began = time.monotonic()
    r = k.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId="shardId-000000000000",
                             StartingPosition={"Type": "TRIM_HORIZON"})
    got = 0
    for e in r["EventStream"]:
        got += sum(len(x["Data"]) for x in e["SubscribeToShardEvent"]["Records"])
        if got >= total:
            break
    r["EventStream"].close()
    assert got == total
    return time.monotonic() - began


def test_subscribe_to_shard_is_paced_at_2_mib_per_second_per_consumer(tmp_path):
    """10 records of 1000 KiB through one consumer: at once without limits; with them AWS's 2 MiB/s pace
    (a burst of two 2 MiB events, then one every second or so: about 2.9 s)."""
    free = EddyProcess(data_dir=tmp_path / "data", log_dir=tmp_path).start()
    try:
        k = make_client(free.endpoint)
        name = unique_name("pace")
        k.create_stream(StreamName=name, ShardCount=1)
        k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.1})
        arn = k.register_stream_consumer(StreamARN=arn_of(name), ConsumerName="c")["Consumer"]["ConsumerARN"]
        for _ in range(2):
            batch = [{"Data": bytes([i]) * (1000 * 1024), "PartitionKey": f"k{i}"} for i in range(5)]
            assert k.put_records(StreamName=name, Records=batch)["FailedRecordCount"] == 0
        deadline = time.monotonic() + 10
        while k.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"]["ConsumerStatus"] != "ACTIVE":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        unpaced = seconds_to_receive_everything(free.endpoint, name, arn, 10 * 1000 * 1024)
    finally:
        free.terminate_ok()
    paced_eddy = EddyProcess("--enforce-limits", data_dir=tmp_path / "data", log_dir=tmp_path).start()
    try:
        paced = seconds_to_receive_everything(paced_eddy.endpoint, name, arn, 10 * 1000 * 1024)
    finally:
        paced_eddy.terminate_ok()
    # A sanitizer build is slower unpaced (EDDY_TEST_SLOWDOWN); the pace is a floor either way.
    assert unpaced < 2.0 * SLOWDOWN, unpaced
    assert 2.4 <= paced < 15 * SLOWDOWN, paced

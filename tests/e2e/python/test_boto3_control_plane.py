"""The stream control plane through boto3 (HTTP/1.1): CreateStream, DeleteStream, DescribeStream,
DescribeStreamSummary, ListStreams, ListShards and DescribeLimits, successes and errors.

Every test uses its own stream names (uuid) and, where a listing or a count must be exact, its own
account (a random 12-digit access key id), so tests never depend on one another.
"""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

from eddy_e2e import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    HASH_SPACE,
    SEQUENCE_NUMBER,
    arn_of,
    expected_ranges,
    fresh_account,
    make_client,
    shard_id,
    unique_name,
)

# ---- helpers ------------------------------------------------------------------------------------


def assert_client_error(excinfo, code: str, message: str | None = None, status: int = 400,
                        message_prefix: str | None = None) -> dict:
    """Checks a botocore ClientError: code, exact message (or prefix), HTTP status and the headers
    every Kinesis error carries."""
    err = excinfo.value.response
    assert err["Error"]["Code"] == code, err
    if message is not None:
        assert err["Error"]["Message"] == message, err
    if message_prefix is not None:
        assert err["Error"]["Message"].startswith(message_prefix), err
    meta = err["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == status, err
    headers = meta["HTTPHeaders"]
    assert headers.get("x-amzn-requestid"), headers
    assert headers.get("x-amzn-errortype", "").split(":")[0] == code, headers
    return err


def not_found(name: str, account: str = DEFAULT_ACCOUNT) -> str:
    return f"Stream {name} under account {account} not found."


def shards_of(client, name: str) -> list[dict]:
    return client.list_shards(StreamName=name)["Shards"]


def ranges_of(shards: list[dict]) -> list[tuple[int, int]]:
    return [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in shards]


def ids_of(shards: list[dict]) -> list[str]:
    return [s["ShardId"] for s in shards]


def account_client(endpoint: str, account: str | None = None, region: str = DEFAULT_REGION, validate=True):
    return make_client(endpoint, region=region, access_key=account or fresh_account(), validate=validate)


# ---- CreateStream / DescribeStream --------------------------------------------------------------


def test_create_stream_then_describe_stream(kinesis, stream_name):
    before = dt.datetime.now(dt.timezone.utc)
    resp = kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid")
    assert set(resp) == {"ResponseMetadata"}  # CreateStream answers {}

    d = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamName"] == stream_name
    assert d["StreamARN"] == arn_of(stream_name)
    assert d["StreamStatus"] == "ACTIVE"
    assert d["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert d["HasMoreShards"] is False
    assert d["RetentionPeriodHours"] == 24
    assert d["EncryptionType"] == "NONE"
    assert d["EnhancedMonitoring"] == [{"ShardLevelMetrics": []}]
    created = d["StreamCreationTimestamp"]
    assert before - dt.timedelta(seconds=5) <= created <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)

    shards = d["Shards"]
    assert ids_of(shards) == [shard_id(i) for i in range(3)]
    assert ranges_of(shards) == expected_ranges(3)
    for s in shards:
        assert "ParentShardId" not in s and "AdjacentParentShardId" not in s
        assert "EndingSequenceNumber" not in s["SequenceNumberRange"]
        assert SEQUENCE_NUMBER.match(s["SequenceNumberRange"]["StartingSequenceNumber"])
    # The three-shard split AWS itself returns.
    assert [(s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"]) for s in shards] == [
        ("0", "113427455640312821154458202477256070484"),
        ("113427455640312821154458202477256070485", "226854911280625642308916404954512140969"),
        ("226854911280625642308916404954512140970", "340282366920938463463374607431768211455"),
    ]


def test_describe_stream_summary(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    s = kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["StreamName"] == stream_name
    assert s["StreamARN"] == arn_of(stream_name)
    assert s["StreamStatus"] == "ACTIVE"
    assert s["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert s["RetentionPeriodHours"] == 24
    assert s["OpenShardCount"] == 2
    assert s["ConsumerCount"] == 0
    assert s["EncryptionType"] == "NONE"
    assert s["EnhancedMonitoring"] == [{"ShardLevelMetrics": []}]
    assert s["MaxRecordSizeInKiB"] == 1024
    assert "Shards" not in s
    d = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert s["StreamCreationTimestamp"] == d["StreamCreationTimestamp"]


def test_create_stream_with_max_record_size(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1, MaxRecordSizeInKiB=2048)
    s = kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["MaxRecordSizeInKiB"] == 2048


@pytest.mark.parametrize("size", [1023, 10241])
def test_create_stream_max_record_size_out_of_range(raw_kinesis, stream_name, size):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=stream_name, ShardCount=1, MaxRecordSizeInKiB=size)
    bound = "greater than or equal to 1024" if size < 1024 else "less than or equal to 10240"
    assert_client_error(
        e, "ValidationException",
        f"1 validation error detected: Value '{size}' at 'maxRecordSizeInKiB' failed to satisfy constraint: "
        f"Member must have value {bound}")


def test_create_stream_with_tags_is_accepted(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1, Tags={"team": "data", "env": ""})
    assert kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"][
        "StreamStatus"] == "ACTIVE"


def test_create_on_demand_stream_gets_four_shards(endpoint, stream_name):
    c = account_client(endpoint)
    c.create_stream(StreamName=stream_name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    d = c.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert ids_of(d["Shards"]) == [shard_id(i) for i in range(4)]
    assert ranges_of(d["Shards"]) == expected_ranges(4)
    s = c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["OpenShardCount"] == 4
    assert s["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    limits = c.describe_limits()
    assert limits["OnDemandStreamCount"] == 1
    assert limits["OpenShardCount"] == 4


def test_create_provisioned_stream_explicit_mode(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2, StreamModeDetails={"StreamMode": "PROVISIONED"})
    s = kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert s["OpenShardCount"] == 2


def test_create_duplicate_stream(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    with pytest.raises(ClientError) as e:
        kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    assert_client_error(e, "ResourceInUseException",
                        f"Stream {stream_name} under account {DEFAULT_ACCOUNT} already exists.")
    # Same answer whatever the second request asks for.
    with pytest.raises(ClientError) as e:
        kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    assert_client_error(e, "ResourceInUseException",
                        f"Stream {stream_name} under account {DEFAULT_ACCOUNT} already exists.")
    assert len(shards_of(kinesis, stream_name)) == 1


def test_create_stream_shard_count_zero(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=stream_name, ShardCount=0)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")
    with pytest.raises(ClientError) as e:
        raw_kinesis.describe_stream_summary(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_create_stream_shard_count_too_large(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=stream_name, ShardCount=100001)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '100001' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 100000")


def test_create_stream_missing_name(raw_kinesis):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(ShardCount=1)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
        "Member must not be null")


def test_create_stream_bad_name_pattern(raw_kinesis):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName="bad name!", ShardCount=1)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")


def test_create_stream_name_too_long(raw_kinesis):
    name = "a" * 129
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=name, ShardCount=1)
    assert_client_error(
        e, "ValidationException",
        f"1 validation error detected: Value '{name}' at 'streamName' failed to satisfy constraint: "
        "Member must have length less than or equal to 128")


def test_create_stream_name_of_128_chars_is_fine(kinesis):
    name = unique_name("n").ljust(128, "x")
    assert len(name) == 128
    kinesis.create_stream(StreamName=name, ShardCount=1)
    assert kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamName"] == name


def test_create_stream_several_validation_errors(raw_kinesis):
    name = "b" * 129
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=name, ShardCount=0)
    err = assert_client_error(e, "ValidationException",
                              message_prefix="2 validation errors detected: ")
    msg = err["Error"]["Message"]
    assert ("Value '0' at 'shardCount' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1") in msg
    assert (f"Value '{name}' at 'streamName' failed to satisfy constraint: "
            "Member must have length less than or equal to 128") in msg
    assert msg.count("; ") == 1


def test_create_stream_bad_stream_mode(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=stream_name, StreamModeDetails={"StreamMode": "SOMETIMES"})
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value 'SOMETIMES' at 'streamModeDetails.streamMode' failed to satisfy "
        "constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")


def test_create_stream_tag_key_too_long(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.create_stream(StreamName=stream_name, ShardCount=1, Tags={"k" * 129: "v"})
    err = assert_client_error(e, "ValidationException", message_prefix="1 validation error detected: ")
    assert "Member must have length less than or equal to 128" in err["Error"]["Message"]


# ---- hash ranges and sequence numbers -----------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 10, 16, 33])
def test_hash_ranges_split_evenly_and_cover_the_space(endpoint, n):
    c = account_client(endpoint)
    name = unique_name()
    c.create_stream(StreamName=name, ShardCount=n)
    shards = c.list_shards(StreamName=name)["Shards"]
    assert ids_of(shards) == [shard_id(i) for i in range(n)]
    got = ranges_of(shards)
    assert got == expected_ranges(n)
    # Contiguous cover of 0..2^128-1, no gaps or overlaps.
    assert got[0][0] == 0
    assert got[-1][1] == HASH_SPACE - 1
    for (s0, e0), (s1, _) in zip(got, got[1:]):
        assert s0 <= e0 and s1 == e0 + 1
    assert sum(e - s + 1 for s, e in got) == HASH_SPACE
    # Every shard but the last has exactly floor(2^128/n) keys.
    size = HASH_SPACE // n
    assert all(e - s + 1 == size for s, e in got[:-1])
    # DescribeStream reports the same ranges.
    d = c.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    assert ranges_of(d) == got


def test_starting_sequence_numbers(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=4)
    shards = shards_of(kinesis, stream_name)
    seqs = [s["SequenceNumberRange"]["StartingSequenceNumber"] for s in shards]
    for seq in seqs:
        assert len(seq) == 56 and seq.startswith("49") and seq.isdigit(), seq
    assert len(set(seqs)) == 4
    # Stable between calls and between DescribeStream and ListShards.
    again = [s["SequenceNumberRange"]["StartingSequenceNumber"]
             for s in kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]]
    assert again == seqs


# ---- DescribeStream paging ----------------------------------------------------------------------


def test_describe_stream_paging_with_limit_and_exclusive_start(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    d1 = kinesis.describe_stream(StreamName=stream_name, Limit=2)["StreamDescription"]
    assert ids_of(d1["Shards"]) == [shard_id(0), shard_id(1)]
    assert d1["HasMoreShards"] is True
    d2 = kinesis.describe_stream(StreamName=stream_name, Limit=2,
                                 ExclusiveStartShardId=d1["Shards"][-1]["ShardId"])["StreamDescription"]
    assert ids_of(d2["Shards"]) == [shard_id(2), shard_id(3)]
    assert d2["HasMoreShards"] is True
    d3 = kinesis.describe_stream(StreamName=stream_name, Limit=2,
                                 ExclusiveStartShardId=d2["Shards"][-1]["ShardId"])["StreamDescription"]
    assert ids_of(d3["Shards"]) == [shard_id(4)]
    assert d3["HasMoreShards"] is False
    # A page that ends exactly at the last shard has no more.
    d = kinesis.describe_stream(StreamName=stream_name, Limit=5)["StreamDescription"]
    assert len(d["Shards"]) == 5 and d["HasMoreShards"] is False
    # Starting after the last shard: empty page.
    d = kinesis.describe_stream(StreamName=stream_name, ExclusiveStartShardId=shard_id(4))["StreamDescription"]
    assert d["Shards"] == [] and d["HasMoreShards"] is False
    # Limit alone and ExclusiveStartShardId alone.
    d = kinesis.describe_stream(StreamName=stream_name, ExclusiveStartShardId=shard_id(1))["StreamDescription"]
    assert ids_of(d["Shards"]) == [shard_id(i) for i in (2, 3, 4)]
    assert d["HasMoreShards"] is False
    d = kinesis.describe_stream(StreamName=stream_name, Limit=1)["StreamDescription"]
    assert ids_of(d["Shards"]) == [shard_id(0)] and d["HasMoreShards"] is True


def test_describe_stream_returns_at_most_100_shards(endpoint):
    c = account_client(endpoint)
    name = unique_name()
    c.create_stream(StreamName=name, ShardCount=150)
    d = c.describe_stream(StreamName=name)["StreamDescription"]
    assert ids_of(d["Shards"]) == [shard_id(i) for i in range(100)]
    assert d["HasMoreShards"] is True
    d = c.describe_stream(StreamName=name, Limit=1000)["StreamDescription"]
    assert len(d["Shards"]) == 100 and d["HasMoreShards"] is True
    d = c.describe_stream(StreamName=name, ExclusiveStartShardId=shard_id(99))["StreamDescription"]
    assert ids_of(d["Shards"]) == [shard_id(i) for i in range(100, 150)]
    assert d["HasMoreShards"] is False
    # The full set through ListShards (default MaxResults 1000).
    assert ranges_of(c.list_shards(StreamName=name)["Shards"]) == expected_ranges(150)


def test_describe_stream_not_found(kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_summary(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_describe_stream_limit_out_of_range(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.describe_stream(StreamName=stream_name, Limit=0)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")
    with pytest.raises(ClientError) as e:
        raw_kinesis.describe_stream(StreamName=stream_name, Limit=10001)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000")


def test_describe_stream_without_name_or_arn(raw_kinesis):
    for call in (raw_kinesis.describe_stream, raw_kinesis.describe_stream_summary, raw_kinesis.delete_stream):
        with pytest.raises(ClientError) as e:
            call()
        assert_client_error(e, "InvalidArgumentException")


# ---- ListStreams --------------------------------------------------------------------------------


def test_list_streams_empty_account(endpoint):
    c = account_client(endpoint)
    r = c.list_streams()
    assert r["StreamNames"] == []
    assert r["HasMoreStreams"] is False
    assert r.get("StreamSummaries", []) == []
    assert "NextToken" not in r


def _make_streams(c, count: int, prefix: str = "ls") -> list[str]:
    names = sorted(f"{prefix}-{i:02d}-{unique_name('s')}" for i in range(count))
    # Created out of order: the listing must still be in name order.
    for n in reversed(names):
        c.create_stream(StreamName=n, ShardCount=1)
    return names


def test_list_streams_summaries_in_name_order(endpoint):
    acct = fresh_account()
    c = account_client(endpoint, acct)
    names = _make_streams(c, 3)
    c.create_stream(StreamName="od-" + unique_name(), StreamModeDetails={"StreamMode": "ON_DEMAND"})
    r = c.list_streams()
    assert r["HasMoreStreams"] is False
    assert r["StreamNames"][:3] == names
    assert len(r["StreamNames"]) == 4
    summaries = {s["StreamName"]: s for s in r["StreamSummaries"]}
    assert [s["StreamName"] for s in r["StreamSummaries"]] == r["StreamNames"]
    for n in r["StreamNames"]:
        s = summaries[n]
        assert s["StreamARN"] == arn_of(n, acct)
        assert s["StreamStatus"] == "ACTIVE"
        assert isinstance(s["StreamCreationTimestamp"], dt.datetime)
        mode = "ON_DEMAND" if n.startswith("od-") else "PROVISIONED"
        assert s["StreamModeDetails"] == {"StreamMode": mode}


def test_list_streams_paging_with_limit_and_next_token(endpoint):
    c = account_client(endpoint)
    names = _make_streams(c, 5)
    seen = []
    r = c.list_streams(Limit=2)
    pages = [r]
    while r["HasMoreStreams"]:
        assert r["NextToken"]
        assert len(r["StreamNames"]) == 2
        r = c.list_streams(Limit=2, NextToken=r["NextToken"])
        pages.append(r)
    assert "NextToken" not in r
    for p in pages:
        seen += p["StreamNames"]
        assert [s["StreamName"] for s in p["StreamSummaries"]] == p["StreamNames"]
    assert [len(p["StreamNames"]) for p in pages] == [2, 2, 1]
    assert seen == names


def test_list_streams_limit_equal_to_count_has_no_more(endpoint):
    c = account_client(endpoint)
    names = _make_streams(c, 3)
    r = c.list_streams(Limit=3)
    assert r["StreamNames"] == names
    assert r["HasMoreStreams"] is False
    assert "NextToken" not in r


def test_list_streams_paging_with_exclusive_start_stream_name(endpoint):
    c = account_client(endpoint)
    names = _make_streams(c, 5)
    seen = []
    start = None
    while True:
        kwargs = {"Limit": 2}
        if start:
            kwargs["ExclusiveStartStreamName"] = start
        r = c.list_streams(**kwargs)
        seen += r["StreamNames"]
        if not r["HasMoreStreams"]:
            break
        start = r["StreamNames"][-1]
    assert seen == names
    # A start name that is not a stream: the listing resumes after where it would sort.
    r = c.list_streams(ExclusiveStartStreamName=names[1] + "0")
    assert r["StreamNames"] == names[2:]
    r = c.list_streams(ExclusiveStartStreamName=names[-1])
    assert r["StreamNames"] == [] and r["HasMoreStreams"] is False


def test_list_streams_paginator(endpoint):
    c = account_client(endpoint)
    names = _make_streams(c, 7)
    pages = list(c.get_paginator("list_streams").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["StreamNames"]) for p in pages] == [3, 3, 1]
    assert [n for p in pages for n in p["StreamNames"]] == names


def test_list_streams_returns_at_most_100(endpoint):
    # "The default value is 100. If you specify a value greater than 100, at most 100 results are
    # returned." (ListStreams, Limit)
    c = account_client(endpoint)
    names = sorted(f"many-{i:03d}" for i in range(105))
    for n in names:
        c.create_stream(StreamName=n, ShardCount=1)
    for kwargs in ({}, {"Limit": 1000}, {"Limit": 10000}):
        r = c.list_streams(**kwargs)
        assert r["StreamNames"] == names[:100], kwargs
        assert r["HasMoreStreams"] is True, kwargs
        assert "NextToken" in r, kwargs
        rest = c.list_streams(NextToken=r["NextToken"], **kwargs)
        assert rest["StreamNames"] == names[100:], kwargs
        assert rest["HasMoreStreams"] is False, kwargs


def test_list_streams_invalid_next_token(kinesis):
    with pytest.raises(ClientError) as e:
        kinesis.list_streams(NextToken="definitely-not-a-token")
    assert_client_error(e, "InvalidArgumentException", "Invalid NextToken.")


def test_list_streams_limit_out_of_range(raw_kinesis):
    with pytest.raises(ClientError) as e:
        raw_kinesis.list_streams(Limit=0)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")


# ---- ListShards ---------------------------------------------------------------------------------


def test_list_shards_matches_describe_stream(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    r = kinesis.list_shards(StreamName=stream_name)
    assert "NextToken" not in r
    assert r["Shards"] == kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]
    assert ids_of(r["Shards"]) == [shard_id(i) for i in range(5)]


def test_list_shards_paging_with_max_results_and_next_token(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    r = kinesis.list_shards(StreamName=stream_name, MaxResults=2)
    pages = [r]
    while "NextToken" in r:
        r = kinesis.list_shards(NextToken=r["NextToken"], MaxResults=2)
        pages.append(r)
    assert [ids_of(p["Shards"]) for p in pages] == [
        [shard_id(0), shard_id(1)], [shard_id(2), shard_id(3)], [shard_id(4)]]
    # A page size that divides the count exactly ends without a NextToken.
    r = kinesis.list_shards(StreamName=stream_name, MaxResults=5)
    assert len(r["Shards"]) == 5 and "NextToken" not in r
    # The token keeps the stream; a different MaxResults on the next page is honoured.
    r = kinesis.list_shards(StreamName=stream_name, MaxResults=1)
    r = kinesis.list_shards(NextToken=r["NextToken"], MaxResults=3)
    assert ids_of(r["Shards"]) == [shard_id(1), shard_id(2), shard_id(3)]
    assert "NextToken" in r
    r = kinesis.list_shards(NextToken=r["NextToken"])
    assert ids_of(r["Shards"]) == [shard_id(4)]
    assert "NextToken" not in r


def test_list_shards_paginator_single_page(kinesis, stream_name):
    # botocore's ListShards paginator resends StreamName with NextToken, which Kinesis rejects
    # (boto/botocore#2009), so it only works while everything fits on one page.
    kinesis.create_stream(StreamName=stream_name, ShardCount=7)
    pages = list(kinesis.get_paginator("list_shards").paginate(StreamName=stream_name))
    assert len(pages) == 1
    assert [s["ShardId"] for s in pages[0]["Shards"]] == [shard_id(i) for i in range(7)]


def test_list_shards_exclusive_start_shard_id(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    r = kinesis.list_shards(StreamName=stream_name, ExclusiveStartShardId=shard_id(2))
    assert ids_of(r["Shards"]) == [shard_id(3), shard_id(4)]
    r = kinesis.list_shards(StreamName=stream_name, ExclusiveStartShardId=shard_id(0), MaxResults=2)
    assert ids_of(r["Shards"]) == [shard_id(1), shard_id(2)]
    r = kinesis.list_shards(NextToken=r["NextToken"])
    assert ids_of(r["Shards"]) == [shard_id(3), shard_id(4)]
    r = kinesis.list_shards(StreamName=stream_name, ExclusiveStartShardId=shard_id(4))
    assert r["Shards"] == []


@pytest.mark.parametrize(
    "shard_filter, expected",
    [
        ({"Type": "AFTER_SHARD_ID", "ShardId": shard_id(1)}, [2, 3, 4]),
        ({"Type": "AFTER_SHARD_ID", "ShardId": shard_id(4)}, []),
        ({"Type": "AT_TRIM_HORIZON"}, [0, 1, 2, 3, 4]),
        ({"Type": "FROM_TRIM_HORIZON"}, [0, 1, 2, 3, 4]),
        ({"Type": "AT_LATEST"}, [0, 1, 2, 3, 4]),
        ({"Type": "AT_TIMESTAMP", "Timestamp": "past"}, [0, 1, 2, 3, 4]),
        ({"Type": "AT_TIMESTAMP", "Timestamp": "now"}, [0, 1, 2, 3, 4]),
        ({"Type": "AT_TIMESTAMP", "Timestamp": "future"}, [0, 1, 2, 3, 4]),
        ({"Type": "FROM_TIMESTAMP", "Timestamp": "past"}, [0, 1, 2, 3, 4]),
        ({"Type": "FROM_TIMESTAMP", "Timestamp": "now"}, [0, 1, 2, 3, 4]),
        ({"Type": "FROM_TIMESTAMP", "Timestamp": "future"}, [0, 1, 2, 3, 4]),
    ],
    ids=lambda v: v["Type"] + ("-" + str(v.get("Timestamp", v.get("ShardId", ""))) if len(v) > 1 else "")
    if isinstance(v, dict) else "",
)
def test_list_shards_shard_filter(kinesis, stream_name, shard_filter, expected):
    kinesis.create_stream(StreamName=stream_name, ShardCount=5)
    f = dict(shard_filter)
    now = dt.datetime.now(dt.timezone.utc)
    if "Timestamp" in f:
        f["Timestamp"] = {"past": now - dt.timedelta(days=3), "now": now,
                          "future": now + dt.timedelta(days=3)}[f["Timestamp"]]
    r = kinesis.list_shards(StreamName=stream_name, ShardFilter=f)
    assert ids_of(r["Shards"]) == [shard_id(i) for i in expected]
    assert ranges_of(r["Shards"]) == [expected_ranges(5)[i] for i in expected]
    # The filter travels in the NextToken.
    r = kinesis.list_shards(StreamName=stream_name, ShardFilter=f, MaxResults=1)
    got = ids_of(r["Shards"])
    while "NextToken" in r:
        r = kinesis.list_shards(NextToken=r["NextToken"], MaxResults=1)
        got += ids_of(r["Shards"])
    assert got == [shard_id(i) for i in expected]


def test_list_shards_returns_at_most_1000(eddy_factory):
    # "The default value is 1000. If you specify a value greater than 1000, at most 1000 results are
    # returned." (ListShards, MaxResults)
    p = eddy_factory("--shard-limit", "2000")
    c = make_client(p.endpoint)
    name = unique_name()
    c.create_stream(StreamName=name, ShardCount=1100)
    for kwargs in ({}, {"MaxResults": 5000}, {"MaxResults": 10000}):
        r = c.list_shards(StreamName=name, **kwargs)
        assert ids_of(r["Shards"]) == [shard_id(i) for i in range(1000)], kwargs
        assert "NextToken" in r, kwargs
        rest = c.list_shards(NextToken=r["NextToken"], **kwargs)
        assert ids_of(rest["Shards"]) == [shard_id(i) for i in range(1000, 1100)], kwargs
        assert "NextToken" not in rest, kwargs
    assert ranges_of(r["Shards"] + rest["Shards"]) == expected_ranges(1100)


def test_list_shards_filter_missing_companion_member(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamName=stream_name, ShardFilter={"Type": "AFTER_SHARD_ID"})
    assert_client_error(e, "InvalidArgumentException")
    for t in ("AT_TIMESTAMP", "FROM_TIMESTAMP"):
        with pytest.raises(ClientError) as e:
            kinesis.list_shards(StreamName=stream_name, ShardFilter={"Type": t})
        assert_client_error(e, "InvalidArgumentException")


def test_list_shards_filter_bad_type(raw_kinesis, stream_name):
    raw_kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    with pytest.raises(ClientError) as e:
        raw_kinesis.list_shards(StreamName=stream_name, ShardFilter={"Type": "SOMEWHERE"})
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value 'SOMEWHERE' at 'shardFilter.type' failed to satisfy constraint: "
        "Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, "
        "AT_TIMESTAMP, FROM_TIMESTAMP]")


def test_list_shards_stream_name_and_next_token(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    token = kinesis.list_shards(StreamName=stream_name, MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamName=stream_name, NextToken=token)
    assert_client_error(e, "InvalidArgumentException", "NextToken and StreamName cannot be provided together.")


def test_list_shards_neither_stream_name_nor_next_token(kinesis):
    with pytest.raises(ClientError) as e:
        kinesis.list_shards()
    assert_client_error(e, "InvalidArgumentException", "Either NextToken or StreamName should be provided.")


def test_list_shards_garbage_next_token(kinesis):
    for token in ("garbage", "bm90IGpzb24", "e30", "AAAA"):
        with pytest.raises(ClientError) as e:
            kinesis.list_shards(NextToken=token)
        assert_client_error(e, "InvalidArgumentException", "Invalid NextToken.")


def test_list_shards_next_token_from_list_streams_is_invalid(endpoint):
    c = account_client(endpoint)
    _make_streams(c, 2)
    token = c.list_streams(Limit=1)["NextToken"]
    with pytest.raises(ClientError) as e:
        c.list_shards(NextToken=token)
    assert_client_error(e, "InvalidArgumentException", "Invalid NextToken.")


def test_list_shards_next_token_with_exclusive_start_shard_id(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    token = kinesis.list_shards(StreamName=stream_name, MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(NextToken=token, ExclusiveStartShardId=shard_id(0))
    assert_client_error(e, "InvalidArgumentException")


def test_list_shards_not_found(kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_list_shards_wrong_creation_timestamp(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamName=stream_name,
                            StreamCreationTimestamp=dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc))
    assert_client_error(e, "ResourceNotFoundException")


def test_list_shards_max_results_out_of_range(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.list_shards(StreamName=stream_name, MaxResults=0)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")
    with pytest.raises(ClientError) as e:
        raw_kinesis.list_shards(StreamName=stream_name, MaxResults=10001)
    assert_client_error(
        e, "ValidationException",
        "1 validation error detected: Value '10001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000")


# ---- StreamARN in place of StreamName -----------------------------------------------------------


def test_stream_arn_in_place_of_stream_name(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    arn = arn_of(stream_name)
    d = kinesis.describe_stream(StreamARN=arn)["StreamDescription"]
    assert d["StreamName"] == stream_name and d["StreamARN"] == arn
    assert ids_of(d["Shards"]) == [shard_id(i) for i in range(3)]
    d = kinesis.describe_stream(StreamARN=arn, Limit=1, ExclusiveStartShardId=shard_id(0))["StreamDescription"]
    assert ids_of(d["Shards"]) == [shard_id(1)] and d["HasMoreShards"] is True
    s = kinesis.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
    assert s["StreamName"] == stream_name and s["OpenShardCount"] == 3
    r = kinesis.list_shards(StreamARN=arn, MaxResults=2)
    assert ids_of(r["Shards"]) == [shard_id(0), shard_id(1)]
    r = kinesis.list_shards(NextToken=r["NextToken"])
    assert ids_of(r["Shards"]) == [shard_id(2)]
    # Both, naming the same stream, is fine.
    d = kinesis.describe_stream_summary(StreamName=stream_name, StreamARN=arn)["StreamDescriptionSummary"]
    assert d["StreamName"] == stream_name
    kinesis.delete_stream(StreamARN=arn)
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream(StreamARN=arn)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_stream_arn_of_missing_stream(kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_summary(StreamARN=arn_of(stream_name))
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamARN=arn_of(stream_name))
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_stream_arn_and_different_stream_name(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_summary(StreamName=stream_name + "-other", StreamARN=arn_of(stream_name))
    assert_client_error(e, "InvalidArgumentException")


def test_list_shards_stream_arn_and_next_token(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    token = kinesis.list_shards(StreamName=stream_name, MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamARN=arn_of(stream_name), NextToken=token)
    # AWS names the member the caller sent (see aws/aws-cli#9635).
    assert_client_error(e, "InvalidArgumentException", "NextToken and StreamARN cannot be provided together.")


def test_malformed_stream_arn(raw_kinesis):
    with pytest.raises(ClientError) as e:
        raw_kinesis.describe_stream_summary(StreamARN="arn:aws:kinesis:us-east-1:123:stream/x")
    err = assert_client_error(e, "ValidationException", message_prefix="1 validation error detected: ")
    assert "at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern" in \
        err["Error"]["Message"]


# ---- DeleteStream -------------------------------------------------------------------------------


def test_delete_stream(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    resp = kinesis.delete_stream(StreamName=stream_name)
    assert set(resp) == {"ResponseMetadata"}
    for call in (kinesis.describe_stream, kinesis.describe_stream_summary, kinesis.list_shards):
        with pytest.raises(ClientError) as e:
            call(StreamName=stream_name)
        assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    assert stream_name not in kinesis.list_streams(ExclusiveStartStreamName=stream_name[:-1])["StreamNames"]
    with pytest.raises(ClientError) as e:
        kinesis.delete_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_delete_missing_stream(kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        kinesis.delete_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_delete_stream_enforce_consumer_deletion(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    kinesis.delete_stream(StreamName=stream_name, EnforceConsumerDeletion=True)
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_summary(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))


def test_recreate_after_delete(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    kinesis.delete_stream(StreamName=stream_name)
    kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    d = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamStatus"] == "ACTIVE"
    assert ids_of(d["Shards"]) == [shard_id(i) for i in range(3)]
    assert ranges_of(d["Shards"]) == expected_ranges(3)


# ---- DescribeLimits -----------------------------------------------------------------------------


def test_describe_limits_counts(endpoint):
    c = account_client(endpoint)
    r = c.describe_limits()
    assert {k: r[k] for k in ("ShardLimit", "OpenShardCount", "OnDemandStreamCount", "OnDemandStreamCountLimit")} \
        == {"ShardLimit": 500, "OpenShardCount": 0, "OnDemandStreamCount": 0, "OnDemandStreamCountLimit": 50}
    a, b, od = unique_name(), unique_name(), unique_name()
    c.create_stream(StreamName=a, ShardCount=3)
    c.create_stream(StreamName=b, ShardCount=7)
    c.create_stream(StreamName=od, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    r = c.describe_limits()
    assert r["ShardLimit"] == 500
    assert r["OpenShardCount"] == 14
    assert r["OnDemandStreamCount"] == 1
    assert r["OnDemandStreamCountLimit"] == 50
    c.delete_stream(StreamName=b)
    c.delete_stream(StreamName=od)
    r = c.describe_limits()
    assert r["OpenShardCount"] == 3
    assert r["OnDemandStreamCount"] == 0


# ---- isolation by account and region ------------------------------------------------------------


def test_account_isolation_via_access_key(client_factory, kinesis, stream_name):
    other = client_factory(access_key="111122223333")
    other.create_stream(StreamName=stream_name, ShardCount=2)
    d = other.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamARN"] == f"arn:aws:kinesis:us-east-1:111122223333:stream/{stream_name}"
    assert "111122223333" in d["StreamARN"]
    assert stream_name in other.list_streams(ExclusiveStartStreamName=stream_name[:-1])["StreamNames"]

    # Invisible to the default account.
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    with pytest.raises(ClientError) as e:
        kinesis.list_shards(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    assert stream_name not in kinesis.list_streams(ExclusiveStartStreamName=stream_name[:-1])["StreamNames"]

    # Errors name the caller's account.
    with pytest.raises(ClientError) as e:
        other.create_stream(StreamName=stream_name, ShardCount=1)
    assert_client_error(e, "ResourceInUseException",
                        f"Stream {stream_name} under account 111122223333 already exists.")
    missing = unique_name()
    with pytest.raises(ClientError) as e:
        other.describe_stream_summary(StreamName=missing)
    assert_client_error(e, "ResourceNotFoundException", not_found(missing, "111122223333"))

    # The default account can have its own stream of the same name.
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    assert kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["StreamARN"] == arn_of(stream_name)
    assert len(other.list_shards(StreamName=stream_name)["Shards"]) == 2
    assert len(kinesis.list_shards(StreamName=stream_name)["Shards"]) == 1

    # An ARN naming the other account does not reach across.
    with pytest.raises(ClientError) as e:
        kinesis.delete_stream(StreamARN=f"arn:aws:kinesis:us-east-1:111122223333:stream/{stream_name}")
    assert e.value.response["Error"]["Code"] in ("ResourceNotFoundException", "AccessDeniedException")
    assert len(other.list_shards(StreamName=stream_name)["Shards"]) == 2

    # Deleting one leaves the other.
    other.delete_stream(StreamName=stream_name)
    assert len(kinesis.list_shards(StreamName=stream_name)["Shards"]) == 1


def test_non_twelve_digit_access_key_uses_default_account(client_factory, stream_name):
    c = client_factory(access_key="AKIA1234567890")
    c.create_stream(StreamName=stream_name, ShardCount=1)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["StreamARN"] == \
        arn_of(stream_name)
    # Visible under the default credentials too: same account.
    assert client_factory().describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]


def test_region_isolation(client_factory, kinesis, stream_name):
    eu = client_factory(region="eu-west-1")
    eu.create_stream(StreamName=stream_name, ShardCount=2)
    d = eu.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert d["StreamARN"] == arn_of(stream_name, region="eu-west-1")
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_summary(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    assert stream_name not in kinesis.list_streams(ExclusiveStartStreamName=stream_name[:-1])["StreamNames"]
    # Same name in us-east-1 is a different stream.
    kinesis.create_stream(StreamName=stream_name, ShardCount=3)
    assert len(kinesis.list_shards(StreamName=stream_name)["Shards"]) == 3
    assert len(eu.list_shards(StreamName=stream_name)["Shards"]) == 2
    assert eu.list_shards(StreamARN=arn_of(stream_name, region="eu-west-1"))["Shards"]


def test_region_isolation_of_limits(endpoint):
    acct = fresh_account()
    east = account_client(endpoint, acct, region="us-east-1")
    west = account_client(endpoint, acct, region="us-west-2")
    east.create_stream(StreamName=unique_name(), ShardCount=4)
    assert east.describe_limits()["OpenShardCount"] == 4
    assert west.describe_limits()["OpenShardCount"] == 0
    assert west.list_streams()["StreamNames"] == []


# ---- shard limit (dedicated instance) -----------------------------------------------------------


def test_shard_limit_exceeded(eddy_factory):
    p = eddy_factory("--shard-limit", "5")
    c = make_client(p.endpoint)
    assert c.describe_limits()["ShardLimit"] == 5
    a = unique_name()
    c.create_stream(StreamName=a, ShardCount=3)
    b = unique_name()
    with pytest.raises(ClientError) as e:
        c.create_stream(StreamName=b, ShardCount=3)
    err = assert_client_error(
        e, "LimitExceededException",
        message_prefix="This request would exceed the shard limit for the account 000000000000 in us-east-1.")
    assert "Current shard count for the account: 3." in err["Error"]["Message"]
    assert "Limit: 5." in err["Error"]["Message"]
    # Nothing was created.
    with pytest.raises(ClientError) as e:
        c.describe_stream_summary(StreamName=b)
    assert_client_error(e, "ResourceNotFoundException", not_found(b))
    # Exactly at the limit is fine; one more is not.
    c.create_stream(StreamName=b, ShardCount=2)
    assert c.describe_limits()["OpenShardCount"] == 5
    with pytest.raises(ClientError) as e:
        c.create_stream(StreamName=unique_name(), ShardCount=1)
    assert_client_error(e, "LimitExceededException",
                        message_prefix="This request would exceed the shard limit for the account "
                                       "000000000000 in us-east-1.")
    # A single stream above the limit on its own.
    with pytest.raises(ClientError) as e:
        make_client(p.endpoint, access_key="222233334444").create_stream(StreamName=unique_name(), ShardCount=6)
    assert_client_error(e, "LimitExceededException",
                        message_prefix="This request would exceed the shard limit for the account "
                                       "222233334444 in us-east-1.")
    # Limits are per account and per region.
    make_client(p.endpoint, access_key="222233334444").create_stream(StreamName=unique_name(), ShardCount=5)
    make_client(p.endpoint, region="eu-central-1").create_stream(StreamName=unique_name(), ShardCount=5)
    with pytest.raises(ClientError) as e:
        make_client(p.endpoint, region="eu-central-1").create_stream(StreamName=unique_name(), ShardCount=1)
    assert_client_error(e, "LimitExceededException",
                        message_prefix="This request would exceed the shard limit for the account "
                                       "000000000000 in eu-central-1.")
    # Deleting frees the shards.
    c.delete_stream(StreamName=a)
    assert c.describe_limits()["OpenShardCount"] == 2
    c.create_stream(StreamName=unique_name(), ShardCount=3)


# ---- state transitions (dedicated instances) ----------------------------------------------------
# The 300 ms instances check the transition itself (boto3 waiters); what a stream answers while in
# CREATING or DELETING is checked on instances whose delay is long enough to never race the test.

FAST_WAIT = {"Delay": 0.1, "MaxAttempts": 100}


def test_creating_then_active(eddy_factory, stream_name):
    p = eddy_factory("--create-stream-ms", "300")
    c = make_client(p.endpoint)
    c.create_stream(StreamName=stream_name, ShardCount=2)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"][
        "StreamStatus"] == "CREATING"
    c.get_waiter("stream_exists").wait(StreamName=stream_name, WaiterConfig=FAST_WAIT)
    d = c.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamStatus"] == "ACTIVE"
    assert ids_of(d["Shards"]) == [shard_id(0), shard_id(1)]
    assert ranges_of(d["Shards"]) == expected_ranges(2)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["OpenShardCount"] == 2
    assert len(c.list_shards(StreamName=stream_name)["Shards"]) == 2
    c.delete_stream(StreamName=stream_name)


def test_while_creating(eddy_factory, stream_name):
    p = eddy_factory("--create-stream-ms", "600000")
    c = make_client(p.endpoint)
    c.create_stream(StreamName=stream_name, ShardCount=2)
    s = c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["StreamStatus"] == "CREATING"
    d = c.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["StreamStatus"] == "CREATING"
    assert d["Shards"] == []
    assert d["HasMoreShards"] is False
    listed = c.list_streams()["StreamSummaries"]
    assert [x["StreamStatus"] for x in listed if x["StreamName"] == stream_name] == ["CREATING"]
    with pytest.raises(ClientError) as e:
        c.list_shards(StreamName=stream_name)
    assert_client_error(e, "ResourceInUseException")
    with pytest.raises(ClientError) as e:
        c.delete_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceInUseException")
    with pytest.raises(ClientError) as e:
        c.create_stream(StreamName=stream_name, ShardCount=2)
    assert_client_error(e, "ResourceInUseException",
                        f"Stream {stream_name} under account {DEFAULT_ACCOUNT} already exists.")
    # At most five streams may be CREATING at once, per account.
    for _ in range(4):
        c.create_stream(StreamName=unique_name(), ShardCount=1)
    with pytest.raises(ClientError) as e:
        c.create_stream(StreamName=unique_name(), ShardCount=1)
    assert_client_error(e, "LimitExceededException")
    make_client(p.endpoint, access_key="333344445555").create_stream(StreamName=unique_name(), ShardCount=1)


def test_deleting_then_gone(eddy_factory, stream_name):
    p = eddy_factory("--delete-stream-ms", "300")
    c = make_client(p.endpoint)
    c.create_stream(StreamName=stream_name, ShardCount=2)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"
    c.delete_stream(StreamName=stream_name)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"][
        "StreamStatus"] == "DELETING"
    c.get_waiter("stream_not_exists").wait(StreamName=stream_name, WaiterConfig=FAST_WAIT)
    with pytest.raises(ClientError) as e:
        c.describe_stream_summary(StreamName=stream_name)
    assert_client_error(e, "ResourceNotFoundException", not_found(stream_name))
    assert stream_name not in c.list_streams()["StreamNames"]
    assert c.describe_limits()["OpenShardCount"] == 0
    # The name is free again.
    c.create_stream(StreamName=stream_name, ShardCount=1)
    assert c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"


def test_while_deleting(eddy_factory, stream_name):
    p = eddy_factory("--delete-stream-ms", "600000")
    c = make_client(p.endpoint)
    c.create_stream(StreamName=stream_name, ShardCount=2)
    c.delete_stream(StreamName=stream_name)
    s = c.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
    assert s["StreamStatus"] == "DELETING"
    assert c.describe_stream(StreamName=stream_name)["StreamDescription"]["StreamStatus"] == "DELETING"
    listed = c.list_streams()["StreamSummaries"]
    assert [x["StreamStatus"] for x in listed if x["StreamName"] == stream_name] == ["DELETING"]
    with pytest.raises(ClientError) as e:
        c.create_stream(StreamName=stream_name, ShardCount=1)
    assert_client_error(e, "ResourceInUseException")
    with pytest.raises(ClientError) as e:
        c.list_shards(StreamName=stream_name)
    assert_client_error(e, "ResourceInUseException")
    with pytest.raises(ClientError) as e:
        c.delete_stream(StreamName=stream_name)
    assert_client_error(e, "ResourceInUseException")

"""The CBOR wire (``application/x-amz-cbor-1.1``) by hand, as the AWS SDK for Java v2 speaks it, and the
Smithy RPC v2 CBOR route (``POST /service/Kinesis_20131202/operation/<Op>``).

Requests are built the Java SDK's way: Jackson's generator writes indefinite-length maps and arrays
(0xbf ... 0xff, 0x9f ... 0xff), blobs as byte strings (major type 2) and timestamps as tag 1 followed by an
integer of epoch MILLISECONDS (RFC 8949 says seconds; the SDK sends milliseconds). A few requests use
cbor2's definite-length encoding too, so both framings are covered.

Responses are decoded with tag 1 kept as a ``Tag1`` wrapper (cbor2 would otherwise turn it into a datetime,
assuming seconds), so every timestamp can be checked to be tag 1 + an integer of milliseconds (awsCbor) or
tag 1 + a float of seconds (RPC v2).

As in test_raw_protocol.py, the Authorization header only has to look like SigV4: the shared instance
checks its presence and shape, not the signature. An access key of 12 digits selects that account, which
gives the listing tests an account of their own.
"""

from __future__ import annotations

import base64
import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Optional

import cbor2
import pytest

from eddy_e2e import DEFAULT_ACCOUNT, SEQUENCE_NUMBER, arn_of, expected_ranges, fresh_account, shard_id, unique_name

CBOR_CT = "application/x-amz-cbor-1.1"
RPCV2_CT = "application/cbor"
SERVICE = "Kinesis_20131202"
RPCV2_PATH = f"/service/{SERVICE}/operation/"
AMZ_DATE = "20240101T000000Z"
ALL_BYTES = bytes(range(256))
# A timestamp must be within this of the test's clock (the server shares it) to count as "now".
NOW_SLACK_MS = 60_000


def auth(access_key: str = "AKIDEXAMPLE") -> str:
    return (f"AWS4-HMAC-SHA256 Credential={access_key}/20240101/us-east-1/kinesis/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc")


# ---- CBOR encoding and decoding -----------------------------------------------------------------


@dataclass(frozen=True)
class Tag1:
    """A tag-1 item as it was on the wire: ``value`` is the raw int or float that followed 0xc1."""

    value: Any


def _tag1(value, *_rest):
    # cbor2 6 hands a semantic decoder the already-decoded tagged value (and an `immutable` flag).
    return Tag1(value)


def decode(body: bytes):
    """CBOR -> Python, with tag 1 kept raw instead of cbor2's seconds-based datetime."""
    return cbor2.loads(body, semantic_decoders={1: _tag1})


def ts(ms: int) -> cbor2.CBORTag:
    """A timestamp as the Java SDK writes it: tag 1 + integer epoch milliseconds."""
    assert isinstance(ms, int)
    return cbor2.CBORTag(1, ms)


def java_cbor(value) -> bytes:
    """Encodes like the Java SDK's Jackson CBOR generator: maps and arrays with indefinite length (closed by
    0xff), text keys, byte strings for bytes, everything else (ints, text, tags, floats) via cbor2."""
    if isinstance(value, dict):
        return b"\xbf" + b"".join(cbor2.dumps(str(k)) + java_cbor(v) for k, v in value.items()) + b"\xff"
    if isinstance(value, (list, tuple)):
        return b"\x9f" + b"".join(java_cbor(v) for v in value) + b"\xff"
    if isinstance(value, cbor2.CBORTag):
        return cbor2.dumps(cbor2.CBORTag(value.tag, None))[:-1] + java_cbor(value.value)
    return cbor2.dumps(value)


def test_java_cbor_encoder_itself():
    """The helper writes what Jackson writes (checked bytes, so a cbor2 change cannot silently alter it)."""
    assert java_cbor({"a": [1, b"\x00"], "t": ts(1_700_000_000_123)}) == (
        b"\xbf" b"\x61a" b"\x9f\x01\x41\x00\xff" b"\x61t" b"\xc1\x1b\x00\x00\x01\x8b\xcf\xe5\x68\x7b" b"\xff")
    assert decode(b"\xc1\x1b\x00\x00\x01\x8b\xcf\xe5\x68\x7b") == Tag1(1_700_000_000_123)


# ---- transport ----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict  # lower-cased names
    body: bytes
    header_list: list = field(default_factory=list)

    @property
    def doc(self):
        return decode(self.body)


def post(endpoint: str, body: bytes, headers: dict, path: str = "/") -> Reply:
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        hdrs = dict(headers)
        hdrs["Content-Length"] = str(len(body))
        conn.request("POST", path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, data, r.getheaders())
    finally:
        conn.close()


def cbor_send(endpoint: str, op: str, payload, *, access_key: str = "AKIDEXAMPLE", java: bool = True) -> Reply:
    """One awsCbor call. `payload` is encoded Java-style (or with cbor2 when java=False); bytes go as they are."""
    if isinstance(payload, bytes):
        body = payload
    else:
        body = java_cbor(payload) if java else cbor2.dumps(payload)
    return post(endpoint, body, {
        "Content-Type": CBOR_CT,
        "X-Amz-Target": f"{SERVICE}.{op}",
        "Authorization": auth(access_key),
        "X-Amz-Date": AMZ_DATE,
        "Accept": CBOR_CT,
    })


def ok(r: Reply, content_type: str = CBOR_CT) -> dict:
    assert r.status == 200, (r.status, r.body, safe_decode(r.body))
    assert r.headers.get("content-type") == content_type, r.header_list
    assert r.headers.get("x-amzn-requestid"), r.header_list
    doc = r.doc
    assert isinstance(doc, dict), doc
    return doc


def safe_decode(body: bytes):
    try:
        return decode(body)
    except Exception as e:  # noqa: BLE001 - only for assertion messages
        return f"<not CBOR: {e}>"


def cbor_call(endpoint: str, op: str, payload, **kw) -> dict:
    return ok(cbor_send(endpoint, op, payload, **kw))


def assert_cbor_error(r: Reply, type_: str, message: Optional[str] = None, content_type: str = CBOR_CT,
                      has_message: bool = True, message_key: str = "message") -> dict:
    assert r.status == 400, (r.status, safe_decode(r.body))
    assert r.headers.get("content-type") == content_type, r.header_list
    assert r.headers.get("x-amzn-requestid"), r.header_list
    assert r.headers.get("x-amzn-errortype", "").split(":")[0] == type_, r.header_list
    doc = r.doc
    assert isinstance(doc, dict), doc
    assert doc["__type"] == type_, doc
    if has_message:
        assert set(doc) == {"__type", message_key}, doc
        assert isinstance(doc[message_key], str) and doc[message_key], doc
        if message is not None:
            assert doc[message_key] == message, doc
    else:
        assert doc == {"__type": type_}, doc
    return doc


def now_ms() -> int:
    return int(time.time() * 1000)


def assert_ms_timestamp(v, lo: Optional[int] = None, hi: Optional[int] = None) -> int:
    """Tag 1 + an integer of epoch milliseconds near now (or within [lo, hi])."""
    assert isinstance(v, Tag1), f"expected tag 1, got {v!r}"
    assert isinstance(v.value, int) and not isinstance(v.value, bool), f"tag 1 must wrap an integer: {v!r}"
    lo = now_ms() - NOW_SLACK_MS if lo is None else lo
    hi = now_ms() + NOW_SLACK_MS if hi is None else hi
    assert lo <= v.value <= hi, f"{v.value} is not epoch milliseconds in [{lo}, {hi}]"
    return v.value


def wait_for_clock_past(ms: int) -> None:
    """Polls the wall clock (the server shares it) until it is strictly past `ms`."""
    while time.time() * 1000 <= ms + 1:
        time.sleep(0.001)


def create_stream(endpoint: str, name: str, shards: int = 1, **kw) -> dict:
    assert cbor_call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": shards}, **kw) == {}
    return cbor_call(endpoint, "DescribeStream", {"StreamName": name}, **kw)["StreamDescription"]


def iterator(endpoint: str, name: str, type_: str, shard: str = shard_id(0), **extra) -> str:
    r = cbor_call(endpoint, "GetShardIterator", {"StreamName": name, "ShardId": shard, "ShardIteratorType": type_,
                                                 **extra})
    assert set(r) == {"ShardIterator"}, r
    assert isinstance(r["ShardIterator"], str) and r["ShardIterator"], r
    return r["ShardIterator"]


def read_all(endpoint: str, it: str) -> tuple[list[dict], str]:
    """GetRecords until an empty page; returns the records and the next iterator."""
    records: list[dict] = []
    for _ in range(1000):
        r = cbor_call(endpoint, "GetRecords", {"ShardIterator": it})
        assert isinstance(r["NextShardIterator"], str), r
        assert isinstance(r["MillisBehindLatest"], int), r
        records += r["Records"]
        it = r["NextShardIterator"]
        if not r["Records"]:
            return records, it
    pytest.fail("GetRecords never returned an empty page")


def data_of(records: list[dict]) -> list[bytes]:
    for rec in records:
        assert isinstance(rec["Data"], bytes), f"Data must be a CBOR byte string: {rec!r}"
    return [rec["Data"] for rec in records]


# ---- control plane ------------------------------------------------------------------------------


def test_create_describe_list_and_delete(endpoint):
    account = fresh_account()
    name = unique_name("cbor")
    before = now_ms()
    r = cbor_send(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 3}, access_key=account)
    assert ok(r) == {}
    assert r.body == b"\xa0" or r.body == b"\xbf\xff", r.body  # an empty map, in either framing

    d = cbor_call(endpoint, "DescribeStream", {"StreamName": name}, access_key=account)["StreamDescription"]
    assert d["StreamName"] == name
    assert d["StreamARN"] == arn_of(name, account)
    assert d["StreamStatus"] == "ACTIVE"
    assert d["HasMoreShards"] is False
    assert d["RetentionPeriodHours"] == 24
    created = assert_ms_timestamp(d["StreamCreationTimestamp"], before - 1000, now_ms() + 1000)
    assert [s["ShardId"] for s in d["Shards"]] == [shard_id(i) for i in range(3)]
    ranges = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in d["Shards"]]
    assert ranges == expected_ranges(3)
    for s in d["Shards"]:
        assert SEQUENCE_NUMBER.match(s["SequenceNumberRange"]["StartingSequenceNumber"]), s

    summary = cbor_call(endpoint, "DescribeStreamSummary", {"StreamName": name},
                        access_key=account)["StreamDescriptionSummary"]
    assert summary["StreamName"] == name
    assert summary["StreamARN"] == arn_of(name, account)
    assert summary["OpenShardCount"] == 3
    assert summary["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert summary["StreamCreationTimestamp"] == Tag1(created)

    # The same calls with cbor2's definite-length framing, and by ARN.
    again = cbor_call(endpoint, "DescribeStreamSummary", {"StreamARN": arn_of(name, account)}, access_key=account,
                      java=False)["StreamDescriptionSummary"]
    assert again == summary

    listed = cbor_call(endpoint, "ListStreams", {}, access_key=account)
    assert listed["StreamNames"] == [name]
    assert listed["HasMoreStreams"] is False
    [s] = listed["StreamSummaries"]
    assert s["StreamName"] == name
    assert s["StreamARN"] == arn_of(name, account)
    assert s["StreamStatus"] == "ACTIVE"
    assert s["StreamCreationTimestamp"] == Tag1(created)
    assert cbor_call(endpoint, "ListStreams", {"Limit": 1}, access_key=account, java=False)["StreamNames"] == [name]

    assert cbor_call(endpoint, "DeleteStream", {"StreamName": name}, access_key=account) == {}
    deadline = time.monotonic() + 10
    while True:
        r = cbor_send(endpoint, "DescribeStreamSummary", {"StreamName": name}, access_key=account)
        if r.status == 400:
            break
        assert r.status == 200 and r.doc["StreamDescriptionSummary"]["StreamStatus"] == "DELETING", r.doc
        assert time.monotonic() < deadline, "the stream never went away"
        time.sleep(0.01)
    assert_cbor_error(r, "ResourceNotFoundException", f"Stream {name} under account {account} not found.")
    assert cbor_call(endpoint, "ListStreams", {}, access_key=account)["StreamNames"] == []


def test_list_shards_timestamps(endpoint, stream_name):
    d = create_stream(endpoint, stream_name, 2)
    created = assert_ms_timestamp(d["StreamCreationTimestamp"])
    ids = [shard_id(0), shard_id(1)]

    def listed(payload, **kw) -> list[str]:
        r = cbor_call(endpoint, "ListShards", payload, **kw)
        assert "NextToken" not in r, r
        return [s["ShardId"] for s in r["Shards"]]

    assert listed({"StreamName": stream_name}) == ids
    for when in (created, now_ms()):
        assert listed({"StreamName": stream_name, "ShardFilter": {"Type": "AT_TIMESTAMP", "Timestamp": ts(when)}}) == ids
        assert listed({"StreamName": stream_name, "ShardFilter": {"Type": "FROM_TIMESTAMP", "Timestamp": ts(when)}},
                      java=False) == ids
    # StreamCreationTimestamp must match to the millisecond: a seconds/milliseconds mix-up cannot pass both.
    assert listed({"StreamName": stream_name, "StreamCreationTimestamp": ts(created)}) == ids
    r = cbor_send(endpoint, "ListShards", {"StreamName": stream_name, "StreamCreationTimestamp": ts(created + 1)})
    assert_cbor_error(r, "ResourceNotFoundException",
                      f"Stream {stream_name} under account {DEFAULT_ACCOUNT} with the given creation timestamp "
                      "not found.")
    # An untagged integer is milliseconds too.
    assert listed({"StreamName": stream_name, "StreamCreationTimestamp": created}) == ids


def test_describe_limits(endpoint):
    account = fresh_account()
    r = cbor_call(endpoint, "DescribeLimits", {}, access_key=account)
    assert r == {"ShardLimit": 500, "OpenShardCount": 0, "OnDemandStreamCount": 0, "OnDemandStreamCountLimit": 50}
    create_stream(endpoint, unique_name("cbor"), 2, access_key=account)
    assert cbor_call(endpoint, "DescribeLimits", {}, access_key=account)["OpenShardCount"] == 2


# ---- data plane ---------------------------------------------------------------------------------


def test_put_record_byte_string_and_base64_text(endpoint, stream_name):
    create_stream(endpoint, stream_name, 1)
    r1 = cbor_call(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "pk", "Data": ALL_BYTES})
    assert r1["ShardId"] == shard_id(0)
    assert SEQUENCE_NUMBER.match(r1["SequenceNumber"]), r1
    # Data as base64 TEXT (major type 3) is accepted and stored decoded.
    text = base64.b64encode(b"text \x00\xff base64").decode()
    r2 = cbor_call(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "pk", "Data": text}, java=False)
    assert int(r2["SequenceNumber"]) > int(r1["SequenceNumber"])

    before = now_ms()
    records, _ = read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))
    assert data_of(records) == [ALL_BYTES, b"text \x00\xff base64"]
    assert [r["SequenceNumber"] for r in records] == [r1["SequenceNumber"], r2["SequenceNumber"]]
    for rec in records:
        assert rec["PartitionKey"] == "pk"
        assert_ms_timestamp(rec["ApproximateArrivalTimestamp"], before - NOW_SLACK_MS, now_ms() + 1000)


def test_put_records_byte_strings_and_base64_text(endpoint, stream_name):
    create_stream(endpoint, stream_name, 2)
    entries = [
        {"PartitionKey": "a", "Data": ALL_BYTES},
        {"PartitionKey": "b", "Data": base64.b64encode(ALL_BYTES[::-1]).decode()},
        {"PartitionKey": "c", "Data": b"\x00", "ExplicitHashKey": "0"},
        {"PartitionKey": "d", "Data": base64.b64encode(b"last").decode(),
         "ExplicitHashKey": str((1 << 128) - 1)},
    ]
    r = cbor_call(endpoint, "PutRecords", {"StreamName": stream_name, "Records": entries})
    assert r["FailedRecordCount"] == 0, r
    assert len(r["Records"]) == 4
    for out in r["Records"]:
        assert SEQUENCE_NUMBER.match(out["SequenceNumber"]), out
    assert r["Records"][2]["ShardId"] == shard_id(0)
    assert r["Records"][3]["ShardId"] == shard_id(1)

    want = {
        r["Records"][i]["SequenceNumber"]: data
        for i, data in enumerate([ALL_BYTES, ALL_BYTES[::-1], b"\x00", b"last"])
    }
    got = {}
    for sh in (shard_id(0), shard_id(1)):
        for rec in read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON", sh))[0]:
            assert isinstance(rec["Data"], bytes), rec
            assert_ms_timestamp(rec["ApproximateArrivalTimestamp"])
            got[rec["SequenceNumber"]] = rec["Data"]
    assert got == want


def test_every_iterator_type(endpoint, stream_name):
    create_stream(endpoint, stream_name, 1)
    seqs = []
    for i in range(4):
        seqs.append(cbor_call(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "k",
                                                     "Data": bytes([i]) * 3})["SequenceNumber"])
    payloads = [bytes([i]) * 3 for i in range(4)]

    assert data_of(read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))[0]) == payloads
    assert data_of(read_all(endpoint, iterator(endpoint, stream_name, "AT_SEQUENCE_NUMBER",
                                               StartingSequenceNumber=seqs[1]))[0]) == payloads[1:]
    assert data_of(read_all(endpoint, iterator(endpoint, stream_name, "AFTER_SEQUENCE_NUMBER",
                                               StartingSequenceNumber=seqs[1]))[0]) == payloads[2:]
    got, latest = read_all(endpoint, iterator(endpoint, stream_name, "LATEST"))
    assert got == []
    cbor_call(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "k", "Data": b"after latest"})
    assert data_of(read_all(endpoint, latest)[0]) == [b"after latest"]
    first = read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))[0][0]
    at = assert_ms_timestamp(first["ApproximateArrivalTimestamp"])
    assert data_of(read_all(endpoint, iterator(endpoint, stream_name, "AT_TIMESTAMP", Timestamp=ts(at)))[0]) == \
        payloads + [b"after latest"]


def test_at_timestamp_is_milliseconds(endpoint, stream_name):
    """Batch 1, then (once the clock has passed its arrival) batch 2: AT_TIMESTAMP = arrival of batch 1 + 1 ms
    must give exactly batch 2, however the timestamp is written."""
    create_stream(endpoint, stream_name, 1)
    batch1 = [b"one-" + bytes([i]) for i in range(3)]
    batch2 = [b"two-" + bytes([i]) for i in range(2)]
    r = cbor_call(endpoint, "PutRecords", {"StreamName": stream_name,
                                           "Records": [{"PartitionKey": "k", "Data": d} for d in batch1]})
    assert r["FailedRecordCount"] == 0
    recs1, _ = read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))
    arrivals1 = [assert_ms_timestamp(rec["ApproximateArrivalTimestamp"]) for rec in recs1]
    first1, last1 = min(arrivals1), max(arrivals1)

    wait_for_clock_past(last1)
    r = cbor_call(endpoint, "PutRecords", {"StreamName": stream_name,
                                           "Records": [{"PartitionKey": "k", "Data": d} for d in batch2]})
    assert r["FailedRecordCount"] == 0
    everything, _ = read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))
    assert data_of(everything) == batch1 + batch2
    arrivals2 = [assert_ms_timestamp(rec["ApproximateArrivalTimestamp"]) for rec in everything[3:]]
    assert min(arrivals2) > last1 + 1, (arrivals1, arrivals2)

    def at(timestamp, java: bool = True) -> list[bytes]:
        r = cbor_send(endpoint, "GetShardIterator", {"StreamName": stream_name, "ShardId": shard_id(0),
                                                     "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": timestamp},
                      java=java)
        return data_of(read_all(endpoint, ok(r)["ShardIterator"])[0])

    boundary = last1 + 1
    # Tag 1 + integer milliseconds (the Java SDK).
    assert at(ts(boundary)) == batch2
    assert at(ts(first1)) == batch1 + batch2
    assert at(ts(max(arrivals2) + 1)) == []
    # An untagged integer is milliseconds as well.
    assert at(boundary) == batch2
    assert at(first1, java=False) == batch1 + batch2
    # A float is seconds (fractional seconds to the millisecond), tagged or not.
    assert round(boundary / 1000.0 * 1000) == boundary
    assert at(boundary / 1000.0) == batch2
    assert at(cbor2.CBORTag(1, boundary / 1000.0), java=False) == batch2
    assert at(first1 / 1000.0) == batch1 + batch2
    # Whole seconds written as a float, "1.7e9 style": before the stream, so everything.
    assert at(float(first1 // 1000 - 3600)) == batch1 + batch2
    assert at(1.7e9) == batch1 + batch2


# ---- errors -------------------------------------------------------------------------------------


def test_missing_stream_is_resource_not_found(endpoint):
    name = unique_name("missing")
    for op, payload in [("DescribeStream", {"StreamName": name}), ("DescribeStreamSummary", {"StreamName": name}),
                        ("DeleteStream", {"StreamName": name}),
                        ("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": b"x"})]:
        r = cbor_send(endpoint, op, payload)
        assert_cbor_error(r, "ResourceNotFoundException", f"Stream {name} under account {DEFAULT_ACCOUNT} not found.")


def test_shard_count_zero_is_validation_exception(endpoint, stream_name):
    r = cbor_send(endpoint, "CreateStream", {"StreamName": stream_name, "ShardCount": 0})
    assert_cbor_error(r, "ValidationException",
                      "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
                      "Member must have value greater than or equal to 1")


@pytest.mark.parametrize("body", [b"\xa1\x61", b"\xbf\x61a", b"\xff", b"\x82\x01\x02", b"\xa1\x01\x02",
                                  b"\xa0\xa0"], ids=["truncated-map", "unclosed-indefinite", "lone-break",
                                                     "array-not-map", "int-key", "trailing-item"])
def test_malformed_cbor_is_serialization_exception(endpoint, body):
    r = cbor_send(endpoint, "ListStreams", body)
    assert_cbor_error(r, "SerializationException", has_message=False)


def test_wrong_types_are_serialization_exceptions(endpoint, stream_name):
    """Type mismatches answer as in JSON: SerializationException with a capital-M "Message"."""
    r = cbor_send(endpoint, "CreateStream", {"StreamName": stream_name, "ShardCount": "1"})
    assert_cbor_error(r, "SerializationException", "class java.lang.String can not be converted to an Integer",
                      message_key="Message")
    create_stream(endpoint, stream_name, 1)
    r = cbor_send(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "k", "Data": "notbase64!!!"})
    assert_cbor_error(r, "SerializationException", message_key="Message")
    r = cbor_send(endpoint, "GetShardIterator", {"StreamName": stream_name, "ShardId": shard_id(0),
                                                 "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": "yesterday"})
    assert_cbor_error(r, "SerializationException", "class java.lang.String can not be converted to milliseconds",
                      message_key="Message")


def test_unknown_target_is_unknown_operation(endpoint):
    r = cbor_send(endpoint, "NoSuchOperation", {})
    assert_cbor_error(r, "UnknownOperationException", has_message=False)


# ---- Smithy RPC v2 CBOR -------------------------------------------------------------------------


def rpcv2(endpoint: str, op: str, payload, access_key: str = "AKIDEXAMPLE") -> Reply:
    return post(endpoint, payload if isinstance(payload, bytes) else cbor2.dumps(payload), {
        "smithy-protocol": "rpc-v2-cbor",
        "Content-Type": RPCV2_CT,
        "Accept": RPCV2_CT,
        "Authorization": auth(access_key),
        "X-Amz-Date": AMZ_DATE,
    }, path=RPCV2_PATH + op)


def rpcv2_ok(r: Reply) -> dict:
    doc = ok(r, RPCV2_CT)
    assert r.headers.get("smithy-protocol") == "rpc-v2-cbor", r.header_list
    return doc


def assert_seconds_timestamp(v, ms: int) -> float:
    """Tag 1 + a float of epoch seconds equal to `ms` milliseconds."""
    assert isinstance(v, Tag1), f"expected tag 1, got {v!r}"
    assert isinstance(v.value, float), f"RPC v2 timestamps are floats of seconds: {v!r}"
    assert round(v.value * 1000) == ms, (v.value, ms)
    return v.value


def test_rpcv2_list_streams_and_seconds_timestamps(endpoint):
    account = fresh_account()
    name = unique_name("rpcv2")
    r = rpcv2(endpoint, "ListStreams", {}, account)
    assert rpcv2_ok(r) == {"StreamNames": [], "HasMoreStreams": False, "StreamSummaries": []}

    created = create_stream(endpoint, name, 1, access_key=account)["StreamCreationTimestamp"].value
    listed = rpcv2_ok(rpcv2(endpoint, "ListStreams", {}, account))
    assert listed["StreamNames"] == [name]
    assert_seconds_timestamp(listed["StreamSummaries"][0]["StreamCreationTimestamp"], created)

    summary = rpcv2_ok(rpcv2(endpoint, "DescribeStreamSummary", {"StreamName": name},
                             account))["StreamDescriptionSummary"]
    assert summary["StreamARN"] == arn_of(name, account)
    secs = assert_seconds_timestamp(summary["StreamCreationTimestamp"], created)
    assert abs(secs - time.time()) < NOW_SLACK_MS / 1000

    # Timestamps going in are seconds here: tag 1 + float seconds, exact to the millisecond.
    r = rpcv2(endpoint, "ListShards", {"StreamName": name, "StreamCreationTimestamp": cbor2.CBORTag(1, secs)}, account)
    assert [s["ShardId"] for s in rpcv2_ok(r)["Shards"]] == [shard_id(0)]

    # An empty body is an empty input.
    assert rpcv2_ok(rpcv2(endpoint, "ListStreams", b"", account))["StreamNames"] == [name]


def test_rpcv2_records(endpoint, stream_name):
    create_stream(endpoint, stream_name, 1)
    put = rpcv2_ok(rpcv2(endpoint, "PutRecord", {"StreamName": stream_name, "PartitionKey": "k", "Data": ALL_BYTES}))
    it = rpcv2_ok(rpcv2(endpoint, "GetShardIterator", {"StreamName": stream_name, "ShardId": shard_id(0),
                                                       "ShardIteratorType": "TRIM_HORIZON"}))["ShardIterator"]
    got = rpcv2_ok(rpcv2(endpoint, "GetRecords", {"ShardIterator": it}))
    [rec] = got["Records"]
    assert rec["Data"] == ALL_BYTES
    assert rec["SequenceNumber"] == put["SequenceNumber"]
    # The same record over awsCbor gives the arrival in milliseconds; RPC v2 says the same in seconds.
    [same] = read_all(endpoint, iterator(endpoint, stream_name, "TRIM_HORIZON"))[0]
    assert_seconds_timestamp(rec["ApproximateArrivalTimestamp"], assert_ms_timestamp(same["ApproximateArrivalTimestamp"]))


def test_rpcv2_errors(endpoint):
    r = rpcv2(endpoint, "NoSuchOperation", {})
    assert_cbor_error(r, "UnknownOperationException", content_type=RPCV2_CT, has_message=False)
    assert r.headers.get("smithy-protocol") == "rpc-v2-cbor"
    r = rpcv2(endpoint, "ListStreams", b"\xa1\x61")
    assert_cbor_error(r, "SerializationException", content_type=RPCV2_CT, has_message=False)
    name = unique_name("missing")
    r = rpcv2(endpoint, "DescribeStreamSummary", {"StreamName": name})
    assert_cbor_error(r, "ResourceNotFoundException", f"Stream {name} under account {DEFAULT_ACCOUNT} not found.",
                      content_type=RPCV2_CT)

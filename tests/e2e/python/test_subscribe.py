"""SubscribeToShard (enhanced fan-out) over HTTP/1.1: through boto3, and by hand on a raw socket.

What a consumer must see, as AWS behaves:

* the answer is HTTP 200, ``application/vnd.amazon.eventstream``, chunked; the body is eventstream frames
  (both CRCs right), an ``initial-response`` first, then ``SubscribeToShardEvent`` events;
* records are pushed as they are appended (well before the 5 s heartbeat), an idle shard still gets an
  empty event about every 5 s, and each StartingPosition type starts at the record AWS documents;
* ContinuationSequenceNumber lets a consumer resubscribe (AFTER_SEQUENCE_NUMBER) without gaps or
  duplicates, across streams that end at --subscription-lifetime-ms;
* errors found before streaming are ordinary JSON errors; a second subscription for the same consumer and
  shard is refused for 5 s, then takes over and the old stream gets an in-stream ResourceInUseException;
  deregistering the consumer ends its streams with an in-stream ResourceNotFoundException;
* a consumer that stops reading does not make the server buffer what it has not read (RSS compared with
  an instance that stores the same records with no subscriber), and later gets every record in order;
* the same request with a CBOR body streams the same JSON events; SIGTERM with streams open exits 0.

The raw requests carry an Authorization header that only looks like SigV4, as in test_raw_protocol.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
import struct
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from typing import Iterator, Optional

import boto3
import cbor2
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

from eddy_e2e import (
    ACCESS_KEY,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    SECRET_KEY,
    SEQUENCE_NUMBER,
    EddyProcess,
    arn_of,
    shard_id,
)

MIB = 1 << 20
SHARD0 = shard_id(0)
JSON_CT = "application/x-amz-json-1.1"
CBOR_CT = "application/x-amz-cbor-1.1"
EVENTSTREAM_CT = "application/vnd.amazon.eventstream"
AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc")
HEARTBEAT_S = 5.0
EXCLUSIVE_S = 5.0
SHORT_LIFETIME_MS = 1500


# ---- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_lived(eddy_log_dir):
    """An instance whose subscriptions end after SHORT_LIFETIME_MS, for tests that need the end."""
    p = EddyProcess("--in-memory", "--subscription-lifetime-ms", str(SHORT_LIFETIME_MS), log_dir=eddy_log_dir).start()
    yield p
    p.terminate_ok()


_clients: dict = {}


def client(endpoint: str):
    """A boto3 client whose socket reads give up after 10 s: a live stream sends at least every 5 s, so a
    longer silence is a failure, not something to wait out. It sends timestamps with millisecond precision
    (boto3 truncates Kinesis timestamps to whole seconds by default). Cached per endpoint (building one is
    slow)."""
    if endpoint not in _clients:
        session = boto3.session.Session()

        def millis(serializer_kwargs, **_):
            serializer_kwargs["timestamp_precision"] = "millisecond"

        session._session.register("creating-serializer.kinesis", millis)
        cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=10)
        _clients[endpoint] = session.client(
            "kinesis", endpoint_url=endpoint, region_name=DEFAULT_REGION, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, config=cfg)
    return _clients[endpoint]


@pytest.fixture
def kin(endpoint):
    return client(endpoint)


# ---- helpers ------------------------------------------------------------------------------------


def make_stream(k, name: str, consumers: list[str], shards: int = 1) -> list[str]:
    """A stream with `consumers` registered; returns their ARNs."""
    k.create_stream(StreamName=name, ShardCount=shards)
    return [k.register_stream_consumer(StreamARN=arn_of(name), ConsumerName=c)["Consumer"]["ConsumerARN"]
            for c in consumers]


def put(k, name: str, datas: list[bytes], key: str = "pk") -> list[str]:
    """PutRecord one by one; returns the sequence numbers."""
    return [k.put_record(StreamName=name, Data=d, PartitionKey=key)["SequenceNumber"] for d in datas]


def subscribe(k, arn: str, shard: str = SHARD0, **position):
    """SubscribeToShard; `position` is the StartingPosition (Type=..., SequenceNumber=..., Timestamp=...).
    Returns (response, iterator over its SubscribeToShardEvent payloads)."""
    r = k.subscribe_to_shard(ConsumerARN=arn, ShardId=shard, StartingPosition=position)
    return r, (ev["SubscribeToShardEvent"] for ev in r["EventStream"])


def take_records(events: Iterator[dict], want: int, timeout: float = 10.0) -> tuple[list[dict], list[dict]]:
    """Reads events until `want` records came (or fails at the deadline); returns (records, events)."""
    deadline = time.monotonic() + timeout
    records, seen = [], []
    while len(records) < want:
        assert time.monotonic() < deadline, f"only {len(records)} of {want} records within {timeout}s: {seen}"
        e = next(events)
        seen.append(e)
        records += e["Records"]
    return records, seen


def check_event(e: dict) -> None:
    """The shape of every SubscribeToShardEvent: continuation = the last record delivered, when any."""
    assert set(e) == {"Records", "ContinuationSequenceNumber", "MillisBehindLatest"}, e
    assert SEQUENCE_NUMBER.match(e["ContinuationSequenceNumber"]), e
    assert isinstance(e["MillisBehindLatest"], int) and e["MillisBehindLatest"] >= 0, e
    if e["Records"]:
        assert e["ContinuationSequenceNumber"] == e["Records"][-1]["SequenceNumber"], e


def seqs(records: list[dict]) -> list[str]:
    return [r["SequenceNumber"] for r in records]


def error_of(exc: ClientError) -> tuple[str, str]:
    return exc.response["Error"]["Code"], exc.response["Error"].get("Message", "")


def expect_error(fn, code: str, message: Optional[str] = None, **kw) -> str:
    with pytest.raises(ClientError) as e:
        fn(**kw)
    got_code, got_msg = error_of(e.value)
    assert not isinstance(e.value, EventStreamError), "an error before streaming must be a plain response"
    assert got_code == code, e.value.response
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.value.response
    if message is not None:
        assert got_msg == message, e.value.response
    return got_msg


def stream_error(events: Iterator[dict], timeout: float) -> tuple[EventStreamError, list[dict], float]:
    """Reads events until the stream raises an in-stream exception; returns it, the events before it, and
    the monotonic time it arrived. Fails if the stream ends cleanly or nothing comes within `timeout`."""
    deadline = time.monotonic() + timeout
    before = []
    try:
        for e in events:
            before.append(e)
            assert time.monotonic() < deadline, f"no in-stream error within {timeout}s: {before}"
    except EventStreamError as err:
        return err, before, time.monotonic()
    pytest.fail(f"the stream ended without an in-stream error: {before}")


def wait_for_clock_past(ms: float) -> None:
    """Polls the wall clock (the server shares it) until it is strictly past millisecond `ms`."""
    while time.time() * 1000 <= int(ms) + 1:
        time.sleep(0.001)


def rss_bytes(p: EddyProcess) -> int:
    with open(f"/proc/{p.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# ---- raw HTTP/1.1 and eventstream ---------------------------------------------------------------


@dataclass
class Frame:
    headers: dict
    payload: bytes

    def json(self):
        return json.loads(self.payload)


def decode_frame(buf: bytes) -> tuple[Optional[Frame], int]:
    """The first eventstream message in `buf`, checking both CRCs; (None, 0) when it is not all there."""
    if len(buf) < 12:
        return None, 0
    total, headers_len, prelude_crc = struct.unpack(">III", buf[:12])
    assert zlib.crc32(buf[:8]) == prelude_crc, f"bad prelude CRC: {buf[:12].hex()}"
    assert 16 + headers_len <= total, (total, headers_len)
    if len(buf) < total:
        return None, 0
    (message_crc,) = struct.unpack(">I", buf[total - 4:total])
    assert zlib.crc32(buf[:total - 4]) == message_crc, "bad message CRC"
    headers, i, end = {}, 12, 12 + headers_len
    while i < end:
        n = buf[i]
        name = buf[i + 1:i + 1 + n].decode()
        i += 1 + n
        assert buf[i] == 7, f"header {name} has type {buf[i]}, not string"
        (vlen,) = struct.unpack(">H", buf[i + 1:i + 3])
        headers[name] = buf[i + 3:i + 3 + vlen].decode()
        i += 3 + vlen
    assert i == end, "headers overrun their length"
    return Frame(headers, bytes(buf[end:total - 4])), total


def sample_frame() -> bytes:
    """A well-formed two-header message, for checking decode_frame itself."""
    headers = b"".join(bytes([len(n)]) + n + b"\x07" + struct.pack(">H", len(v)) + v
                       for n, v in ((b":message-type", b"event"), (b":event-type", b"x")))
    payload = b"{}"
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", zlib.crc32(body))


class RawConnection:
    """One HTTP/1.1 connection on a plain socket, so the chunked framing itself can be checked."""

    def __init__(self, endpoint: str, rcvbuf: Optional[int] = None, timeout: float = 10.0):
        u = urllib.parse.urlsplit(endpoint)
        self.host = f"{u.hostname}:{u.port}"
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:  # before connect, so the advertised window stays small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((u.hostname, u.port))
        self.f = self.sock.makefile("rb")
        self.chunk_sizes: list[int] = []
        self.body_ended = False

    def close(self) -> None:
        self.f.close()
        self.sock.close()

    def send(self, op: str, payload, content_type: str = JSON_CT) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        head = (f"POST / HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: {content_type}\r\n"
                f"X-Amz-Target: Kinesis_20131202.{op}\r\nAuthorization: {AUTH}\r\n"
                f"X-Amz-Date: 20240101T000000Z\r\nContent-Length: {len(body)}\r\n\r\n")
        self.sock.sendall(head.encode() + body)

    def read_head(self) -> tuple[int, dict]:
        status_line = self.f.readline().decode()
        assert status_line.startswith("HTTP/1.1 "), status_line
        headers = {}
        while (line := self.f.readline().decode()) != "\r\n":
            assert line.endswith("\r\n") and ":" in line, line
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers

    def read_sized_body(self, headers: dict) -> bytes:
        return self.f.read(int(headers["content-length"]))

    def chunks(self) -> Iterator[bytes]:
        """The chunked body's pieces, checking each size line and CRLF; ends at the last (0) chunk."""
        while True:
            line = self.f.readline()
            assert line.endswith(b"\r\n"), f"bad chunk size line {line!r}"
            size = int(line[:-2].split(b";")[0], 16)
            if size == 0:
                assert self.f.readline() == b"\r\n", "no CRLF after the last chunk (trailers are not expected)"
                self.body_ended = True
                return
            data = self.f.read(size)
            assert len(data) == size, "connection closed inside a chunk"
            assert self.f.read(2) == b"\r\n", "chunk data not followed by CRLF"
            self.chunk_sizes.append(size)
            yield data

    def frames(self) -> Iterator[Frame]:
        """The eventstream messages of the chunked body (they may span chunks); nothing may be left over."""
        buf = bytearray()
        for data in self.chunks():
            buf += data
            while True:
                frame, used = decode_frame(buf)
                if frame is None:
                    break
                del buf[:used]
                yield frame
        assert not buf, f"{len(buf)} bytes after the last whole message"


def subscribe_request(arn: str, shard: str = SHARD0, **position) -> dict:
    return {"ConsumerARN": arn, "ShardId": shard, "StartingPosition": position}


def raw_subscribe(endpoint: str, payload, content_type: str = JSON_CT, rcvbuf: Optional[int] = None):
    """Sends SubscribeToShard on a fresh raw connection and checks the streaming head; returns the
    connection, its headers and its frame iterator, positioned after the initial-response."""
    c = RawConnection(endpoint, rcvbuf=rcvbuf)
    c.send("SubscribeToShard", payload, content_type)
    status, headers = c.read_head()
    assert status == 200, (status, headers, c.f.read1(4096))
    assert headers["content-type"] == EVENTSTREAM_CT, headers
    assert headers["transfer-encoding"] == "chunked", headers
    assert "content-length" not in headers, headers
    assert headers.get("x-amzn-requestid"), headers
    frames = c.frames()
    first = next(frames)
    assert first.headers == {":message-type": "event", ":event-type": "initial-response",
                             ":content-type": "application/json"}, first.headers
    assert first.json() == {}, first.payload
    return c, headers, frames


def check_raw_event(f: Frame) -> dict:
    assert f.headers == {":message-type": "event", ":event-type": "SubscribeToShardEvent",
                         ":content-type": "application/json"}, f.headers
    e = f.json()
    check_event(e)
    for r in e["Records"]:
        assert set(r) == {"SequenceNumber", "ApproximateArrivalTimestamp", "Data", "PartitionKey"}, r
        assert isinstance(r["ApproximateArrivalTimestamp"], (int, float)), r
        r["Data"] = base64.b64decode(r["Data"], validate=True)
    return e


# ---- boto3: what a consumer sees ----------------------------------------------------------------


def test_records_are_pushed_as_they_are_appended(kin, stream_name):
    (arn,) = make_stream(kin, stream_name, ["pushed"])
    r, events = subscribe(kin, arn, Type="LATEST")
    meta = r["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["HTTPHeaders"]["content-type"] == EVENTSTREAM_CT
    assert meta["HTTPHeaders"]["transfer-encoding"] == "chunked"
    assert "content-length" not in meta["HTTPHeaders"]
    for i in range(3):
        before = dt.datetime.now(dt.timezone.utc)
        sent = time.monotonic()
        (seq,) = put(kin, stream_name, [f"push-{i}".encode()], key=f"key-{i}")
        e = next(events)
        waited = time.monotonic() - sent
        # No poll interval and no heartbeat: the append itself wakes the subscription.
        assert waited < 1.0, f"record {i} took {waited:.2f}s to arrive"
        check_event(e)
        assert e["MillisBehindLatest"] == 0, e
        (rec,) = e["Records"]
        assert rec["SequenceNumber"] == seq and rec["Data"] == f"push-{i}".encode()
        assert rec["PartitionKey"] == f"key-{i}"
        arrival = rec["ApproximateArrivalTimestamp"]
        assert before - dt.timedelta(seconds=1) <= arrival <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    r["EventStream"].close()


def test_every_starting_position(kin, stream_name):
    kinds = ["TRIM_HORIZON", "AT_SEQ", "AFTER_SEQ", "AT_TS", "OLD_TS", "LATEST", "AFTER_LAST"]
    arns = dict(zip(kinds, make_stream(kin, stream_name, kinds)))
    sent = put(kin, stream_name, [f"r{i}".encode() for i in range(3)])
    wait_for_clock_past(time.time() * 1000)  # so records 3.. arrive strictly later than 0..2
    sent += put(kin, stream_name, [f"r{i}".encode() for i in range(3, 6)])

    r, events = subscribe(kin, arns["TRIM_HORIZON"], Type="TRIM_HORIZON")
    everything, evs = take_records(events, 6)
    r["EventStream"].close()
    assert seqs(everything) == sent and [x["Data"] for x in everything] == [f"r{i}".encode() for i in range(6)]
    for e in evs:
        check_event(e)
    arrivals = [x["ApproximateArrivalTimestamp"].astimezone(dt.timezone.utc) for x in everything]
    assert arrivals == sorted(arrivals) and arrivals[2] < arrivals[3], arrivals

    def first_at_or_after(ts):
        return next(i for i, a in enumerate(arrivals) if a >= ts)

    ts = arrivals[3]
    cases = {
        "AT_SEQ": ({"Type": "AT_SEQUENCE_NUMBER", "SequenceNumber": sent[2]}, sent[2:]),
        "AFTER_SEQ": ({"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": sent[2]}, sent[3:]),
        "AT_TS": ({"Type": "AT_TIMESTAMP", "Timestamp": ts}, sent[first_at_or_after(ts):]),
        "OLD_TS": ({"Type": "AT_TIMESTAMP", "Timestamp": arrivals[0] - dt.timedelta(days=1)}, sent),
    }
    for kind, (position, want) in cases.items():
        r, events = subscribe(kin, arns[kind], **position)
        got, evs = take_records(events, len(want))
        r["EventStream"].close()
        assert seqs(got) == want, (kind, position)
        for e in evs:
            check_event(e)

    # LATEST, and AFTER the newest record: nothing old, then exactly what is appended next.
    latest_r, latest = subscribe(kin, arns["LATEST"], Type="LATEST")
    after_r, after = subscribe(kin, arns["AFTER_LAST"], Type="AFTER_SEQUENCE_NUMBER", SequenceNumber=sent[-1])
    new = put(kin, stream_name, [b"new"])
    for r, events in ((latest_r, latest), (after_r, after)):
        got, evs = take_records(events, 1)
        r["EventStream"].close()
        assert seqs(got) == new and got[0]["Data"] == b"new"


def test_idle_shard_gets_an_empty_event_every_5s(kin, stream_name):
    # Two idle subscriptions, watched over the same 5 s: one on an empty shard from TRIM_HORIZON, one at
    # LATEST on a shard that already has records.
    (empty_arn,) = make_stream(kin, stream_name, ["idle"])
    (busy_arn,) = make_stream(kin, stream_name + "-b", ["idle"])
    old = put(kin, stream_name + "-b", [b"old-1", b"old-2"])
    start_seq = kin.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"][0][
        "SequenceNumberRange"]["StartingSequenceNumber"]
    subs = {"empty": subscribe(kin, empty_arn, Type="TRIM_HORIZON"), "busy": subscribe(kin, busy_arn, Type="LATEST")}
    t0 = time.monotonic()
    heartbeats = {}
    for which, (_, events) in subs.items():
        heartbeats[which] = next(events)
        waited = time.monotonic() - t0
        assert HEARTBEAT_S - 0.5 <= waited <= HEARTBEAT_S + 2, f"{which}: first empty event after {waited:.2f}s"
        check_event(heartbeats[which])
    for r, _ in subs.values():
        r["EventStream"].close()
    # Nothing delivered yet: the continuation is the position just before the start, i.e. the shard's
    # starting sequence number on an empty shard, and the newest record for LATEST.
    assert heartbeats["empty"] == {"Records": [], "ContinuationSequenceNumber": start_seq, "MillisBehindLatest": 0}
    assert heartbeats["busy"] == {"Records": [], "ContinuationSequenceNumber": old[-1], "MillisBehindLatest": 0}

    # Resuming after it gives exactly what came later: no gap at the first record, no old duplicates. More
    # than 5 s have passed since the first subscriptions, so the same consumers may subscribe again.
    for name, arn, which in ((stream_name, empty_arn, "empty"), (stream_name + "-b", busy_arn, "busy")):
        later = put(kin, name, [b"later"])
        r, events = subscribe(kin, arn, Type="AFTER_SEQUENCE_NUMBER",
                              SequenceNumber=heartbeats[which]["ContinuationSequenceNumber"])
        got, _ = take_records(events, 1)
        r["EventStream"].close()
        assert seqs(got) == later, which


def test_resubscribing_at_the_continuation_has_no_gaps_or_duplicates(short_lived, stream_name):
    k = client(short_lived.endpoint)
    (arn,) = make_stream(k, stream_name, ["resumer"])
    produced: list[str] = []
    stop = threading.Event()
    producer_error: list[BaseException] = []

    def produce():
        pk = client(short_lived.endpoint)  # botocore clients are thread-safe; one per thread anyway
        i = 0
        try:
            while not stop.is_set():
                out = pk.put_records(StreamName=stream_name,
                                     Records=[{"Data": f"{i + j}".encode(), "PartitionKey": "pk"} for j in range(5)])
                assert out["FailedRecordCount"] == 0, out
                produced.extend(x["SequenceNumber"] for x in out["Records"])
                i += 5
        except BaseException as exc:  # reported by the main thread
            producer_error.append(exc)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    delivered: list[dict] = []
    subscriptions = 0
    position = {"Type": "TRIM_HORIZON"}
    deadline = time.monotonic() + 20
    try:
        while True:
            assert time.monotonic() < deadline, f"{len(delivered)} of {len(produced)} records delivered"
            t0 = time.monotonic()
            r, events = subscribe(k, arn, **position)
            subscriptions += 1
            last = None
            for e in events:  # ends cleanly when the lifetime is over
                check_event(e)
                delivered += e["Records"]
                if last is not None:
                    assert int(e["ContinuationSequenceNumber"]) >= int(last["ContinuationSequenceNumber"])
                last = e
            lived = time.monotonic() - t0
            assert SHORT_LIFETIME_MS / 1000 - 0.2 <= lived <= SHORT_LIFETIME_MS / 1000 + 2, lived
            if last is not None:
                position = {"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last["ContinuationSequenceNumber"]}
            if subscriptions == 2:  # two ends crossed while producing; the third gets the rest
                stop.set()
                producer.join(10)
            if stop.is_set() and not producer.is_alive() and len(delivered) >= len(produced):
                break
    finally:
        stop.set()
        producer.join(10)
    assert not producer_error, producer_error
    assert len(produced) > 100, "the producer hardly ran"
    assert seqs(delivered) == produced  # same order, nothing missing, nothing twice
    assert [x["Data"] for x in delivered] == [f"{i}".encode() for i in range(len(produced))]


def test_errors_before_streaming(kin, raw_kinesis, stream_name):
    (arn,) = make_stream(kin, stream_name, ["checked"])
    sent = put(kin, stream_name, [b"x"])
    acct = DEFAULT_ACCOUNT
    consumer_arn_prefix = arn.rsplit("/consumer/", 1)[0]
    sub = kin.subscribe_to_shard
    expect_error(sub, "ResourceNotFoundException",
                 f"Consumer nobody under stream {stream_name} and account {acct} not found.",
                 ConsumerARN=f"{consumer_arn_prefix}/consumer/nobody:1700000000", ShardId=SHARD0,
                 StartingPosition={"Type": "LATEST"})
    expect_error(sub, "ResourceNotFoundException",
                 ConsumerARN=arn.replace(stream_name, stream_name + "-gone"), ShardId=SHARD0,
                 StartingPosition={"Type": "LATEST"})
    expect_error(sub, "ResourceNotFoundException",
                 f"Shard {shard_id(7)} in stream {stream_name} under account {acct} does not exist",
                 ConsumerARN=arn, ShardId=shard_id(7), StartingPosition={"Type": "LATEST"})
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        expect_error(sub, "InvalidArgumentException",
                     "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber "
                     "or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                     f"{kind} and no StartingSequenceNumber.",
                     ConsumerARN=arn, ShardId=SHARD0, StartingPosition={"Type": kind})
    expect_error(sub, "InvalidArgumentException",
                 ConsumerARN=arn, ShardId=SHARD0, StartingPosition={"Type": "TRIM_HORIZON", "SequenceNumber": sent[0]})
    msg = expect_error(sub, "InvalidArgumentException", ConsumerARN=arn, ShardId=SHARD0,
                       StartingPosition={"Type": "AT_TIMESTAMP",
                                         "Timestamp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)})
    assert msg.startswith("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis."), msg
    expect_error(raw_kinesis.subscribe_to_shard, "ValidationException", ConsumerARN=arn, ShardId=SHARD0,
                 StartingPosition={"Type": "SOMEWHERE"})
    # None of the refused calls took the consumer's lease: a real subscription still works at once.
    r, events = subscribe(kin, arn, Type="TRIM_HORIZON")
    got, _ = take_records(events, 1)
    r["EventStream"].close()
    assert seqs(got) == sent


def test_consumer_still_creating_is_in_use(eddy_factory, stream_name):
    p = eddy_factory("--create-consumer-ms", "60000")
    k = client(p.endpoint)
    k.create_stream(StreamName=stream_name, ShardCount=1)
    c = k.register_stream_consumer(StreamARN=arn_of(stream_name), ConsumerName="slow")["Consumer"]
    assert c["ConsumerStatus"] == "CREATING"
    msg = expect_error(k.subscribe_to_shard, "ResourceInUseException", ConsumerARN=c["ConsumerARN"], ShardId=SHARD0,
                       StartingPosition={"Type": "LATEST"})
    assert msg.startswith("Consumer slow ") and msg.endswith(" is not in ACTIVE status."), msg
    assert stream_name in msg and DEFAULT_ACCOUNT in msg, msg


def test_second_subscription_is_refused_for_5s_then_takes_over(kin, stream_name):
    first_arn, other_arn = make_stream(kin, stream_name, ["owner", "other"], shards=2)
    asked = time.monotonic()
    old_r, old = subscribe(kin, first_arn, Type="LATEST")
    in_use = f"Another active subscription exists for this consumer: {DEFAULT_ACCOUNT}:{stream_name}:{SHARD0}:owner"
    expect_error(kin.subscribe_to_shard, "ResourceInUseException", in_use,
                 ConsumerARN=first_arn, ShardId=SHARD0, StartingPosition={"Type": "LATEST"})
    # The lease is per consumer AND shard: another shard, or another consumer, is free.
    for arn, shard in ((first_arn, shard_id(1)), (other_arn, SHARD0)):
        r, _ = subscribe(kin, arn, shard, Type="LATEST")
        r["EventStream"].close()

    # Poll until the takeover is allowed; until then every attempt is refused the same way.
    refusals = 0
    while True:
        assert time.monotonic() - asked < EXCLUSIVE_S + 5, "no takeover within 10 s"
        try:
            new_r, new = subscribe(kin, first_arn, Type="LATEST")
            break
        except ClientError as e:
            assert error_of(e) == ("ResourceInUseException", in_use), e.response
            refusals += 1
            time.sleep(0.2)  # paced retries of a refused call; there is no event to await instead
    took_over = time.monotonic() - asked
    assert took_over >= EXCLUSIVE_S - 0.1, f"taken over after only {took_over:.2f}s"
    assert refusals >= 10

    err, before, _ = stream_error(old, timeout=5)
    assert error_of(err) == ("ResourceInUseException", in_use)
    assert all(not e["Records"] for e in before), before  # heartbeats at most
    # The new subscription is the live one.
    seq = kin.put_record(StreamName=stream_name, Data=b"after takeover", PartitionKey="k",
                         ExplicitHashKey="0")["SequenceNumber"]
    got, _ = take_records(new, 1)
    assert seqs(got) == [seq]
    new_r["EventStream"].close()
    old_r["EventStream"].close()


def test_deregistering_the_consumer_ends_its_streams(kin, endpoint, stream_name):
    (arn,) = make_stream(kin, stream_name, ["leaving"], shards=2)
    r, events = subscribe(kin, arn, SHARD0, Type="LATEST")
    raw, _, frames = raw_subscribe(endpoint, subscribe_request(arn, shard_id(1), Type="LATEST"))
    kin.deregister_stream_consumer(ConsumerARN=arn)
    gone = time.monotonic()
    message = f"Consumer leaving under stream {stream_name} and account {DEFAULT_ACCOUNT} not found."

    err, before, at = stream_error(events, timeout=HEARTBEAT_S + 3)
    assert error_of(err) == ("ResourceNotFoundException", message)
    assert at - gone <= HEARTBEAT_S + 1, f"noticed after {at - gone:.2f}s"
    assert all(not e["Records"] for e in before), before
    r["EventStream"].close()

    # On the wire: an exception message, then the body ends.
    rest = list(frames)
    assert raw.body_ended
    exc = rest[-1]
    assert exc.headers == {":message-type": "exception", ":exception-type": "ResourceNotFoundException",
                           ":content-type": "application/json"}, exc.headers
    assert exc.json() == {"message": message}
    for f in rest[:-1]:
        assert not check_raw_event(f)["Records"]
    raw.close()


def test_stream_ends_cleanly_after_its_lifetime(short_lived, stream_name):
    k = client(short_lived.endpoint)
    boto_arn, raw_arn = make_stream(k, stream_name, ["boto", "raw"])
    t0 = time.monotonic()
    r, events = subscribe(k, boto_arn, Type="LATEST")
    raw, headers, frames = raw_subscribe(short_lived.endpoint, subscribe_request(raw_arn, Type="LATEST"))
    assert headers.get("connection", "keep-alive").lower() != "close", headers
    sent = put(k, stream_name, [b"during"])

    got = []
    for e in events:  # no EventStreamError: a clean end
        check_event(e)
        got += e["Records"]
    lived = time.monotonic() - t0
    assert SHORT_LIFETIME_MS / 1000 - 0.1 <= lived <= SHORT_LIFETIME_MS / 1000 + 2, lived
    assert seqs(got) == sent

    raw_got = []
    for f in frames:
        raw_got += check_raw_event(f)["Records"]
    assert raw.body_ended and seqs(raw_got) == sent
    # The body ended with the last chunk, and the connection carries the next request.
    raw.send("ListShards", {"StreamName": stream_name})
    status, h = raw.read_head()
    body = raw.read_sized_body(h)
    assert status == 200, body
    assert [s["ShardId"] for s in json.loads(body)["Shards"]] == [SHARD0]
    raw.close()


# ---- a consumer that stops reading --------------------------------------------------------------


def produce_mib(k, name: str, mib: int, record_kib: int = 100) -> list[str]:
    """`mib` MiB in records of `record_kib` KiB (each starting with its 8-digit index), 50 per call."""
    size = record_kib * 1024
    n = mib * MIB // size
    out: list[str] = []
    while len(out) < n:
        batch = [{"Data": f"{i:08d}".encode() + b"x" * (size - 8), "PartitionKey": f"p{i}"}
                 for i in range(len(out), min(n, len(out) + 50))]
        r = k.put_records(StreamName=name, Records=batch)
        assert r["FailedRecordCount"] == 0, [x for x in r["Records"] if "ErrorCode" in x][:3]
        out += [x["SequenceNumber"] for x in r["Records"]]
    return out


def test_stalled_reader_does_not_grow_server_memory_then_gets_everything(eddy_factory, stream_name, capsys,
                                                                        monkeypatch):
    produced_mib = 60
    # One malloc arena, so freed request buffers are reused rather than parked per thread: RSS then tracks
    # what is live, and the two instances compare within a few MiB.
    monkeypatch.setenv("MALLOC_ARENA_MAX", "1")
    stalled_p, control_p = eddy_factory(), eddy_factory()
    k, ck = client(stalled_p.endpoint), client(control_p.endpoint)
    (arn,) = make_stream(k, stream_name, ["stalled"])
    make_stream(ck, stream_name, ["unused"])
    # A small receive window, so the kernel holds little of what the server sends before it must wait.
    raw, _, frames = raw_subscribe(stalled_p.endpoint, subscribe_request(arn, Type="TRIM_HORIZON"), rcvbuf=64 * 1024)

    # The control instance stores the same records with no subscriber: the storage's own cost.
    before = {"stalled": rss_bytes(stalled_p), "control": rss_bytes(control_p)}
    control_done: list = []
    control = threading.Thread(target=lambda: control_done.append(produce_mib(ck, stream_name, produced_mib)))
    control.start()
    sent = produce_mib(k, stream_name, produced_mib)
    control.join(60)
    assert control_done, "the control producer failed"
    growth = {"stalled": rss_bytes(stalled_p) - before["stalled"], "control": rss_bytes(control_p) - before["control"]}
    with capsys.disabled():
        print(f"\n[rss] {produced_mib} MiB produced: stalled subscriber instance grew "
              f"{growth['stalled'] / MIB:.1f} MiB (from {before['stalled'] / MIB:.1f}), control without subscriber "
              f"grew {growth['control'] / MIB:.1f} MiB (from {before['control'] / MIB:.1f})")
    # Had the server queued events for the reader, it would hold ~80 MiB more (base64 in JSON).
    assert growth["stalled"] < growth["control"] + 40 * MIB, growth

    # Now read: everything arrives, in order, in events of at most ~2 MiB of data, behind at first.
    got: list[dict] = []
    behind: list[int] = []
    deadline = time.monotonic() + 30
    while len(got) < len(sent):
        assert time.monotonic() < deadline, f"{len(got)} of {len(sent)} records"
        e = check_raw_event(next(frames))
        got += e["Records"]
        if e["Records"]:
            behind.append(e["MillisBehindLatest"])
            assert sum(len(r["Data"]) for r in e["Records"]) <= 2 * MIB + 100 * 1024, "event over ~2 MiB of data"
    raw.close()
    assert seqs(got) == sent
    assert [int(r["Data"][:8]) for r in got] == list(range(len(sent)))
    assert len(behind) >= produced_mib // 2
    assert any(b > 0 for b in behind[:len(behind) // 2]), behind
    assert behind[-1] == 0, behind


# ---- raw protocol -------------------------------------------------------------------------------


def test_raw_json_request_chunked_frames_and_crcs(short_lived, stream_name):
    k = client(short_lived.endpoint)
    (arn,) = make_stream(k, stream_name, ["raw"])
    sent = put(k, stream_name, [bytes(range(256)), b"two"])
    raw, headers, frames = raw_subscribe(short_lived.endpoint, subscribe_request(arn, Type="TRIM_HORIZON"))
    events = [check_raw_event(f) for f in frames]  # every CRC checked on the way
    assert raw.body_ended and raw.chunk_sizes and all(n > 0 for n in raw.chunk_sizes)
    records = [r for e in events for r in e["Records"]]
    assert seqs(records) == sent
    assert [r["Data"] for r in records] == [bytes(range(256)), b"two"]
    assert [r["PartitionKey"] for r in records] == ["pk", "pk"]
    raw.close()

    # A corrupted byte is caught by the decoder the test relies on.
    assert decode_frame(sample_frame())[0] == Frame({":message-type": "event", ":event-type": "x"}, b"{}")
    bad = bytearray(sample_frame())
    bad[-5] ^= 1
    with pytest.raises(AssertionError, match="message CRC"):
        decode_frame(bytes(bad))


def test_raw_cbor_request_streams_json_events(short_lived, stream_name):
    k = client(short_lived.endpoint)
    (arn,) = make_stream(k, stream_name, ["cbor"])
    sent = put(k, stream_name, [b"\x00cbor\xff"])
    body = cbor2.dumps(subscribe_request(arn, Type="AT_SEQUENCE_NUMBER", SequenceNumber=sent[0]))
    raw, headers, frames = raw_subscribe(short_lived.endpoint, body, content_type=CBOR_CT)
    events = [check_raw_event(f) for f in frames]
    assert raw.body_ended
    records = [r for e in events for r in e["Records"]]
    assert seqs(records) == sent and records[0]["Data"] == b"\x00cbor\xff"
    raw.close()

    # An error before streaming answers in CBOR, like any CBOR request.
    c = RawConnection(short_lived.endpoint)
    c.send("SubscribeToShard", cbor2.dumps(subscribe_request(arn, shard_id(3), Type="LATEST")), CBOR_CT)
    status, h = c.read_head()
    err = cbor2.loads(c.read_sized_body(h))
    c.close()
    assert status == 400 and h["content-type"] == CBOR_CT, (status, h)
    assert err["__type"] == "ResourceNotFoundException", err


# ---- shutdown -----------------------------------------------------------------------------------


def test_sigterm_with_open_subscriptions_exits_0(eddy_factory, stream_name):
    p = eddy_factory()
    k = client(p.endpoint)
    idle_arn, busy_arn = make_stream(k, stream_name, ["idle", "busy"])
    produce_mib(k, stream_name, 8)
    r, events = subscribe(k, idle_arn, Type="LATEST")
    raw, _, _ = raw_subscribe(p.endpoint, subscribe_request(busy_arn, Type="TRIM_HORIZON"), rcvbuf=64 * 1024)
    t0 = time.monotonic()
    p.terminate_ok()  # one subscription idle, one blocked writing to a reader that does not read
    assert time.monotonic() - t0 < 10
    raw.close()
    r["EventStream"].close()

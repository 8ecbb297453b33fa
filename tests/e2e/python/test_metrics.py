"""GET /metrics against known traffic, parsed with the official Prometheus text-format parser.

Each test drives a real eddy with boto3 (or raw sockets for the connection counts) and compares two
scrapes: the deltas must equal what the test sent, to the request and to the byte. Request and response
sizes come from botocore's own hooks, so they are the bytes on the wire, not estimates.

What is checked:

* the exposition itself: 200, ``text/plain; version=0.0.4``, parseable, no family twice, and every family
  documented in docs/metrics.md (on a RocksDB-backed instance too, which adds the storage families);
* per operation: requests, errors by AWS type, request and response bytes, and histograms whose count
  equals the requests and whose buckets are cumulative;
* per shard: incoming and outgoing records and bytes, iterator age, stored bytes, subscribers and the
  SubscribeToShard refusals counted as throttles; a deleted stream's series vanish;
* connections by protocol (HTTP/1.1 and h2 prior knowledge);
* the per-request debug log line, and its absence at info level.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import pytest
from botocore.exceptions import ClientError
from prometheus_client.parser import text_string_to_metric_families

from eddy_e2e import DEFAULT_ACCOUNT, DEFAULT_REGION, EddyProcess, arn_of, make_client, shard_id, unique_name

DOCS = Path(__file__).resolve().parents[3] / "docs" / "metrics.md"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SHARD_FAMILIES = [
    "eddy_shard_incoming_records_total", "eddy_shard_incoming_bytes_total", "eddy_shard_outgoing_records_total",
    "eddy_shard_outgoing_bytes_total", "eddy_shard_iterator_age_seconds", "eddy_shard_throttled_total",
    "eddy_shard_subscribers", "eddy_shard_stored_bytes",
]
H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
H2_EMPTY_SETTINGS = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


# ---- scraping -----------------------------------------------------------------------------------


class Scrape:
    """One parsed /metrics answer: families by name, and sample values by (sample name, labels)."""

    def __init__(self, text: str):
        self.text = text
        self.families = list(text_string_to_metric_families(text))
        self.samples: dict[tuple[str, frozenset], float] = {}
        for fam in self.families:
            for s in fam.samples:
                key = (s.name, frozenset(s.labels.items()))
                assert key not in self.samples, f"sample {key} exposed twice"
                self.samples[key] = s.value

    def value(self, name: str, **labels: str) -> float:
        """The sample's value; 0 when the series does not exist (yet)."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def has(self, name: str, **labels: str) -> bool:
        return (name, frozenset(labels.items())) in self.samples

    def label_sets(self, name: str) -> list[dict]:
        return [dict(labels) for (n, labels) in self.samples if n == name]

    def exposed_names(self) -> set[str]:
        """Family names as written on their # TYPE lines (the parser drops a counter's _total)."""
        return set(re.findall(r"^# TYPE (\S+) ", self.text, re.M))


def scrape(endpoint: str) -> Scrape:
    with urllib.request.urlopen(endpoint + "/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"] == CONTENT_TYPE
        return Scrape(r.read().decode())


def shard_labels(stream: str, shard: int) -> dict:
    return {"account": DEFAULT_ACCOUNT, "region": DEFAULT_REGION, "stream": stream, "shard": shard_id(shard)}


def eventually(check: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} did not hold within {timeout}s"
        time.sleep(0.02)


# ---- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def debug_eddy(eddy_log_dir):
    """An instance of our own, so that every delta is this module's traffic; debug level for the log test."""
    p = EddyProcess("--in-memory", "--log-level", "debug", log_dir=eddy_log_dir).start()
    yield p
    p.terminate_ok()


class Wire:
    """Bytes each operation sent and received, from botocore's hooks."""

    def __init__(self, client):
        self.sent: dict[str, int] = defaultdict(int)
        self.received: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        client.meta.events.register("before-send.kinesis.*", self._before_send)
        client.meta.events.register("after-call.kinesis.*", self._after_call)

    def _before_send(self, request, event_name, **_):
        body = request.body or b""
        self.sent[event_name.split(".")[-1]] += len(body.encode() if isinstance(body, str) else body)

    def _after_call(self, http_response, model, **_):
        self.calls[model.name] += 1
        if model.has_event_stream_output and http_response.status_code == 200:
            return  # reading .content would wait for the end of the event stream; the test counts those bytes
        self.received[model.name] += len(http_response.content)


@pytest.fixture
def traced(debug_eddy):
    """(client, wire): a boto3 client for debug_eddy whose traffic is measured."""
    c = make_client(debug_eddy.endpoint)
    return c, Wire(c)


def hash_key_of(shard: int, shards: int) -> str:
    return str(shard * ((1 << 128) // shards))


def put_known(k, stream: str) -> dict[int, tuple[int, int]]:
    """3 PutRecord calls to shard 0 and one 10-record PutRecords to shard 1 of a 2-shard stream.
    Returns {shard: (records, data + key bytes)}."""
    sizes = {0: [0, 0], 1: [0, 0]}
    for i in range(3):
        data = b"x" * (100 + i)
        k.put_record(StreamName=stream, Data=data, PartitionKey="pk0", ExplicitHashKey=hash_key_of(0, 2))
        sizes[0][0] += 1
        sizes[0][1] += len(data) + 3
    entries = [{"Data": b"y" * (10 * i + 1), "PartitionKey": f"key-{i}", "ExplicitHashKey": hash_key_of(1, 2)}
               for i in range(10)]
    r = k.put_records(StreamName=stream, Records=entries)
    assert r["FailedRecordCount"] == 0
    sizes[1][0] += 10
    sizes[1][1] += sum(len(e["Data"]) + len(e["PartitionKey"]) for e in entries)
    return {s: (n, b) for s, (n, b) in sizes.items()}


def read_all(k, stream: str, shard: int) -> list[dict]:
    it = k.get_shard_iterator(StreamName=stream, ShardId=shard_id(shard),
                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return k.get_records(ShardIterator=it)["Records"]


def check_histograms(s: Scrape, family: str, label: str) -> None:
    """Every series of a histogram family: cumulative buckets, +Inf == _count."""
    by_series: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (name, labels), v in s.samples.items():
        if name == family + "_bucket":
            d = dict(labels)
            by_series[d[label]].append((float(d["le"]), v))
    assert by_series, f"no {family} series"
    for series, buckets in by_series.items():
        buckets.sort()
        counts = [v for _, v in buckets]
        assert counts == sorted(counts), f"{family}{{{label}={series}}} buckets not cumulative: {buckets}"
        assert buckets[-1][0] == float("inf")
        assert buckets[-1][1] == s.value(family + "_count", **{label: series}), series


# ---- the exposition -----------------------------------------------------------------------------


def documented_names() -> set[str]:
    """Metric names written in `backticks` at the start of a table row of docs/metrics.md."""
    return set(re.findall(r"^\|\s*`([a-z_:][a-z0-9_:]*)`", DOCS.read_text(), re.M))


def check_documented(s: Scrape) -> None:
    missing = sorted(s.exposed_names() - documented_names())
    assert not missing, f"exposed by /metrics but missing from docs/metrics.md: {missing}"


def test_exposition_parses_and_every_family_is_documented(debug_eddy, traced, eddy_factory, tmp_path):
    k, _ = traced
    stream = unique_name("doc")
    k.create_stream(StreamName=stream, ShardCount=1)
    k.put_record(StreamName=stream, Data=b"d", PartitionKey="p")
    with pytest.raises(ClientError):
        k.describe_stream(StreamName=unique_name("missing"))
    s = scrape(debug_eddy.endpoint)
    names = [f.name for f in s.families]
    assert len(names) == len(set(names)), "a family is exposed twice"
    for want in ["eddy_api_requests_total", "eddy_api_errors_total", "eddy_api_request_duration_seconds",
                 "eddy_connections_open", "process_resident_memory_bytes", *SHARD_FAMILIES]:
        assert want in s.exposed_names(), want
    check_documented(s)
    assert s.value("process_resident_memory_bytes") > 1 << 20
    assert s.value("process_open_fds") > 0
    assert abs(s.value("process_start_time_seconds") - time.time()) < 3600

    # A RocksDB-backed instance exposes the storage engine's families as well.
    durable = eddy_factory(data_dir=tmp_path / "data")
    dk = make_client(durable.endpoint)
    dk.create_stream(StreamName=stream, ShardCount=1)
    dk.put_record(StreamName=stream, Data=b"d" * 1000, PartitionKey="p")
    ds = scrape(durable.endpoint)
    for want in ["eddy_rocksdb_size_all_mem_tables_bytes", "eddy_rocksdb_running_compactions",
                 "eddy_storage_sync_duration_seconds"]:
        assert want in ds.exposed_names(), want
    assert ds.value("eddy_storage_sync_duration_seconds_count") >= 2, "CreateStream and PutRecord fsync the WAL"
    assert ds.value("eddy_storage_write_batch_records_sum") == 1
    assert ds.value("eddy_shard_stored_bytes", **shard_labels(stream, 0)) > 1000
    check_documented(ds)


def test_metrics_scrapes_are_not_counted_as_requests(debug_eddy):
    before = scrape(debug_eddy.endpoint)
    for path in ["/metrics", "/health", "/ready"]:
        urllib.request.urlopen(debug_eddy.endpoint + path, timeout=10).read()
    after = scrape(debug_eddy.endpoint)
    total = lambda s: sum(v for (n, _), v in s.samples.items() if n == "eddy_api_requests_total")  # noqa: E731
    assert total(after) == total(before)


# ---- per operation and per shard ----------------------------------------------------------------


def test_known_traffic_gives_exact_deltas(debug_eddy, traced):
    k, wire = traced
    stream = unique_name("known")
    before = scrape(debug_eddy.endpoint)

    k.create_stream(StreamName=stream, ShardCount=2)
    sizes = put_known(k, stream)
    got = {shard: read_all(k, stream, shard) for shard in (0, 1)}
    assert [len(got[0]), len(got[1])] == [sizes[0][0], sizes[1][0]]
    with pytest.raises(ClientError) as missing:
        k.describe_stream(StreamName=unique_name("missing"))
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as bad:
        k.get_records(ShardIterator="AAAA" * 10)
    assert bad.value.response["Error"]["Code"] == "InvalidArgumentException"

    after = scrape(debug_eddy.endpoint)
    delta = lambda name, **l: after.value(name, **l) - before.value(name, **l)  # noqa: E731

    assert dict(wire.calls) == {"CreateStream": 1, "PutRecord": 3, "PutRecords": 1, "GetShardIterator": 2,
                                "GetRecords": 3, "DescribeStream": 1}
    for op, n in wire.calls.items():
        assert delta("eddy_api_requests_total", operation=op) == n, op
        assert delta("eddy_api_request_duration_seconds_count", operation=op) == n, op
        assert delta("eddy_api_request_bytes_total", operation=op) == wire.sent[op], op
        assert delta("eddy_api_response_bytes_total", operation=op) == wire.received[op], op
    assert delta("eddy_api_requests_total", operation="ListStreams") == 0
    assert delta("eddy_api_errors_total", operation="DescribeStream", error_type="ResourceNotFoundException") == 1
    assert delta("eddy_api_errors_total", operation="GetRecords", error_type="InvalidArgumentException") == 1
    errors = {(d["operation"], d["error_type"]) for d in after.label_sets("eddy_api_errors_total")}
    assert ("PutRecord", "ResourceNotFoundException") not in errors, "no series for errors that never happened"
    for labels in after.label_sets("eddy_api_requests_total"):
        assert set(labels) == {"operation"}
    for labels in after.label_sets("eddy_api_errors_total"):
        assert set(labels) == {"operation", "error_type"}
    check_histograms(after, "eddy_api_request_duration_seconds", "operation")
    for op in wire.calls:
        assert after.value("eddy_api_request_duration_seconds_count", operation=op) == \
            after.value("eddy_api_requests_total", operation=op), f"histogram count != requests for {op}"

    for shard in (0, 1):
        records, nbytes = sizes[shard]
        labels = shard_labels(stream, shard)
        assert after.value("eddy_shard_incoming_records_total", **labels) == records
        assert after.value("eddy_shard_incoming_bytes_total", **labels) == nbytes
        assert after.value("eddy_shard_outgoing_records_total", **labels) == records
        assert after.value("eddy_shard_outgoing_bytes_total", **labels) == nbytes
        assert after.value("eddy_shard_iterator_age_seconds", **labels) == 0, "the reads reached the tip"
        assert after.value("eddy_shard_subscribers", **labels) == 0
        assert after.value("eddy_shard_throttled_total", **labels) == 0
        assert nbytes < after.value("eddy_shard_stored_bytes", **labels) < nbytes + 1024, \
            "stored = the records plus chunk headers and keys"
    for name in SHARD_FAMILIES:
        mine = [l for l in after.label_sets(name) if l.get("stream") == stream]
        assert sorted(l["shard"] for l in mine) == [shard_id(0), shard_id(1)], name
        assert all(set(l) == {"account", "region", "stream", "shard"} for l in after.label_sets(name)), name


def test_deleted_stream_series_vanish(debug_eddy, traced):
    k, _ = traced
    gone, kept = unique_name("gone"), unique_name("kept")
    for name in (gone, kept):
        k.create_stream(StreamName=name, ShardCount=2)
        k.put_record(StreamName=name, Data=b"z", PartitionKey="p")
    s = scrape(debug_eddy.endpoint)
    assert s.has("eddy_shard_incoming_records_total", **shard_labels(gone, 0))
    k.delete_stream(StreamName=gone)
    eventually(lambda: not scrape(debug_eddy.endpoint).has("eddy_shard_stored_bytes", **shard_labels(gone, 0)),
               what="the deleted stream's series to vanish")
    s = scrape(debug_eddy.endpoint)
    for name in SHARD_FAMILIES:
        streams = {l["stream"] for l in s.label_sets(name)}
        assert gone not in streams, name
        assert kept in streams, name


def test_subscribe_to_shard_counts_subscribers_events_and_refusals(debug_eddy, traced):
    k, wire = traced
    stream = unique_name("fan")
    k.create_stream(StreamName=stream, ShardCount=1)
    arn = k.register_stream_consumer(StreamARN=arn_of(stream), ConsumerName="c")["Consumer"]["ConsumerARN"]
    eventually(lambda: k.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"]["ConsumerStatus"]
               == "ACTIVE", what="the consumer to be ACTIVE")
    labels = shard_labels(stream, 0)
    before = scrape(debug_eddy.endpoint)

    r = k.subscribe_to_shard(ConsumerARN=arn, ShardId=shard_id(0), StartingPosition={"Type": "LATEST"})
    events = (e["SubscribeToShardEvent"] for e in r["EventStream"])
    try:
        assert scrape(debug_eddy.endpoint).value("eddy_shard_subscribers", **labels) == 1
        with pytest.raises(ClientError) as refused:
            k.subscribe_to_shard(ConsumerARN=arn, ShardId=shard_id(0), StartingPosition={"Type": "LATEST"})
        assert refused.value.response["Error"]["Code"] == "ResourceInUseException"

        datas = [b"event-%d" % i for i in range(5)]
        for d in datas:
            k.put_record(StreamName=stream, Data=d, PartitionKey="pk")
        got = []
        while len(got) < len(datas):
            got += next(events)["Records"]
        assert [g["Data"] for g in got] == datas
        s = scrape(debug_eddy.endpoint)
        assert s.value("eddy_shard_outgoing_records_total", **labels) == len(datas)
        assert s.value("eddy_shard_outgoing_bytes_total", **labels) == sum(len(d) + 2 for d in datas)
        assert s.value("eddy_shard_throttled_total", **labels) == 1
        delta = lambda name, **l: s.value(name, **l) - before.value(name, **l)  # noqa: E731
        assert delta("eddy_api_requests_total", operation="SubscribeToShard") == 2
        assert delta("eddy_api_errors_total", operation="SubscribeToShard", error_type="ResourceInUseException") == 1
        # The event stream's bytes count as they go: the initial response and at least one event per read.
        assert delta("eddy_api_response_bytes_total", operation="SubscribeToShard") > \
            sum(len(d) for d in datas) + wire.received["SubscribeToShard"]
    finally:
        r["EventStream"].close()
    # The hang-up itself is noticed (not the next heartbeat's failed write, up to 5 s later).
    eventually(lambda: scrape(debug_eddy.endpoint).value("eddy_shard_subscribers", **labels) == 0, timeout=2.0,
               what="the subscriber count to drop when the client leaves")


# ---- connections --------------------------------------------------------------------------------


def test_connections_by_protocol(eddy_factory):
    p = eddy_factory("--in-memory")
    host, port = p.endpoint.removeprefix("http://").rsplit(":", 1)
    # Each scrape is a new HTTP/1.1 connection; the previous one may still be closing on the server side.
    http1_alone = lambda: scrape(p.endpoint).value("eddy_connections_open", protocol="http1") == 1  # noqa: E731
    eventually(http1_alone, what="only the scrape's own connection to be open")
    before = scrape(p.endpoint)
    assert before.value("eddy_connections_open", protocol="h2") == 0
    assert before.value("eddy_connections_accepted_total", protocol="h2") == 0

    h2 = socket.create_connection((host, int(port)), timeout=10)
    try:
        h2.sendall(H2_PREFACE + H2_EMPTY_SETTINGS)
        frame = h2.recv(9)  # the server's SETTINGS: its HTTP/2 session has started
        assert len(frame) == 9 and frame[3] == 4, frame
        during = scrape(p.endpoint)
        assert during.value("eddy_connections_open", protocol="h2") == 1
        assert during.value("eddy_connections_accepted_total", protocol="h2") == 1
        assert during.value("eddy_connections_accepted_total", protocol="http1") == \
            before.value("eddy_connections_accepted_total", protocol="http1") + 1, "one more scrape"
        eventually(http1_alone, what="only the scrape's own HTTP/1.1 connection to be open")
    finally:
        h2.close()
    eventually(lambda: scrape(p.endpoint).value("eddy_connections_open", protocol="h2") == 0,
               what="the h2 connection to close")
    after = scrape(p.endpoint)
    assert after.value("eddy_connections_accepted_total", protocol="h2") == 1
    assert set(d["protocol"] for d in after.label_sets("eddy_connections_open")) == {"http1", "h2"}


# ---- logs ---------------------------------------------------------------------------------------


def request_lines(log: str, op: str) -> list[str]:
    return re.findall(rf"\[api\] {op} stream=\S+ status=\d+ error=\S+ [0-9.]+ ms$", log, re.M)


def test_debug_logs_one_line_per_request_and_info_none(debug_eddy, traced, eddy_factory):
    k, _ = traced
    stream = unique_name("log")
    k.create_stream(StreamName=stream, ShardCount=1)
    for i in range(4):
        k.put_record(StreamName=stream, Data=b"%d" % i, PartitionKey="p")
    it = k.get_shard_iterator(StreamName=stream, ShardId=shard_id(0), ShardIteratorType="TRIM_HORIZON")
    k.get_records(ShardIterator=it["ShardIterator"])
    with pytest.raises(ClientError):
        k.describe_stream(StreamName=stream + "-missing")
    log = debug_eddy.logs()
    puts = [l for l in request_lines(log, "PutRecord") if f"stream={stream} " in l]
    assert len(puts) == 4, puts
    assert all(" status=200 error=- " in l for l in puts), puts
    assert any(f"GetRecords stream={stream} status=200" in l for l in request_lines(log, "GetRecords")), \
        "GetRecords names the stream sealed in its iterator"
    assert any(f"stream={stream}-missing status=400 error=ResourceNotFoundException" in l
               for l in request_lines(log, "DescribeStream"))

    quiet = eddy_factory("--in-memory")
    qk = make_client(quiet.endpoint)
    qk.create_stream(StreamName=stream, ShardCount=1)
    for i in range(20):
        qk.put_record(StreamName=stream, Data=b"r", PartitionKey="p")
    assert request_lines(quiet.logs(), r"\w+") == [], "nothing per request (or record) at info"

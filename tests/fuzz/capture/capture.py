#!/usr/bin/env python3
"""Records real client traffic to an eddy and turns it into the fuzz targets' seed corpora.

    python3 tests/fuzz/capture/capture.py [--eddy build/bin/eddy] [--out tests/fuzz/corpus] [--keep DIR]

It starts `eddy --in-memory`, puts a recorder (a TCP proxy that writes down every byte each way, per
connection) in front of it, and runs three clients through the recorder:
  * boto3 (HTTP/1.1, JSON), calling every Kinesis operation it knows, SubscribeToShard included;
  * the AWS SDK for JavaScript v3 (capture_sdk.mjs), over HTTP/2 (its default handler) and HTTP/1.1;
  * raw CBOR requests (application/x-amz-cbor-1.1, shaped as the Java SDK sends them: byte-string Data,
    tag-1 millisecond timestamps) signed with botocore's SigV4 signer.
The clients sign with AKIDEXAMPLE / secret (sigv4_fuzz.cc's credential store) and use the stream
"fuzz" and consumer "c", the names fuzz_broker.h starts with.

Then it splits the recordings into tests/fuzz/corpus/<target>/ (at most MAX_FILES each):
  http1        each HTTP/1.1 connection's client bytes
  http2        each h2c connection's client bytes after the preface
  sigv4        each HTTP/1.1 request alone
  pipeline     each Kinesis request as byte 0 (operation, protocol) + body
(live iterators, consumer ARNs and sequence numbers become fuzz_broker.h's placeholders, which have their
lengths, in the http1, http2 and pipeline seeds)
  json, cbor   request and response bodies
  eventstream  SubscribeToShard response bodies
  shard_iterator, sequence_number, shard_id, hash_key, base64   values found in the bodies
Existing files of those folders are replaced.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import cbor2

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
ACCESS_KEY, SECRET_KEY = "AKIDEXAMPLE", "secret"
STREAM = "fuzz"
STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/fuzz"
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
MAX_FILES = 48


# ---------------------------------------------------------------------------------------------- recorder
class Recorder:
    """A TCP proxy to `upstream` that keeps, per connection, the bytes each way."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.conns = []  # [{"c2s": bytearray, "s2c": bytearray}]
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            rec = {"c2s": bytearray(), "s2c": bytearray()}
            with self.lock:
                self.conns.append(rec)
            threading.Thread(target=self._pump, args=(client, server, rec["c2s"]), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, rec["s2c"]), daemon=True).start()

    def _pump(self, src, dst, log):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                log.extend(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (dst,):
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------- clients
def run_boto3(endpoint):
    k = boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                     aws_secret_access_key=SECRET_KEY,
                     config=botocore.config.Config(retries={"max_attempts": 1}))
    calls = []

    def call(name, **kw):
        try:
            out = getattr(k, name)(**kw)
        except k.exceptions.ClientError as e:  # errors are traffic too
            out = {"error": e.response["Error"]["Code"]}
        calls.append(name)
        return out

    call("create_stream", StreamName=STREAM, ShardCount=2)
    call("describe_stream", StreamName=STREAM)
    call("describe_stream_summary", StreamName=STREAM)
    call("list_streams", Limit=10)
    call("list_shards", StreamName=STREAM)
    put = call("put_record", StreamName=STREAM, Data=b"hello fuzz", PartitionKey="pk-1")
    call("put_record", StreamName=STREAM, Data=b"\x00\x01binary\xff", PartitionKey="pk-2",
         ExplicitHashKey="170141183460469231731687303715884105728",
         SequenceNumberForOrdering=put.get("SequenceNumber", "0"))
    call("put_records", StreamName=STREAM, Records=[
        {"Data": b"r1", "PartitionKey": "a"},
        {"Data": b"r2" * 40, "PartitionKey": "b", "ExplicitHashKey": "1"},
        {"Data": b"", "PartitionKey": "c"},
    ])
    call("put_records", StreamARN=STREAM_ARN, Records=[{"Data": b"x", "PartitionKey": "p"}])
    it = call("get_shard_iterator", StreamName=STREAM, ShardId="shardId-000000000000",
              ShardIteratorType="TRIM_HORIZON")
    got = call("get_records", ShardIterator=it.get("ShardIterator", ""), Limit=10)
    call("get_records", ShardIterator=got.get("NextShardIterator", ""), StreamARN=STREAM_ARN)
    if put.get("SequenceNumber"):
        call("get_shard_iterator", StreamName=STREAM, ShardId=put.get("ShardId", "shardId-000000000000"),
             ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=put["SequenceNumber"])
        call("get_shard_iterator", StreamARN=STREAM_ARN, ShardId="shardId-000000000001",
             ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=put["SequenceNumber"])
    call("get_shard_iterator", StreamName=STREAM, ShardId="shardId-000000000001", ShardIteratorType="AT_TIMESTAMP",
         Timestamp=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
    call("get_shard_iterator", StreamName=STREAM, ShardId="shardId-000000000001", ShardIteratorType="LATEST")
    call("add_tags_to_stream", StreamName=STREAM, Tags={"team": "fuzz", "env": "test"})
    call("list_tags_for_stream", StreamName=STREAM, Limit=5)
    call("remove_tags_from_stream", StreamName=STREAM, TagKeys=["env"])
    call("tag_resource", ResourceARN=STREAM_ARN, Tags={"k": "v"})
    call("list_tags_for_resource", ResourceARN=STREAM_ARN)
    call("untag_resource", ResourceARN=STREAM_ARN, TagKeys=["k"])
    call("increase_stream_retention_period", StreamName=STREAM, RetentionPeriodHours=48)
    call("decrease_stream_retention_period", StreamName=STREAM, RetentionPeriodHours=24)
    call("enable_enhanced_monitoring", StreamName=STREAM, ShardLevelMetrics=["IncomingBytes", "OutgoingRecords"])
    call("disable_enhanced_monitoring", StreamName=STREAM, ShardLevelMetrics=["ALL"])
    call("start_stream_encryption", StreamName=STREAM, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    call("stop_stream_encryption", StreamName=STREAM, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    call("put_resource_policy", ResourceARN=STREAM_ARN, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                "Action": "kinesis:GetRecords", "Resource": STREAM_ARN}]}))
    call("get_resource_policy", ResourceARN=STREAM_ARN)
    call("delete_resource_policy", ResourceARN=STREAM_ARN)
    call("describe_limits")
    call("describe_account_settings")
    call("update_account_settings", MinimumThroughputBillingCommitment={"Status": "DISABLED"})
    call("update_max_record_size", StreamARN=STREAM_ARN, MaxRecordSizeInKiB=2048)
    call("update_stream_warm_throughput", StreamName=STREAM, WarmThroughputMiBps=10)
    consumer = call("register_stream_consumer", StreamARN=STREAM_ARN, ConsumerName="c")
    carn = consumer.get("Consumer", {}).get("ConsumerARN", "")
    call("describe_stream_consumer", ConsumerARN=carn)
    call("describe_stream_consumer", StreamARN=STREAM_ARN, ConsumerName="c")
    call("list_stream_consumers", StreamARN=STREAM_ARN, MaxResults=5)
    time.sleep(0.2)
    try:
        sub = k.subscribe_to_shard(ConsumerARN=carn, ShardId="shardId-000000000000",
                                   StartingPosition={"Type": "TRIM_HORIZON"})
        for n, _ in enumerate(sub["EventStream"]):
            if n >= 1:
                break
        sub["EventStream"].close()
    except Exception as e:  # noqa: BLE001 - the traffic is what matters here
        print("capture: boto3 subscribe_to_shard:", e, file=sys.stderr)
    call("deregister_stream_consumer", ConsumerARN=carn)
    call("split_shard", StreamName=STREAM, ShardToSplit="shardId-000000000000",
         NewStartingHashKey="85070591730234615865843651857942052864")
    call("merge_shards", StreamName=STREAM, ShardToMerge="shardId-000000000002",
         AdjacentShardToMerge="shardId-000000000003")
    call("update_shard_count", StreamName=STREAM, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    call("update_stream_mode", StreamARN=STREAM_ARN, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    # Errors a client meets: a stream that is not there, values outside the limits.
    call("describe_stream", StreamName="missing")
    call("create_stream", StreamName=STREAM, ShardCount=1)
    call("put_record", StreamName=STREAM, Data=b"x", PartitionKey="p", ExplicitHashKey="340282366920938463463374607431768211456")
    call("get_records", ShardIterator="AAAAAAAAAAExpired=")
    call("delete_stream", StreamName=STREAM, EnforceConsumerDeletion=True)
    return calls


def run_js(endpoint):
    script = os.path.join(os.path.dirname(__file__), "capture_sdk.mjs")
    js_dir = os.path.join(REPO, "tests/e2e/js")
    if not os.path.isdir(os.path.join(js_dir, "node_modules/@aws-sdk/client-kinesis")):
        print("capture: tests/e2e/js has no node_modules (scripts/install-deps.sh --test); JS skipped", file=sys.stderr)
        return
    # Imports resolve from the working directory when the module comes on stdin.
    with open(script) as f:
        subprocess.run(["node", "--input-type=module", "-", endpoint], stdin=f, cwd=js_dir, check=True, timeout=120)


def signed_cbor(endpoint, op, doc):
    body = cbor2.dumps(doc, datetime_as_timestamp=True, timezone=datetime.timezone.utc)
    req = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "Content-Type": "application/x-amz-cbor-1.1", "X-Amz-Target": "Kinesis_20131202." + op,
        "Accept": "application/x-amz-cbor-1.1"})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY), "kinesis", "us-east-1").add_auth(req)
    prepared = req.prepare()
    host, port = endpoint.split("//")[1].split(":")
    with socket.create_connection((host, int(port))) as s:
        head = "POST / HTTP/1.1\r\nHost: %s:%s\r\n" % (host, port)
        for k, v in prepared.headers.items():
            if k.lower() != "host":
                head += "%s: %s\r\n" % (k, v)
        head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        s.sendall(head.encode() + body)
        resp = b""
        while chunk := s.recv(65536):
            resp += chunk
    payload = resp.split(b"\r\n\r\n", 1)[1]
    try:
        return cbor2.loads(payload)
    except Exception:  # noqa: BLE001
        return {}


def ms_timestamp(ms):
    return cbor2.CBORTag(1, ms)  # the Java SDK's form: tag 1 + epoch milliseconds


def run_cbor(endpoint):
    signed_cbor(endpoint, "CreateStream", {"StreamName": STREAM, "ShardCount": 2})
    signed_cbor(endpoint, "DescribeStreamSummary", {"StreamName": STREAM})
    put = signed_cbor(endpoint, "PutRecord", {"StreamName": STREAM, "Data": b"cbor record", "PartitionKey": "pk"})
    signed_cbor(endpoint, "PutRecords", {"StreamARN": STREAM_ARN, "Records": [
        {"Data": b"one", "PartitionKey": "a"}, {"Data": b"\x00" * 30, "PartitionKey": "b", "ExplicitHashKey": "99"}]})
    it = signed_cbor(endpoint, "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000000",
                                                    "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": ms_timestamp(1704067200123)})
    signed_cbor(endpoint, "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000000",
                                               "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                                               "StartingSequenceNumber": put.get("SequenceNumber", "0")})
    signed_cbor(endpoint, "GetRecords", {"ShardIterator": it.get("ShardIterator", ""), "Limit": 100})
    signed_cbor(endpoint, "ListShards", {"StreamName": STREAM, "ShardFilter": {"Type": "AT_TIMESTAMP",
                                                                              "Timestamp": ms_timestamp(1704067200000)}})
    signed_cbor(endpoint, "ListStreams", {"Limit": 5})
    signed_cbor(endpoint, "RegisterStreamConsumer", {"StreamARN": STREAM_ARN, "ConsumerName": "c"})
    signed_cbor(endpoint, "ListStreamConsumers", {"StreamARN": STREAM_ARN})
    signed_cbor(endpoint, "AddTagsToStream", {"StreamName": STREAM, "Tags": {"a": "b"}})
    signed_cbor(endpoint, "DescribeStream", {"StreamName": "missing"})
    signed_cbor(endpoint, "DeleteStream", {"StreamName": STREAM, "EnforceConsumerDeletion": True})


# ---------------------------------------------------------------------------------------------- splitting
def parse_h1(data, is_request):
    """Splits one direction of an HTTP/1.1 connection into messages: start line, headers, body."""
    out, at = [], 0
    while at < len(data):
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            break
        head = bytes(data[at:end])
        lines = head.split(b"\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode("latin-1")
        at = end + 4
        if "content-length" in headers:
            n = int(headers["content-length"])
            body, at = bytes(data[at:at + n]), at + n
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                le = data.find(b"\r\n", at)
                if le < 0:
                    at = len(data)
                    break
                size = int(data[at:le].split(b";")[0], 16)
                at = le + 2
                if size == 0:
                    at = data.find(b"\r\n", at) + 2 if data.find(b"\r\n", at) >= 0 else len(data)
                    break
                body += data[at:at + size]
                at += size + 2
        elif is_request or lines[0].split(b" ")[1] in (b"100", b"204", b"304"):
            body = b""
        else:
            body, at = bytes(data[at:]), len(data)
        out.append({"start": lines[0].decode("latin-1"), "headers": headers, "body": body})
    return out


def h1_requests_raw(data):
    """The raw bytes of each request of a client->server HTTP/1.1 stream."""
    raws, at = [], 0
    while at < len(data):
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            break
        m = re.search(rb"(?im)^content-length:\s*(\d+)", bytes(data[at:end]))
        n = int(m.group(1)) if m else 0
        raws.append(bytes(data[at:end + 4 + n]))
        at = end + 4 + n
    return raws


def h2_frames(data):
    at, out = 0, []
    while at + 9 <= len(data):
        length = int.from_bytes(data[at:at + 3], "big")
        ftype, flags = data[at + 3], data[at + 4]
        sid = int.from_bytes(data[at + 5:at + 9], "big") & 0x7FFFFFFF
        out.append((ftype, flags, sid, bytes(data[at + 9:at + 9 + length])))
        at += 9 + length
    return out


def eventstream_ok(body):
    import zlib
    return len(body) >= 16 and zlib.crc32(body[:8]) == int.from_bytes(body[8:12], "big")


def operation_list():
    names = []
    with open(os.path.join(REPO, "src/api/operation_list.h")) as f:
        for line in f:
            m = re.match(r"EDDY_OPERATION\((\w+),", line)
            if m:
                names.append(m.group(1))
    return names


class Corpus:
    """Seeds per target, at most MAX_FILES: first one of each kind (an operation and protocol, say), then
    the rest in the order they came."""

    def __init__(self, root):
        self.root = root
        self.files = {}  # target -> [(kind, bytes)]

    def add(self, target, data, kind=None):
        if isinstance(data, str):
            data = data.encode()
        if data:
            self.files.setdefault(target, []).append((kind, bytes(data)))

    def write(self):
        for target, items in sorted(self.files.items()):
            chosen, kinds = {}, set()
            for kind, data in items:
                if kind is not None and kind not in kinds and len(chosen) < MAX_FILES:
                    kinds.add(kind)
                    chosen.setdefault(hashlib.sha1(data).hexdigest(), data)
            for kind, data in items:
                if len(chosen) < MAX_FILES:
                    chosen.setdefault(hashlib.sha1(data).hexdigest(), data)
            d = os.path.join(self.root, target)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for key, data in chosen.items():
                with open(os.path.join(d, key[:16]), "wb") as f:
                    f.write(data)
            print("capture: %-16s %3d files" % (target, len(chosen)))


def eventstream_messages(body):
    """The whole stream and each of its messages."""
    out, at = [body], 0
    while at + 16 <= len(body):
        total = int.from_bytes(body[at:at + 4], "big")
        if total < 16 or at + total > len(body):
            break
        out.append(body[at:at + total])
        at += total
    return out


def walk(doc, fn, key=None):
    if isinstance(doc, dict):
        for k, v in doc.items():
            walk(v, fn, k)
    elif isinstance(doc, list):
        for v in doc:
            walk(v, fn, key)
    else:
        fn(key, doc)


# fuzz_broker.h's placeholders: each as long as the value it stands for, so replacing them keeps every
# Content-Length, HTTP/2 frame length and CBOR head valid.
PLACEHOLDERS = {"iter": "$ITER".ljust(96, "$"), "carn": "$CARN".ljust(72, "$"), "seq": "$SEQN".ljust(56, "$")}
LIVE_KEYS = {"ShardIterator": "iter", "NextShardIterator": "iter", "ConsumerARN": "carn", "SequenceNumber": "seq",
             "StartingSequenceNumber": "seq", "EndingSequenceNumber": "seq"}


def h2_streams(data):
    """The DATA payloads of an HTTP/2 byte stream, joined per stream."""
    out = {}
    for ftype, flags, sid, payload in h2_frames(data):
        if ftype == 0:
            if flags & 0x8:  # padded
                payload = payload[1:len(payload) - payload[0]]
            out[sid] = out.get(sid, b"") + payload
    return out


def split(conns, out):
    corpus = Corpus(out)
    ops = operation_list()
    bodies = []  # (protocol, operation, request body, response body, response content type), HTTP/1.1
    h2_bodies = []  # DATA of each HTTP/2 stream, both ways
    for conn in conns:
        c2s, s2c = bytes(conn["c2s"]), bytes(conn["s2c"])
        if c2s.startswith(PREFACE):
            h2_bodies += list(h2_streams(c2s[len(PREFACE):]).values()) + list(h2_streams(s2c).values())
            continue
        reqs = parse_h1(c2s, True)
        resps = [r for r in parse_h1(s2c, False) if not r["start"].split(" ")[1].startswith("1")]
        for req, resp in zip(reqs, resps):
            ctype = req["headers"].get("content-type", "")
            op = req["headers"].get("x-amz-target", "").split(".")[-1]
            bodies.append(("cbor" if "cbor" in ctype else "json", op, req["body"], resp["body"],
                           resp["headers"].get("content-type", "")))

    def load(proto, body):
        try:
            return cbor2.loads(body) if proto == "cbor" else json.loads(body)
        except Exception:  # noqa: BLE001 - not a document: an event stream, or nothing
            return None

    # The live values of the captured session, found in every answer, and the placeholders they become.
    subs = {}

    def note(key, v):
        kind = LIVE_KEYS.get(key)
        if kind and isinstance(v, str) and len(v) == len(PLACEHOLDERS[kind]):
            subs[v.encode()] = PLACEHOLDERS[kind].encode()
    for proto, op, req, resp, rtype in bodies:
        walk(load(proto, resp), note)
    for body in h2_bodies:
        walk(load("json", body), note)

    def placeholders(data):
        for live, ph in subs.items():
            data = data.replace(live, ph)
        return data

    # Connections and requests as clients sent them; live values become placeholders (not for sigv4,
    # whose signatures cover them).
    for conn in conns:
        c2s = bytes(conn["c2s"])
        if c2s.startswith(PREFACE):
            corpus.add("http2", placeholders(c2s[len(PREFACE):]))
        elif c2s:
            corpus.add("http1", placeholders(c2s), kind=c2s[:200])
            for raw in h1_requests_raw(c2s):
                m = re.search(rb"(?i)x-amz-target:\s*\S+\.(\w+)", raw)
                c = re.search(rb"(?i)content-type:\s*(\S+)", raw)
                corpus.add("sigv4", raw, kind=(m and m.group(1), c and c.group(1)))
    for body in h2_bodies:
        if eventstream_ok(body):
            for m in eventstream_messages(body):
                corpus.add("eventstream", m)

    def identifiers(key, v):
        if not isinstance(v, (str, bytes)):
            return
        if key in ("ShardIterator", "NextShardIterator"):
            corpus.add("shard_iterator", v)
            try:
                corpus.add("shard_iterator", base64.b64decode(v)[:-16])  # the part before the MAC
            except Exception:  # noqa: BLE001
                pass
        elif key in ("SequenceNumber", "StartingSequenceNumber", "EndingSequenceNumber", "SequenceNumberForOrdering"):
            corpus.add("sequence_number", v)
        elif key in ("ShardId", "ParentShardId", "AdjacentParentShardId", "ShardToSplit", "ShardToMerge",
                     "AdjacentShardToMerge"):
            corpus.add("shard_id", v)
        elif key in ("StartingHashKey", "EndingHashKey", "ExplicitHashKey", "NewStartingHashKey"):
            corpus.add("hash_key", v)
        elif key == "Data":
            corpus.add("base64", base64.b64encode(v) if isinstance(v, bytes) else v)

    for proto, op, req, resp, rtype in bodies:
        if "eventstream" in rtype and eventstream_ok(resp):
            for m in eventstream_messages(resp):
                corpus.add("eventstream", m)
        elif resp:
            corpus.add(proto, resp)
            walk(load(proto, resp), identifiers)
        if not req:
            continue
        corpus.add(proto, req, kind=op)
        walk(load(proto, req), identifiers)
        if op in ops:
            first = ops.index(op) | (0x40 if proto == "cbor" else 0)
            corpus.add("pipeline", bytes([first]) + placeholders(req), kind=(proto, op))
    corpus.write()


# ---------------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eddy", default=os.path.join(REPO, "build/bin/eddy"))
    ap.add_argument("--out", default=os.path.join(REPO, "tests/fuzz/corpus"))
    ap.add_argument("--keep", help="also write the raw recordings here")
    args = ap.parse_args()

    eddy = subprocess.Popen([args.eddy, "--in-memory", "--port", "0", "--log-level", "warn"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = eddy.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            sys.exit("capture: eddy said: " + line)
        rec = Recorder((m.group(1), int(m.group(2))))
        endpoint = "http://127.0.0.1:%d" % rec.port
        run_boto3(endpoint)
        run_js(endpoint)
        run_cbor(endpoint)
        time.sleep(0.5)
    finally:
        eddy.terminate()
        eddy.wait(timeout=10)
    time.sleep(0.2)
    with rec.lock:
        conns = list(rec.conns)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        for i, c in enumerate(conns):
            for way in ("c2s", "s2c"):
                with open(os.path.join(args.keep, "conn%03d.%s" % (i, way)), "wb") as f:
                    f.write(c[way])
    print("capture: %d connections recorded" % len(conns))
    split(conns, args.out)


if __name__ == "__main__":
    main()

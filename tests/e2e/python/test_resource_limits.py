"""Resource limits (docs/limits.md, "Resource limits"), each hit on purpose: connections, header size and
count, body size, HTTP/2 streams per connection, idle connections, slow requests (slowloris) and a shard's
write queue. Each must give its clear error or close, count in eddy_frontend_limit_hits_total (or
eddy_shard_throttled_total), and leave the broker serving everyone else.

HTTP/1.1 is spoken over raw sockets and HTTP/2 with the h2 package, because clients that follow the rules
never hit these limits.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
import time
import urllib.parse
import urllib.request

import h2.config
import h2.connection
import h2.errors
import h2.events
import pytest

from eddy_e2e import DEFAULT_ACCOUNT, EddyProcess, make_client, unique_name

AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc")


@pytest.fixture
def eddy_with(tmp_path):
    """Starts an in-memory eddy with the given flags; each is stopped (and must exit cleanly) after the test."""
    started: list[EddyProcess] = []

    def start(*args: str) -> EddyProcess:
        started.append(EddyProcess("--in-memory", *args, log_dir=tmp_path).start())
        return started[-1]

    yield start
    for p in started:
        p.terminate_ok()


def limit_hits(endpoint: str, limit: str) -> float:
    text = urllib.request.urlopen(f"{endpoint}/metrics", timeout=10).read().decode()
    series = f'eddy_frontend_limit_hits_total{{limit="{limit}"}} '
    return next(float(line[len(series):]) for line in text.splitlines() if line.startswith(series))


def connect(p: EddyProcess) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", p.port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def request_bytes(op: str = "ListStreams", body: bytes = b"{}", extra: list[tuple[str, str]] = ()) -> bytes:
    head = [f"POST / HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-amz-json-1.1",
            f"X-Amz-Target: Kinesis_20131202.{op}", f"Authorization: {AUTH}", "X-Amz-Date: 20240101T000000Z",
            f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def read_until_closed(s: socket.socket, timeout: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (fails if it does not within timeout)."""
    s.settimeout(timeout)
    out = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return out
        out += chunk


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def serves(p: EddyProcess) -> bool:
    return "StreamNames" in make_client(p.endpoint).list_streams()


# ---- connections --------------------------------------------------------------------------------------------


def test_connections_past_max_connections_are_closed_at_once(eddy_with):
    p = eddy_with("--max-connections", "4")
    held = [connect(p) for _ in range(4)]
    for s in held:  # each is being served: a request on it is answered
        s.sendall(request_bytes())
    for s in held:
        assert b"HTTP/1.1 200" in s.recv(65536)
    extra = connect(p)
    try:
        extra.sendall(request_bytes())
        assert read_until_closed(extra) == b""  # closed without an answer
    except (BrokenPipeError, ConnectionResetError):
        pass  # closed with the request unread: a reset
    assert limit_hits_via(held[0], "connections") == 1
    held.pop().close()
    # A slot is free again once the server has seen the close.
    deadline = time.monotonic() + 10
    while True:
        s = connect(p)
        try:
            s.sendall(request_bytes())
            if s.recv(65536).startswith(b"HTTP/1.1 200"):
                held.append(s)
                break
        except (BrokenPipeError, ConnectionResetError):
            pass
        s.close()
        assert time.monotonic() < deadline, "no connection accepted after one closed"
        time.sleep(0.05)
    for s in held:
        s.close()


def limit_hits_via(s: socket.socket, limit: str) -> float:
    """Scrapes /metrics over a connection already held (a new one would be refused at the limit)."""
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += s.recv(65536)
    series = f'eddy_frontend_limit_hits_total{{limit="{limit}"}} '
    return next(float(line[len(series):]) for line in body.decode().splitlines() if line.startswith(series))


# ---- headers and bodies (HTTP/1.1) ---------------------------------------------------------------------------


@pytest.mark.parametrize("flag, value, fits, too_many, limit", [
    ("--max-header-bytes", "2048", [("X-Padding", "p" * 1500)], [("X-Padding", "p" * 3000)], "header_bytes"),
    # 7 fields of request_bytes() plus these: 15 fit in 16, 27 do not.
    ("--max-header-count", "16", [(f"X-F{i}", "v") for i in range(8)], [(f"X-F{i}", "v") for i in range(20)],
     "header_count"),
])
def test_headers_over_their_limit_are_431(eddy_with, flag, value, fits, too_many, limit):
    p = eddy_with(flag, value)
    s = connect(p)
    s.sendall(request_bytes(extra=fits))  # under the limit: served
    assert s.recv(65536).startswith(b"HTTP/1.1 200")
    s.sendall(request_bytes(extra=too_many))
    assert status_of(read_until_closed(s)) == 431
    assert limit_hits(p.endpoint, limit) == 1
    assert serves(p)


def test_body_over_max_body_bytes_is_413_and_counted(eddy_with):
    p = eddy_with("--max-body-bytes", "4096")
    s = connect(p)
    s.sendall(request_bytes(body=b"{" + b" " * 5000 + b"}"))
    assert status_of(read_until_closed(s)) == 413
    assert limit_hits(p.endpoint, "body_bytes") == 1
    assert serves(p)


# ---- idle and slow requests (HTTP/1.1) ----------------------------------------------------------------------


def test_idle_keep_alive_connection_is_closed_after_idle_timeout(eddy_with):
    p = eddy_with("--idle-timeout-ms", "500")
    s = connect(p)
    s.sendall(request_bytes())
    assert s.recv(65536).startswith(b"HTTP/1.1 200")
    began = time.monotonic()
    assert read_until_closed(s) == b""
    waited = time.monotonic() - began
    assert 0.3 <= waited < 5, waited
    assert limit_hits(p.endpoint, "idle_timeout") == 1


def test_request_trickled_slower_than_request_timeout_is_dropped(eddy_with):
    # The idle timeout is long: only the request timeout, counted from the first byte, can end this.
    p = eddy_with("--request-timeout-ms", "800", "--idle-timeout-ms", "60000")
    s = connect(p)
    whole = request_bytes()
    began = time.monotonic()
    closed = False
    for i in range(len(whole)):  # one byte per 50 ms: the request would take about 10 s
        try:
            s.sendall(whole[i:i + 1])
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        s.settimeout(0.05)
        try:
            if s.recv(65536) == b"":
                closed = True
                break
        except socket.timeout:
            pass
        except ConnectionResetError:
            closed = True
            break
    waited = time.monotonic() - began
    assert closed, "the trickled request was served instead of dropped"
    assert 0.6 <= waited < 5, waited
    assert limit_hits(p.endpoint, "request_timeout") == 1
    assert serves(p)


# ---- HTTP/2 -------------------------------------------------------------------------------------------------


class H2:
    """A raw h2c (prior knowledge) client connection."""

    def __init__(self, p: EddyProcess):
        self.sock = connect(p)
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.flush()

    def flush(self) -> None:
        self.sock.sendall(self.conn.data_to_send())

    def open(self, op: str = "ListStreams", end: bool = False) -> int:
        sid = self.conn.get_next_available_stream_id()
        headers = [(":method", "POST"), (":path", "/"), (":scheme", "http"), (":authority", "127.0.0.1"),
                   ("content-type", "application/x-amz-json-1.1"), ("x-amz-target", f"Kinesis_20131202.{op}"),
                   ("authorization", AUTH), ("x-amz-date", "20240101T000000Z")]
        self.conn.send_headers(sid, headers, end_stream=end)
        return sid

    def events(self, until, timeout: float = 10) -> list:
        """Reads events until until(events_so_far) holds; fails after timeout."""
        got: list = []
        deadline = time.monotonic() + timeout
        while not until(got):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; events so far: {got}"
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                got.append("closed")
                continue
            got += self.conn.receive_data(data)
            self.flush()
        return got


def test_streams_past_max_h2_streams_are_refused_and_the_rest_served(eddy_with):
    p = eddy_with("--max-h2-streams", "4")
    c = H2(p)
    # Opened before the server's SETTINGS are read, so the client does not hold itself back; each stays
    # open (no END_STREAM), so all six are concurrent.
    sids = [c.open() for _ in range(6)]
    c.flush()
    resets = lambda evs: [e for e in evs if isinstance(e, h2.events.StreamReset)]  # noqa: E731
    evs = c.events(lambda evs: len(resets(evs)) >= 2)
    refused = sorted(e.stream_id for e in resets(evs))
    assert refused == sids[4:], evs
    assert all(e.error_code == h2.errors.ErrorCodes.REFUSED_STREAM for e in resets(evs))
    for sid in sids[:4]:
        c.conn.send_data(sid, b"{}", end_stream=True)
    c.flush()
    ended = lambda evs: {e.stream_id for e in evs if isinstance(e, h2.events.StreamEnded)}  # noqa: E731
    evs = c.events(lambda evs: ended(evs) >= set(sids[:4]))
    statuses = [dict(e.headers)[b":status"] for e in evs if isinstance(e, h2.events.ResponseReceived)]
    assert statuses == [b"200"] * 4, evs
    assert limit_hits(p.endpoint, "h2_streams") == 2
    assert serves(p)


def test_h2_connection_idle_past_idle_timeout_gets_goaway(eddy_with):
    p = eddy_with("--idle-timeout-ms", "500")
    c = H2(p)
    sid = c.open(end=False)
    c.conn.send_data(sid, b"{}", end_stream=True)
    c.flush()
    c.events(lambda evs: any(isinstance(e, h2.events.StreamEnded) for e in evs))
    began = time.monotonic()
    evs = c.events(lambda evs: any(isinstance(e, h2.events.ConnectionTerminated) for e in evs))
    waited = time.monotonic() - began
    (goaway,) = [e for e in evs if isinstance(e, h2.events.ConnectionTerminated)]
    assert goaway.error_code == h2.errors.ErrorCodes.NO_ERROR
    assert 0.3 <= waited < 5, waited
    assert limit_hits(p.endpoint, "idle_timeout") == 1


def test_h2_stream_whose_request_never_ends_is_reset_after_request_timeout(eddy_with):
    p = eddy_with("--request-timeout-ms", "600", "--idle-timeout-ms", "60000")
    c = H2(p)
    slow = c.open(end=False)  # headers, then a body that never ends
    c.conn.send_data(slow, b"{")
    c.flush()
    began = time.monotonic()
    evs = c.events(lambda evs: any(isinstance(e, h2.events.StreamReset) for e in evs))
    waited = time.monotonic() - began
    (reset,) = [e for e in evs if isinstance(e, h2.events.StreamReset)]
    assert reset.stream_id == slow and reset.error_code == h2.errors.ErrorCodes.CANCEL
    assert 0.4 <= waited < 5, waited
    # The connection itself still serves.
    ok = c.open(end=False)
    c.conn.send_data(ok, b"{}", end_stream=True)
    c.flush()
    evs = c.events(lambda evs: any(isinstance(e, h2.events.StreamEnded) and e.stream_id == ok for e in evs))
    assert [dict(e.headers)[b":status"] for e in evs if isinstance(e, h2.events.ResponseReceived)] == [b"200"]
    assert limit_hits(p.endpoint, "request_timeout") == 1


# ---- a shard's write queue ----------------------------------------------------------------------------------


def test_puts_past_the_shard_write_queue_are_throttled_per_record(tmp_path):
    """Sixteen producers of 1 MiB PutRecords at one shard, whose queue holds 1 MiB, on a synced disk: some
    records must wait for the disk, and those past the queue are refused as AWS refuses an overloaded
    shard, per record; every acknowledged record is stored."""
    p = EddyProcess("--max-shard-queue-bytes", "1048576", "--sync", "always", data_dir=tmp_path / "data",
                    log_dir=tmp_path).start()
    try:
        k = make_client(p.endpoint)  # no retries: each refusal reaches the test
        name = unique_name("q")
        k.create_stream(StreamName=name, ShardCount=1)
        k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.1})
        results: list[dict] = []
        lock = threading.Lock()

        def produce(t: int) -> None:
            for r in range(3):
                batch = [{"Data": bytes([t]) * (200 * 1024), "PartitionKey": f"p{t}-{r}-{i}"} for i in range(5)]
                out = k.put_records(StreamName=name, Records=batch)["Records"]
                with lock:
                    results.extend(out)

        threads = [threading.Thread(target=produce, args=(t,)) for t in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [r for r in results if "ErrorCode" in r]
        stored = [r["SequenceNumber"] for r in results if "SequenceNumber" in r]
        assert refused, "no record was refused: the queue never filled"
        assert stored, "every record was refused"
        account = DEFAULT_ACCOUNT
        for r in refused:
            assert r["ErrorCode"] == "ProvisionedThroughputExceededException", r
            assert r["ErrorMessage"] == (f"Rate exceeded for shard shardId-000000000000 in stream {name} under "
                                         f"account {account}."), r
        text = urllib.request.urlopen(f"{p.endpoint}/metrics", timeout=10).read().decode()
        throttled = next(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                         if line.startswith("eddy_shard_throttled_total{") and f'stream="{name}"' in line)
        assert throttled >= 1
        # Every acknowledged record reads back.
        it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        seen: list[str] = []
        while len(seen) < len(stored):
            out = k.get_records(ShardIterator=it, Limit=100)
            seen += [r["SequenceNumber"] for r in out["Records"]]
            it = out["NextShardIterator"]
            if not out["Records"]:
                break
        assert sorted(seen, key=int) == sorted(stored, key=int)
        assert serves(p)
    finally:
        p.terminate_ok()


# ---- the process's open-file limit --------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def test_out_of_file_descriptors_connections_wait_without_spinning(tmp_path):
    """Under a hard open-file limit of 96 (which eddy cannot raise) connections past it are not accepted
    until others close: eddy neither spins on accept() nor stops serving, and counts it."""
    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))

    p = EddyProcess("--in-memory", log_dir=tmp_path, preexec=limit_files).start()
    try:
        held = []
        for _ in range(120):  # more than the limit: the last ones wait in the listen backlog
            held.append(connect(p))
        # Every descriptor is taken; give the accept loop a second to show whether it spins.
        pid = p.proc.pid
        before = cpu_seconds(pid)
        time.sleep(1.0)
        spent = cpu_seconds(pid) - before
        assert spent < 0.3, f"eddy used {spent:.2f} s of CPU in 1 s while out of descriptors"
        for s in held:
            s.close()
        # Descriptors come back as the closes are seen; then it serves, and has counted the shortage.
        deadline = time.monotonic() + 10
        while True:
            try:
                if serves(p):
                    break
            except Exception:  # noqa: BLE001 - refused or reset while descriptors are still short
                pass
            assert time.monotonic() < deadline, "eddy does not serve again after the connections closed"
            time.sleep(0.05)
        assert limit_hits(p.endpoint, "open_files") >= 1
        assert "new connections wait until others close" in p.logs()
    finally:
        p.terminate_ok()

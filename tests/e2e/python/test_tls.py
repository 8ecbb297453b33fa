"""HTTPS through boto3 (HTTP/1.1 with ALPN http/1.1) and the AWS CLI, against the generated certificate."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from eddy_e2e import EDDY_BIN, make_client, unique_name

LINE = re.compile(rb"^eddy listening on (https?://\S+)$")


@pytest.fixture
def tls_eddy(tmp_path):
    proc = subprocess.Popen([EDDY_BIN, "--port", "0", "--tls-port", "0", "--data-dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    plain = LINE.match(proc.stdout.readline().strip())
    secure = LINE.match(proc.stdout.readline().strip())
    assert plain and secure, "eddy printed its http and https endpoints"
    yield plain.group(1).decode(), secure.group(1).decode(), tmp_path / "tls" / "eddy-tls.crt"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def test_boto3_over_https_verifies_the_generated_certificate(tls_eddy):
    plain, secure, cert = tls_eddy
    assert secure.startswith("https://127.0.0.1:")
    assert cert.read_text().startswith("-----BEGIN CERTIFICATE-----")
    os.environ["AWS_CA_BUNDLE"] = str(cert)
    try:
        kinesis = make_client(secure)
        name = unique_name("tls")
        kinesis.create_stream(StreamName=name, ShardCount=1)
        put = kinesis.put_record(StreamName=name, PartitionKey="k", Data=b"\x00secure\xff")
        it = kinesis.get_shard_iterator(StreamName=name, ShardId=put["ShardId"], ShardIteratorType="TRIM_HORIZON")
        records = kinesis.get_records(ShardIterator=it["ShardIterator"])["Records"]
        assert [r["Data"] for r in records] == [b"\x00secure\xff"]
        # The same stream is visible on the plaintext port: one broker, two listeners.
        assert name in make_client(plain).list_streams()["StreamNames"]
    finally:
        del os.environ["AWS_CA_BUNDLE"]


def test_cli_over_https(tls_eddy):
    _, secure, cert = tls_eddy
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="", AWS_CA_BUNDLE=str(cert))
    out = subprocess.run(["aws", "--endpoint-url", secure, "kinesis", "list-streams"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert '"StreamNames"' in out.stdout


def test_a_wrong_certificate_is_refused_by_the_client(tls_eddy):
    _, secure, _ = tls_eddy
    import botocore.exceptions

    kinesis = make_client(secure)  # the system trust store does not know the self-signed certificate
    with pytest.raises(botocore.exceptions.SSLError):
        kinesis.list_streams()


def test_event_stream_over_https_ends_cleanly_and_the_connection_carries_on(tmp_path):
    # While an HTTP/1.1 event stream is written the server also reads the connection (to notice a client
    # that hangs up); over TLS that read must be cancelled when the stream ends, or the end never leaves.
    proc = subprocess.Popen([EDDY_BIN, "--port", "0", "--tls-port", "0", "--data-dir", str(tmp_path),
                             "--subscription-lifetime-ms", "1500"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        LINE.match(proc.stdout.readline().strip())
        secure = LINE.match(proc.stdout.readline().strip()).group(1).decode()
        os.environ["AWS_CA_BUNDLE"] = str(tmp_path / "tls" / "eddy-tls.crt")
        try:
            kinesis = make_client(secure)
            name = unique_name("tls")
            kinesis.create_stream(StreamName=name, ShardCount=1)
            arn = kinesis.register_stream_consumer(StreamARN=f"arn:aws:kinesis:us-east-1:000000000000:stream/{name}",
                                                   ConsumerName="c")["Consumer"]["ConsumerARN"]
            began = time.monotonic()
            r = kinesis.subscribe_to_shard(ConsumerARN=arn, ShardId="shardId-000000000000",
                                           StartingPosition={"Type": "LATEST"})
            kinesis.put_record(StreamName=name, PartitionKey="k", Data=b"over tls")
            got = [rec["Data"] for e in r["EventStream"] for rec in e["SubscribeToShardEvent"]["Records"]]
            lived = time.monotonic() - began
            assert got == [b"over tls"]
            assert 1.4 <= lived < 4, lived
            assert kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamName"] == name
        finally:
            del os.environ["AWS_CA_BUNDLE"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0

"""HTTPS through boto3 (HTTP/1.1 with ALPN http/1.1) and the AWS CLI, against the generated certificate."""
import os
import re
import signal
import subprocess
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

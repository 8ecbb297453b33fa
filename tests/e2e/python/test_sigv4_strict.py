"""Strict SigV4 (``--auth sigv4 --credentials-file FILE``) through boto3 (HTTP/1.1), hand-signed requests
(botocore's SigV4Auth / SigV4QueryAuth on an AWSRequest, sent with http.client) and the ``aws kinesis`` CLI.

What AWS does, and so eddy must: a correctly signed request acts in the account its access key belongs to;
an unknown key is UnrecognizedClientException; a known key with a wrong signature (wrong secret, a body or
signed header changed after signing, a tampered token or presigned signature) is InvalidSignatureException;
a signature more than 5 minutes old is "Signature expired: ...", one more than 5 minutes ahead "Signature
not yet current: ...". One account never sees another's streams.

Clocks are moved by patching botocore's clock while signing, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Optional
from unittest import mock

import cbor2
import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from eddy_e2e import cli_environment, DEFAULT_REGION, EddyProcess, arn_of, make_client, unique_name

JSON_CT = "application/x-amz-json-1.1"
SERVICE = "Kinesis_20131202"
AWS = shutil.which("aws")


@dataclass(frozen=True)
class Key:
    access_key: str
    secret: str
    account: str


ALICE = Key("AKIAALICE0000000000A", "alicesecret", "111111111111")
BOB = Key("AKIABOB00000000000B", "bobsecret", "222222222222")
# A 12-digit access key id: in strict mode the file's account wins over the default-mode rule that a
# 12-digit key names its own account.
DIGITS = Key("123456789012", "digitsecret", "444444444444")
UNKNOWN = Key("AKIAUNKNOWN00000000Z", "whatever", "")

UNRECOGNIZED = "The security token included in the request is invalid."
MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")
MISMATCH_PREFIX = "The request signature we calculated does not match the signature you provided."
AMZ = r"\d{8}T\d{6}Z"


def expired_re(signed_at: str) -> str:
    return rf"^Signature expired: {signed_at} is now earlier than {AMZ} \({AMZ} - 5 min\.\)$"


@pytest.fixture(scope="module")
def strict(eddy_log_dir, tmp_path_factory) -> EddyProcess:
    path = tmp_path_factory.mktemp("sigv4") / "credentials"
    path.write_text("# ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID\n\n" +
                    "".join(f"{k.access_key} {k.secret} {k.account}\n" for k in (ALICE, BOB, DIGITS)))
    p = EddyProcess("--in-memory", "--auth", "sigv4", "--credentials-file", str(path), log_dir=eddy_log_dir).start()
    yield p
    p.terminate_ok()


def client(strict: EddyProcess, key: Key, secret: Optional[str] = None, token: Optional[str] = None):
    return make_client(strict.endpoint, access_key=key.access_key, secret_key=secret or key.secret,
                       session_token=token)


def aws_error(exc_info, code: str) -> str:
    err = exc_info.value.response
    assert err["Error"]["Code"] == code, err
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400, err
    assert err["ResponseMetadata"]["RequestId"], err
    return err["Error"]["Message"]


def clock(offset: dt.timedelta):
    """Patches botocore's signing clock by `offset` (botocore.auth imported get_current_datetime by name)."""
    when = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + offset
    return mock.patch("botocore.auth.get_current_datetime", return_value=when), when.strftime("%Y%m%dT%H%M%SZ")


# ---- hand-signed requests -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    header_list: list = field(default_factory=list)

    def json(self):
        return json.loads(self.body)


def http_send(endpoint: str, path: str, body: bytes, headers: dict) -> Reply:
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        # http.client adds Host: 127.0.0.1:PORT, which is what botocore signed for the URL.
        conn.request("POST", path, body=body, headers={**headers, "Content-Length": str(len(body))})
        r = conn.getresponse()
        data = r.read()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, data, r.getheaders())
    finally:
        conn.close()


def aws_request(endpoint: str, op: str, body: bytes) -> AWSRequest:
    return AWSRequest(method="POST", url=endpoint + "/", data=body,
                      headers={"Content-Type": JSON_CT, "X-Amz-Target": f"{SERVICE}.{op}"})


def sign(endpoint: str, op: str, payload: dict, key: Key, *, secret: Optional[str] = None, token: Optional[str] = None,
         offset: Optional[dt.timedelta] = None) -> tuple[dict, bytes]:
    """Headers and body of `op` signed with botocore's SigV4Auth (header form)."""
    body = json.dumps(payload).encode()
    req = aws_request(endpoint, op, body)
    patch = clock(offset)[0] if offset is not None else nullcontext()
    with patch:
        SigV4Auth(Credentials(key.access_key, secret or key.secret, token), "kinesis", DEFAULT_REGION).add_auth(req)
    return dict(req.headers.items()), body


def assert_error(r: Reply, type_: str, message: Optional[str] = None) -> str:
    assert r.status == 400, (r.status, r.body)
    assert r.headers.get("content-type") == JSON_CT, r.header_list
    assert r.headers.get("x-amzn-requestid"), r.header_list
    body = r.json()
    assert body["__type"] == type_, body
    if message is not None:
        assert body["message"] == message, body
    return body["message"]


# ---- boto3 --------------------------------------------------------------------------------------


def test_signed_requests_act_in_the_keys_account(strict):
    alice, bob, digits = client(strict, ALICE), client(strict, BOB), client(strict, DIGITS)
    shared, only_bob = unique_name("shared"), unique_name("bob")
    alice.create_stream(StreamName=shared, ShardCount=1)
    bob.create_stream(StreamName=shared, ShardCount=2)  # the same name in another account is another stream
    bob.create_stream(StreamName=only_bob, ShardCount=1)
    a = alice.describe_stream_summary(StreamName=shared)["StreamDescriptionSummary"]
    b = bob.describe_stream_summary(StreamName=shared)["StreamDescriptionSummary"]
    assert a["StreamARN"] == arn_of(shared, ALICE.account)
    assert (a["OpenShardCount"], b["OpenShardCount"]) == (1, 2)
    assert b["StreamARN"] == arn_of(shared, BOB.account)

    alice_names = alice.list_streams()["StreamNames"]
    assert shared in alice_names and only_bob not in alice_names
    assert only_bob in bob.list_streams()["StreamNames"]

    # Alice cannot reach Bob's stream by name nor by ARN.
    with pytest.raises(ClientError) as e:
        alice.describe_stream_summary(StreamName=only_bob)
    assert aws_error(e, "ResourceNotFoundException") == f"Stream {only_bob} under account {ALICE.account} not found."
    with pytest.raises(ClientError) as e:
        alice.describe_stream(StreamARN=arn_of(only_bob, BOB.account))
    aws_error(e, "ResourceNotFoundException")
    with pytest.raises(ClientError) as e:
        alice.put_record(StreamName=only_bob, PartitionKey="k", Data=b"x")
    aws_error(e, "ResourceNotFoundException")

    # A 12-digit key id acts in the account the file gives it.
    digits.create_stream(StreamName=shared, ShardCount=3)
    assert digits.describe_stream_summary(StreamName=shared)["StreamDescriptionSummary"]["StreamARN"] == \
        arn_of(shared, DIGITS.account)

    # The data plane verifies too: binary bodies, iterators and records.
    put = alice.put_record(StreamName=shared, PartitionKey="k", Data=bytes(range(256)))
    it = alice.get_shard_iterator(StreamName=shared, ShardId=put["ShardId"],
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    [rec] = alice.get_records(ShardIterator=it)["Records"]
    assert rec["Data"] == bytes(range(256))
    assert alice.delete_stream(StreamName=shared) == {"ResponseMetadata": mock.ANY}


def test_unknown_access_key_is_unrecognized_client(strict):
    for key in (UNKNOWN, Key("999999999999", "x", "")):
        with pytest.raises(ClientError) as e:
            client(strict, key).list_streams()
        assert aws_error(e, "UnrecognizedClientException") == UNRECOGNIZED


def test_wrong_secret_is_invalid_signature(strict):
    with pytest.raises(ClientError) as e:
        client(strict, ALICE, secret=BOB.secret).list_streams()
    message = aws_error(e, "InvalidSignatureException")
    assert message.startswith(MISMATCH_PREFIX), message
    assert message == MISMATCH


def test_clock_skew_window(strict):
    alice = client(strict, ALICE)
    for minutes in (-4, 4):  # inside the window: accepted
        patch, _ = clock(dt.timedelta(minutes=minutes))
        with patch:
            assert "StreamNames" in alice.list_streams()
    patch, signed_at = clock(dt.timedelta(minutes=-6))
    with patch, pytest.raises(ClientError) as e:
        alice.list_streams()
    assert re.match(expired_re(signed_at), aws_error(e, "InvalidSignatureException")), e.value.response
    patch, signed_at = clock(dt.timedelta(minutes=6))
    with patch, pytest.raises(ClientError) as e:
        alice.list_streams()
    assert re.match(rf"^Signature not yet current: {signed_at} is still later than {AMZ} \({AMZ} \+ 5 min\.\)$",
                    aws_error(e, "InvalidSignatureException")), e.value.response


def test_session_token_is_signed_and_verified(strict):
    token = "FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDExampleSessionToken+/="
    c = client(strict, ALICE, token=token)
    sent = []
    c.meta.events.register("before-send.kinesis.*", lambda request, **_: sent.append(dict(request.headers)))
    name = unique_name("token")
    c.create_stream(StreamName=name, ShardCount=1)
    assert c.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"] == \
        arn_of(name, ALICE.account)
    auth = sent[0]["Authorization"].decode() if isinstance(sent[0]["Authorization"], bytes) else sent[0]["Authorization"]
    assert "x-amz-security-token" in re.search(r"SignedHeaders=([^,]+)", auth).group(1).split(";"), auth
    assert sent[0]["X-Amz-Security-Token"] in (token, token.encode())

    # The token is covered by the signature: changing it after signing breaks it.
    headers, body = sign(strict.endpoint, "ListStreams", {}, ALICE, token=token)
    assert http_send(strict.endpoint, "/", body, headers).status == 200
    headers["X-Amz-Security-Token"] = token + "x"
    assert_error(http_send(strict.endpoint, "/", body, headers), "InvalidSignatureException", MISMATCH)


# ---- hand-signed (header form) -------------------------------------------------------------------


def test_hand_signed_request_and_tampering(strict):
    ep = strict.endpoint
    headers, body = sign(ep, "ListStreams", {"Limit": 5}, ALICE)
    r = http_send(ep, "/", body, headers)
    assert r.status == 200, r.body
    assert "StreamNames" in r.json()
    # The same signed request again is still fine (no replay check within the window, as AWS).
    assert http_send(ep, "/", body, headers).status == 200
    # The body changed after signing.
    assert_error(http_send(ep, "/", b'{"Limit": 6}', headers), "InvalidSignatureException", MISMATCH)
    # A signed header changed after signing.
    assert_error(http_send(ep, "/", body, {**headers, "X-Amz-Target": f"{SERVICE}.DescribeLimits"}),
                 "InvalidSignatureException", MISMATCH)
    # The signature itself changed.
    tampered = re.sub(r"Signature=([0-9a-f])", lambda m: "Signature=" + ("1" if m.group(1) == "0" else "0"),
                      headers["Authorization"])
    assert_error(http_send(ep, "/", body, {**headers, "Authorization": tampered}), "InvalidSignatureException",
                 MISMATCH)
    # A declared payload hash (x-amz-content-sha256, signed) must be the body's.
    good = hashlib.sha256(body).hexdigest()
    req = aws_request(ep, "ListStreams", body)
    req.headers["X-Amz-Content-SHA256"] = good
    SigV4Auth(Credentials(ALICE.access_key, ALICE.secret), "kinesis", DEFAULT_REGION).add_auth(req)
    assert http_send(ep, "/", body, dict(req.headers.items())).status == 200


def test_hand_signed_expired(strict):
    headers, body = sign(strict.endpoint, "ListStreams", {}, ALICE, offset=dt.timedelta(minutes=-10))
    message = assert_error(http_send(strict.endpoint, "/", body, headers), "InvalidSignatureException")
    assert message.startswith("Signature expired:"), message
    assert re.match(expired_re(headers["X-Amz-Date"]), message), message


def test_hand_signed_unknown_key(strict):
    headers, body = sign(strict.endpoint, "ListStreams", {}, UNKNOWN)
    assert_error(http_send(strict.endpoint, "/", body, headers), "UnrecognizedClientException", UNRECOGNIZED)


def cbor_loads(body: bytes):
    # Tag 1 kept as its raw number: awsCbor timestamps are milliseconds, which cbor2 would read as seconds.
    return cbor2.loads(body, semantic_decoders={1: lambda value, *_: value})


def test_hand_signed_cbor_and_rpcv2(strict):
    """Binary bodies and the Smithy RPC v2 path are signed like any other request."""
    ep = strict.endpoint
    client(strict, ALICE).create_stream(StreamName=unique_name("cbor"), ShardCount=1)  # a timestamp to decode
    body = cbor2.dumps({})
    req = AWSRequest(method="POST", url=ep + "/", data=body,
                     headers={"Content-Type": "application/x-amz-cbor-1.1", "X-Amz-Target": f"{SERVICE}.ListStreams"})
    SigV4Auth(Credentials(ALICE.access_key, ALICE.secret), "kinesis", DEFAULT_REGION).add_auth(req)
    r = http_send(ep, "/", body, dict(req.headers.items()))
    assert r.status == 200, r.body
    assert "StreamNames" in cbor_loads(r.body)
    r = http_send(ep, "/", cbor2.dumps({"Limit": 1}), dict(req.headers.items()))
    assert r.status == 400 and cbor_loads(r.body)["__type"] == "InvalidSignatureException", r.body

    path = f"/service/{SERVICE}/operation/ListStreams"
    req = AWSRequest(method="POST", url=ep + path, data=body,
                     headers={"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
    SigV4Auth(Credentials(ALICE.access_key, ALICE.secret), "kinesis", DEFAULT_REGION).add_auth(req)
    r = http_send(ep, path, body, dict(req.headers.items()))
    assert r.status == 200, r.body
    assert r.headers.get("smithy-protocol") == "rpc-v2-cbor", r.header_list
    assert "StreamNames" in cbor_loads(r.body)
    # Signed for one operation's path, sent to another's.
    r = http_send(ep, f"/service/{SERVICE}/operation/DescribeLimits", body, dict(req.headers.items()))
    assert r.status == 400 and cbor_loads(r.body)["__type"] == "InvalidSignatureException", r.body


# ---- presigned (query-string form) ---------------------------------------------------------------


class PresignKeepingBody(SigV4QueryAuth):
    """botocore's query signer moves a body into the query string (what query-protocol services want) and
    signs an empty payload; a JSON 1.1 POST keeps its body, so it is put back before the payload is hashed."""

    def _modify_request_before_signing(self, request):
        body = request.data
        request.data = b""
        super()._modify_request_before_signing(request)
        request.data = body


def presign(endpoint: str, op: str, payload: dict, key: Key, *, expires: int = 300,
            offset: Optional[dt.timedelta] = None, signer=PresignKeepingBody) -> tuple[str, dict, bytes]:
    body = json.dumps(payload).encode()
    req = aws_request(endpoint, op, body)
    patch = clock(offset)[0] if offset is not None else nullcontext()
    with patch:
        signer(Credentials(key.access_key, key.secret), "kinesis", DEFAULT_REGION, expires=expires).add_auth(req)
    u = urllib.parse.urlsplit(req.url)
    headers = {k: v for k, v in req.headers.items()}
    assert "Authorization" not in headers
    return f"{u.path}?{u.query}", headers, body


def test_presigned_list_streams(strict):
    ep = strict.endpoint
    name = unique_name("presigned")
    client(strict, ALICE).create_stream(StreamName=name, ShardCount=1)
    path, headers, body = presign(ep, "ListStreams", {}, ALICE)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Credential"][0].startswith(f"{ALICE.access_key}/")
    assert query["X-Amz-Expires"] == ["300"]
    assert set(query["X-Amz-SignedHeaders"][0].split(";")) == {"content-type", "host", "x-amz-target"}
    assert re.fullmatch(AMZ, query["X-Amz-Date"][0]) and re.fullmatch("[0-9a-f]{64}", query["X-Amz-Signature"][0])

    r = http_send(ep, path, body, headers)
    assert r.status == 200, r.body
    assert name in r.json()["StreamNames"]

    # Tampered signature, tampered signed header, and a different body: all refused.
    sig = query["X-Amz-Signature"][0]
    bad = path.replace(f"X-Amz-Signature={sig}", f"X-Amz-Signature={sig[:-1]}{'0' if sig[-1] != '0' else '1'}")
    assert bad != path
    assert_error(http_send(ep, bad, body, headers), "InvalidSignatureException", MISMATCH)
    assert_error(http_send(ep, path, body, {**headers, "X-Amz-Target": f"{SERVICE}.DescribeLimits"}),
                 "InvalidSignatureException", MISMATCH)
    assert_error(http_send(ep, path, b'{"Limit": 1}', headers), "InvalidSignatureException", MISMATCH)


def test_presigned_stock_signer_signs_an_empty_payload(strict):
    """Stock SigV4QueryAuth moves the JSON body into the query and signs an empty payload: sending the
    body anyway must not verify (the payload hash is part of a presigned signature too)."""
    path, headers, body = presign(strict.endpoint, "ListStreams", {}, ALICE, signer=SigV4QueryAuth)
    assert_error(http_send(strict.endpoint, path, body, headers), "InvalidSignatureException", MISMATCH)


def test_presigned_expiry_and_unknown_key(strict):
    ep = strict.endpoint
    # Signed 10 minutes ago, valid for 60 s.
    path, headers, body = presign(ep, "ListStreams", {}, ALICE, expires=60, offset=dt.timedelta(minutes=-10))
    signed_at = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["X-Amz-Date"][0]
    message = assert_error(http_send(ep, path, body, headers), "InvalidSignatureException")
    assert re.match(rf"^Signature expired: {signed_at} is now earlier than {AMZ} \({AMZ} - 60 sec\.\)$", message), \
        message
    # Signed 2 minutes ago, valid for an hour: fine.
    path, headers, body = presign(ep, "ListStreams", {}, ALICE, expires=3600, offset=dt.timedelta(minutes=-2))
    assert http_send(ep, path, body, headers).status == 200
    path, headers, body = presign(ep, "ListStreams", {}, UNKNOWN)
    assert_error(http_send(ep, path, body, headers), "UnrecognizedClientException", UNRECOGNIZED)


# ---- default mode -------------------------------------------------------------------------------


def test_default_mode_accepts_any_well_formed_signature(endpoint):
    """Without --auth the shared instance checks a signature's presence, not its value."""
    c = make_client(endpoint, access_key=UNKNOWN.access_key, secret_key="not-the-secret-of-anyone")
    assert "StreamNames" in c.list_streams()
    headers, body = sign(endpoint, "ListStreams", {}, ALICE, offset=dt.timedelta(hours=-3))
    assert http_send(endpoint, "/", body, headers).status == 200


# ---- AWS CLI ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    return cli_environment(tmp_path_factory.mktemp("aws-home-strict"))


@pytest.fixture
def aws(strict, cli_env):
    assert AWS is not None, "the aws CLI is missing: scripts/install-deps.sh --test installs it"

    def run(key: Key, *args: str, secret: Optional[str] = None, token: Optional[str] = None, check: bool = True):
        env = {**cli_env, "AWS_ACCESS_KEY_ID": key.access_key, "AWS_SECRET_ACCESS_KEY": secret or key.secret}
        if token:
            env["AWS_SESSION_TOKEN"] = token
        p = subprocess.run([AWS, "--endpoint-url", strict.endpoint, "kinesis", *args], capture_output=True,
                           text=True, env=env, timeout=120)
        if check:
            assert p.returncode == 0, f"aws kinesis {' '.join(args)} -> {p.returncode}\n{p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    return run


def test_cli_strict(aws):
    name = unique_name("cli")
    assert aws(ALICE, "create-stream", "--stream-name", name, "--shard-count", "1") == {}
    s = aws(ALICE, "describe-stream-summary", "--stream-name", name)["StreamDescriptionSummary"]
    assert s["StreamARN"] == arn_of(name, ALICE.account)
    assert name in aws(ALICE, "list-streams", token="cli-session-token")["StreamNames"]

    p = aws(BOB, "describe-stream-summary", "--stream-name", name, check=False)
    assert p.returncode in (254, 255), p
    assert "ResourceNotFoundException" in p.stderr and BOB.account in p.stderr, p.stderr

    p = aws(ALICE, "list-streams", secret="wrong", check=False)
    assert p.returncode in (254, 255), p
    assert "InvalidSignatureException" in p.stderr and MISMATCH_PREFIX in p.stderr, p.stderr

    p = aws(UNKNOWN, "list-streams", check=False)
    assert p.returncode in (254, 255), p
    assert "UnrecognizedClientException" in p.stderr and UNRECOGNIZED in p.stderr, p.stderr
